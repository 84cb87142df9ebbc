package cohort

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/valuekit/valuekit/event"
)

// naiveTable computes the expected cells of Build for any events with maps
// and package time: it follows the rules of the package documentation
// literally, one event at a time.
type naiveKey struct {
	cohort time.Time
	age    int
}

type naiveAcc struct {
	active, continuing map[int32]bool
	revenue, net       float64
	lastHere           float64
}

func naiveTable(ev Events, p Period, end time.Time) (size map[time.Time]int, cells map[naiveKey]*naiveAcc, ages func(from, to time.Time) int) {
	// Period start and a comparable period number with package time only.
	start := func(t time.Time) time.Time {
		t = t.UTC()
		y, m, d := t.Date()
		switch p {
		case Day:
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		case Week:
			back := (int(t.Weekday()) + 6) % 7
			return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
		case Month:
			return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		case Quarter:
			return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
		default:
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	// Periods from the period starting at `from` to the one holding `to`,
	// by whole days, weeks, calendar months or years.
	ages = func(from, to time.Time) int {
		to = start(to)
		days := int(to.Sub(from).Hours()) / 24
		months := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
		switch p {
		case Day:
			return days
		case Week:
			return days / 7
		case Month:
			return months
		case Quarter:
			return months / 3
		default:
			return to.Year() - from.Year()
		}
	}
	in := func(i int) bool { return !time.UnixMicro(ev.Time[i]).After(end) }
	isBuy := func(i int) bool { return ev.Kind[i] == event.Purchase && ev.Amount[i] >= 0 }

	first := map[int32]time.Time{}
	for i := range ev.Time {
		if in(i) && isBuy(i) {
			t := time.UnixMicro(ev.Time[i])
			if f, ok := first[ev.Customer[i]]; !ok || t.Before(f) {
				first[ev.Customer[i]] = t
			}
		}
	}
	size = map[time.Time]int{}
	for _, f := range first {
		size[start(f)]++
	}
	cells = map[naiveKey]*naiveAcc{}
	cell := func(k naiveKey) *naiveAcc {
		if cells[k] == nil {
			cells[k] = &naiveAcc{active: map[int32]bool{}}
		}
		return cells[k]
	}
	active := map[int32]map[int]bool{}
	for i := range ev.Time {
		c := ev.Customer[i]
		f, ok := first[c]
		if !in(i) || !ok {
			continue
		}
		t := time.UnixMicro(ev.Time[i])
		if start(t).Before(start(f)) {
			continue
		}
		key := naiveKey{start(f), ages(start(f), t)}
		switch {
		case ev.Kind[i] == event.Refund:
			cell(key).net -= ev.Amount[i]
		case ev.Kind[i] == event.Purchase && ev.Amount[i] < 0:
			cell(key).net += ev.Amount[i]
		case ev.Kind[i] == event.Purchase:
			a := cell(key)
			a.revenue += ev.Amount[i]
			a.net += ev.Amount[i]
			a.active[c] = true
			if active[c] == nil {
				active[c] = map[int]bool{}
			}
			active[c][key.age] = true
		}
	}
	for c, as := range active {
		last := 0
		for a := range as {
			last = max(last, a)
			if as[a-1] {
				acc := cell(naiveKey{start(first[c]), a})
				if acc.continuing == nil {
					acc.continuing = map[int32]bool{}
				}
				acc.continuing[c] = true
			}
		}
		cell(naiveKey{start(first[c]), last}).lastHere++
	}
	return size, cells, ages
}

// TestBuildRandomAgainstNaive compares Build with naiveTable on random
// events (purchases, zero and negative purchases, refunds, feedback, events
// after the end) for every period and both counting paths.
func TestBuildRandomAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	built := 0
	spans := map[Period]time.Duration{Day: 300 * 24 * time.Hour, Week: 1000 * 24 * time.Hour,
		Month: 3 * 365 * 24 * time.Hour, Quarter: 6 * 365 * 24 * time.Hour, Year: 30 * 365 * 24 * time.Hour}
	for trial := 0; trial < 40; trial++ {
		p := Period(1 + trial%5)
		origin := time.Date(1960+rng.IntN(80), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
		n, customers := 50+rng.IntN(300), 1+rng.IntN(40)
		var ev Events
		for i := 0; i < n; i++ {
			tm := origin.Add(time.Duration(rng.Int64N(int64(spans[p]))))
			k := event.Purchase
			amt := float64(rng.IntN(1000)) / 10
			switch r := rng.IntN(20); {
			case r < 3:
				k = event.Refund
			case r < 4:
				k = event.Feedback
			case r < 5:
				amt = -amt
			case r < 6:
				amt = 0
			}
			ev.Customer = append(ev.Customer, int32(rng.IntN(customers)))
			ev.Time = append(ev.Time, tm.UnixMicro())
			ev.Kind = append(ev.Kind, k)
			ev.Amount = append(ev.Amount, amt)
		}
		var end time.Time
		if trial%3 == 0 {
			end = origin.Add(time.Duration(rng.Int64N(int64(spans[p]))))
		}
		name := fmt.Sprintf("trial %d %s", trial, p)
		for _, mode := range []countMode{countAuto, countBits, countWide, countGrouped} {
			tb, err := build(ev, &Options{Period: p, End: end}, mode)
			if err != nil {
				require.ErrorIs(t, err, ErrNoPurchases, name)
				continue
			}
			built++
			size, cells, ages := naiveTable(ev, p, tb.End)
			spansT := tb.cohortSpans()
			require.Len(t, spansT, len(size), name)
			for _, sp := range spansT {
				c := tb.Cohort[sp[0]]
				require.Equal(t, size[c], tb.CohortSize[sp[0]], name)
				require.True(t, tb.Cohort[sp[1]-1].Equal(c))
				require.Equal(t, ages(c, tb.End)+1, sp[1]-sp[0], "%s: ages up to the end", name)
				var surv float64
				for i := sp[1] - 1; i >= sp[0]; i-- {
					acc := cells[naiveKey{c, tb.Age[i]}]
					if acc == nil {
						acc = &naiveAcc{}
					}
					surv += acc.lastHere
					y, m, d := tb.End.Date()
					nextDay := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
					got := []float64{tb.Active[i], tb.continuing[i], tb.Revenue[i], tb.NetRevenue[i], tb.Surviving[i]}
					want := []float64{float64(len(acc.active)), float64(len(acc.continuing)), acc.revenue, acc.net, surv}
					for j := range got {
						if math.Abs(got[j]-want[j]) > 1e-9 {
							t.Fatalf("%s mode %d cohort %s age %d: active, continuing, revenue, net, surviving = %v, want %v",
								name, mode, c.Format(CohortLayout), tb.Age[i], got, want)
						}
					}
					if complete := ages(c, nextDay) > tb.Age[i]; complete != tb.Complete[i] {
						t.Fatalf("%s mode %d cohort %s age %d: complete %v, want %v", name, mode, c.Format(CohortLayout), tb.Age[i], tb.Complete[i], complete)
					}
				}
			}
			for k := range cells {
				require.Contains(t, size, k.cohort, "%s: a cell outside every cohort", name)
			}
		}
	}
	require.Greater(t, built, 60, "most trials have purchases before the end")
}
