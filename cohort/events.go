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
	// ErrBadEvent reports an event row that cannot be used (see RowError).
	ErrBadEvent = errors.New("cohort: bad event")
	// ErrLength reports event columns of different lengths.
	ErrLength = errors.New("cohort: event columns differ in length")
	// ErrNoPurchases reports that no customer made a purchase up to the
	// observation end, so there is no cohort.
	ErrNoPurchases = errors.New("cohort: no purchases up to the observation end")
	// ErrBadOption reports an invalid option value.
	ErrBadOption = errors.New("cohort: bad option")
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
	// refunds must be finite; other kinds' amounts are not read.
	Amount []float64
}

// Len returns the number of events.
func (e Events) Len() int { return len(e.Customer) }

// RowError describes an event row that cannot be used. Row is the 0-based
// index into the Events columns.
type RowError struct {
	Row    int
	Column string // "customer", "kind" or "amount"
	Msg    string
}

func (e *RowError) Error() string {
	return fmt.Sprintf("cohort: event row %d, %s: %s", e.Row, e.Column, e.Msg)
}

// Unwrap returns ErrBadEvent.
func (e *RowError) Unwrap() error { return ErrBadEvent }

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
			return 0, 0, 0, &RowError{Row: i, Column: "customer", Msg: fmt.Sprintf("code %d is negative", c)}
		}
		if c > maxCustomer {
			maxCustomer = c
		}
		t := tm[i]
		maxTime = max(maxTime, t)
		minTime = min(minTime, t)
		switch k := kind[i]; k {
		case event.Purchase:
			if a := amt[i]; math.IsNaN(a) || math.IsInf(a, 0) {
				return 0, 0, 0, &RowError{Row: i, Column: "amount", Msg: fmt.Sprintf("purchase amount %v is not finite", a)}
			}
		case event.Refund:
			if a := amt[i]; math.IsNaN(a) || math.IsInf(a, 0) || a < 0 {
				return 0, 0, 0, &RowError{Row: i, Column: "amount", Msg: fmt.Sprintf("refund amount %v is not a finite non-negative number", a)}
			}
		default:
			if !k.Valid() {
				return 0, 0, 0, &RowError{Row: i, Column: "kind", Msg: fmt.Sprintf("unknown kind %d", uint8(k))}
			}
		}
	}
	return maxCustomer, minTime, maxTime, nil
}
