package valuekit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
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

// customerState is what an Accumulator keeps of one customer. The fields an
// event of any kind touches come first, to share a cache line.
type customerState struct {
	days      []int32 // distinct purchase days up to the end (days since 1970-01-01), sorted
	first     int64   // first calibration purchase time, Unix µs
	last      int64   // last calibration purchase time
	revenue   int64   // calibration purchase amounts, micro-units
	firstDay  int32   // earliest calibration purchase day
	purchases int32   // calibration purchase events
	firstAmt  int64   // purchase amounts on firstDay, micro-units
	seen      bool    // has an event up to the end

	holdoutRevenue                    int64
	refunds, cost, quantity, scoreSum int64
	referrals, shares, scoreCount     int32
	referred                          []int32
}

// addFirstDay folds amount m on day d into the earliest-day running state.
func (cs *customerState) addFirstDay(d int32, m int64) {
	switch {
	case cs.purchases == 0 || d < cs.firstDay:
		cs.firstDay, cs.firstAmt = d, m
	case d == cs.firstDay:
		cs.firstAmt += m
	}
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

	// per-customer state, indexed by code in dict, in pages so that
	// growing never copies it
	pages [][]customerState
	n     int // customers with state

	// shared is set while dict is the dictionary of the events added (the
	// common case of one reader): codes then need no mapping. The
	// accumulator never adds to a dictionary it shares; it copies it first.
	shared bool

	hasCost, hasQuantity, hasScore bool

	events   int // events taken into the summary
	afterEnd int // events left out because they are after the end

	slab []int32 // storage for new customers' day lists (newDays)

	remapDict *Dictionary // dictionary (origin) of the last table added
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

const pageBits = 12

// cust returns the state of customer c.
func (a *Accumulator) cust(c int32) *customerState {
	return &a.pages[c>>pageBits][c&(1<<pageBits-1)]
}

// growTo makes room for state of customers 0..n-1.
func (a *Accumulator) growTo(n int) {
	for a.n < n {
		p := a.n >> pageBits
		if p == len(a.pages) {
			a.pages = append(a.pages, make([]customerState, 1<<pageBits))
		}
		a.pages[p][a.n&(1<<pageBits-1)] = customerState{first: math.MaxInt64, last: math.MinInt64}
		a.n++
	}
}

// code returns the accumulator's code for customer id, adding it when new.
func (a *Accumulator) code(id string) int32 {
	if a.shared && a.dict.root != nil {
		a.unshare() // a snapshot has no lookup table
	}
	if c, ok := a.dict.Code(id); ok && int(c) < a.n {
		return c
	}
	if a.shared {
		a.unshare()
	}
	c := a.dict.add(id)
	a.growTo(a.dict.Len())
	return c
}

// unshare replaces a shared dictionary by a copy of its first a.n ids.
func (a *Accumulator) unshare() {
	if a.remapDict == a.dict.origin() {
		a.remapDict = nil
	}
	a.dict, a.shared = a.dict.clone(a.n), false
}

// mapCodes returns the table of d's codes to the accumulator's.
func (a *Accumulator) mapCodes(d *Dictionary) []int32 {
	origin := d.origin()
	if a.n == 0 && !a.shared && a.dict.Len() == 0 {
		a.dict, a.shared = d, true
	}
	if a.remapDict != origin {
		a.remapDict, a.remap = origin, a.remap[:0]
	}
	if a.shared && a.dict.origin() == origin {
		if d.Len() > a.dict.Len() {
			a.dict = d // a later snapshot of the same dictionary
		}
		a.growTo(d.Len())
		for i := len(a.remap); i < d.Len(); i++ {
			a.remap = append(a.remap, int32(i))
		}
		return a.remap
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
		cs := a.cust(remap[ev.customer[i]])
		cs.seen = true
		m := toMicro(amt)
		kind := ev.kind[i]
		if kind == Purchase {
			if cs.days == nil {
				cs.days = a.newDays()
			}
			cs.days = addDay(cs.days, int32(day))
		}
		if day > a.calEnd {
			if kind == Purchase {
				cs.holdoutRevenue += m
			}
			continue // holdout: only purchases count
		}
		switch kind {
		case Purchase:
			cs.addFirstDay(int32(day), m)
			cs.purchases++
			cs.revenue += m
			cs.first = min(cs.first, t)
			cs.last = max(cs.last, t)
			if ev.cost != nil {
				cs.cost += toMicro(ev.cost[i])
			}
			if ev.quantity != nil {
				cs.quantity += toMicro(ev.quantity[i])
			}
		case Refund:
			cs.refunds += m
		case Referral:
			cs.referrals++
			if ev.referred != nil && ev.referred[i] >= 0 {
				cs.referred = append(cs.referred, remap[ev.referred[i]])
			}
		case Share:
			cs.shares++
		}
		if ev.hasScore != nil && ev.hasScore[i] {
			cs.scoreSum += toMicro(ev.score[i])
			cs.scoreCount++
		}
	}
	return nil
}

// newDays returns an empty day list with room for 4 days, carved from a
// shared slab so that a customer's first purchase costs no allocation.
func (a *Accumulator) newDays() []int32 {
	const per, slab = 4, 4 << 12
	if len(a.slab) < per {
		a.slab = make([]int32, slab)
	}
	d := a.slab[:0:per]
	a.slab = a.slab[per:]
	return d
}

// addDay adds day d to a sorted list of distinct days.
func addDay(ds []int32, d int32) []int32 {
	n := len(ds)
	if n > 0 && ds[n-1] == d {
		return ds
	}
	if n == 0 || ds[n-1] < d {
		if n == cap(ds) {
			nd := make([]int32, n, max(4, 2*n))
			copy(nd, ds)
			ds = nd
		}
		return append(ds, d)
	}
	i, found := slices.BinarySearch(ds, d)
	if found {
		return ds
	}
	return slices.Insert(ds, i, d)
}

// Merge adds the state of b into a. Both must have been made with the same
// options; b is not changed.
func (a *Accumulator) Merge(b *Accumulator) error {
	if a.end != b.end || a.calEnd != b.calEnd {
		return fmt.Errorf("%w: merging accumulators with different end or calibration end", ErrOption)
	}
	remap := make([]int32, b.n)
	for i, id := range b.dict.ids[:b.n] {
		remap[i] = a.code(id)
	}
	for j := range b.n {
		x, y := a.cust(remap[j]), b.cust(int32(j))
		x.seen = x.seen || y.seen
		for _, d := range y.days {
			x.days = addDay(x.days, d)
		}
		if y.purchases > 0 {
			x.addFirstDay(y.firstDay, y.firstAmt)
		}
		x.holdoutRevenue += y.holdoutRevenue
		x.first = min(x.first, y.first)
		x.last = max(x.last, y.last)
		x.purchases += y.purchases
		x.revenue += y.revenue
		x.refunds += y.refunds
		x.cost += y.cost
		x.quantity += y.quantity
		x.referrals += y.referrals
		for _, r := range y.referred {
			x.referred = append(x.referred, remap[r])
		}
		x.shares += y.shares
		x.scoreSum += y.scoreSum
		x.scoreCount += y.scoreCount
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

	order := make([]int32, 0, a.n)
	for c := range int32(a.n) {
		if a.cust(c).seen {
			order = append(order, c)
		}
	}
	ids := a.dict.ids
	sortIDs(order, ids)

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
		cs := a.cust(c)
		s.CustomerID[i] = ids[c]
		ds := cs.days
		k := len(ds)
		for k > 0 && int64(ds[k-1]) > calDay {
			k--
		}
		cal, hold := ds[:k], ds[k:]
		if len(cal) > 0 {
			s.FirstPurchase[i] = cs.first
			s.LastPurchase[i] = cs.last
			s.Frequency[i] = float64(len(cal) - 1)
			s.Recency[i] = float64(cal[len(cal)-1]-cal[0]) / unit
			s.T[i] = float64(calDay-int64(cal[0])) / unit
			if len(cal) > 1 {
				s.MonetaryValue[i] = fromMicro(cs.revenue-cs.firstAmt) / float64(len(cal)-1)
			}
		}
		s.Purchases[i] = cs.purchases
		s.Revenue[i] = fromMicro(cs.revenue)
		s.Refunds[i] = fromMicro(cs.refunds)
		s.NetRevenue[i] = fromMicro(cs.revenue - cs.refunds)
		switch {
		case a.hasCost:
			s.Cost[i] = fromMicro(cs.cost)
			s.Profit[i] = fromMicro(cs.revenue - cs.refunds - cs.cost)
		case margin > 0:
			s.Profit[i] = fromMicro(cs.revenue-cs.refunds) * margin
		}
		if a.hasQuantity {
			s.Quantity[i] = fromMicro(cs.quantity)
		}
		s.Referrals[i] = cs.referrals
		if r := cs.referred; len(r) > 0 {
			names := make([]string, 0, len(r))
			for _, x := range r {
				names = append(names, ids[x])
			}
			slices.SortFunc(names, compareIDs)
			s.Referred[i] = slices.Compact(names)
		}
		s.Shares[i] = cs.shares
		if cs.scoreCount > 0 {
			s.Experience[i] = fromMicro(cs.scoreSum) / float64(cs.scoreCount)
			s.ExperienceCount[i] = cs.scoreCount
		}
		if holdout {
			s.HoldoutFrequency[i] = float64(len(hold))
			s.HoldoutRevenue[i] = fromMicro(cs.holdoutRevenue)
		}
	}
	return s, nil
}

// sortIDs sorts the codes in order by compareIDs of their ids, computing
// each id's numeric key once.
func sortIDs(order []int32, ids []string) {
	type key struct {
		num  uint64 // value of an all-digit id of at most 19 digits
		kind int8   // 0: short numeric, 1: other
		code int32
	}
	keys := make([]key, len(order))
	for i, c := range order {
		id := ids[c]
		keys[i] = key{kind: 1, code: c}
		if t := trimZeros(id); allDigits(id) && len(t) <= 19 {
			n, _ := strconv.ParseUint(t, 10, 64)
			keys[i] = key{num: n, code: c}
		}
	}
	slices.SortFunc(keys, func(x, y key) int {
		if x.kind == 0 && y.kind == 0 {
			if x.num != y.num {
				if x.num < y.num {
					return -1
				}
				return 1
			}
		}
		return compareIDs(ids[x.code], ids[y.code])
	})
	for i, k := range keys {
		order[i] = k.code
	}
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
