package segment

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTiersByHand(t *testing.T) {
	// Total positive value 100. Ranked: 50 (cum before 0), 30 (50), 10 (80),
	// 5 (90), 3 (95), 2 (98), then 0 and −4.
	// A: cumulative before < 80 → 50, 30. B: < 95 → 10, 5. C: the rest.
	v := []float64{5, 0, 50, 2, 10, -4, 30, 3}
	tr, err := Tiers(v, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C"}, tr.Names)
	assert.Equal(t, []float64{30, 5}, tr.Thresholds)
	want := []string{"B", "C", "A", "C", "B", "C", "A", "C"}
	for i, w := range want {
		assert.Equal(t, w, tr.Name(i), "customer %d value %v", i, v[i])
	}
}

func TestTiersTiesStayTogether(t *testing.T) {
	// Four customers of 25 each: the first reaches 0% < 80%, and all of them
	// are tied, so all are A even though that is 100% of value.
	tr, err := Tiers([]float64{25, 25, 25, 25}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{4, 0, 0}, tr.Counts())
	// 40, 20, 20, 20: 40 is A (0 < 80), the 20s start at 40% < 80%: A.
	tr, err = Tiers([]float64{20, 40, 20, 20}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{4, 0, 0}, tr.Counts())
	// 60, 20, 10, 10: 60 (0%) A, 20 (60%) A, the 10s start at 80%: not A
	// (80 < 80 is false), 80 < 95: B.
	tr, err = Tiers([]float64{10, 60, 10, 20}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"B", "A", "B", "A"}, []string{tr.Name(0), tr.Name(1), tr.Name(2), tr.Name(3)})
}

func TestTiersNoPositiveValue(t *testing.T) {
	tr, err := Tiers([]float64{0, -1, 0}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 0, 3}, tr.Counts())
	assert.True(t, math.IsInf(tr.Thresholds[0], 1))
	tr, err = Tiers(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, tr.Len())
}

func TestTiersCustom(t *testing.T) {
	// Two tiers, top 50% of value.
	tr, err := Tiers([]float64{1, 2, 3, 4}, &TierOptions{Shares: []float64{0.5}, Names: []string{"top", "rest"}})
	require.NoError(t, err)
	// 4 (0%) top, 3 (40%) top, 2 (70%) rest.
	assert.Equal(t, []string{"rest", "rest", "top", "top"}, []string{tr.Name(0), tr.Name(1), tr.Name(2), tr.Name(3)})
	// Shares summing to exactly 1: the last tier holds only values ≤ 0.
	tr, err = Tiers([]float64{1, 0, 3}, &TierOptions{Shares: []float64{0.5, 0.5}})
	require.NoError(t, err)
	assert.Equal(t, []string{"T1", "T2", "T3"}, tr.Names)
	assert.Equal(t, []string{"T2", "T3", "T1"}, []string{tr.Name(0), tr.Name(1), tr.Name(2)})
}

func TestTiersErrors(t *testing.T) {
	_, err := Tiers([]float64{1, math.NaN()}, nil)
	assert.ErrorIs(t, err, ErrNotFinite)
	for _, o := range []TierOptions{
		{Shares: []float64{0.9, 0.2}},
		{Shares: []float64{0, 0.5}},
		{Shares: []float64{math.NaN()}},
		{Shares: []float64{0.5}, Names: []string{"a"}},
		{Shares: []float64{0.5}, Names: []string{"a", "a"}},
	} {
		_, err := Tiers([]float64{1}, &o)
		assert.ErrorIs(t, err, ErrOption, "%+v", o)
	}
}

// tiersBySort is the reference: the definition applied to a sorted copy.
func tiersBySort(v []float64, bounds []float64) []int32 {
	s := slices.Clone(v)
	slices.Sort(s)
	slices.Reverse(s)
	total := 0.0
	for _, x := range s {
		if x > 0 {
			total += x
		}
	}
	// above[value] = sum of positive values strictly greater.
	above := map[float64]float64{}
	cum := 0.0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		above[s[i]] = cum
		if s[i] > 0 {
			cum += float64(j-i) * s[i]
		}
		i = j
	}
	out := make([]int32, len(v))
	for i, x := range v {
		out[i] = int32(len(bounds))
		for t, b := range bounds {
			if above[x] < b*total {
				out[i] = int32(t)
				break
			}
		}
	}
	return out
}

func TestTiersMatchSortedDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(2000)
		v := make([]float64, n)
		for i := range v {
			switch trial % 3 {
			case 0: // integers with ties and negatives: exact sums
				v[i] = float64(rng.IntN(20) - 3)
			case 1:
				v[i] = float64(rng.IntN(1000))
			case 2:
				v[i] = math.Round(100 * math.Exp(2*rng.NormFloat64()))
			}
		}
		tr, err := Tiers(v, nil)
		require.NoError(t, err)
		require.Equal(t, tiersBySort(v, []float64{0.80, 0.95}), tr.Class, "trial %d", trial)
	}
}

func TestTiersBoundaryRounding(t *testing.T) {
	// Cumulative value before the customer of 3 is exactly 95% of 100; the
	// shares 0.8 + 0.15 add up to 0.9500000000000001 in floating point, and
	// values of 0.1 do not add up exactly; neither may move it into B.
	tr, err := Tiers([]float64{50, 30, 10, 5, 3, 2}, nil)
	require.NoError(t, err)
	assert.Equal(t, "C", tr.Name(4))
	// Decimal values whose float sums are inexact: cumulative value before
	// the 0.1s is exactly 80% in decimal arithmetic, so they are B.
	tr, err = Tiers([]float64{0.3, 0.1, 0.2, 0.3, 0.1}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{3, 2, 0}, tr.Counts())
	assert.Equal(t, "B", tr.Name(1))
	// A ladder 10, 9.9, …, 0.1 with shares 0.1, 0.2, 0.3: tier sizes from
	// exact rational arithmetic (Python fractions): 6, 11, 20, 63.
	v := make([]float64, 100)
	for i := range v {
		v[i] = float64(100-i) / 10
	}
	tr, err = Tiers(v, &TierOptions{Shares: []float64{0.1, 0.2, 0.3}})
	require.NoError(t, err)
	assert.Equal(t, []int{6, 11, 20, 63}, tr.Counts())
}

// TestTiersLarge covers the one-pass sampling path (n ≥ minSampled) and its
// fallback, against the definition on a sorted copy.
func TestTiersLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n := minSampled + 50_000
	for kind := 0; kind < 5; kind++ {
		v := make([]float64, n)
		for i := range v {
			switch kind {
			case 0: // lognormal spend in cents
				v[i] = math.Round(100*math.Exp(3+rng.NormFloat64())) / 100
			case 1: // heavy ties, some negative
				v[i] = float64(rng.IntN(12) - 2)
			case 2: // sorted ascending
				v[i] = float64(i)
			case 3: // one customer holds most of the value
				v[i] = 1
				if i == n/2 {
					v[i] = 1e7
				}
			case 4: // Pareto tail
				v[i] = math.Round(100/math.Pow(1-rng.Float64(), 1/1.2)) / 100
			}
		}
		for _, shares := range [][]float64{{0.80, 0.15}, {0.5}, {0.2, 0.3, 0.3}} {
			tr, err := Tiers(v, &TierOptions{Shares: shares})
			require.NoError(t, err)
			bounds := make([]float64, len(shares))
			b := 0.0
			for j, s := range shares {
				b += s
				bounds[j] = b
			}
			want := tiersBySort(v, bounds)
			require.Equal(t, want, tr.Class, "kind %d shares %v", kind, shares)
		}
	}
}

func TestSampledShareThresholdsUsed(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	v := make([]float64, 3*minSampled)
	total := 0.0
	for i := range v {
		v[i] = math.Round(100*math.Exp(3+rng.NormFloat64())) / 100
		total += v[i]
	}
	targets := []float64{0.8 * total, 0.95 * total}
	got := make([]float64, 2)
	require.True(t, sampledShareThresholds(v, total, targets, got))
	scratch := slices.Clone(v)
	for j, target := range targets {
		require.Equal(t, shareThreshold(scratch, target), got[j])
	}
}
