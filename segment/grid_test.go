package segment

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfitExperienceByHand(t *testing.T) {
	// Eight customers. Profit median (rank ⌈8/2⌉ = 4 of 1,2,3,4,5,6,7,8) is 4;
	// the experience median over the six customers with scores
	// (rank 3 of 2,3,5,7,8,9) is 5. Customers 6 and 7 have no score.
	profit := []float64{8, 1, 7, 2, 5, 4, 6, 3}
	exp := Column{
		Values: []float64{9, 8, 2, 3, 5, 7, math.NaN(), 0},
		Known:  []bool{true, true, true, true, true, true, false, false},
	}
	c, err := ProfitExperience().Classify(Col(profit), exp)
	require.NoError(t, err)
	assert.Equal(t, []float64{4}, c.XCuts)
	assert.Equal(t, []float64{5}, c.YCuts)
	assert.Equal(t, []string{Premium, Fragile, FreeRider, Abandonable, Unknown}, c.Names)
	want := []string{
		Premium,     // 8 > 4, 9 > 5
		FreeRider,   // 1 ≤ 4, 8 > 5
		Fragile,     // 7 > 4, 2 ≤ 5
		Abandonable, // 2 ≤ 4, 3 ≤ 5
		Fragile,     // 5 > 4, 5 ≤ 5 (equal to the cut: low)
		FreeRider,   // 4 ≤ 4 (equal to the cut: low), 7 > 5
		Unknown,     // no score, even though profit 6 is high
		Unknown,     // no score
	}
	for i, w := range want {
		assert.Equal(t, w, c.Name(i), "customer %d", i)
	}
	assert.Equal(t, []int{1, 2, 2, 1, 2}, c.Counts())
}

func TestGridFixedAndQuantileCuts(t *testing.T) {
	// A 3×2 grid: X cut at the 0.25 quantile (rank ⌈0.25·8⌉ = 2 → value 2)
	// and at the value 6; Y cut at 7. Cells merge two names.
	g := Grid{
		X:     Axis{Name: "value", Cuts: []Cut{AtQuantile(0.25), AtValue(6)}},
		Y:     Axis{Name: "nps", Cuts: []Cut{AtValue(7)}},
		Cells: [][]string{{"low", "low"}, {"mid-detractor", "mid-promoter"}, {"top", "top"}},
	}
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{9, 9, 9, 7, 8, 1, 10, 0}
	c, err := g.Classify(Col(x), Col(y))
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 6}, c.XCuts)
	assert.Equal(t, []string{"top", "mid-promoter", "mid-detractor", "low", "unknown"}, c.Names)
	want := []string{"low", "low", "mid-promoter", "mid-detractor", "mid-promoter", "mid-detractor", "top", "top"}
	for i, w := range want {
		assert.Equal(t, w, c.Name(i), "customer %d", i)
	}
}

func TestReferralValueZeroMedian(t *testing.T) {
	// Most customers refer nobody: the referral median is 0, so any positive
	// referral value is high.
	clv := []float64{100, 10, 100, 10, 50, 60}
	ref := []float64{0, 0, 30, 5, 0, 0}
	c, err := ReferralValue().Classify(Col(clv), Col(ref))
	require.NoError(t, err)
	assert.Equal(t, []float64{0}, c.YCuts)
	assert.Equal(t, []float64{50}, c.XCuts)
	want := []string{Affluents, Misers, Champions, Advocates, Misers, Affluents}
	for i, w := range want {
		assert.Equal(t, w, c.Name(i), "customer %d", i)
	}
}

func TestPrivateDomainUnknownX(t *testing.T) {
	// A mask on X works too; interaction is known for all.
	freq := Column{Values: []float64{5, 1, 4, 0}, Known: []bool{true, true, true, false}}
	inter := []float64{3, 3, 0, 9}
	c, err := PrivateDomain().Classify(freq, Col(inter))
	require.NoError(t, err)
	// freq median over 1,4,5: rank 2 → 4; interaction median of 0,3,3,9: rank 2 → 3.
	assert.Equal(t, []float64{4}, c.XCuts)
	assert.Equal(t, []float64{3}, c.YCuts)
	want := []string{Transactional, Unsuitable, Unsuitable, Unknown}
	for i, w := range want {
		assert.Equal(t, w, c.Name(i), "customer %d", i)
	}
}

func TestGridErrors(t *testing.T) {
	good := []float64{1, 2, 3}
	tests := []struct {
		name string
		g    Grid
		x, y Column
		want error
		idx  int
	}{
		{"length", ProfitExperience(), Col(good), Col([]float64{1, 2}), ErrLength, -1},
		{"mask length", ProfitExperience(), Col(good), Column{Values: good, Known: []bool{true}}, ErrLength, -1},
		{"nan", ProfitExperience(), Col([]float64{1, math.NaN(), 3}), Col(good), ErrNotFinite, 1},
		{"inf known", ProfitExperience(), Col(good), Column{Values: []float64{1, 2, math.Inf(1)}, Known: []bool{true, true, true}}, ErrNotFinite, 2},
		{"no known experience", ProfitExperience(), Col(good), Column{Values: good, Known: make([]bool, 3)}, ErrEmpty, -1},
		{"bad quantile", Grid{X: Axis{Cuts: []Cut{AtQuantile(1)}}, Cells: [][]string{{"a", "b"}, {"c", "d"}}}, Col(good), Col(good), ErrOption, -1},
		{"descending cuts", Grid{X: Axis{Cuts: []Cut{AtValue(3), AtValue(1)}}, Cells: [][]string{{"a", "b"}, {"c", "d"}, {"e", "f"}}}, Col(good), Col(good), ErrOption, -1},
		{"cells shape", Grid{Cells: [][]string{{"a", "b"}}}, Col(good), Col(good), ErrOption, -1},
		{"cell named unknown", Grid{Cells: [][]string{{"a", "unknown"}, {"c", "d"}}}, Col(good), Col(good), ErrOption, -1},
		{"empty name", Grid{Cells: [][]string{{"a", ""}, {"c", "d"}}}, Col(good), Col(good), ErrOption, -1},
		{"inf cut", Grid{X: Axis{Cuts: []Cut{AtValue(math.Inf(1))}}, Cells: [][]string{{"a", "b"}, {"c", "d"}}}, Col(good), Col(good), ErrOption, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.g.Classify(tt.x, tt.y)
			require.ErrorIs(t, err, tt.want)
			if tt.idx >= 0 {
				var ve *ValueError
				require.True(t, errors.As(err, &ve))
				assert.Equal(t, tt.idx, ve.Index)
				assert.Contains(t, err.Error(), "[")
			}
		})
	}
}

func TestGridFixedCutsAllUnknownIsNoError(t *testing.T) {
	g := ProfitExperience()
	g.Y.Cuts = []Cut{AtValue(7)}
	c, err := g.Classify(Col([]float64{1, 2}), Column{Values: []float64{0, 0}, Known: []bool{false, false}})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 0, 0, 0, 2}, c.Counts())
}

func TestClassifyDoesNotModifyInput(t *testing.T) {
	x := []float64{5, 3, 1, 4, 2}
	y := []float64{2, 4, 1, 5, 3}
	x0, y0 := append([]float64{}, x...), append([]float64{}, y...)
	_, err := ProfitExperience().Classify(Col(x), Col(y))
	require.NoError(t, err)
	assert.Equal(t, x0, x)
	assert.Equal(t, y0, y)
}

func TestPreset(t *testing.T) {
	for name, first := range map[string]string{"quadrant": Premium, "Referral": Champions, " private ": Core} {
		g, err := Preset(name)
		require.NoError(t, err)
		names, _, err := g.names()
		require.NoError(t, err)
		assert.Equal(t, first, names[0])
	}
	_, err := Preset("abc")
	assert.ErrorIs(t, err, ErrOption)
}
