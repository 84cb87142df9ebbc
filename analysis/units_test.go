package analysis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
)

// A model's rates are per unit of time: scoring must use the unit the model
// was fitted in, default the horizon from it, and refuse data in another
// unit (issue 15: a weekly model over "365" gave 6.03 purchases instead of
// ≈1.5; BG/BB on yearly donations got a 365-year horizon).
func TestResolveScale(t *testing.T) {
	week := clv.Timing{Unit: valuekit.Week, HasUnit: true, End: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)}
	model := func(tm clv.Timing) clv.Model {
		return &clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Timing: tm}
	}
	bgbb := &clv.BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	data := func(u valuekit.Unit, assumed, discrete bool) *customers.Summary {
		return &customers.Summary{Unit: u, UnitAssumed: assumed, Discrete: discrete}
	}
	tests := []struct {
		name            string
		m               clv.Model
		s               *customers.Summary
		horizon, annual float64
		unit            valuekit.Unit
		known           bool
		wantHorizon     float64
		note, err       string
	}{
		{"same unit: a year is 52 weeks", model(week), data(valuekit.Week, false, false), 0, 0, valuekit.Week, true, 52, "horizon: 52 weeks", ""},
		{"data without unit take the model's", model(week), data(valuekit.Day, true, false), 0, 0, valuekit.Week, true, 52, "taking recency and T in weeks", ""},
		{"model without unit takes the data's", model(clv.Timing{}), data(valuekit.Month, false, false), 0, 0, valuekit.Month, true, 12, "records no time unit", ""},
		{"neither: assumed", model(clv.Timing{}), data(valuekit.Day, true, false), 0, 0, valuekit.Day, false, 365, "assuming days", ""},
		{"given horizon stands", model(week), data(valuekit.Week, false, false), 39, 0, valuekit.Week, true, 39, "", ""},
		{"discrete, period unknown: one period", bgbb, data(valuekit.Day, true, true), 0, 0, valuekit.Day, false, 1, "horizon: 1 period", ""},
		{"discrete, yearly periods", &clv.BGBB{Alpha: 1, Beta: 1, Gamma: 1, Delta: 1, Timing: clv.Timing{Unit: valuekit.Year, HasUnit: true}}, data(valuekit.Day, true, true), 0, 0, valuekit.Year, true, 1, "horizon: 1 year", ""},
		{"mismatch refused", model(week), data(valuekit.Day, false, false), 0, 0, 0, false, 0, "", "rates are per week (it was fitted to data in weeks through 1997-09-30) but the data's recency and T are in days"},
		{"negative horizon", model(week), data(valuekit.Week, false, false), -1, 0, 0, false, 0, "", "horizon -1"},
		{"negative annual rate", model(week), data(valuekit.Week, false, false), 0, -0.1, 0, false, 0, "", "discount rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var notes []string
			c, err := ResolveScale(tt.m, tt.s, tt.horizon, 0, tt.annual, false, func(l string) { notes = append(notes, l) })
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.unit, c.Unit)
			assert.Equal(t, tt.known, c.Known)
			assert.Equal(t, tt.wantHorizon, c.Horizon)
			if tt.note != "" {
				assert.Contains(t, strings.Join(notes, "\n"), tt.note)
			}
		})
	}
	_, err := ResolveScale(model(week), data(valuekit.Day, false, false), 0, 0, 0, false, nil)
	assert.ErrorIs(t, err, ErrUnitMismatch)

	// The annual rate is converted in the model's unit, not the assumed one.
	c, err := ResolveScale(model(week), data(valuekit.Day, true, false), 0, 0, 0.1, false, nil)
	require.NoError(t, err)
	assert.Equal(t, AnnualRate(0.1, valuekit.Week, false), c.DiscountRate)
}

// Predict on the CDNOW sample in weeks with the published BG/NBD estimates:
// customer 1 (x = 2, t_x = 30.43, T = 38.86) expects ≈1.56 purchases over
// the default horizon, one year = 52 weeks; a model fitted by FitSummary
// records the unit and end.
func TestPredictDefaultHorizonFromModel(t *testing.T) {
	ctx := context.Background()
	s, _, err := valuekit.SummarizeFile(ctx, "../testdata/cdnow_sample.csv", nil, &valuekit.SummaryOptions{Unit: valuekit.Week, End: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	m, err := FitSummary(ctx, clv.NameBGNBD, s, nil)
	require.NoError(t, err)
	tm := clv.ModelTiming(m)
	assert.True(t, tm.HasUnit)
	assert.Equal(t, valuekit.Week, tm.Unit)
	assert.Equal(t, "1997-09-30", tm.End.Format(time.DateOnly))

	p, err := Predict(ctx, s, PredictOptions{Model: m.(clv.TransactionModel), Spend: Spend{PerPurchase: 35}})
	require.NoError(t, err)
	require.Equal(t, "1", p.CustomerID[0])
	assert.InDelta(t, 1.5587, p.ExpectedPurchases[0], 1e-3)
	assert.Equal(t, 52.0, p.Scale.Horizon)
	assert.Equal(t, "52 weeks", p.Scale.Describe())
}

// BG/BB counts purchase opportunities (periods); BG/NBD, Pareto/NBD and
// MBG/NBD need times. Mixing them used to run silently: BG/BB on daily
// events took each day for an opportunity, BG/NBD on the yearly donations
// reported "did not converge" with a gradient of 2e-7.
func TestCheckTimeKind(t *testing.T) {
	events := &customers.Summary{Unit: valuekit.Day}
	periods := &customers.Summary{Unit: valuekit.Day, UnitAssumed: true, Discrete: true}
	tests := []struct {
		model string
		s     *customers.Summary
		err   string
	}{
		{clv.NameBGBB, periods, ""},
		{clv.NameBGBB, events, "bgbb is a discrete-time model"},
		{clv.NameBGNBD, events, ""},
		{clv.NameBGNBD, periods, "use --model bgbb"},
		{clv.NameParetoNBD, periods, "use --model bgbb"},
		{clv.NameMBGNBD, periods, "use --model bgbb"},
		{clv.NameGammaGamma, events, ""},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			err := CheckTimeKind(tt.model, tt.s)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrTimeKind)
			assert.Contains(t, err.Error(), tt.err)
		})
	}

	// Scoring refuses too, before any fit.
	bb := &clv.BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	_, err := Predict(context.Background(), &customers.Summary{Unit: valuekit.Day, CustomerID: []string{"1"}, Purchases: []int32{1},
		Frequency: []float64{1}, Recency: []float64{3}, T: []float64{10}, MonetaryValue: []float64{5}, Revenue: []float64{10}, Refunds: []float64{0}},
		PredictOptions{Model: bb, Spend: Spend{PerPurchase: 1}})
	require.ErrorIs(t, err, ErrTimeKind)
}

// The clv's description says what is computed: revenue or profit, net of
// refunds or not, the horizon, and whether (and how) it is discounted —
// undiscounted by default, which the command summary used to call
// "discounted CLV".
func TestDescribeCLV(t *testing.T) {
	weeks := Scale{Unit: valuekit.Week, Known: true, Horizon: 52}
	disc := weeks
	disc.DiscountRate = AnnualRate(0.1, valuekit.Week, false)
	tests := []struct {
		name       string
		c          Scale
		margin     float64
		continuous bool
		refunds    bool
		want       string
	}{
		{"defaults", weeks, 0, false, false, "clv: expected revenue (margin 1: give --margin for profit) over 52 weeks, undiscounted (give --annual-discount-rate to discount)"},
		{"refunds", weeks, 1, false, true, "clv: expected revenue net of refunds (margin 1: give --margin for profit) over 52 weeks, undiscounted"},
		{"margin and rate", disc, 0.3, false, false, "clv: expected profit (revenue × margin 0.3) over 52 weeks, discounted at 0.1828 % per week (10 % a year)"},
		// BG/BB's periods of unknown length: no "per day (1.31e+17 % a year)".
		{"periods", Scale{Unit: valuekit.Day, Periods: true, Horizon: 5, DiscountRate: 0.1}, 0, false, false, "over 5 periods, discounted at 10 % per period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, DescribeCLV(tt.c, tt.margin, tt.continuous, tt.refunds), tt.want)
		})
	}
}
