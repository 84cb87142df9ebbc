package clv

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitBadData(t *testing.T) {
	ctx := context.Background()
	good := func() Data {
		return Data{Frequency: []float64{0, 2, 1}, Recency: []float64{0, 5, 3}, T: []float64{10, 10, 8}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(d *Data)
		substr string
	}{
		{"empty", func(d *Data) { *d = Data{} }, "no customers"},
		{"lengths", func(d *Data) { d.T = d.T[:2] }, "lengths"},
		{"negative x", func(d *Data) { d.Frequency[1] = -1 }, "frequency[1] = -1, want a whole number >= 0"},
		{"fractional x", func(d *Data) { d.Frequency[1] = 1.5 }, "frequency[1] = 1.5, want a whole number >= 0: clv: bad data"},
		{"NaN recency", func(d *Data) { d.Recency[2] = math.NaN() }, "recency[2] = NaN, want 0 <= recency <= T (8)"},
		{"recency > T", func(d *Data) { d.Recency[2] = 9 }, "recency[2] = 9, want 0 <= recency <= T (8)"},
		{"zero T with repeat purchases", func(d *Data) { d.T[1] = 0 }, "recency[1] = 5, want 0 <= recency <= T (0)"},
		{"negative T", func(d *Data) { d.T[0] = -1 }, "T[0] = -1, want finite and >= 0"},
		{"Inf T", func(d *Data) { d.T[0] = math.Inf(1) }, "T[0] = +Inf, want finite and >= 0"},
		{"recency without purchases", func(d *Data) { d.Recency[0] = 1 }, "recency[0] = 1, want 0 with frequency 0"},
		{"negative weight", func(d *Data) { d.Weights = []float64{1, -1, 1} }, "weights[1] = -1, want finite and >= 0"},
		{"weights length", func(d *Data) { d.Weights = []float64{1} }, "weights"},
		{"zero weights", func(d *Data) { d.Weights = []float64{0, 0, 0} }, "weights sum"},
		{"no repeat purchases", func(d *Data) { d.Frequency = []float64{0, 0, 0}; d.Recency = []float64{0, 0, 0} }, "no repeat"},
	} {
		d := good()
		tc.edit(&d)
		for _, fit := range []func() error{
			func() error { _, err := FitBGNBD(ctx, d, nil); return err },
			func() error { _, err := FitParetoNBD(ctx, d, nil); return err },
			func() error { _, err := FitMBGNBD(ctx, d, nil); return err },
		} {
			err := fit()
			require.Error(t, err, tc.name)
			assert.ErrorIs(t, err, ErrBadData, tc.name)
			assert.Contains(t, err.Error(), tc.substr, tc.name)
		}
	}
	// The input is not modified by a fit.
	d := cdnowSummary(t)
	before := append([]float64(nil), d.Recency...)
	_, err := FitParetoNBD(ctx, d, nil)
	require.NoError(t, err)
	assert.Equal(t, before, d.Recency)
}

func TestFitNotConverged(t *testing.T) {
	d := cdnowSummary(t)
	_, err := FitBGNBD(context.Background(), d, &FitOptions{MaxIterations: 2})
	assert.ErrorIs(t, err, ErrNotConverged)
	_, err = FitParetoNBD(context.Background(), d, &FitOptions{MaxIterations: 2})
	assert.ErrorIs(t, err, ErrNotConverged)
	_, err = FitBGNBD(context.Background(), d, &FitOptions{Init: []float64{1, 2}})
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = FitBGNBD(context.Background(), d, &FitOptions{Init: []float64{1, 2, -1, 1}})
	assert.ErrorIs(t, err, ErrBadParams)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = FitParetoNBD(ctx, d, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestWeightedEqualsExpanded fits the CDNOW data once row by row and once
// as weighted distinct rows: same estimates, log-likelihood and customers.
func TestWeightedEqualsExpanded(t *testing.T) {
	d := cdnowSummary(t)
	type key [3]float64
	idx := map[key]int{}
	var w Data
	for i := range d.Frequency {
		k := key{d.Frequency[i], d.Recency[i], d.T[i]}
		j, ok := idx[k]
		if !ok {
			j = len(w.Frequency)
			idx[k] = j
			w.Frequency = append(w.Frequency, k[0])
			w.Recency = append(w.Recency, k[1])
			w.T = append(w.T, k[2])
			w.Weights = append(w.Weights, 0)
		}
		w.Weights[j]++
	}
	ctx := context.Background()
	a, err := FitBGNBD(ctx, d, nil)
	require.NoError(t, err)
	b, err := FitBGNBD(ctx, w, nil)
	require.NoError(t, err)
	assert.InDeltaSlice(t, a.Params().Values, b.Params().Values, 1e-6)
	assert.InDelta(t, a.Info.LogLikelihood, b.Info.LogLikelihood, 1e-8)
	assert.Equal(t, 2357.0, b.Info.Customers)
	assert.Equal(t, len(w.Frequency), b.Info.Tuples)
}

// TestZeroAge: a customer acquired on the last day of the period (T = 0,
// so x = t_x = 0) adds nothing to the likelihood (the probability of no
// repeat purchase in no time is 1) and is predicted as a new customer.
func TestZeroAge(t *testing.T) {
	ctx := context.Background()
	d := cdnowSummary(t)
	withNew := Data{
		Frequency: append(append([]float64(nil), d.Frequency...), 0, 0),
		Recency:   append(append([]float64(nil), d.Recency...), 0, 0),
		T:         append(append([]float64(nil), d.T...), 0, 0),
	}
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
		m1, err := Fit(ctx, name, d, nil)
		require.NoError(t, err, name)
		m2, err := Fit(ctx, name, withNew, nil)
		require.NoError(t, err, name)
		assert.InDelta(t, m1.FitInfo().LogLikelihood, m2.FitInfo().LogLikelihood, 1e-6, name)
		tm := m2.(TransactionModel)
		c := Customer{}
		pa := tm.ProbAlive(c)
		got := tm.ConditionalExpectedPurchases(39, c)
		assert.False(t, math.IsNaN(got) || math.IsInf(got, 0), name)
		if name == NameMBGNBD {
			// MBG/NBD lets a customer drop out at the first purchase itself.
			assert.True(t, pa > 0 && pa < 1, name)
			continue
		}
		assert.InDelta(t, 1, pa, 1e-9, name)
		assert.InDelta(t, tm.ExpectedPurchases(39), got, 1e-9, name)
	}
}
