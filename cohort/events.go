package cohort

import (
	"errors"
	"fmt"
	"math"

	"github.com/valuekit/valuekit/event"
)

// Errors reported by the package; the errors returned wrap one of them, so
// callers can branch with errors.Is.
var (
	// ErrBadEvent reports an event that cannot be used; the error is an
	// *event.ValueError naming the column and the 0-based row.
	ErrBadEvent = errors.New("cohort: bad event")
	// ErrLength reports event columns of different lengths.
	ErrLength = errors.New("cohort: event columns differ in length")
	// ErrNoPurchases reports that no customer made a purchase up to the
	// observation end, so there is no cohort.
	ErrNoPurchases = errors.New("cohort: no purchases up to the observation end")
	// ErrBadOption reports an invalid option value. It is event.ErrOption,
	// so errors.Is matches the option errors of every valuekit package.
	ErrBadOption = event.ErrOption
	// ErrTooFewAges reports that the data hold too few fully observed ages
	// to fit a survival model.
	ErrTooFewAges = errors.New("cohort: too few fully observed ages to fit")
	// ErrBadTable reports a Table that Build did not make: columns of
	// different lengths, or rows out of order.
	ErrBadTable = errors.New("cohort: malformed table")
	// ErrTooManyCells reports that a table would have more than MaxCells
	// cohort × age cells.
	ErrTooManyCells = errors.New("cohort: too many cohort × age cells")
)

// Events holds customer events as plain columns of equal length, one event a
// row. The package never modifies them.
type Events struct {
	// Customer is the customer of each event as a dictionary code
	// 0..n-1 (codes must not be negative; memory grows with the largest
	// code, so codes should be dense).
	Customer []int32
	// Time is the time of each event in Unix microseconds (UTC).
	Time []int64
	// Kind is the kind of each event. Purchases make customers active and
	// bring revenue; refunds reduce net revenue; other kinds are ignored.
	Kind []event.Kind
	// Amount is the money of each event. A purchase with a negative amount
	// is read as a refund of the absolute amount (as in package valuekit);
	// a refund's amount must not be negative. Amounts of purchases and
	// refunds must be finite and at most 9e12 in absolute value; other
	// kinds' amounts are not read.
	Amount []float64
}

// Len returns the number of events.
func (e Events) Len() int { return len(e.Customer) }

// badEvent returns the error for value v in column col ("customer", "kind"
// or "amount") of event row i.
func badEvent(col string, i int, v float64, want string) error {
	return &event.ValueError{Column: col, Index: i, Value: v, Reason: want, Err: ErrBadEvent}
}

// kindWanted is the reason of an unknown kind: the kinds by number.
var kindWanted = func() string {
	s := "want a known kind ("
	for k := event.Kind(0); k < event.NumKinds; k++ {
		if k > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%d %s", k, k)
	}
	return s + ")"
}()

// scan checks the events and returns the largest customer code and the
// earliest and latest event time (over all kinds).
func (e Events) scan() (maxCustomer int32, minTime, maxTime int64, err error) {
	n := len(e.Customer)
	if len(e.Time) != n || len(e.Kind) != n || len(e.Amount) != n {
		return 0, 0, 0, fmt.Errorf("%w: customer %d, time %d, kind %d, amount %d rows",
			ErrLength, n, len(e.Time), len(e.Kind), len(e.Amount))
	}
	maxCustomer, minTime, maxTime = -1, math.MaxInt64, math.MinInt64
	cust, tm, kind, amt := e.Customer, e.Time, e.Kind, e.Amount
	for i := 0; i < n; i++ {
		c := cust[i]
		if c < 0 {
			return 0, 0, 0, badEvent("customer", i, float64(c), "want a customer code >= 0")
		}
		if c > maxCustomer {
			maxCustomer = c
		}
		t := tm[i]
		maxTime = max(maxTime, t)
		minTime = min(minTime, t)
		switch k := kind[i]; k {
		case event.Purchase:
			if a := amt[i]; !(math.Abs(a) <= event.MaxAmount) {
				return 0, 0, 0, badEvent("amount", i, a, "want a finite purchase amount of at most 9e12 in absolute value")
			}
		case event.Refund:
			if a := amt[i]; !(a >= 0 && a <= event.MaxAmount) {
				return 0, 0, 0, badEvent("amount", i, a, "want a finite refund amount >= 0 and at most 9e12")
			}
		default:
			if !k.Valid() {
				return 0, 0, 0, badEvent("kind", i, float64(k), kindWanted)
			}
		}
	}
	return maxCustomer, minTime, maxTime, nil
}
