package valuekit

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Money and scores are accumulated exactly, as integers of micro-units
// (1e-6), so that a summary does not depend on the order of the events or on
// how they were split into chunks: float sums would differ in the last bits.
const microUnits = 1e6

// maxMicroValue bounds a single amount so that its micro-units fit in int64
// with room for sums.
const maxMicroValue = 9e12

func toMicro(v float64) int64 { return int64(math.Round(v * microUnits)) }

func fromMicro(v int64) float64 { return float64(v) / microUnits }

// dayAmount is a customer's purchases on one calendar day.
type dayAmount struct {
	day    int32 // days since 1970-01-01, UTC
	amount int64 // micro-units
}

// Accumulator gathers per-customer state from events, in any order and in
// any number of pieces, and turns it into a Summary. Two accumulators with
// the same options can be merged: summarising chunks of events separately
// and merging gives exactly the summary of one pass, whatever the order of
// the events. It is the one code path behind Summarize, SummarizeFile and
// parallel or distributed summaries.
//
// Its memory grows with the customers and their distinct purchase days, not
// with the events. An Accumulator is not safe for concurrent use; give each
// goroutine its own and Merge them.
type Accumulator struct {
	opts   SummaryOptions
	end    int64 // last day included (days since epoch); math.MaxInt64 when open
	calEnd int64 // last calibration day; math.MaxInt64 when none
	maxDay int64 // latest event day seen (for the default end)
	dict   *Dictionary

	// per-customer state, indexed by code in dict
	seen       []bool
	days       [][]dayAmount // distinct purchase days up to end, sorted
	first      []int64       // first calibration purchase time, Unix µs
	last       []int64       // last calibration purchase time
	purchases  []int32       // calibration purchase events
	revenue    []int64       // calibration purchase amounts
	refunds    []int64
	cost       []int64
	quantity   []int64
	referrals  []int32
	referred   [][]int32
	shares     []int32
	scoreSum   []int64
	scoreCount []int32

	hasCost, hasQuantity, hasScore bool

	events   int // events taken into the summary
	afterEnd int // events left out because they are after the end

	remapDict *Dictionary // dictionary of the last table added
	remap     []int32     // its codes → codes in dict
}

// NewAccumulator returns an empty accumulator.
func NewAccumulator(opts *SummaryOptions) (*Accumulator, error) {
	a := &Accumulator{dict: NewDictionary(), end: math.MaxInt64, calEnd: math.MaxInt64, maxDay: math.MinInt64}
	if opts != nil {
		a.opts = *opts
	}
	if err := a.opts.validate(); err != nil {
		return nil, err
	}
	if !a.opts.End.IsZero() {
		a.end = dayOf(a.opts.End.UnixMicro())
	}
	if !a.opts.CalibrationEnd.IsZero() {
		a.calEnd = dayOf(a.opts.CalibrationEnd.UnixMicro())
	}
	return a, nil
}

// code returns the accumulator's code for customer id, adding it when new.
func (a *Accumulator) code(id string) int32 {
	if c, ok := a.dict.index[id]; ok {
		return c
	}
	c := int32(len(a.dict.ids))
	a.dict.ids = append(a.dict.ids, id)
	a.dict.index[id] = c
	a.grow()
	return c
}

func (a *Accumulator) grow() {
	a.seen = append(a.seen, false)
	a.days = append(a.days, nil)
	a.first = append(a.first, math.MaxInt64)
	a.last = append(a.last, math.MinInt64)
	a.purchases = append(a.purchases, 0)
	a.revenue = append(a.revenue, 0)
	a.refunds = append(a.refunds, 0)
	a.cost = append(a.cost, 0)
	a.quantity = append(a.quantity, 0)
	a.referrals = append(a.referrals, 0)
	a.referred = append(a.referred, nil)
	a.shares = append(a.shares, 0)
	a.scoreSum = append(a.scoreSum, 0)
	a.scoreCount = append(a.scoreCount, 0)
}

// mapCodes returns the table of ev's dictionary codes to the accumulator's.
func (a *Accumulator) mapCodes(d *Dictionary) []int32 {
	if a.remapDict != d {
		a.remapDict, a.remap = d, a.remap[:0]
	}
	for i := len(a.remap); i < d.Len(); i++ {
		a.remap = append(a.remap, a.code(d.ids[i]))
	}
	return a.remap
}

// Add takes the events of ev into the accumulator. Events after the end are
// counted and left out. It returns an error, naming the row, for an amount
// too large to sum exactly (above 9e12).
func (a *Accumulator) Add(ev *Events) error {
	remap := a.mapCodes(ev.dict)
	if ev.cost != nil {
		a.hasCost = true
	}
	if ev.quantity != nil {
		a.hasQuantity = true
	}
	if ev.score != nil {
		a.hasScore = true
	}
	for i, t := range ev.time {
		day := dayOf(t)
		if day > a.end {
			a.afterEnd++
			continue
		}
		amt := ev.amount[i]
		if amt > maxMicroValue || amt < -maxMicroValue {
			return fmt.Errorf("%w: event %d of customer %q: amount %g is too large to sum exactly (limit 9e12)", ErrBadRow, i+1, ev.CustomerID(i), amt)
		}
		if day > a.maxDay {
			a.maxDay = day
		}
		a.events++
		c := remap[ev.customer[i]]
		a.seen[c] = true
		m := toMicro(amt)
		kind := ev.kind[i]
		if kind == Purchase {
			a.days[c] = addDay(a.days[c], int32(day), m)
		}
		if day > a.calEnd {
			continue // holdout: only purchase days are kept
		}
		switch kind {
		case Purchase:
			a.purchases[c]++
			a.revenue[c] += m
			if t < a.first[c] {
				a.first[c] = t
			}
			if t > a.last[c] {
				a.last[c] = t
			}
			if ev.cost != nil {
				a.cost[c] += toMicro(ev.cost[i])
			}
			if ev.quantity != nil {
				a.quantity[c] += toMicro(ev.quantity[i])
			}
		case Refund:
			a.refunds[c] += m
		case Referral:
			a.referrals[c]++
			if ev.referred != nil && ev.referred[i] >= 0 {
				a.referred[c] = append(a.referred[c], remap[ev.referred[i]])
			}
		case Share:
			a.shares[c]++
		}
		if ev.hasScore != nil && ev.hasScore[i] {
			a.scoreSum[c] += toMicro(ev.score[i])
			a.scoreCount[c]++
		}
	}
	return nil
}

// addDay adds amount m on day d to a sorted list of purchase days.
func addDay(ds []dayAmount, d int32, m int64) []dayAmount {
	n := len(ds)
	if n == 0 || ds[n-1].day < d {
		return append(ds, dayAmount{d, m})
	}
	if ds[n-1].day == d {
		ds[n-1].amount += m
		return ds
	}
	i, found := slices.BinarySearchFunc(ds, d, func(x dayAmount, d int32) int { return int(x.day) - int(d) })
	if found {
		ds[i].amount += m
		return ds
	}
	return slices.Insert(ds, i, dayAmount{d, m})
}

// Merge adds the state of b into a. Both must have been made with the same
// options; b is not changed.
func (a *Accumulator) Merge(b *Accumulator) error {
	if a.end != b.end || a.calEnd != b.calEnd {
		return fmt.Errorf("%w: merging accumulators with different end or calibration end", ErrOption)
	}
	remap := make([]int32, b.dict.Len())
	for i, id := range b.dict.ids {
		remap[i] = a.code(id)
	}
	for j := range b.dict.ids {
		c := remap[j]
		a.seen[c] = a.seen[c] || b.seen[j]
		for _, d := range b.days[j] {
			a.days[c] = addDay(a.days[c], d.day, d.amount)
		}
		a.first[c] = min(a.first[c], b.first[j])
		a.last[c] = max(a.last[c], b.last[j])
		a.purchases[c] += b.purchases[j]
		a.revenue[c] += b.revenue[j]
		a.refunds[c] += b.refunds[j]
		a.cost[c] += b.cost[j]
		a.quantity[c] += b.quantity[j]
		a.referrals[c] += b.referrals[j]
		for _, r := range b.referred[j] {
			a.referred[c] = append(a.referred[c], remap[r])
		}
		a.shares[c] += b.shares[j]
		a.scoreSum[c] += b.scoreSum[j]
		a.scoreCount[c] += b.scoreCount[j]
	}
	a.hasCost = a.hasCost || b.hasCost
	a.hasQuantity = a.hasQuantity || b.hasQuantity
	a.hasScore = a.hasScore || b.hasScore
	a.maxDay = max(a.maxDay, b.maxDay)
	a.events += b.events
	a.afterEnd += b.afterEnd
	return nil
}

// Summary returns the summary of everything added so far. The accumulator
// may be added to and summarised again afterwards.
func (a *Accumulator) Summary() (*Summary, error) {
	endDay := a.end
	if endDay == math.MaxInt64 {
		if a.maxDay == math.MinInt64 {
			return nil, fmt.Errorf("%w: no events to summarise", ErrEmpty)
		}
		endDay = a.maxDay
	}
	calDay := min(a.calEnd, endDay)
	holdout := a.calEnd != math.MaxInt64
	unit := a.opts.Unit.Days()

	order := make([]int32, 0, len(a.seen))
	for c, ok := range a.seen {
		if ok {
			order = append(order, int32(c))
		}
	}
	ids := a.dict.ids
	slices.SortFunc(order, func(x, y int32) int { return compareIDs(ids[x], ids[y]) })

	n := len(order)
	s := newSummary(n, a, holdout)
	s.Unit = a.opts.Unit
	s.End = time.UnixMicro(endDay * microsPerDay).UTC()
	if holdout {
		s.CalibrationEnd = time.UnixMicro(calDay * microsPerDay).UTC()
	}
	s.Events, s.AfterEnd = a.events, a.afterEnd
	margin := a.opts.Margin
	for i, c := range order {
		s.CustomerID[i] = ids[c]
		var cal, hold []dayAmount
		ds := a.days[c]
		k, _ := slices.BinarySearchFunc(ds, int32(calDay)+1, func(x dayAmount, d int32) int { return int(x.day) - int(d) })
		cal, hold = ds[:k], ds[k:]
		if len(cal) > 0 {
			s.FirstPurchase[i] = a.first[c]
			s.LastPurchase[i] = a.last[c]
			s.Frequency[i] = float64(len(cal) - 1)
			s.Recency[i] = float64(cal[len(cal)-1].day-cal[0].day) / unit
			s.T[i] = float64(calDay-int64(cal[0].day)) / unit
			if len(cal) > 1 {
				var rep int64
				for _, d := range cal[1:] {
					rep += d.amount
				}
				s.MonetaryValue[i] = fromMicro(rep) / float64(len(cal)-1)
			}
		}
		s.Purchases[i] = a.purchases[c]
		s.Revenue[i] = fromMicro(a.revenue[c])
		s.Refunds[i] = fromMicro(a.refunds[c])
		s.NetRevenue[i] = fromMicro(a.revenue[c] - a.refunds[c])
		switch {
		case a.hasCost:
			s.Cost[i] = fromMicro(a.cost[c])
			s.Profit[i] = fromMicro(a.revenue[c] - a.refunds[c] - a.cost[c])
		case margin > 0:
			s.Profit[i] = fromMicro(a.revenue[c]-a.refunds[c]) * margin
		}
		if a.hasQuantity {
			s.Quantity[i] = fromMicro(a.quantity[c])
		}
		s.Referrals[i] = a.referrals[c]
		if r := a.referred[c]; len(r) > 0 {
			names := make([]string, 0, len(r))
			for _, x := range r {
				names = append(names, ids[x])
			}
			slices.SortFunc(names, compareIDs)
			s.Referred[i] = slices.Compact(names)
		}
		s.Shares[i] = a.shares[c]
		if a.scoreCount[c] > 0 {
			s.Experience[i] = fromMicro(a.scoreSum[c]) / float64(a.scoreCount[c])
			s.ExperienceCount[i] = a.scoreCount[c]
		}
		if holdout {
			var rev int64
			for _, d := range hold {
				rev += d.amount
			}
			s.HoldoutFrequency[i] = float64(len(hold))
			s.HoldoutRevenue[i] = fromMicro(rev)
		}
	}
	return s, nil
}

// compareIDs orders customer ids naturally: ids made only of digits by
// their number (so "2" comes before "10"), before all others, which are in
// byte order.
func compareIDs(x, y string) int {
	dx, dy := allDigits(x), allDigits(y)
	switch {
	case dx && dy:
		tx, ty := trimZeros(x), trimZeros(y)
		if len(tx) != len(ty) {
			return len(tx) - len(ty)
		}
		if tx != ty {
			if tx < ty {
				return -1
			}
			return 1
		}
	case dx:
		return -1
	case dy:
		return 1
	}
	if x < y {
		return -1
	} else if x > y {
		return 1
	}
	return 0
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
