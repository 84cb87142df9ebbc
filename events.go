package valuekit

import (
	"errors"
	"fmt"
	"math"
	"time"
)

var errNotUTF8 = errors.New("is not valid UTF-8 (save the export as UTF-8)")

// Event times must fall in 1900-01-01 to 2100-12-31 (UTC): a date outside
// is almost always a placeholder or a typo (0001-01-01, 2999-12-31), which
// would make tenures of centuries. The readers report such a time as a bad
// row.
const (
	minMicros = -2208988800 * microsPerSecond // 1900-01-01
	maxMicros = 4133980800 * microsPerSecond  // 2101-01-01
)

const timeRangeReason = "is outside the supported time range 1900-01-01 to 2100-12-31"

// Events is a table of customer events, one row per event, held as columns.
// The slices returned by the accessors are the table's own storage: read
// them, do not modify them. Record exposes the same columns as an Arrow
// record.
//
// Amounts are normalised on reading: a refund always has kind Refund and a
// positive amount, whether the export wrote it that way or as a purchase
// with a negative amount.
type Events struct {
	dict     *Dictionary
	customer []int32
	time     []int64
	kind     []Kind
	amount   []float64
	cost     []float64 // nil when the input has no cost column
	quantity []float64 // nil when the input has no quantity column
	referred []int32   // nil when the input has no referred_id column; -1 = none
	score    []float64 // nil when the input has no score column
	hasScore []bool    // score present in the row (nil when score is nil)

	// Rows is the number of data rows read, good and bad.
	Rows int
	// BadRows lists the rows skipped with ReadOptions.SkipBadRows (up to
	// ReadOptions.MaxBadRows); BadRowCount counts all of them.
	BadRows     []*RowError
	BadRowCount int
}

// Len returns the number of events.
func (e *Events) Len() int { return len(e.customer) }

// Dictionary returns the customer-id dictionary of the customer and
// referred_id columns.
func (e *Events) Dictionary() *Dictionary { return e.dict }

// CustomerID returns the customer id of row i.
func (e *Events) CustomerID(i int) string { return e.dict.ID(e.customer[i]) }

// Customers returns each row's customer code in Dictionary.
func (e *Events) Customers() []int32 { return e.customer }

// Times returns each row's time in Unix microseconds, UTC.
func (e *Events) Times() []int64 { return e.time }

// Time returns the time of row i.
func (e *Events) Time(i int) time.Time { return time.UnixMicro(e.time[i]).UTC() }

// Kinds returns each row's kind.
func (e *Events) Kinds() []Kind { return e.kind }

// Amounts returns each row's amount (0 for rows without money).
func (e *Events) Amounts() []float64 { return e.amount }

// Costs returns each row's cost, or nil when the input has no cost column.
func (e *Events) Costs() []float64 { return e.cost }

// Quantities returns each row's quantity, or nil when the input has none.
func (e *Events) Quantities() []float64 { return e.quantity }

// Referred returns each row's referred customer code in Dictionary (-1 for
// none), or nil when the input has no referred_id column.
func (e *Events) Referred() []int32 { return e.referred }

// Scores returns each row's experience score and whether the row has one,
// or nil, nil when the input has no score column.
func (e *Events) Scores() ([]float64, []bool) { return e.score, e.hasScore }

// Event is one row of Events, for building tables by hand and for tests.
type Event struct {
	CustomerID string
	Time       time.Time
	Kind       Kind
	Amount     float64
	Cost       float64
	Quantity   float64
	ReferredID string   // for a referral: the customer brought in
	Score      *float64 // for feedback: the experience score, nil for none
}

// NewEvents builds an event table from rows, validating them as the readers
// do (a purchase with a negative amount becomes a refund). The cost,
// quantity, referred_id and score columns are present when any row sets them.
func NewEvents(rows []Event) (*Events, error) {
	var b eventBuilder
	b.init(NewDictionary())
	for _, r := range rows {
		if r.Cost != 0 {
			b.hasCost = true
		}
		if r.Quantity != 0 {
			b.hasQuantity = true
		}
		if r.ReferredID != "" {
			b.hasReferred = true
		}
		if r.Score != nil {
			b.hasScore = true
		}
	}
	for i, r := range rows {
		var score float64
		if r.Score != nil {
			score = *r.Score
		}
		err := b.addChecked(i+1, r.CustomerID, r.Time.UnixMicro(), r.Kind, r.Amount, r.Cost, r.Quantity, r.ReferredID, score, r.Score != nil)
		if err != nil {
			return nil, err
		}
	}
	return b.events(false), nil
}

// addChecked validates one row given by value, as NewEvents and
// NewEventsFromColumns take them, and appends it. row is 1-based.
func (b *eventBuilder) addChecked(row int, id string, us int64, kind Kind, amount, cost, quantity float64, referredID string, score float64, hasScore bool) error {
	if id == "" {
		return &RowError{File: "events", Row: row, Column: "customer_id", Reason: "is empty"}
	}
	if us < minMicros || us >= maxMicros {
		return &RowError{File: "events", Row: row, Column: "time", Value: time.UnixMicro(us).UTC().Format(time.RFC3339), Reason: timeRangeReason}
	}
	if !kind.Valid() {
		return &RowError{File: "events", Row: row, Column: "kind", Value: kind.String(), Reason: "is not a known kind"}
	}
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"amount", amount}, {"cost", cost}, {"quantity", quantity}, {"score", score}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return &RowError{File: "events", Row: row, Column: f.name, Value: fmt.Sprint(f.v), Reason: "is not a finite number"}
		}
	}
	c, err := b.dict.intern([]byte(id))
	if err != nil {
		return err
	}
	v := rowValues{customer: c, time: us, kind: kind, amount: amount, cost: cost, quantity: quantity, referred: -1, score: score, hasScore: hasScore}
	if referredID != "" {
		if v.referred, err = b.dict.intern([]byte(referredID)); err != nil {
			return err
		}
	}
	b.append(&v)
	return nil
}

// rowValues is one decoded row.
type rowValues struct {
	customer int32
	time     int64
	kind     Kind
	amount   float64
	cost     float64
	quantity float64
	referred int32
	score    float64
	hasScore bool
}

// eventBuilder appends decoded rows to plain slices.
type eventBuilder struct {
	dict                                        *Dictionary
	hasCost, hasQuantity, hasReferred, hasScore bool
	ev                                          Events
}

func (b *eventBuilder) init(d *Dictionary) {
	b.dict = d
	b.ev = Events{dict: d}
}

func (b *eventBuilder) append(v *rowValues) {
	e := &b.ev
	if v.kind == Purchase && v.amount < 0 {
		v.kind, v.amount = Refund, -v.amount
	} else if v.kind == Refund && v.amount < 0 {
		v.amount = -v.amount
	}
	e.customer = append(e.customer, v.customer)
	e.time = append(e.time, v.time)
	e.kind = append(e.kind, v.kind)
	e.amount = append(e.amount, v.amount)
	if b.hasCost {
		e.cost = append(e.cost, v.cost)
	}
	if b.hasQuantity {
		e.quantity = append(e.quantity, v.quantity)
	}
	if b.hasReferred {
		e.referred = append(e.referred, v.referred)
	}
	if b.hasScore {
		e.score = append(e.score, v.score)
		e.hasScore = append(e.hasScore, v.hasScore)
	}
}

// events returns the table built so far and starts a new one that shares
// the dictionary. With reuse, the new table reuses the storage of the
// returned one, which is then valid only until the next append.
func (b *eventBuilder) events(reuse bool) *Events {
	ev := b.ev
	ev.dict = b.dict
	if b.hasCost && ev.cost == nil {
		ev.cost = []float64{}
	}
	if b.hasQuantity && ev.quantity == nil {
		ev.quantity = []float64{}
	}
	if b.hasReferred && ev.referred == nil {
		ev.referred = []int32{}
	}
	if b.hasScore && ev.score == nil {
		ev.score, ev.hasScore = []float64{}, []bool{}
	}
	b.ev = Events{dict: b.dict}
	if reuse {
		b.recycle(&ev)
	}
	return &ev
}

// recycle makes the next table reuse the storage of ev, which must no
// longer be used.
func (b *eventBuilder) recycle(ev *Events) {
	b.ev.customer, b.ev.time, b.ev.kind, b.ev.amount = ev.customer[:0], ev.time[:0], ev.kind[:0], ev.amount[:0]
	b.ev.cost, b.ev.quantity, b.ev.referred = truncate(ev.cost), truncate(ev.quantity), truncate(ev.referred)
	b.ev.score, b.ev.hasScore = truncate(ev.score), truncate(ev.hasScore)
}

func truncate[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return s[:0]
}
