package customers

import (
	"time"

	"github.com/valuekit/valuekit/event"
)

// Summary is the per-customer table: one row per customer with at least one
// event up to the end, ordered by customer id (numeric ids by number). Every
// column is a plain slice of the same length, indexed by row.
//
// With a calibration end, every column except the holdout ones describes the
// calibration period; customers whose first purchase falls in the holdout
// period have Purchases = 0. A customer without a purchase in the period has
// Frequency, Recency, T and MonetaryValue 0 and no first or last purchase.
type Summary struct {
	// Unit is the unit of Recency and T (and of a model fitted to them).
	Unit event.Unit
	// UnitAssumed says Unit was not known but assumed: a summary file
	// without a unit column (see valuekit.ReadSummaryFile). Summaries
	// built from events know their unit.
	UnitAssumed bool
	// Discrete says T counts opportunities — the periods of a
	// discrete-time summary such as BG/BB's — rather than time since the
	// first purchase.
	Discrete       bool
	End            time.Time // last day observed
	CalibrationEnd time.Time // zero when there is no holdout period
	Events         int       // events summarised
	AfterEnd       int       // events left out because they are after End
	BadRows        int       // rows skipped as bad while reading (SummarizeFile)

	CustomerID []string
	// FirstPurchase and LastPurchase are Unix microseconds, UTC; valid where
	// Purchases > 0 (use FirstPurchaseTime for a time.Time).
	FirstPurchase, LastPurchase []int64
	// Frequency is the number of repeat purchase periods: distinct purchase
	// days − 1.
	Frequency []float64
	// Recency is the time from the first to the last purchase day, in Unit.
	Recency []float64
	// T is the time from the first purchase day to the end (the calibration
	// end when there is one), in Unit.
	T []float64
	// MonetaryValue is the mean value of the repeat purchase days (0 when
	// Frequency is 0), the convention of the BTYD literature.
	MonetaryValue []float64
	// Purchases is the number of purchase events.
	Purchases []int32
	// Revenue is the sum of purchase amounts, Refunds the sum of refunds,
	// NetRevenue their difference.
	Revenue, Refunds, NetRevenue []float64
	// Cost is the sum of the cost column over purchases (nil without one).
	Cost []float64
	// Profit is NetRevenue − Cost with a cost column, NetRevenue × Margin
	// with a margin, and nil otherwise.
	Profit []float64
	// Quantity is the sum of the quantity column over purchases (nil
	// without one).
	Quantity []float64
	// Referrals counts referral events; Referred lists the distinct customers
	// referred, in id order — nil when no event names a referred customer
	// (use ReferredOf).
	Referrals []int32
	Referred  [][]string
	// Shares counts share events.
	Shares []int32
	// Experience is the mean score of the customer's events with a score;
	// ExperienceCount how many there were (Experience is 0 when none). Both
	// are nil when the events had no score column (use ExperienceOf).
	// Summaries of millions of customers without referrals or scores save
	// 36 bytes per customer, and the garbage collector a slice header each.
	Experience      []float64
	ExperienceCount []int32
	// Weights, when not nil, gives the number of identical customers each
	// row stands for (summary files may collapse customers); nil means 1.
	Weights []float64
	// HoldoutFrequency is the number of distinct purchase days and
	// HoldoutRevenue the purchase amounts after the calibration end (both nil
	// without a calibration end).
	HoldoutFrequency, HoldoutRevenue []float64
}

// Len returns the number of customers.
func (s *Summary) Len() int { return len(s.CustomerID) }

// FirstPurchaseTime returns customer i's first purchase time, and false when
// the customer made no purchase in the period.
func (s *Summary) FirstPurchaseTime(i int) (time.Time, bool) {
	if s.Purchases[i] == 0 {
		return time.Time{}, false
	}
	return time.UnixMicro(s.FirstPurchase[i]).UTC(), true
}

// LastPurchaseTime returns customer i's last purchase time, and false when
// the customer made no purchase in the period.
func (s *Summary) LastPurchaseTime(i int) (time.Time, bool) {
	if s.Purchases[i] == 0 {
		return time.Time{}, false
	}
	return time.UnixMicro(s.LastPurchase[i]).UTC(), true
}

// ReferredOf returns the customers row i referred, nil for none (and for
// every row when Referred is nil).
func (s *Summary) ReferredOf(i int) []string {
	if s.Referred == nil {
		return nil
	}
	return s.Referred[i]
}

// ExperienceOf returns row i's mean feedback score and how many scores it
// has: 0, 0 when it has none (and for every row when Experience is nil).
func (s *Summary) ExperienceOf(i int) (float64, int32) {
	if s.ExperienceCount == nil {
		return 0, 0
	}
	return s.Experience[i], s.ExperienceCount[i]
}
