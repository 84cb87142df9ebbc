package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimpleValue(t *testing.T) {
	freq := []float64{4, 12, 0.5}
	aov := []float64{50, 20, 200}
	tenure := []float64{3, 2.5, 10}
	in := [][]float64{append([]float64(nil), freq...), append([]float64(nil), aov...), append([]float64(nil), tenure...)}

	// Undiscounted: frequency × AOV × margin × tenure.
	got, err := Simple{Margin: 0.3}.Value(nil, freq, aov, tenure)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{4 * 50 * 0.3 * 3, 12 * 20 * 0.3 * 2.5, 0.5 * 200 * 0.3 * 10}, got, 1e-12)
	assert.Equal(t, in, [][]float64{freq, aov, tenure}, "inputs not modified")

	// Zero margin means 1 (revenue).
	got, err = Simple{}.Value(nil, freq, aov, tenure)
	require.NoError(t, err)
	assert.InDelta(t, 600, got[0], 1e-12)

	// Discounted, end of period, whole tenure: an explicit sum.
	s := Simple{Margin: 0.3, DiscountRate: 0.1}
	got, err = s.Value(nil, freq, aov, tenure)
	require.NoError(t, err)
	want0 := 0.0
	for tt := 1; tt <= 3; tt++ {
		want0 += 60 / math.Pow(1.1, float64(tt))
	}
	assert.InDelta(t, want0, got[0], 1e-12) // 149.2111…
	assert.InDelta(t, 149.21111945905335, got[0], 1e-9)
	// A fractional tenure lies between its neighbours.
	lo, _ := s.Value(nil, []float64{12}, []float64{20}, []float64{2})
	hi, _ := s.Value(nil, []float64{12}, []float64{20}, []float64{3})
	assert.True(t, lo[0] < got[1] && got[1] < hi[0])

	// Start of period: the first period undiscounted, all factors × 1.1.
	got2, err := Simple{Margin: 0.3, DiscountRate: 0.1, StartOfPeriod: true}.Value(nil, freq, aov, tenure)
	require.NoError(t, err)
	assert.InDelta(t, 60+60/1.1+60/1.21, got2[0], 1e-12)

	// A horizon caps the tenure.
	got3, err := Simple{Margin: 0.3, Horizon: 2}.Value(nil, freq, aov, tenure)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{120, 144, 60}, got3, 1e-12)

	// dst reuse, including aliasing an input.
	dst := append([]float64(nil), freq...)
	out, err := Simple{Margin: 0.3}.Value(dst, dst, aov, tenure)
	require.NoError(t, err)
	assert.Same(t, &dst[0], &out[0])
	assert.InDelta(t, 180, dst[0], 1e-12)
}

func TestSimpleValueRetention(t *testing.T) {
	freq, aov := []float64{2, 1}, []float64{50, 80}
	ret := []float64{0.8, 0.5}

	// No discount, no horizon: value × 1/(1−r) = value × expected tenure.
	got, err := Simple{Margin: 0.5}.ValueRetention(nil, freq, aov, ret)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{50 * 5, 40 * 2}, got, 1e-12)
	tenure, err := ExpectedTenure(0.8)
	require.NoError(t, err)
	assert.InDelta(t, 5, tenure, 1e-12)

	// Discounted: m/(1+d−r) (Gupta & Lehmann 2003, margin multiple
	// r/(1+d−r) once the first period's retention is included), checked
	// against the series Σ r^(t−1)/(1+d)^t.
	s := Simple{Margin: 0.5, DiscountRate: 0.12}
	got, err = s.ValueRetention(nil, freq, aov, ret)
	require.NoError(t, err)
	series := func(r, d float64, h int) float64 {
		sum := 0.0
		for tt := 1; tt <= h; tt++ {
			sum += math.Pow(r, float64(tt-1)) / math.Pow(1+d, float64(tt))
		}
		return sum
	}
	assert.InDelta(t, 50*series(0.8, 0.12, 2000), got[0], 1e-9)
	assert.InDelta(t, 50/(1.12-0.8), got[0], 1e-9)
	assert.InDelta(t, 40*series(0.5, 0.12, 2000), got[1], 1e-9)

	// With a horizon of 5 periods.
	s.Horizon = 5
	got, err = s.ValueRetention(nil, freq, aov, ret)
	require.NoError(t, err)
	assert.InDelta(t, 50*series(0.8, 0.12, 5), got[0], 1e-9)
	// Retention 1 is fine with a horizon (every period counts) …
	got, err = Simple{Horizon: 4}.ValueRetention(nil, []float64{1}, []float64{10}, []float64{1})
	require.NoError(t, err)
	assert.InDelta(t, 40, got[0], 1e-12)
	// … or a discount rate (a perpetuity, 1/d) …
	got, err = Simple{DiscountRate: 0.05}.ValueRetention(nil, []float64{1}, []float64{10}, []float64{1})
	require.NoError(t, err)
	assert.InDelta(t, 200, got[0], 1e-9)
	// … but infinite without either.
	_, err = Simple{}.ValueRetention(nil, []float64{1, 1}, []float64{10, 10}, []float64{0.5, 1})
	require.ErrorIs(t, err, ErrBadData)
	assert.Contains(t, err.Error(), "retention[1]")
	// Retention 0: only the current period.
	got, err = Simple{DiscountRate: 0.1}.ValueRetention(nil, []float64{1}, []float64{11}, []float64{0})
	require.NoError(t, err)
	assert.InDelta(t, 10, got[0], 1e-12)
}

func TestSimplePastValue(t *testing.T) {
	got, err := Simple{Margin: 0.25}.PastValue(nil, []float64{100, -40, 0})
	require.NoError(t, err)
	assert.Equal(t, []float64{25, -10, 0}, got)
	_, err = Simple{}.PastValue(nil, []float64{1, math.NaN()})
	require.ErrorIs(t, err, ErrBadData)
	assert.Contains(t, err.Error(), "revenue[1]")
	_, err = Simple{}.PastValue(make([]float64, 1), []float64{1, 2})
	assert.ErrorIs(t, err, ErrBadData)
}

func TestSimpleErrors(t *testing.T) {
	ok := []float64{1, 1}
	for _, tc := range []struct {
		name            string
		s               Simple
		freq, aov, last []float64
		dst             []float64
		sentinel        error
		want            string
	}{
		{"negative frequency", Simple{}, []float64{1, -1}, ok, ok, nil, ErrBadData, "frequency[1]"},
		{"NaN aov", Simple{}, ok, []float64{math.NaN(), 1}, ok, nil, ErrBadData, "aov[0]"},
		{"Inf tenure", Simple{}, ok, ok, []float64{1, math.Inf(1)}, nil, ErrBadData, "tenure[1]"},
		{"negative tenure", Simple{}, ok, ok, []float64{-2, 1}, nil, ErrBadData, "tenure[0]"},
		{"lengths", Simple{}, ok, []float64{1}, ok, nil, ErrBadData, "lengths differ"},
		{"dst length", Simple{}, ok, ok, ok, make([]float64, 3), ErrBadData, "dst"},
		{"margin above 1", Simple{Margin: 1.2}, ok, ok, ok, nil, ErrBadParams, "margin"},
		{"negative margin", Simple{Margin: -0.1}, ok, ok, ok, nil, ErrBadParams, "margin"},
		{"negative discount", Simple{DiscountRate: -0.1}, ok, ok, ok, nil, ErrBadParams, "discount"},
		{"NaN horizon", Simple{Horizon: math.NaN()}, ok, ok, ok, nil, ErrBadParams, "horizon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.Value(tc.dst, tc.freq, tc.aov, tc.last)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.sentinel), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := Simple{}.ValueRetention(nil, ok, ok, []float64{0.5, 1.5})
	require.ErrorIs(t, err, ErrBadData)
	assert.Contains(t, err.Error(), "retention[1]")
	for _, r := range []float64{1, -0.1, math.NaN()} {
		_, err := ExpectedTenure(r)
		assert.ErrorIs(t, err, ErrBadParams, "r = %v", r)
	}
}

func BenchmarkSimpleValue1M(b *testing.B) {
	const n = 1_000_000
	freq, aov, tenure, dst := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range freq {
		freq[i], aov[i], tenure[i] = float64(1+i%7), float64(10+i%90), float64(1+i%5)
	}
	s := Simple{Margin: 0.3, DiscountRate: 0.1}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Value(dst, freq, aov, tenure); err != nil {
			b.Fatal(err)
		}
	}
}
