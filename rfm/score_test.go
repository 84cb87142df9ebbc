package rfm

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/segment"
)

// handData has ten customers whose scores are worked out by hand from the
// rule score = 1 + ⌊5·L/10⌋, L = customers strictly worse.
var handData = Data{
	DaysSinceLastPurchase: []float64{0, 5, 10, 20, 40, 60, 90, 120, 200, 400},
	Purchases:             []float64{5, 2, 1, 5, 1, 2, 1, 1, 1, 1},
	Monetary:              []float64{500, 90, 30, 300, 20, 80, 10, 60, 40, 5},
}

func u8(x ...uint8) []uint8 { return x }

func TestScoreByHand(t *testing.T) {
	s, err := Score(handData, nil)
	require.NoError(t, err)
	assert.Equal(t, 5, s.Bins)
	// DaysSinceLastPurchase: strictly older customers L = 9, 8, …, 0.
	assert.Equal(t, u8(5, 5, 4, 4, 3, 3, 2, 2, 1, 1), s.R)
	// Purchases: six one-time buyers (L = 0 → 1), two with 2 (L = 6 → 4),
	// two with 5 (L = 8 → 5): ties share a score, F = 2 and 3 are empty.
	assert.Equal(t, u8(5, 4, 1, 5, 1, 4, 1, 1, 1, 1), s.F)
	// Monetary: distinct values, L = rank − 1.
	assert.Equal(t, u8(5, 4, 2, 5, 2, 4, 1, 3, 3, 1), s.M)
	assert.Equal(t, []float64{10, 40, 90, 200}, s.RecencyCuts)
	assert.Equal(t, []float64{1, 1, 1, 2}, s.FrequencyCuts)
	assert.Equal(t, []float64{10, 30, 60, 90}, s.MonetaryCuts)
}

func TestScoreFixedCuts(t *testing.T) {
	d := Data{
		DaysSinceLastPurchase: []float64{0, 29, 30, 31, 89, 90, 364, 365, 1000},
		Purchases:             []float64{0, 1, 2, 3, 5, 6, 10, 11, 100},
		Monetary:              []float64{-5, 0, 10, 50, 99, 100, 500, 501, 1e6},
	}
	s, err := Score(d, &Options{
		RecencyCuts:   []float64{30, 90, 180, 365},
		FrequencyCuts: []float64{1, 2, 5, 10},
		MonetaryCuts:  []float64{0, 50, 100, 500},
	})
	require.NoError(t, err)
	// Less than 30 days → 5; exactly 30 → 4; 365 or more → 1.
	assert.Equal(t, u8(5, 5, 4, 4, 4, 3, 2, 1, 1), s.R)
	assert.Equal(t, u8(1, 1, 2, 3, 3, 4, 4, 5, 5), s.F)
	assert.Equal(t, u8(1, 1, 2, 2, 3, 3, 4, 5, 5), s.M)
}

func TestScoreBins(t *testing.T) {
	s, err := Score(handData, &Options{Bins: 2})
	require.NoError(t, err)
	// Median split: 1 + ⌊2·L/10⌋.
	assert.Equal(t, u8(2, 2, 2, 2, 2, 1, 1, 1, 1, 1), s.R)
	assert.Equal(t, u8(2, 2, 1, 2, 1, 2, 1, 1, 1, 1), s.F)
	assert.Equal(t, u8(2, 2, 1, 2, 1, 2, 1, 2, 1, 1), s.M)
}

// brute returns 1 + ⌊k·L/n⌋ with L the number of values strictly worse.
func brute(x []float64, k int, lowerIsBetter bool) []uint8 {
	out := make([]uint8, len(x))
	for i, v := range x {
		worse := 0
		for _, w := range x {
			if (!lowerIsBetter && w < v) || (lowerIsBetter && w > v) {
				worse++
			}
		}
		out[i] = uint8(1 + k*worse/len(x))
	}
	return out
}

func TestScoreProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(300)
		k := 2 + rng.IntN(9)
		d := Data{DaysSinceLastPurchase: make([]float64, n), Purchases: make([]float64, n), Monetary: make([]float64, n)}
		for i := range n {
			d.DaysSinceLastPurchase[i] = float64(rng.IntN(1 + rng.IntN(400)))
			d.Purchases[i] = float64(rng.IntN(1 + rng.IntN(10)))
			d.Monetary[i] = math.Round(100*rng.NormFloat64()*10) / 100
		}
		orig := Data{slices.Clone(d.DaysSinceLastPurchase), slices.Clone(d.Purchases), slices.Clone(d.Monetary)}
		s, err := Score(d, &Options{Bins: k})
		require.NoError(t, err)
		require.Equal(t, orig, d, "input modified")
		require.Equal(t, brute(d.DaysSinceLastPurchase, k, true), s.R, "trial %d", trial)
		require.Equal(t, brute(d.Purchases, k, false), s.F, "trial %d", trial)
		require.Equal(t, brute(d.Monetary, k, false), s.M, "trial %d", trial)
		// Quantile cuts reproduce the same scores as fixed cuts.
		s2, err := Score(d, &Options{Bins: k, RecencyCuts: s.RecencyCuts, FrequencyCuts: s.FrequencyCuts, MonetaryCuts: s.MonetaryCuts})
		require.NoError(t, err)
		require.Equal(t, s.R, s2.R)
		require.Equal(t, s.F, s2.F)
		require.Equal(t, s.M, s2.M)
	}
}

func TestScoreErrors(t *testing.T) {
	bad := func(mod func(d *Data)) Data {
		d := Data{slices.Clone(handData.DaysSinceLastPurchase), slices.Clone(handData.Purchases), slices.Clone(handData.Monetary)}
		mod(&d)
		return d
	}
	tests := []struct {
		name string
		d    Data
		o    Options
		want error
		col  string
		idx  int
	}{
		{"length", bad(func(d *Data) { d.Monetary = d.Monetary[:3] }), Options{}, ErrLength, "", -1},
		{"negative recency", bad(func(d *Data) { d.DaysSinceLastPurchase[4] = -1 }), Options{}, ErrOutOfRange, "recency", 4},
		{"nan frequency", bad(func(d *Data) { d.Purchases[7] = math.NaN() }), Options{}, ErrNotFinite, "frequency", 7},
		{"negative frequency", bad(func(d *Data) { d.Purchases[2] = -2 }), Options{}, ErrOutOfRange, "frequency", 2},
		{"inf monetary", bad(func(d *Data) { d.Monetary[9] = math.Inf(-1) }), Options{}, ErrNotFinite, "monetary", 9},
		{"inf monetary fixed cuts", bad(func(d *Data) { d.Monetary[1] = math.Inf(1) }), Options{Bins: 2, MonetaryCuts: []float64{1}}, ErrNotFinite, "monetary", 1},
		{"bins", handData, Options{Bins: 1}, ErrOption, "", -1},
		{"too many bins", handData, Options{Bins: MaxBins + 1}, ErrOption, "", -1},
		{"cut count", handData, Options{RecencyCuts: []float64{1, 2}}, ErrOption, "", -1},
		{"cut order", handData, Options{Bins: 3, FrequencyCuts: []float64{2, 1}}, ErrOption, "", -1},
		{"cut nan", handData, Options{Bins: 2, MonetaryCuts: []float64{math.NaN()}}, ErrOption, "", -1},
		{"empty", Data{}, Options{}, ErrEmpty, "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Score(tt.d, &tt.o)
			require.ErrorIs(t, err, tt.want)
			if tt.idx >= 0 {
				var ve *ValueError
				require.True(t, errors.As(err, &ve))
				assert.Equal(t, tt.col, ve.Column)
				assert.Equal(t, tt.idx, ve.Index)
			}
		})
	}
	// Empty input with fixed cuts on every dimension is fine.
	s, err := Score(Data{}, &Options{Bins: 2, RecencyCuts: []float64{1}, FrequencyCuts: []float64{1}, MonetaryCuts: []float64{1}})
	require.NoError(t, err)
	assert.Equal(t, 0, s.Len())
	_, err = Score(bad(func(d *Data) { d.Purchases[7] = math.NaN() }), nil)
	assert.EqualError(t, err, "frequency[7] = NaN: value is not finite")
	// errors.Is works with the segment names too.
	_, err = Score(Data{DaysSinceLastPurchase: []float64{-1}, Purchases: []float64{1}, Monetary: []float64{1}}, nil)
	assert.ErrorIs(t, err, segment.ErrOutOfRange)
	assert.EqualError(t, err, "recency[0] = -1, want >= 0: value out of range")
	// The error is the shared *event.ValueError, and bad options match
	// event.ErrOption.
	var ve *event.ValueError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "recency", ve.Column)
	assert.Equal(t, 0, ve.Index)
	_, err = Score(handData, &Options{Bins: 1})
	assert.ErrorIs(t, err, event.ErrOption)
}

// bySort returns 1 + ⌊k·L/n⌋ computed with a sorted copy and binary search.
func bySort(x []float64, k int, lowerIsBetter bool) []uint8 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(x)
	out := make([]uint8, n)
	for i, v := range x {
		lo, _ := slices.BinarySearch(s, v)                              // values < v
		hi, _ := slices.BinarySearch(s, math.Nextafter(v, math.Inf(1))) // values ≤ v
		worse := lo
		if lowerIsBetter {
			worse = n - hi
		}
		out[i] = uint8(1 + k*worse/n)
	}
	return out
}

// TestScoreLarge covers the one-pass sampling selection used for large
// columns (more than 65,536 customers).
func TestScoreLarge(t *testing.T) {
	d, _, _ := benchData(150_000)
	for _, k := range []int{5, 10} {
		s, err := Score(d, &Options{Bins: k})
		require.NoError(t, err)
		require.Equal(t, bySort(d.DaysSinceLastPurchase, k, true), s.R, "k=%d", k)
		require.Equal(t, bySort(d.Purchases, k, false), s.F, "k=%d", k)
		require.Equal(t, bySort(d.Monetary, k, false), s.M, "k=%d", k)
	}
}
