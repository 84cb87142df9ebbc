package clv

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/event"
)

// TestValueErrorColumnIndex holds the shared vocabulary: a bad value in a
// column is an *event.ValueError naming the column and the 0-based row,
// wrapping ErrBadData, from every entry point that takes columns.
func TestValueErrorColumnIndex(t *testing.T) {
	ctx := context.Background()
	bgnbd := &BGNBD{R: 0.24, Alpha: 4.41, A: 0.79, B: 2.43}
	src := func() rand.Source { return rand.NewPCG(1, 2) }
	dst := make([]float64, 4)
	edit := func(f func(*Data)) Data { d := smallData(); f(&d); return d }
	tests := []struct {
		name   string
		call   func() error
		column string
		index  int
		value  float64
	}{
		{"fit frequency", func() error {
			_, err := FitBGNBD(ctx, edit(func(d *Data) { d.Frequency[3] = 2.5 }), nil)
			return err
		}, "frequency", 3, 2.5},
		{"fit T", func() error {
			_, err := FitParetoNBD(ctx, edit(func(d *Data) { d.T[1] = math.NaN() }), nil)
			return err
		}, "T", 1, math.NaN()},
		{"fit weights", func() error {
			_, err := FitMBGNBD(ctx, edit(func(d *Data) { d.Weights = []float64{1, 1, math.Inf(1), 1} }), nil)
			return err
		}, "weights", 2, math.Inf(1)},
		{"bgbb recency", func() error {
			_, err := FitBGBB(ctx, Data{Frequency: []float64{0, 1, 2}, Recency: []float64{0, 3, 7}, T: []float64{6, 6, 6}}, nil)
			return err
		}, "recency", 2, 7},
		{"gamma-gamma monetary", func() error {
			_, err := FitGammaGamma(ctx, edit(func(d *Data) { d.Monetary[2] = 0 }), nil)
			return err
		}, "monetary_value", 2, 0},
		{"histogram T", func() error {
			_, _, err := ExpectedRepeatHistogram(bgnbd, edit(func(d *Data) { d.T[0] = -1 }), 5)
			return err
		}, "T", 0, -1},
		{"clv recency", func() error {
			return CLVBatch(ctx, dst, bgnbd, edit(func(d *Data) { d.Recency[2] = 50 }), CLVOptions{Horizon: 1, SpendPerPurchase: 1})
		}, "recency", 2, 50},
		{"clv monetary", func() error {
			return CLVBatch(ctx, dst, bgnbd, edit(func(d *Data) { d.Monetary[1] = -3 }), CLVOptions{Horizon: 1, Spend: &GammaGamma{P: 6.25, Q: 3.74, V: 15.44}})
		}, "monetary_value", 1, -3},
		{"clv refund ratio", func() error {
			return CLVBatch(ctx, dst, bgnbd, smallData(), CLVOptions{Horizon: 1, SpendPerPurchase: 1, Refunds: &Refunds{Ratio: []float64{0, 0, 0, math.NaN()}}})
		}, "refund_ratio", 3, math.NaN()},
		{"simulate T", func() error { _, err := SimulateBGNBD(bgnbd, []float64{1, 0}, src()); return err }, "T", 1, 0},
		{"simulate spend", func() error {
			_, err := SimulateGammaGamma(&GammaGamma{P: 1, Q: 2, V: 1}, []float64{-1}, src())
			return err
		}, "frequency", 0, -1},
		{"simulate bgbb", func() error {
			_, err := SimulateBGBB(&BGBB{Alpha: 1, Beta: 1, Gamma: 1, Delta: 1}, []float64{6, 6.5}, src())
			return err
		}, "n", 1, 6.5},
		{"sbg alive", func() error { _, err := FitSBG(ctx, []float64{100, 80, 90}, nil); return err }, "alive", 2, 90},
		{"simple aov", func() error {
			_, err := (Simple{}).Value(nil, []float64{1, 1}, []float64{1, -1}, []float64{1, 1})
			return err
		}, "aov", 1, -1},
		{"simple retention", func() error {
			_, err := (Simple{}).ValueRetention(nil, []float64{1}, []float64{1}, []float64{1.5})
			return err
		}, "retention", 0, 1.5},
		{"past value", func() error { _, err := (Simple{}).PastValue(nil, []float64{math.Inf(-1)}); return err }, "revenue", 0, math.Inf(-1)},
		{"referrer", func() error {
			_, err := ReferralValue([]float64{1, 2}, []Referral{{0, 1}, {5, 0}}, 0.5, nil)
			return err
		}, "referrer", 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.ErrorIs(t, err, ErrBadData)
			var ve *event.ValueError
			require.True(t, errors.As(err, &ve), "%v is not an *event.ValueError", err)
			assert.Equal(t, tt.column, ve.Column)
			assert.Equal(t, tt.index, ve.Index)
			if math.IsNaN(tt.value) {
				assert.True(t, math.IsNaN(ve.Value), "value %v", ve.Value)
			} else {
				assert.Equal(t, tt.value, ve.Value)
			}
			assert.NotEmpty(t, ve.Reason, "the message says what is wanted")
		})
	}
}

// TestErrBadParamsIsErrOption: ErrBadParams keeps its own text and matches
// the shared event.ErrOption, without ErrBadData doing so.
func TestErrBadParamsIsErrOption(t *testing.T) {
	assert.EqualError(t, ErrBadParams, "clv: bad parameters")
	assert.ErrorIs(t, ErrBadParams, event.ErrOption)
	assert.NotErrorIs(t, ErrBadData, event.ErrOption)
	_, err := NewBGNBD(1, -1, 1, 1)
	require.ErrorIs(t, err, ErrBadParams)
	assert.ErrorIs(t, err, event.ErrOption)
	assert.EqualError(t, err, "clv: bad parameters: bgnbd alpha = -1, want positive and finite")
}
