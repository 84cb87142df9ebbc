package cohort

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/clv"
)

// Fader & Hardie (2007), "How to project customer retention", Journal of
// Interactive Marketing 21(1), Table 1, "regular" segment: customers of a
// cohort of 1,000 still active at the start of years 0..7. Their sBG
// estimates: α = 0.704, β = 1.182.
var fhRegular = []float64{1000, 631, 468, 382, 326, 289, 262, 241}

// retentionEvents builds a yearly cohort acquired in year `from` whose
// survival counts follow alive: alive[k]-alive[k+1] customers buy 10 in each
// of the years 0..k, the last alive[len-1] customers buy every year up to
// year `through` (an age). Customer codes start at first.
func retentionEvents(ev *Events, alive []float64, from, through int, first int32) {
	c := first
	for k := range alive {
		n := int(alive[k])
		if k+1 < len(alive) {
			n -= int(alive[k+1])
		}
		last := k
		if k == len(alive)-1 {
			last = through
		}
		for i := 0; i < n; i++ {
			for age := 0; age <= last; age++ {
				ev.Customer = append(ev.Customer, c)
				ev.Time = append(ev.Time, time.Date(from+age, 6, 1, 0, 0, 0, 0, time.UTC).UnixMicro())
				ev.Kind = append(ev.Kind, buy)
				ev.Amount = append(ev.Amount, 10)
			}
			c++
		}
	}
}

// lnSurvival is the sBG survival ln S(t) = ln B(α, β+t) − ln B(α, β),
// written out here with math.Lgamma independently of package clv.
func lnSurvival(alpha, beta float64, t int) float64 {
	lb := func(a, b float64) float64 {
		x, _ := math.Lgamma(a)
		y, _ := math.Lgamma(b)
		z, _ := math.Lgamma(a + b)
		return x + y - z
	}
	return lb(alpha, beta+float64(t)) - lb(alpha, beta)
}

func TestProjectFaderHardie(t *testing.T) {
	// Cohort 2000 follows the regular segment through year 7 (2007); cohort
	// 2003 follows the same pattern but is observed only to age 4. The
	// observation ends on 31 Dec 2007, so every observed year is complete.
	var ev Events
	retentionEvents(&ev, fhRegular, 2000, 7, 0)
	retentionEvents(&ev, fhRegular[:5], 2003, 4, 1000)
	end := time.Date(2007, 12, 31, 23, 0, 0, 0, time.UTC)
	tb, err := Build(ev, &Options{Period: Year, End: end})
	require.NoError(t, err)
	require.Equal(t, fhRegular, tb.Surviving[:8])
	require.Equal(t, fhRegular[:5], tb.Surviving[8:13])

	pr, err := Project(context.Background(), tb, &ProjectOptions{Periods: 3, Lapse: NoLapse})
	require.NoError(t, err)
	// The life-table pooling of two cohorts with the same retention is
	// twice the series, which has the same maximum-likelihood estimates.
	want := make([]float64, len(fhRegular))
	for i, v := range fhRegular {
		want[i] = 2 * v
	}
	require.Len(t, pr.Pooled.Alive, len(want))
	for i := range want {
		assert.InDelta(t, want[i], pr.Pooled.Alive[i], 1e-9)
	}
	m := pr.Pooled.Model
	assert.InDelta(t, 0.704, m.Alpha, 0.0005, "Fader & Hardie (2007) α")
	assert.InDelta(t, 1.182, m.Beta, 0.0005, "Fader & Hardie (2007) β")
	assert.InDelta(t, 1.0, pr.ActiveRate, 1e-12, "everyone surviving buys every year")
	assert.InDelta(t, 10.0, pr.RevenuePerActive, 1e-12)
	assert.InDelta(t, 10.0, pr.NetRevenuePerActive, 1e-12)

	// Horizon: the oldest cohort's last age (7) + 3 periods = age 10.
	pt := pr.Table
	require.Equal(t, 11+11, pt.Len())
	for i := 0; i < 8; i++ {
		assert.False(t, pt.Projected[i])
	}
	// Cohort 2000 from age 8, anchored at its last fitted age 7 (241):
	// surviving(k) = 241 S(k)/S(7), with S from the published estimates.
	cum := pt.CumulativeRevenuePerCustomer[7]
	assert.InDelta(t, 10*(1000+631+468+382+326+289+262+241)/1000.0, cum, 1e-9)
	for k := 8; k <= 10; k++ {
		i := k
		s := 241 * math.Exp(lnSurvival(0.704, 1.182, k)-lnSurvival(0.704, 1.182, 7))
		assert.True(t, pt.Projected[i])
		assert.False(t, pt.Complete[i])
		assert.Equal(t, k, pt.Age[i])
		assert.InDelta(t, s, pt.Surviving[i], 0.01*s, "age %d", k)
		assert.InDelta(t, pt.Surviving[i], pt.Active[i], 1e-9)
		assert.InDelta(t, pt.Active[i]/1000, pt.Retention[i], 1e-12)
		assert.InDelta(t, 10*pt.Active[i], pt.Revenue[i], 1e-9)
		cum += pt.Revenue[i] / 1000
		assert.InDelta(t, cum, pt.CumulativeRevenuePerCustomer[i], 1e-9)
		assert.InDelta(t, cum, pt.CumulativeNetRevenuePerCustomer[i], 1e-9)
	}
	// Cohort 2003 from age 5 to 10, anchored at age 4 (326).
	require.Equal(t, "2003-01-01", pt.Cohort[11].Format(CohortLayout))
	for k := 5; k <= 10; k++ {
		i := 11 + k
		s := 326 * math.Exp(lnSurvival(0.704, 1.182, k)-lnSurvival(0.704, 1.182, 4))
		assert.True(t, pt.Projected[i])
		assert.InDelta(t, s, pt.Surviving[i], 0.01*s, "age %d", k)
	}
	// The projected survivors decline and their retention rate rises, as
	// the sBG implies.
	for i := 9; i <= 10; i++ {
		assert.Less(t, pt.Surviving[i], pt.Surviving[i-1])
		assert.Greater(t, pt.Surviving[i]/pt.Surviving[i-1], pt.Surviving[i-1]/pt.Surviving[i-2])
	}
	// The input table is not modified.
	assert.Equal(t, 8+5, tb.Len())

	// Per cohort: cohort 2000 alone gives the published estimates again.
	pc, err := Project(context.Background(), tb, &ProjectOptions{Periods: 3, Lapse: NoLapse, PerCohort: true})
	require.NoError(t, err)
	require.Len(t, pc.Cohorts, 2)
	assert.Equal(t, fhRegular, pc.Cohorts[0].Alive)
	assert.InDelta(t, 0.704, pc.Cohorts[0].Model.Alpha, 0.0005)
	assert.InDelta(t, 1.182, pc.Cohorts[0].Model.Beta, 0.0005)
	assert.Equal(t, fhRegular[:5], pc.Cohorts[1].Alive)
	m2 := pc.Cohorts[1].Model
	assert.InDelta(t, 326*m2.Survival(5)/m2.Survival(4), pc.Table.Surviving[16], 1e-9)
	assert.Empty(t, pc.Warnings)

	// The default lapse for years (1) leaves the last complete year out of
	// the fit.
	pd, err := Project(context.Background(), tb, nil)
	require.NoError(t, err)
	assert.Len(t, pd.Pooled.Alive, 7)
	assert.Equal(t, 7+12, pd.Table.Age[pd.Table.Len()-1])
}

func TestProjectErrors(t *testing.T) {
	var ev Events
	retentionEvents(&ev, fhRegular, 2000, 7, 0)
	tb, err := Build(ev, &Options{Period: Year})
	require.NoError(t, err)
	ctx := context.Background()

	_, err = Project(ctx, tb, &ProjectOptions{Periods: -1})
	assert.ErrorIs(t, err, ErrBadOption)
	_, err = Project(ctx, tb, &ProjectOptions{Lapse: -2})
	assert.ErrorIs(t, err, ErrBadOption)
	pr, err := Project(ctx, tb, &ProjectOptions{Lapse: NoLapse})
	require.NoError(t, err)
	_, err = Project(ctx, pr.Table, nil)
	assert.ErrorIs(t, err, ErrBadOption, "already projected")

	// A lapse as long as the observation leaves nothing to fit.
	_, err = Project(ctx, tb, &ProjectOptions{Lapse: 7})
	assert.ErrorIs(t, err, ErrTooFewAges)

	// Nobody lapses: the sBG has no finite estimate.
	var flat Events
	retentionEvents(&flat, []float64{50, 50, 50}, 2000, 2, 0)
	ft, err := Build(flat, &Options{Period: Year})
	require.NoError(t, err)
	_, err = Project(ctx, ft, &ProjectOptions{Lapse: NoLapse})
	assert.ErrorIs(t, err, clv.ErrBadData)
	// The observation ends at the last event (1 June 2002): year 2 is
	// incomplete, so ages 0 and 1 are fitted.
	assert.Contains(t, err.Error(), "pooled survival [50 50]")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = Project(cctx, tb, &ProjectOptions{Lapse: NoLapse})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestPooledAliveNeverRises: where no customer lapsed at an age the pooled
// ratio is exactly 1, and the product alive[k-1]·num/den, rounded, once
// came out one unit in the last place above alive[k-1] (the retailer's
// invoices by day), which FitSBG refuses as a rising survival count.
func TestPooledAliveNeverRises(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		tab := &Table{}
		var fits []cohortFit
		for c := range 3 {
			lo := len(tab.Surviving)
			n := float64(100 + rng.IntN(5000))
			ages := 3 + rng.IntN(30)
			for k := range ages {
				if k > 0 && rng.IntN(3) == 0 {
					n -= float64(rng.IntN(int(n)/4 + 1))
				}
				tab.Surviving = append(tab.Surviving, n)
			}
			fits = append(fits, cohortFit{span: [2]int{lo, lo + ages}, lastFit: ages - 1 - c})
		}
		alive := pooledAlive(tab, fits)
		for k := 1; k < len(alive); k++ {
			require.LessOrEqual(t, alive[k], alive[k-1], "trial %d, age %d", trial, k)
		}
	}
}

func TestSeriesText(t *testing.T) {
	assert.Equal(t, "[1000 631.5 0.33]", seriesText([]float64{1000, 631.5, 1.0 / 3}))
	long := make([]float64, 300)
	for i := range long {
		long[i] = float64(300 - i)
	}
	assert.Equal(t, "[300 299 298 297 296 295 294 293 … (300 values) 2 1]", seriesText(long))
}
