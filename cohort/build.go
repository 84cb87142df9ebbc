package cohort

import (
	"fmt"
	"math"
	"math/bits"
	"time"

	"github.com/valuekit/valuekit"
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

// MaxCells is the largest number of cohort × age cells Build accepts (about
// 11 years of daily cohorts). A longer period keeps tables small.
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
// Errors wrap ErrLength or ErrBadEvent (as a *RowError naming the row) for bad
// input, ErrBadOption for a bad option, ErrNoPurchases when there is no
// purchase up to the end, and ErrTooManyCells when the table would exceed
// MaxCells cells.
func Build(ev Events, opts *Options) (*Table, error) {
	return build(ev, opts, false)
}

// build is Build; grouped forces the general counting path (tests use it to
// check the fast path against it).
func build(ev Events, opts *Options, grouped bool) (*Table, error) {
	period := Month
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Period != 0 {
		if !o.Period.valid() {
			return nil, fmt.Errorf("%w: period %d", ErrBadOption, uint8(o.Period))
		}
		period = o.Period
	}
	maxCustomer, end, err := ev.scan()
	if err != nil {
		return nil, err
	}
	if !o.End.IsZero() {
		end = o.End.UnixMicro()
	}
	if maxCustomer < 0 {
		return nil, ErrNoPurchases
	}

	b := builder{ev: ev, period: period, end: end, grouped: grouped}
	if err := b.acquire(int(maxCustomer) + 1); err != nil {
		return nil, err
	}
	b.accumulate()
	return b.table(), nil
}

// builder holds the state of one Build.
type builder struct {
	ev      Events
	period  Period
	end     int64 // observation end, Unix µs
	grouped bool  // always use countGrouped

	endIdx       int64   // period index holding end
	lastComplete int64   // last period index that ended by end
	first        []int64 // per customer: acquisition period index, or noCohort
	minA         int64   // earliest acquisition period index
	size         []int   // per slot (period index - minA): customers acquired
	base         []int   // per slot: first cell of the cohort, or -1
	cells        int

	revenue, net                []float64 // per cell
	active, continuing, lastAge []float64 // per cell
}

const noCohort = math.MaxInt64

// acquire finds each customer's acquisition period and lays out the cells.
func (b *builder) acquire(customers int) error {
	p, end := b.period, b.end
	endDay := dayOf(end)
	b.endIdx = p.index(endDay)
	b.lastComplete = b.endIdx
	if p.index(endDay+1) == b.endIdx {
		b.lastComplete--
	}

	first := make([]int64, customers)
	for i := range first {
		first[i] = noCohort
	}
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	minA := int64(noCohort)
	for i, t := range tm {
		if t > end || kind[i] != valuekit.Purchase || amt[i] < 0 {
			continue
		}
		a := p.index(dayOf(t))
		c := cust[i]
		if a < first[c] {
			first[c] = a
			if a < minA {
				minA = a
			}
		}
	}
	if minA == noCohort {
		return ErrNoPurchases
	}
	slots := b.endIdx - minA + 1
	if slots > MaxCells {
		return fmt.Errorf("%w: %d %s periods from the first purchase to the end; use a longer period", ErrTooManyCells, slots, p)
	}
	b.first, b.minA = first, minA
	b.size = make([]int, slots)
	for _, a := range first {
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
	return nil
}

// accumulate sums revenue per cell and counts active, continuing and lapsed
// customers per cell.
func (b *builder) accumulate() {
	b.revenue = make([]float64, b.cells)
	b.net = make([]float64, b.cells)
	b.active = make([]float64, b.cells)
	b.continuing = make([]float64, b.cells)
	b.lastAge = make([]float64, b.cells)

	useBits := b.endIdx-b.minA < 64 && !b.grouped
	var seen []uint64
	if useBits {
		seen = make([]uint64, len(b.first))
	}
	p, end, first, base, minA := b.period, b.end, b.first, b.base, b.minA
	revenue, net := b.revenue, b.net
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	for i, t := range tm {
		if t > end {
			continue
		}
		k := kind[i]
		if k != valuekit.Purchase && k != valuekit.Refund {
			continue
		}
		c := cust[i]
		a := first[c]
		if a == noCohort {
			continue
		}
		age := p.index(dayOf(t)) - a
		if age < 0 {
			continue // a refund before the customer's first purchase
		}
		cell := base[a-minA] + int(age)
		x := amt[i]
		switch {
		case k == valuekit.Refund:
			net[cell] -= x
		case x < 0: // a negative purchase is a refund
			net[cell] += x
		default:
			revenue[cell] += x
			net[cell] += x
			if useBits {
				seen[c] |= 1 << uint(age)
			}
		}
	}
	if useBits {
		b.countBits(seen)
	} else {
		b.countGrouped()
	}
}

// countBits counts customers per cell from per-customer sets of active ages.
func (b *builder) countBits(seen []uint64) {
	for c, s := range seen {
		if s == 0 {
			continue
		}
		cb := b.base[b.first[c]-b.minA]
		for x := s; x != 0; x &= x - 1 {
			b.active[cb+bits.TrailingZeros64(x)]++
		}
		for x := s & (s << 1); x != 0; x &= x - 1 {
			b.continuing[cb+bits.TrailingZeros64(x)]++
		}
		b.lastAge[cb+63-bits.LeadingZeros64(s)]++
	}
}

// countGrouped counts customers per cell when ages do not fit in a 64-bit
// set: it groups the purchase ages by customer (a counting sort) and marks
// each customer's ages in a stamp array indexed by age.
func (b *builder) countGrouped() {
	p, end, first := b.period, b.end, b.first
	cust, tm, kind, amt := b.ev.Customer, b.ev.Time, b.ev.Kind, b.ev.Amount
	isPurchase := func(i int) bool {
		return tm[i] <= end && kind[i] == valuekit.Purchase && amt[i] >= 0 && first[cust[i]] != noCohort
	}
	start := make([]int, len(first)+1)
	for i := range tm {
		if isPurchase(i) {
			start[cust[i]+1]++
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	ages := make([]int32, start[len(first)])
	next := make([]int, len(first))
	copy(next, start[:len(first)])
	for i, t := range tm {
		if isPurchase(i) {
			c := cust[i]
			ages[next[c]] = int32(p.index(dayOf(t)) - first[c])
			next[c]++
		}
	}
	stamp := make([]int32, b.endIdx-b.minA+1) // customer+1 that last marked each age
	for c := range first {
		own := ages[start[c]:start[c+1]]
		if len(own) == 0 {
			continue
		}
		cb := b.base[first[c]-b.minA]
		mark := int32(c + 1)
		var last int32
		for _, g := range own {
			if stamp[g] != mark {
				stamp[g] = mark
				b.active[cb+int(g)]++
				if g > last {
					last = g
				}
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
		a := b.minA + int64(s)
		cb := b.base[s]
		width := int(b.endIdx - a + 1)
		cohort := dayTime(b.period.startDay(a))
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
			cumRev += b.revenue[cb+k] / nf
			cumNet += b.net[cb+k] / nf
			t.append(row{
				cohort: cohort, age: k, size: n,
				active: b.active[cb+k], revenue: b.revenue[cb+k], net: b.net[cb+k],
				surviving: surv[k], cumRevenue: cumRev, cumNet: cumNet,
				continuing: b.continuing[cb+k],
				complete:   a+int64(k) <= b.lastComplete,
			})
		}
	}
	return t
}
