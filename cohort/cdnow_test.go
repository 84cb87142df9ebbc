package cohort

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/valuekit/valuekit/event"
)

// loadCDNOW reads testdata/cdnow_sample.csv (customer_id,date,cds,amount) as
// purchases; customer codes are customer_id - 1.
func loadCDNOW(t testing.TB) Events {
	t.Helper()
	f, err := os.Open("../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var ev Events
	for _, r := range recs[1:] {
		id, err := strconv.Atoi(r[0])
		require.NoError(t, err)
		d, err := time.Parse(time.DateOnly, r[1])
		require.NoError(t, err)
		amt, err := strconv.ParseFloat(r[3], 64)
		require.NoError(t, err)
		ev.Customer = append(ev.Customer, int32(id-1))
		ev.Time = append(ev.Time, d.UnixMicro())
		ev.Kind = append(ev.Kind, event.Purchase)
		ev.Amount = append(ev.Amount, amt)
	}
	return ev
}

// naiveCell is one cell of the independent count.
type naiveCell struct {
	customers map[int32]bool
	revenue   float64
}

// naiveCohorts counts the cohort table of purchase-only events directly with
// maps and package time, independently of Build's integer calendar
// arithmetic and its bit sets: periodOf maps a time to a comparable period
// number.
func naiveCohorts(ev Events, periodOf func(time.Time) int) (size map[int]int, cells map[[2]int]*naiveCell, last map[[2]int]int, endPeriod int) {
	first := map[int32]int{}
	lastAge := map[int32]int{}
	endPeriod = -1 << 31
	for i, us := range ev.Time {
		p := periodOf(time.UnixMicro(us).UTC())
		if f, ok := first[ev.Customer[i]]; !ok || p < f {
			first[ev.Customer[i]] = p
		}
		endPeriod = max(endPeriod, p)
	}
	size = map[int]int{}
	for _, a := range first {
		size[a]++
	}
	cells = map[[2]int]*naiveCell{}
	for i, us := range ev.Time {
		c := ev.Customer[i]
		a := first[c]
		age := periodOf(time.UnixMicro(us).UTC()) - a
		key := [2]int{a, age}
		if cells[key] == nil {
			cells[key] = &naiveCell{customers: map[int32]bool{}}
		}
		cells[key].customers[c] = true
		cells[key].revenue += ev.Amount[i]
		lastAge[c] = max(lastAge[c], age)
	}
	last = map[[2]int]int{}
	for c, age := range lastAge {
		last[[2]int{first[c], age}]++
	}
	return size, cells, last, endPeriod
}

// TestCDNOWAgainstNaiveCount checks every cell of the monthly and weekly
// cohort tables of the CDNOW sample (6,919 purchases by 2,357 customers,
// 1997-01-01..1998-06-30; testdata/README.md) against naiveCohorts.
func TestCDNOWAgainstNaiveCount(t *testing.T) {
	ev := loadCDNOW(t)
	require.Equal(t, 6919, ev.Len())
	monday := time.Date(1996, 12, 30, 0, 0, 0, 0, time.UTC) // a Monday
	periods := []struct {
		period   Period
		periodOf func(time.Time) int
		cohorts  int
	}{
		{Month, func(tm time.Time) int { return tm.Year()*12 + int(tm.Month()) - 1 }, 3},
		{Week, func(tm time.Time) int { return int(tm.Sub(monday).Hours()) / 24 / 7 }, 13},
		{Quarter, func(tm time.Time) int { return tm.Year()*4 + (int(tm.Month())-1)/3 }, 1},
	}
	for _, pp := range periods {
		t.Run(pp.period.String(), func(t *testing.T) {
			size, cells, last, endPeriod := naiveCohorts(ev, pp.periodOf)
			tb, err := Build(ev, &Options{Period: pp.period})
			require.NoError(t, err)
			spans := tb.cohortSpans()
			require.Len(t, spans, pp.cohorts)
			require.Len(t, size, pp.cohorts)
			total := 0
			rows := 0
			for _, sp := range spans {
				a := pp.periodOf(tb.Cohort[sp[0]])
				n := size[a]
				require.Equal(t, n, tb.CohortSize[sp[0]], "cohort %s size", tb.Cohort[sp[0]])
				total += n
				require.Equal(t, endPeriod-a+1, sp[1]-sp[0], "ages of cohort %s", tb.Cohort[sp[0]])
				var cum, surv float64
				for age := endPeriod - a; age >= 0; age-- {
					surv += float64(last[[2]int{a, age}])
					require.Equal(t, surv, tb.Surviving[sp[0]+age], "cohort %s age %d surviving", tb.Cohort[sp[0]], age)
				}
				for i := sp[0]; i < sp[1]; i++ {
					age := tb.Age[i]
					require.Equal(t, i-sp[0], age)
					var active, revenue float64
					if c := cells[[2]int{a, age}]; c != nil {
						active, revenue = float64(len(c.customers)), c.revenue
						rows++
					}
					msg := fmt.Sprintf("cohort %s age %d", tb.Cohort[i].Format(CohortLayout), age)
					require.Equal(t, active, tb.Active[i], msg)
					require.InDelta(t, revenue, tb.Revenue[i], 1e-6, msg)
					require.InDelta(t, revenue, tb.NetRevenue[i], 1e-6, msg) // no refunds in CDNOW
					cum += revenue / float64(n)
					require.InDelta(t, cum, tb.CumulativeRevenuePerCustomer[i], 1e-9, msg)
				}
			}
			require.Equal(t, 2357, total)
			require.Equal(t, len(cells), rows, "every naive cell is in the table")

			// Every counting method gives the same table.
			for _, mode := range []countMode{countBits, countWide, countGrouped} {
				tg, err := build(ev, &Options{Period: pp.period}, mode)
				require.NoError(t, err)
				require.Equal(t, tb, tg, "mode %d", mode)
			}
		})
	}
}
