package valuekit

import (
	"fmt"
)

// EventColumns are events given column by column, as a service or a
// columnar store holds them: row i is CustomerID[i], Time[i], … . CustomerID
// and Time are required; every other column may be nil.
type EventColumns struct {
	CustomerID []string
	// Time is each event's time in Unix microseconds, UTC.
	Time []int64
	// Kind is each event's kind; nil means every event is a purchase.
	Kind []Kind
	// Amount is each event's money; nil means 0 (events without money).
	Amount []float64
	// Cost and Quantity are optional per-event columns.
	Cost, Quantity []float64
	// ReferredID names, for a referral, the customer brought in ("" for
	// none); nil when there are no referrals.
	ReferredID []string
	// Score is the experience score of feedback events. HasScore says which
	// rows have one; with Score set and HasScore nil, every row has one.
	Score    []float64
	HasScore []bool
}

// NewEventsFromColumns builds an event table from columns, validating every
// row as the readers and NewEvents do (errors are *RowError with 1-based
// rows, file "events"); a purchase with a negative amount becomes a refund.
// The columns are copied, never modified: the table owns its storage.
func NewEventsFromColumns(c EventColumns) (*Events, error) {
	n := len(c.CustomerID)
	for _, col := range [...]struct {
		name string
		len  int
		set  bool
	}{
		{"Time", len(c.Time), true},
		{"Kind", len(c.Kind), c.Kind != nil},
		{"Amount", len(c.Amount), c.Amount != nil},
		{"Cost", len(c.Cost), c.Cost != nil},
		{"Quantity", len(c.Quantity), c.Quantity != nil},
		{"ReferredID", len(c.ReferredID), c.ReferredID != nil},
		{"Score", len(c.Score), c.Score != nil},
		{"HasScore", len(c.HasScore), c.HasScore != nil},
	} {
		if col.set && col.len != n {
			return nil, fmt.Errorf("%w: EventColumns.%s has %d rows, CustomerID has %d", ErrOption, col.name, col.len, n)
		}
	}
	if c.HasScore != nil && c.Score == nil {
		return nil, fmt.Errorf("%w: EventColumns.HasScore is set without Score", ErrOption)
	}
	var b eventBuilder
	b.init(NewDictionary())
	b.hasCost, b.hasQuantity = c.Cost != nil, c.Quantity != nil
	b.hasReferred, b.hasScore = c.ReferredID != nil, c.Score != nil
	at := func(s []float64, i int) float64 {
		if s == nil {
			return 0
		}
		return s[i]
	}
	for i := range n {
		kind := Purchase
		if c.Kind != nil {
			kind = c.Kind[i]
		}
		var ref string
		if c.ReferredID != nil {
			ref = c.ReferredID[i]
		}
		has := c.Score != nil && (c.HasScore == nil || c.HasScore[i])
		score := 0.0
		if has {
			score = c.Score[i]
		}
		if err := b.addChecked(i+1, c.CustomerID[i], c.Time[i], kind, at(c.Amount, i), at(c.Cost, i), at(c.Quantity, i), ref, score, has); err != nil {
			return nil, err
		}
	}
	return b.events(false), nil
}
