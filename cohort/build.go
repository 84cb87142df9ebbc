package cohort

import (
	"fmt"
	"github.com/valuekit/valuekit/internal/civil"
	"math"
	"math/bits"
	"time"

	"github.com/valuekit/valuekit/event"
)

// Options configure Build. The zero value (or a nil *Options) means monthly
// cohorts observed up to the last event.
type Options struct {
	// Period is the calendar period of cohorts and ages. Default (zero):
	// Month.
	Period Period
	// End is the observation end: events after it are left out, and ages
	// after the period holding it are absent from the table (not zero).
	// Default (zero time): the time of the last event of any kind.
	End time.Time
}

// MaxCells is the largest number of cohort × age cells Build accepts: about
// 8 years of daily cohorts with acquisitions every day (cells grow with the
// square of the number of periods). A longer period keeps tables small.
const MaxCells = 1 << 22

// Build groups the customers of ev into acquisition cohorts and returns the
// observed long cohort table.
//
// A customer is acquired in the period of their first purchase up to the
// observation end; a customer with no purchase by then (only refunds,
// referrals, shares or feedback) is in no cohort, and their events are left
// out. Refunds made before a customer's acquisition period are left out as
// well. Cohorts are the periods in which at least one customer was acquired;
// each has a row for every age from 0 to the period holding the observation
// end. Build does not modify ev.
//
// Errors wrap ErrLength or ErrBadEvent (as an *event.ValueError naming the
// column and the 0-based row) for bad input, ErrBadOption for a bad option, ErrNoPurchases when there is no
// purchase up to the end, and ErrTooManyCells when the table would exceed
// MaxCells cells.
func Build(ev Events, opts *Options) (*Table, error) {
	return build(ev, opts, countAuto)
}

// countMode selects how Build counts active customers.
type countMode uint8

const (
	countAuto    countMode = iota // by the number of ages
	countBits                     // one 64-bit set of ages per customer, in custState
	countWide                     // up to maxWideWords 64-bit words per customer
	countGrouped                  // purchases grouped by customer (any number of ages)
)

// maxWideWords bounds the per-customer bit sets of countWide (256 ages).
const maxWideWords = 4

// build is Build with a choice of counting method (tests check every method
// against the others).
func build(ev Events, opts *Options, mode countMode) (*Table, error) {
	period := Month
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Period != 0 {
		if !o.Period.valid() {
			return nil, fmt.Errorf("cohort: %w: period %d", ErrBadOption, uint8(o.Period))
		}
		period = o.Period
	}
	maxCustomer, minTime, end, err := ev.scan()
	if err != nil {
		return nil, err
	}
	if !o.End.IsZero() {
		end = o.End.UnixMicro()
	}
	if maxCustomer < 0 || end < minTime {
		return nil, ErrNoPurchases
	}

	b := builder{ev: ev, period: period, end: end, mode: mode,
		pz: newPeriodizer(period, civil.DayOf(minTime), civil.DayOf(end))}
	if err := b.acquire(int(maxCustomer) + 1); err != nil {
		return nil, err
	}
	b.accumulate()
	return b.table(), nil
}

// periodizer maps event times to period numbers relative to the period of
// the earliest event day (so they fit in an int32: Unix microseconds span
// fewer than 2^31 days). Days from the earliest event to the observation end
// are looked up in a table when that span is short, which saves the calendar
// arithmetic per event.
type periodizer struct {
	p      Period
	minDay int64   // earliest event day
	start  int64   // its first microsecond
	ref    int64   // period index of minDay
	table  []int32 // relative period of day minDay+i; nil for long spans
}

// maxTableDays bounds the day table (about 180 years, 256 KiB).
const maxTableDays = 1 << 16

func newPeriodizer(p Period, minDay, endDay int64) periodizer {
	z := periodizer{p: p, minDay: minDay, start: minDay * microsPerDay, ref: p.index(minDay)}
	if n := endDay - minDay + 1; n > 0 && n <= maxTableDays {
		z.table = make([]int32, n)
		for i := range z.table {
			z.table[i] = int32(p.index(minDay+int64(i)) - z.ref)
		}
	}
	return z
}

// rel returns the relative period number of Unix time us (microseconds),
// which must not be before the earliest event.
func (z *periodizer) rel(us int64) int32 {
	// us >= start, so the division needs no flooring.
	if d := uint64(us-z.start) / microsPerDay; d < uint64(len(z.table)) {
		return z.table[d]
	}
	return z.relSlow(us)
}

// relSlow is rel computed without the table. It is kept out of line so that
// rel inlines into the per-event loops.
//
//go:noinline
func (z *periodizer) relSlow(us int64) int32 { return int32(z.p.index(civil.DayOf(us)) - z.ref) }

// custState is the per-customer state of a Build, kept in one struct so that
// the random access per event touches one cache line.
type custState struct {
	seen uint64 // ages with a purchase, when all ages fit in 64 bits
	acq  int32  // relative acquisition period, or noCohort
	cell int32  // first cell of the customer's cohort
}

const noCohort = math.MaxInt32

// builder holds the state of one Build.
type builder struct {
	ev     Events
	period Period
	end    int64 // observation end, Unix µs
	mode   countMode
	pz     periodizer

	endRel       int32       // relative period holding end
	lastComplete int32       // last relative period that ended by end
	cust         []custState // per customer
	minA         int32       // earliest relative acquisition period
	size         []int       // per slot (relative period - minA): customers acquired
	base         []int       // per slot: first cell of the cohort, or -1
	cells        int

	revenue, net                []int64   // per cell, in micro-units (exact sums)
	active, continuing, lastAge []float64 // per cell
}

// acquire finds each customer's acquisition period and lays out the cells.
func (b *builder) acquire(customers int) error {
	pz := &b.pz
	endDay := civil.DayOf(b.end)
	b.endRel = int32(b.period.index(endDay) - pz.ref)
	b.lastComplete = b.endRel
	if b.period.index(endDay+1)-pz.ref == int64(b.endRel) {
		b.lastComplete--
	}

	// A compact array first (4 bytes a customer) keeps this random-access
	// pass cache friendly; the per-customer state is filled from it.
	acq := make([]int32, customers)
	for i := range acq {
		acq[i] = noCohort
	}
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	end := b.end
	minA := int32(noCohort)
	for i, t := range tm {
		if t > end || kind[i] != event.Purchase || amt[i] < 0 {
			continue
		}
		a := pz.rel(t)
		c := cust[i]
		if a < acq[c] {
			acq[c] = a
			minA = min(minA, a)
		}
	}
	if minA == noCohort {
		return ErrNoPurchases
	}
	slots := int64(b.endRel-minA) + 1
	if slots > MaxCells {
		return fmt.Errorf("%w: %d %s periods from the first purchase to the end; use a longer period", ErrTooManyCells, slots, b.period)
	}
	b.minA = minA
	b.size = make([]int, slots)
	for _, a := range acq {
		if a != noCohort {
			b.size[a-minA]++
		}
	}
	b.base = make([]int, slots)
	for s, n := range b.size {
		b.base[s] = -1
		if n > 0 {
			b.base[s] = b.cells
			b.cells += int(slots) - s
			if b.cells > MaxCells {
				return fmt.Errorf("%w: use a longer period", ErrTooManyCells)
			}
		}
	}
	cs := make([]custState, customers)
	for i, a := range acq {
		cs[i].acq = a
		if a != noCohort {
			cs[i].cell = int32(b.base[a-minA])
		}
	}
	b.cust = cs
	return nil
}

// accumulate sums revenue per cell and counts active, continuing and lapsed
// customers per cell.
func (b *builder) accumulate() {
	b.revenue = make([]int64, b.cells)
	b.net = make([]int64, b.cells)
	b.active = make([]float64, b.cells)
	b.continuing = make([]float64, b.cells)
	b.lastAge = make([]float64, b.cells)

	ages := int(b.endRel-b.minA) + 1
	words := (ages + 63) / 64
	mode := b.mode
	switch {
	case mode == countAuto && words == 1:
		mode = countBits
	case mode == countAuto && words <= maxWideWords, mode == countBits && words > 1:
		mode = countWide
	case mode == countAuto, mode == countWide && words > maxWideWords:
		mode = countGrouped
	}
	if mode == countWide {
		b.accumulateWide(words)
		return
	}
	pz, end, cs := &b.pz, b.end, b.cust
	revenue, net := b.revenue, b.net
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	for i, t := range tm {
		if t > end {
			continue
		}
		k := kind[i]
		if k != event.Purchase && k != event.Refund {
			continue
		}
		c := cust[i]
		st := &cs[c]
		if st.acq == noCohort {
			continue
		}
		age := pz.rel(t) - st.acq
		if age < 0 {
			continue // a refund before the customer's first purchase
		}
		cell := int(st.cell) + int(age)
		if addMoney(revenue, net, cell, k, amt[i]) && mode == countBits {
			st.seen |= 1 << uint(age)
		}
	}
	if mode == countBits {
		b.countBits()
	} else {
		b.countGrouped()
	}
}

// accumulateWide is accumulate with sets of `words` 64-bit words per
// customer. Each customer has a block of 1+words words: a header holding the
// acquisition period (low 32 bits) and the cohort's first cell (high 32
// bits), then the set, so that each event touches one block.
func (b *builder) accumulateWide(words int) {
	stride := 1 + words
	blocks := make([]uint64, len(b.cust)*stride)
	for c, st := range b.cust {
		blocks[c*stride] = uint64(uint32(st.acq)) | uint64(uint32(st.cell))<<32
	}
	pz, end := &b.pz, b.end
	revenue, net := b.revenue, b.net
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	for i, t := range tm {
		if t > end {
			continue
		}
		k := kind[i]
		if k != event.Purchase && k != event.Refund {
			continue
		}
		blk := blocks[int(cust[i])*stride:]
		h := blk[0]
		acq := int32(uint32(h))
		if acq == noCohort {
			continue
		}
		age := pz.rel(t) - acq
		if age < 0 {
			continue // a refund before the customer's first purchase
		}
		cell := int(uint32(h>>32)) + int(age)
		if addMoney(revenue, net, cell, k, amt[i]) {
			blk[1+int(age>>6)] |= 1 << uint(age&63)
		}
	}
	for c := range b.cust {
		b.countSet(c, blocks[c*stride+1:(c+1)*stride])
	}
}

// countBits counts customers per cell from per-customer sets of active ages.
func (b *builder) countBits() {
	for _, st := range b.cust {
		s := st.seen
		if s == 0 {
			continue
		}
		cb := int(st.cell)
		for x := s; x != 0; x &= x - 1 {
			b.active[cb+bits.TrailingZeros64(x)]++
		}
		for x := s & (s << 1); x != 0; x &= x - 1 {
			b.continuing[cb+bits.TrailingZeros64(x)]++
		}
		b.lastAge[cb+63-bits.LeadingZeros64(s)]++
	}
}

// countSet counts customer c in the cells of the ages in set (age k in bit
// k%64 of word k/64).
func (b *builder) countSet(c int, set []uint64) {
	st := b.cust[c]
	if st.acq == noCohort {
		return
	}
	cb := int(st.cell)
	last := -1
	var carry uint64 // bit 63 of the previous word, as bit 0
	for w, s := range set {
		base := cb + 64*w
		for x := s; x != 0; x &= x - 1 {
			b.active[base+bits.TrailingZeros64(x)]++
		}
		for x := s & (s<<1 | carry); x != 0; x &= x - 1 {
			b.continuing[base+bits.TrailingZeros64(x)]++
		}
		carry = s >> 63
		if s != 0 {
			last = 64*w + 63 - bits.LeadingZeros64(s)
		}
	}
	if last >= 0 {
		b.lastAge[cb+last]++
	}
}

// countGrouped counts customers per cell when ages do not fit in the bit
// sets: it groups the purchase ages by customer (a counting sort) and marks
// each customer's ages in a stamp array indexed by age.
func (b *builder) countGrouped() {
	pz, end, cs := &b.pz, b.end, b.cust
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	isPurchase := func(i int) bool {
		return tm[i] <= end && kind[i] == event.Purchase && amt[i] >= 0 && cs[cust[i]].acq != noCohort
	}
	start := make([]int, len(cs)+1)
	for i := range tm {
		if isPurchase(i) {
			start[cust[i]+1]++
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	ages := make([]int32, start[len(cs)])
	next := make([]int, len(cs))
	copy(next, start[:len(cs)])
	for i, t := range tm {
		if isPurchase(i) {
			c := cust[i]
			ages[next[c]] = pz.rel(t) - cs[c].acq
			next[c]++
		}
	}
	stamp := make([]int32, b.endRel-b.minA+1) // customer+1 that last marked each age
	for c, st := range cs {
		own := ages[start[c]:start[c+1]]
		if len(own) == 0 {
			continue
		}
		cb := int(st.cell)
		mark := int32(c + 1)
		var last int32
		for _, g := range own {
			if stamp[g] != mark {
				stamp[g] = mark
				b.active[cb+int(g)]++
				last = max(last, g)
			}
		}
		for _, g := range own {
			// Count each age once: stamp -mark after visiting it.
			if stamp[g] == mark {
				stamp[g] = -mark
				if g > 0 && (stamp[g-1] == mark || stamp[g-1] == -mark) {
					b.continuing[cb+int(g)]++
				}
			}
		}
		b.lastAge[cb+int(last)]++
	}
}

// table assembles the long table from the cells.
func (b *builder) table() *Table {
	t := &Table{Period: b.period, End: time.UnixMicro(b.end).UTC()}
	t.grow(b.cells)
	for s, n := range b.size {
		if n == 0 {
			continue
		}
		a := b.minA + int32(s)
		cb := b.base[s]
		width := int(b.endRel-a) + 1
		cohort := dayTime(b.period.startDay(int64(a) + b.pz.ref))
		// Surviving at age k: customers whose last purchase is at age >= k.
		surv := make([]float64, width)
		var acc float64
		for k := width - 1; k >= 0; k-- {
			acc += b.lastAge[cb+k]
			surv[k] = acc
		}
		nf := float64(n)
		var cumRev, cumNet float64
		for k := 0; k < width; k++ {
			rev, net := fromMicro(b.revenue[cb+k]), fromMicro(b.net[cb+k])
			cumRev += rev / nf
			cumNet += net / nf
			t.append(row{
				cohort: cohort, age: k, size: n,
				active: b.active[cb+k], revenue: rev, net: net,
				surviving: surv[k], cumRevenue: cumRev, cumNet: cumNet,
				continuing: b.continuing[cb+k],
				complete:   a+int32(k) <= b.lastComplete,
			})
		}
	}
	return t
}

// addMoney adds an event's amount to the revenue and net revenue of cell
// and reports whether it was a purchase (which makes the customer active).
// A refund, or a purchase with a negative amount, lowers net revenue only.
func addMoney(revenue, net []int64, cell int, k event.Kind, amount float64) bool {
	x := micro(amount)
	switch {
	case k == event.Refund:
		net[cell] -= x
	case x < 0:
		net[cell] += x
	default:
		revenue[cell] += x
		net[cell] += x
		return true
	}
	return false
}

// Money is summed in integer micro-units (1e-6), so that sums are exact
// and do not depend on the order of the events: 0.1 + 0.2 stays 0.3.
func micro(x float64) int64 { return int64(math.Round(x * 1e6)) }

func fromMicro(m int64) float64 { return float64(m) / 1e6 }
