package analysis

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
)

const shop = `customer_id,time,kind,amount,referred_id
a,2024-01-01,purchase,10,
a,2024-02-01,purchase,20,
a,2024-03-05,purchase,30,
a,2024-03-06,referral,,c
b,2024-01-10,purchase,50,
b,2024-01-20,refund,10,
c,2024-03-06,purchase,15,
c,2024-05-01,purchase,25,
d,2024-02-01,share,,
`

func shopSummary(t *testing.T) *valuekit.Summary {
	t.Helper()
	ev, err := valuekit.ReadCSV(strings.NewReader(shop), "shop.csv", nil)
	require.NoError(t, err)
	s, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{Unit: valuekit.Week})
	require.NoError(t, err)
	return s
}

// Predict is the clv calls on the customers with a purchase, scattered
// back: d (no purchase) is present but not scored; referral value credits a
// with half of c's CLV; the mean purchase amount is the default spend and
// b's refund is netted.
func TestPredictScatter(t *testing.T) {
	s := shopSummary(t)
	m := &clv.BGNBD{R: 0.5, Alpha: 4, A: 0.8, B: 2.4, Timing: clv.Timing{Unit: valuekit.Week, HasUnit: true}}
	var notes []string
	p, err := Predict(context.Background(), s, PredictOptions{
		Model: m, Horizon: 52, ReferralShare: 0.5, Report: func(l string) { notes = append(notes, l) },
	})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c", "d"}, p.CustomerID)
	assert.Equal(t, []bool{true, true, true, false}, p.Scored)
	assert.Equal(t, 0.0, p.CLV[3])
	assert.Equal(t, 0.0, p.ExpectedPurchases[3])
	assert.InDelta(t, 25.0, p.SpendPerPurchase, 1e-12, "revenue 150 over 6 purchase events")
	require.Len(t, notes, 2)
	assert.Contains(t, notes[0], "spend per purchase: 25.00")
	assert.Contains(t, notes[1], "clv: expected revenue net of refunds")

	in, err := ModelRows(s)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2}, in.Rows)
	for k, i := range in.Rows {
		c := in.Data.Customer(k)
		assert.Equal(t, m.ConditionalExpectedPurchases(52, c), p.ExpectedPurchases[i])
		assert.Equal(t, m.ProbAlive(c), p.PAlive[i])
	}
	co := clv.CLVOptions{Horizon: 52, SpendPerPurchase: p.SpendPerPurchase, Refunds: RefundRatios(s, in.Rows)}
	require.NotNil(t, co.Refunds)
	want := make([]float64, 3)
	require.NoError(t, clv.CLVBatch(context.Background(), want, m, in.Data, co))
	assert.Equal(t, want, []float64{p.CLV[0], p.CLV[1], p.CLV[2]})
	assert.Less(t, p.CLV[1]/p.ExpectedPurchases[1], p.SpendPerPurchase, "b's refund is netted")
	require.NotNil(t, p.TotalValue)
	assert.InDelta(t, p.CLV[0]+0.5*p.CLV[2], p.TotalValue[0], 1e-9)
	assert.Nil(t, p.CLVLower, "a model built from parameters has no intervals")

	tab := p.Table()
	assert.Equal(t, []string{"customer_id", "expected_purchases", "p_alive", "clv", "referral_value", "total_value", "spend",
		"frequency", "recency", "T", "monetary_value"}, tab.Names())
}

func TestPredictErrors(t *testing.T) {
	s := shopSummary(t)
	ctx := context.Background()
	m := &clv.BGNBD{R: 0.5, Alpha: 4, A: 0.8, B: 2.4}
	_, err := Predict(ctx, s, PredictOptions{Model: m, Horizon: 52, ReferralShare: 2})
	assert.ErrorIs(t, err, clv.ErrBadParams)
	_, err = Predict(ctx, s, PredictOptions{Model: m, Horizon: 52, Intervals: 1, IntervalDraws: true})
	assert.ErrorIs(t, err, clv.ErrBadParams)
	_, err = Predict(ctx, s, PredictOptions{Model: m, Horizon: -1})
	assert.ErrorIs(t, err, clv.ErrBadParams)
	_, err = Predict(ctx, s, PredictOptions{Model: m, Horizon: 52, Spend: Spend{PerPurchase: -3}})
	assert.ErrorIs(t, err, clv.ErrBadParams)
	_, err = Predict(ctx, s, PredictOptions{ModelName: "nope", Horizon: 52})
	assert.ErrorIs(t, err, clv.ErrUnknownModel)
}

// The defaults say what they compute: a year is 52 weeks (52 steps), an
// annual rate discounts a year by 1/(1+a) per step or continuously, and the
// default spend is revenue per purchase day (the models' unit of count).
func TestDefaults(t *testing.T) {
	for unit, want := range map[valuekit.Unit]float64{valuekit.Day: 365, valuekit.Week: 52, valuekit.Month: 12, valuekit.Year: 1} {
		assert.Equal(t, want, DefaultHorizon(unit), unit.String())
	}
	for _, unit := range []valuekit.Unit{valuekit.Day, valuekit.Week, valuekit.Month} {
		n := 365.25 / unit.Days()
		r := AnnualRate(0.1, unit, false)
		assert.InDelta(t, 1/1.1, math.Pow(1+r, -n), 1e-12, unit.String())
		c := AnnualRate(0.1, unit, true)
		assert.InDelta(t, 1/1.1, math.Exp(-c*n), 1e-12, unit.String()+" continuous")
	}

	// Two purchases on one day are one purchase day: 30 over 2 days.
	ev, err := valuekit.ReadCSV(strings.NewReader("customer_id,time,amount\na,2024-01-01,10\na,2024-01-01,5\na,2024-02-01,15\n"), "s.csv", nil)
	require.NoError(t, err)
	s, err := valuekit.Summarize(context.Background(), ev, nil)
	require.NoError(t, err)
	in, err := ModelRows(s)
	require.NoError(t, err)
	var co clv.CLVOptions
	require.NoError(t, SetSpend(context.Background(), &co, Spend{}, s, in, nil))
	assert.Equal(t, 15.0, co.SpendPerPurchase)
}

// An end date before every purchase says so, not only "no purchase".
func TestModelRowsNoPurchaseSaysWhy(t *testing.T) {
	ev, err := valuekit.ReadFile("../testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	s, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{End: time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	_, err = ModelRows(s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "up to 1996-01-01; 6919 events come after it: is the end date right?")
}

// With parameter draws the forecast and the interval pass report on one
// scale, the draws weighted by their count: done only rises, and reaches a
// total that stays the same (1M generated customers took 30 s of draws
// with nothing shown after the forecast's bar had finished).
func TestPredictDrawsProgress(t *testing.T) {
	ctx := context.Background()
	ev, err := valuekit.ReadFile("../testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	s, err := valuekit.Summarize(ctx, ev, &valuekit.SummaryOptions{Unit: valuekit.Week, End: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	opts := PredictOptions{ModelName: clv.NameBGNBD, Horizon: 52, Intervals: 20, IntervalDraws: true}
	quiet, err := Predict(ctx, s, opts)
	require.NoError(t, err)

	var done, totals []int
	opts.Progress = func(d, total int) { done, totals = append(done, d), append(totals, total) }
	p, err := Predict(ctx, s, opts)
	require.NoError(t, err)
	assert.Equal(t, quiet.CLVLower, p.CLVLower, "progress changes nothing")
	require.NotEmpty(t, done)
	for k := range done {
		assert.Equal(t, totals[0], totals[k])
		if k > 0 {
			assert.GreaterOrEqual(t, done[k], done[k-1])
		}
	}
	assert.Equal(t, totals[0], done[len(done)-1])
	in, err := ModelRows(s)
	require.NoError(t, err)
	histories := map[[3]float64]bool{}
	for k := range in.Data.Len() {
		histories[[3]float64{in.Data.Frequency[k], in.Data.Recency[k], in.Data.T[k]}] = true
	}
	assert.Equal(t, len(histories)*(1+20), totals[0], "a history counts 1 + 20 times")
}
