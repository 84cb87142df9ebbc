package valuekit

import (
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/internal/parallel"
)

// Money and scores are accumulated exactly, as integers of micro-units
// (1e-6), so that a summary does not depend on the order of the events or on
// how they were split into chunks: float sums would differ in the last bits.
const microUnits = 1e6

// maxMicroValue bounds a single amount so that its micro-units fit in int64
// with room for sums (event.MaxAmount).
const maxMicroValue = event.MaxAmount

// tooLarge reports whether amount is beyond maxMicroValue: the readers
// refuse such an amount, cost, quantity or score in a row (with its file,
// row, column and value, so that SkipBadRows skips it, and every command,
// cohorts included, is spared it; all four are summed in micro-units).
func tooLarge(amount float64) bool { return amount > maxMicroValue || amount < -maxMicroValue }

const tooLargeReason = "is too large to sum exactly (at most 9e12 in absolute value)"

func toMicro(v float64) int64 { return int64(math.Round(v * microUnits)) }

func fromMicro(v int64) float64 { return float64(v) / microUnits }

// customerState is what an Accumulator keeps of every customer, 64 bytes
// without pointers, so that a million customers are a few pages the
// garbage collector need not scan. Sums that many files do not have
// (refunds, cost, quantity, scores, referrals, shares, holdout revenue) are
// kept in side columns allocated on first use, and day lists longer than
// inlineDays, and referred customers, in the customer's overflow record.
type customerState struct {
	first, last int64 // first and last calibration purchase time, Unix µs; set when purchases > 0
	revenue     int64 // calibration purchase amounts, micro-units
	firstAmt    int64 // purchase amounts on firstDay, micro-units
	firstDay    int32 // earliest calibration purchase day
	purchases   int32 // calibration purchase events
	// days are the distinct purchase days up to the end (days since
	// 1970-01-01), sorted, while there are at most inlineDays of them;
	// beyond, all of them are in the overflow record.
	days  [inlineDays]int32
	nDays int32 // distinct purchase days
	more  int32 // 1 + index of the customer's overflow record in Accumulator.more; 0 for none
	seen  bool  // has an event up to the end
}

const inlineDays = 3

// customerMore is the overflow record of a customer with more than
// inlineDays purchase days or with referrals. Its lists live in the
// accumulator's pool: the records hold no pointers.
type customerMore struct {
	days     poolList // all distinct purchase days, sorted, when more than inlineDays
	referred poolList // codes of the customers referred
}

// poolList is a list of int32 in an int32Pool: n values at ref, room for cap.
type poolList struct {
	ref    uint64
	n, cap int32
}

// int32Pool holds the overflow lists of an accumulator in pages of
// poolPage values (a longer list gets a page of its own). A list that
// outgrows its room moves to twice the room, leaving the old room unused:
// the unused rooms add up to less than the lists.
type int32Pool struct {
	pages [][]int32
	page  []int32 // the page being filled, pages[cur]; nil for none
	cur   int
	used  int // values taken in it
}

const poolPage = 1 << 16

// alloc returns the reference of room for n values.
func (p *int32Pool) alloc(n int) uint64 {
	if n > poolPage/4 {
		p.pages = append(p.pages, make([]int32, n))
		return uint64(len(p.pages)-1) << 32
	}
	if p.page == nil || p.used+n > len(p.page) {
		p.page = make([]int32, poolPage)
		p.pages = append(p.pages, p.page)
		p.cur, p.used = len(p.pages)-1, 0
	}
	ref := uint64(p.cur)<<32 | uint64(p.used)
	p.used += n
	return ref
}

// at returns the n values at ref.
func (p *int32Pool) at(ref uint64, n int32) []int32 {
	off := uint32(ref)
	return p.pages[ref>>32][off : off+uint32(n) : off+uint32(n)]
}

// list returns the values of l.
func (p *int32Pool) list(l poolList) []int32 {
	if l.n == 0 {
		return nil
	}
	return p.at(l.ref, l.n)
}

// room returns the values of l with room for one more after them.
func (p *int32Pool) room(l *poolList) []int32 {
	if l.n == l.cap {
		c := max(2*l.cap, 2*inlineDays)
		ref := p.alloc(int(c))
		copy(p.at(ref, c), p.list(*l))
		l.ref, l.cap = ref, c
	}
	return p.at(l.ref, l.cap)[:l.n]
}

// push appends v to l.
func (p *int32Pool) push(l *poolList, v int32) {
	s := p.room(l)
	s = s[:l.n+1]
	s[l.n] = v
	l.n++
}

// insertDay adds day d to the sorted distinct days of l.
func (p *int32Pool) insertDay(l *poolList, d int32) {
	ds := p.list(*l)
	n := len(ds)
	if n > 0 && ds[n-1] == d {
		return
	}
	i, found := slices.BinarySearch(ds, d)
	if found {
		return
	}
	s := p.room(l)[:n+1]
	copy(s[i+1:], s[i:n])
	s[i] = d
	l.n++
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

// addPurchaseTime folds a calibration purchase at t into first and last.
func (cs *customerState) addPurchaseTime(first, last int64) {
	if cs.purchases == 0 {
		cs.first, cs.last = first, last
		return
	}
	cs.first = min(cs.first, first)
	cs.last = max(cs.last, last)
}

// sideColumn is a per-customer sum, indexed by code, in pages allocated on
// first use: a file without the column costs nothing per customer.
type sideColumn[T int32 | int64] struct {
	pages [][]T
}

// at returns the sum of customer c, for adding to.
func (s *sideColumn[T]) at(c int32) *T {
	p := int(c >> pageBits)
	if p >= len(s.pages) {
		s.pages = append(s.pages, make([][]T, p+1-len(s.pages))...)
	}
	if s.pages[p] == nil {
		s.pages[p] = make([]T, 1<<pageBits)
	}
	return &s.pages[p][c&(1<<pageBits-1)]
}

// get returns the sum of customer c.
func (s *sideColumn[T]) get(c int32) T {
	p := int(c >> pageBits)
	if p >= len(s.pages) || s.pages[p] == nil {
		return 0
	}
	return s.pages[p][c&(1<<pageBits-1)]
}

// addTo adds the sums of b's customers j < n to a's customers remap[j].
func (s *sideColumn[T]) addTo(a *sideColumn[T], remap []int32) {
	for p, page := range s.pages {
		if page == nil {
			continue
		}
		lo := p << pageBits
		for k, v := range page[:min(len(page), len(remap)-lo)] {
			if v != 0 {
				*a.at(remap[lo+k]) += v
			}
		}
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
	// expect is how many more ids a merge in progress may add (to size a
	// dictionary copy).
	expect int

	// per-customer state, indexed by code in dict, in pages so that
	// growing never copies it
	pages [][]customerState
	n     int              // customers with state
	more  [][]customerMore // in pages of 1<<pageBits, so that growing never copies them
	nMore int
	pool  int32Pool // the lists of the more records

	// sums that not every file has (see customerState)
	holdoutRevenue, refunds, cost, quantity, scoreSum sideColumn[int64]
	referrals, shares, scoreCount                     sideColumn[int32]

	// shared is set while dict is the dictionary of the events added (the
	// common case of one reader): codes then need no mapping. The
	// accumulator never adds to a dictionary it shares; it copies it first.
	shared bool

	hasCost, hasQuantity, hasScore bool
	hasReferred                    bool // some referral named a referred customer

	events   int // events taken into the summary
	afterEnd int // events left out because they are after the end

	remapDict *Dictionary     // dictionary (origin) of the last table added
	remap     []int32         // its codes → codes in dict
	rowsDict  *Dictionary     // dictionary (origin) of the last table AddRows took rows of
	rowsCodes map[int32]int32 // its codes met so far → codes in dict
	rowsCust  []int32         // AddRows: the code in dict of each row's customer, reused
	rowsRef   []int32         // and of its referred customer (-1 for none)
	batchMap  []int32         // addBatchRows: a batch's codes → codes in dict (-1: not met yet), reused
	// dense, when not nil, maps integer ids to their codes: addBatchRows
	// finds the customers of files with integer ids in a known, dense
	// range without hashing (addParquetSplit).
	dense *denseTable
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

// growTo makes room for state of customers 0..n-1. The zero state is that
// of a customer without events.
func (a *Accumulator) growTo(n int) {
	for a.n < n {
		p := a.n >> pageBits
		if p == len(a.pages) {
			a.pages = append(a.pages, make([]customerState, 1<<pageBits))
		}
		a.n = min(n, (p+1)<<pageBits)
	}
}

// code returns the accumulator's code for customer id, adding it when new.
func (a *Accumulator) code(id string) int32 {
	if !a.shared {
		c := a.dict.add(id)
		a.growTo(a.dict.Len())
		return c
	}
	if a.dict.root != nil {
		a.unshare() // a snapshot has no lookup table
	} else if c, ok := a.dict.Code(id); ok && int(c) < a.n {
		return c
	} else {
		a.unshare()
	}
	c := a.dict.add(id)
	a.growTo(a.dict.Len())
	return c
}

// own makes the accumulator the owner of the dictionary it shares with a
// reader that will add no more ids, so that merging adds to it instead of
// copying it first.
func (a *Accumulator) own() {
	if a.shared && a.dict.root == nil && a.dict.Len() == a.n {
		a.shared = false
		a.remapDict, a.remap = nil, a.remap[:0]
	}
}

// unshare replaces a shared dictionary by a copy of its first a.n ids.
func (a *Accumulator) unshare() {
	if a.remapDict == a.dict.origin() {
		a.remapDict = nil
	}
	a.dict, a.shared = a.dict.clone(a.n, a.n+a.expect), false
}

// dropLookup frees the id lookup table of an accumulator that will take
// no more events (SummarizeReader's, before building the summary): the
// summary needs only the ids, and the table is a quarter of the
// accumulator's memory.
func (a *Accumulator) dropLookup() {
	if !a.shared && a.dict.root == nil {
		a.dict.slots = nil
	}
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
			a.remap = appendDoubling(a.remap, int32(i))
		}
		return a.remap
	}
	for i := len(a.remap); i < d.Len(); i++ {
		a.remap = append(a.remap, a.code(d.ID(int32(i))))
	}
	return a.remap
}

// Add takes the events of ev into the accumulator. Events after the end are
// counted and left out. It returns an error, naming the row, for an amount
// too large to sum exactly (above 9e12); the batch is then not applied at
// all, so the accumulator is as it was.
func (a *Accumulator) Add(ev *Events) error {
	for i := range ev.time {
		if err := a.checkAmount(ev, i); err != nil {
			return err
		}
	}
	a.addEvents(ev, nil, a.mapCodes(ev.dict))
	return nil
}

// AddRows takes the events of ev at rows (indexes into ev, in any order;
// a row given twice counts twice) into the accumulator, as Add takes all of
// them: a router that shares a table's events out by customer adds each
// share without copying it into a table of its own. Only the customers of
// those rows, and the customers they referred, enter the accumulator. An
// error — a row out of range, an amount too large to sum exactly — leaves
// the accumulator as it was.
func (a *Accumulator) AddRows(ev *Events, rows []int32) error {
	if len(rows) == 0 {
		return nil // (a nil rows is no rows here, not all of them)
	}
	n := int32(ev.Len())
	for _, i := range rows {
		if i < 0 || i >= n {
			return fmt.Errorf("%w: row %d of a table of %d events", ErrOption, i, n)
		}
		if err := a.checkAmount(ev, int(i)); err != nil {
			return err
		}
	}
	// A map, not a table as long as ev's dictionary: a router shares one
	// table out to many accumulators, each meeting a few of its customers.
	if origin := ev.dict.origin(); a.rowsDict != origin || a.rowsCodes == nil {
		a.rowsDict, a.rowsCodes = origin, map[int32]int32{}
	}
	code := func(c int32) int32 {
		if c < 0 {
			return -1
		}
		ac, ok := a.rowsCodes[c]
		if !ok {
			ac = a.code(ev.dict.ID(c))
			a.rowsCodes[c] = ac
		}
		return ac
	}
	a.rowsCust, a.rowsRef = a.rowsCust[:0], a.rowsRef[:0]
	for _, i := range rows {
		a.rowsCust = append(a.rowsCust, code(ev.customer[i]))
		if ev.referred != nil {
			a.rowsRef = append(a.rowsRef, code(ev.referred[i]))
		}
	}
	a.addEvents(ev, rows, nil)
	return nil
}

// checkAmount returns the error of event i of ev when its amount is too
// large to sum exactly in micro-units and it is not after the end.
func (a *Accumulator) checkAmount(ev *Events, i int) error {
	if amt := ev.amount[i]; tooLarge(amt) && dayOf(ev.time[i]) <= a.end {
		return fmt.Errorf("%w: event %d of customer %q: amount %g is too large to sum exactly (limit 9e12)", ErrBadRow, i+1, ev.CustomerID(i), amt)
	}
	return nil
}

// addEvents applies the events of ev at rows (all of them when rows is
// nil), their customer codes mapped by remap — or, when remap is nil, the
// k-th row's customer's code a.rowsCust[k] and its referred one's
// a.rowsRef[k] (AddRows).
func (a *Accumulator) addEvents(ev *Events, rows []int32, remap []int32) {
	if ev.cost != nil {
		a.hasCost = true
	}
	if ev.quantity != nil {
		a.hasQuantity = true
	}
	if ev.score != nil {
		a.hasScore = true
	}
	n := len(rows)
	if rows == nil {
		n = len(ev.time)
	}
	for k := range n {
		i := k
		if rows != nil {
			i = int(rows[k])
		}
		t := ev.time[i]
		day := dayOf(t)
		if day > a.end {
			a.afterEnd++
			continue
		}
		amt := ev.amount[i]
		if day > a.maxDay {
			a.maxDay = day
		}
		a.events++
		var c int32
		if remap != nil {
			c = remap[ev.customer[i]]
		} else {
			c = a.rowsCust[k]
		}
		cs := a.cust(c)
		cs.seen = true
		m := toMicro(amt)
		kind := ev.kind[i]
		if kind == Purchase {
			a.addDay(cs, int32(day))
		}
		if day > a.calEnd {
			if kind == Purchase {
				*a.holdoutRevenue.at(c) += m
			}
			continue // holdout: only purchases count
		}
		switch kind {
		case Purchase:
			cs.addFirstDay(int32(day), m)
			cs.addPurchaseTime(t, t)
			cs.purchases++
			cs.revenue += m
			if ev.cost != nil {
				*a.cost.at(c) += toMicro(ev.cost[i])
			}
			if ev.quantity != nil {
				*a.quantity.at(c) += toMicro(ev.quantity[i])
			}
		case Refund:
			*a.refunds.at(c) += m
		case Referral:
			*a.referrals.at(c) += 1
			if ev.referred != nil && ev.referred[i] >= 0 {
				var ref int32
				if remap != nil {
					ref = remap[ev.referred[i]]
				} else {
					ref = a.rowsRef[k]
				}
				mr := a.moreOf(cs)
				a.pool.push(&mr.referred, ref)
				a.hasReferred = true
			}
		case Share:
			*a.shares.at(c) += 1
		}
		if ev.hasScore != nil && ev.hasScore[i] {
			*a.scoreSum.at(c) += toMicro(ev.score[i])
			*a.scoreCount.at(c) += 1
		}
	}
}

// moreOf returns the overflow record of cs, making one when it has none.
func (a *Accumulator) moreOf(cs *customerState) *customerMore {
	if cs.more == 0 {
		if a.nMore>>pageBits == len(a.more) {
			a.more = append(a.more, make([]customerMore, 1<<pageBits))
		}
		a.nMore++
		cs.more = int32(a.nMore)
	}
	return a.moreAt(cs.more)
}

// moreAt returns overflow record m (1-based, as in customerState.more).
func (a *Accumulator) moreAt(m int32) *customerMore {
	return &a.more[(m-1)>>pageBits][(m-1)&(1<<pageBits-1)]
}

// daysOf returns the distinct purchase days of cs, sorted.
func (a *Accumulator) daysOf(cs *customerState) []int32 {
	if cs.nDays <= inlineDays {
		return cs.days[:cs.nDays]
	}
	return a.pool.list(a.moreAt(cs.more).days)
}

// addDay adds purchase day d to the distinct days of cs.
func (a *Accumulator) addDay(cs *customerState, d int32) {
	n := cs.nDays
	if n > inlineDays {
		mr := a.moreAt(cs.more)
		a.pool.insertDay(&mr.days, d)
		cs.nDays = mr.days.n
		return
	}
	ds := cs.days[:n]
	if n > 0 && ds[n-1] == d {
		return // the common case: another purchase on the latest day
	}
	i, found := slices.BinarySearch(ds, d)
	if found {
		return
	}
	if n < inlineDays {
		copy(cs.days[i+1:n+1], cs.days[i:n])
		cs.days[i] = d
		cs.nDays++
		return
	}
	mr := a.moreOf(cs)
	for _, x := range ds {
		a.pool.push(&mr.days, x)
	}
	a.pool.insertDay(&mr.days, d)
	cs.nDays = mr.days.n
}

// Merge adds the state of b into a. Both must have been made with the same
// options; b is not changed.
func (a *Accumulator) Merge(b *Accumulator) error { return a.merge(b, false) }

// absorb merges b into a as Merge does and frees b's storage as it goes —
// its id lookup table once its ids are mapped, each page of customer
// states once merged — leaving b empty: the parts of a split input are
// discarded after merging, and freeing them on the way keeps a large
// input's peak memory near one copy of the customers instead of two.
func (a *Accumulator) absorb(b *Accumulator) error {
	if err := a.merge(b, true); err != nil {
		return err
	}
	*b = Accumulator{}
	return nil
}

func (a *Accumulator) merge(b *Accumulator, free bool) error {
	if a.end != b.end || a.calEnd != b.calEnd {
		return fmt.Errorf("%w: merging accumulators with different end or calibration end", ErrOption)
	}
	remap, err := a.mergeIDs(b)
	if err != nil {
		return err
	}
	if free && b.dict.root == nil {
		b.dict.slots = nil
	}
	for j := range b.n {
		if free && j > 0 && j&(1<<pageBits-1) == 0 {
			b.pages[j>>pageBits-1] = nil
		}
		x, y := a.cust(remap[j]), b.cust(int32(j))
		if !y.seen {
			continue
		}
		var referred []int32
		if y.more != 0 {
			referred = b.pool.list(b.moreAt(y.more).referred)
		}
		if !x.seen {
			// New to a (the state of a customer without events is zero):
			// take b's state, with its lists.
			*x = *y
			x.more = 0
			if y.nDays > inlineDays {
				mr := a.moreOf(x)
				days := b.daysOf(y)
				mr.days = poolList{ref: a.pool.alloc(len(days)), n: int32(len(days)), cap: int32(len(days))}
				copy(a.pool.list(mr.days), days)
			}
		} else {
			x.seen = true
			for _, d := range b.daysOf(y) {
				a.addDay(x, d)
			}
			if y.purchases > 0 {
				x.addFirstDay(y.firstDay, y.firstAmt)
				x.addPurchaseTime(y.first, y.last)
			}
			x.purchases += y.purchases
			x.revenue += y.revenue
		}
		if len(referred) > 0 {
			mr := a.moreOf(x)
			for _, r := range referred {
				a.pool.push(&mr.referred, remap[r])
			}
		}
	}
	for _, c := range []struct{ from, to *sideColumn[int64] }{
		{&b.holdoutRevenue, &a.holdoutRevenue}, {&b.refunds, &a.refunds}, {&b.cost, &a.cost},
		{&b.quantity, &a.quantity}, {&b.scoreSum, &a.scoreSum},
	} {
		c.from.addTo(c.to, remap)
	}
	for _, c := range []struct{ from, to *sideColumn[int32] }{
		{&b.referrals, &a.referrals}, {&b.shares, &a.shares}, {&b.scoreCount, &a.scoreCount},
	} {
		c.from.addTo(c.to, remap)
	}
	a.hasCost = a.hasCost || b.hasCost
	a.hasQuantity = a.hasQuantity || b.hasQuantity
	a.hasScore = a.hasScore || b.hasScore
	a.hasReferred = a.hasReferred || b.hasReferred
	a.maxDay = max(a.maxDay, b.maxDay)
	a.events += b.events
	a.afterEnd += b.afterEnd
	return nil
}

// mergeIDs returns the codes in a of b's customers, adding those new to a.
func (a *Accumulator) mergeIDs(b *Accumulator) ([]int32, error) {
	remap := make([]int32, b.n)
	if !a.shared && b.dict.slots != nil {
		if err := a.dict.merge(b.dict, remap); err != nil {
			return nil, err
		}
		a.growTo(a.dict.Len())
		return remap, nil
	}
	// A dictionary shared with a reader is copied, at the size it will
	// have, when the first new id comes; a snapshot has no table to walk.
	a.expect = b.n
	if !a.shared {
		a.dict.reserve(a.dict.Len() + b.n)
	}
	for i := range int32(b.n) {
		remap[i] = a.code(b.dict.ID(i))
	}
	a.expect = 0
	return remap, nil
}

// Summary returns the summary of everything added so far. The accumulator
// may be added to and summarised again afterwards.
func (a *Accumulator) Summary() (*Summary, error) {
	return summaryOfShards([]*Accumulator{a})
}

// summaryOfShards returns the summary of the customers of shards, made with
// the same options, whose customers with events are disjoint (each
// customer's events went to one of them: addParquetSplit routes them by
// customer): the summary of them merged, without merging them. A customer
// some shard holds without events (one only referred there) is left out
// of that shard, as a merged accumulator would leave it out if it had no
// events anywhere.
func summaryOfShards(shards []*Accumulator) (*Summary, error) {
	// head holds the sums over the shards that the summary reports.
	head := *shards[0]
	off := make([]int32, len(shards)+1) // shard k's codes are off[k] on in the summary's code space
	for k, b := range shards {
		if int64(off[k])+int64(b.n) >= math.MaxInt32 {
			return nil, fmt.Errorf("more than %d distinct customer ids", math.MaxInt32-1)
		}
		off[k+1] = off[k] + int32(b.n)
		if k == 0 {
			continue
		}
		head.maxDay = max(head.maxDay, b.maxDay)
		head.events += b.events
		head.afterEnd += b.afterEnd
		head.hasCost = head.hasCost || b.hasCost
		head.hasQuantity = head.hasQuantity || b.hasQuantity
		head.hasScore = head.hasScore || b.hasScore
		head.hasReferred = head.hasReferred || b.hasReferred
	}
	endDay, err := head.endDay()
	if err != nil {
		return nil, err
	}
	// The codes of the customers with events, each shard's found on a
	// goroutine of its own.
	seen := make([][]int32, len(shards))
	parallel.Do(len(shards), func(k int) {
		b := shards[k]
		codes := make([]int32, 0, b.n)
		for p, page := range b.pages {
			for j := range page[:min(len(page), b.n-p<<pageBits)] {
				if page[j].seen {
					codes = append(codes, off[k]+int32(p<<pageBits+j))
				}
			}
		}
		seen[k] = codes
	})
	order := seen[0]
	if len(shards) > 1 {
		order = make([]int32, 0, off[len(shards)])
		for k := range seen {
			order = append(order, seen[k]...)
			seen[k] = nil
		}
	}
	shardOf := func(g int32) (*Accumulator, int32) {
		k := 0
		for g >= off[k+1] {
			k++
		}
		return shards[k], g - off[k]
	}
	workers := head.opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sortIDs(order, func(g int32) string {
		b, c := shardOf(g)
		return b.dict.ID(c)
	}, workers)

	n := len(order)
	s, calDay, unit, holdout := head.newSummaryAt(n, endDay)

	// Rows are independent: fill them on the workers, in blocks.
	workers = max(1, min(workers, n>>16))
	parallel.Do(workers, func(w int) {
		for i := w * n / workers; i < (w+1)*n/workers; i++ {
			b, c := shardOf(order[i])
			b.fillRow(s, i, c, calDay, unit, holdout)
		}
	})
	return s, nil
}

// fillRows sets rows lo..hi-1 of s, those of the customers order[lo:hi].
func (a *Accumulator) fillRows(s *Summary, order []int32, lo, hi int, calDay int64, unit float64, holdout bool) {
	for i := lo; i < hi; i++ {
		a.fillRow(s, i, order[i], calDay, unit, holdout)
	}
}

// fillRow sets row i of s, that of customer c.
func (a *Accumulator) fillRow(s *Summary, i int, c int32, calDay int64, unit float64, holdout bool) {
	margin := a.opts.Margin
	full := s.Revenue != nil
	cs := a.cust(c)
	s.CustomerID[i] = a.dict.ID(c)
	ds := a.daysOf(cs)
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
	if !full { // SummaryOptions.ModelColumns
		if holdout {
			s.HoldoutFrequency[i] = float64(len(hold))
			s.HoldoutRevenue[i] = fromMicro(a.holdoutRevenue.get(c))
		}
		return
	}
	refunds := a.refunds.get(c)
	s.Revenue[i] = fromMicro(cs.revenue)
	s.Refunds[i] = fromMicro(refunds)
	s.NetRevenue[i] = fromMicro(cs.revenue - refunds)
	switch {
	case s.Cost != nil: // some shard had costs (summaryOfShards)
		cost := a.cost.get(c)
		s.Cost[i] = fromMicro(cost)
		s.Profit[i] = fromMicro(cs.revenue - refunds - cost)
	case margin > 0:
		s.Profit[i] = fromMicro(cs.revenue-refunds) * margin
	}
	if s.Quantity != nil {
		s.Quantity[i] = fromMicro(a.quantity.get(c))
	}
	s.Referrals[i] = a.referrals.get(c)
	if cs.more != 0 {
		if r := a.pool.list(a.moreAt(cs.more).referred); len(r) > 0 {
			names := make([]string, 0, len(r))
			for _, x := range r {
				names = append(names, a.dict.ID(x))
			}
			slices.SortFunc(names, compareIDs)
			s.Referred[i] = slices.Compact(names)
		}
	}
	s.Shares[i] = a.shares.get(c)
	if count := a.scoreCount.get(c); count > 0 {
		s.Experience[i] = fromMicro(a.scoreSum.get(c)) / float64(count)
		s.ExperienceCount[i] = count
	}
	if holdout {
		s.HoldoutFrequency[i] = float64(len(hold))
		s.HoldoutRevenue[i] = fromMicro(a.holdoutRevenue.get(c))
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
