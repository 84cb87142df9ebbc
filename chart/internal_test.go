package chart

import (
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/valuekit/valuekit/segment"
)

func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestTicks(t *testing.T) {
	tests := []struct {
		name     string
		ticker   plot.TickerFunc
		min, max float64
		want     []string
	}{
		{"nice 0-100", niceTicks, 0, 100, []string{"0", "20", "40", "60", "80", "100"}},
		{"nice 1-78", niceTicks, 1, 78, []string{"10", "20", "30", "40", "50", "60", "70"}},
		{"nice 0-0.35", niceTicks, 0, 0.35, []string{"0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30", "0.35"}},
		{"nice large", niceTicks, 0, 40000, []string{"0", "5k", "10k", "15k", "20k", "25k", "30k", "35k", "40k"}},
		{"nice 0-1800 by 250", niceTicks, 0, 1800, []string{"0", "250", "500", "750", "1000", "1250", "1500", "1750"}},
		{"nice 0-18 by 2.5", niceTicks, 0, 18, []string{"0.0", "2.5", "5.0", "7.5", "10.0", "12.5", "15.0", "17.5"}},
		{"nice 0-1.7 by 0.25", niceTicks, 0, 1.7, []string{"0.00", "0.25", "0.50", "0.75", "1.00", "1.25", "1.50"}},
		{"nice negative", niceTicks, -3, 3, []string{"-3", "-2", "-1", "0", "1", "2", "3"}},
		{"percent", percentTicks, 0, 1, []string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{"integer", integerTicks, -0.5, 7.5, []string{"0", "1", "2", "3", "4", "5", "6", "7"}},
		{"integer wide", integerTicks, -0.5, 40.5, []string{"0", "5", "10", "15", "20", "25", "30", "35", "40"}},
		{"log decades", logTicks, 0.5, 2000, []string{"1", "10", "100", "1k"}},
		{"log one decade", logTicks, 1.5, 9, []string{"2", "5"}},
		{"log bad range", logTicks, 0, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, labels(tt.ticker(tt.min, tt.max)))
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ got, want string }{
		{formatPercent(0.25), "25%"},
		{formatPercent(0.123), "12.3%"},
		{formatCompact(1500), "1.5k"},
		{formatCompact(2e6), "2M"},
		{formatCompact(12), "12"},
		{formatMoney(20.256, "US$"), "US$ 20.26"},
		{formatMoney(12345, ""), "12.3k"},
		{retentionLabel(0.43), "43%"},
		{retentionLabel(0.052), "5.2%"},
		{ordinal(1), "1st"}, {ordinal(2), "2nd"}, {ordinal(3), "3rd"}, {ordinal(11), "11th"}, {ordinal(22), "22nd"},
		{formatNum(38.857, 1), "38.9"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got)
	}
}

func TestViridis(t *testing.T) {
	c := Viridis(9)
	require.Len(t, c, 9)
	// With nine colours the map returns its anchors exactly.
	for i, a := range viridisAnchors {
		assert.Equal(t, color.Color(a), c[i], "anchor %d", i)
	}
	// Lightness rises monotonically (what makes the map readable in
	// grey scale).
	c = Viridis(256)
	for i := 1; i < len(c); i++ {
		assert.GreaterOrEqual(t, luminance(c[i])+0.01, luminance(c[i-1]), "colour %d", i)
	}
	assert.Len(t, Viridis(0), 2)
}

func TestOkabeIto(t *testing.T) {
	c := OkabeIto()
	require.Len(t, c, 8)
	// Okabe & Ito (2008): orange is (230, 159, 0), blue (0, 114, 178).
	assert.Equal(t, color.Color(color.RGBA{230, 159, 0, 255}), c[1])
	assert.Equal(t, color.Color(color.RGBA{0, 114, 178, 255}), c[5])
	c[0] = color.White // a copy: the palette is not changed
	assert.Equal(t, color.Color(Black), OkabeIto()[0])
}

// TestConcentration checks the curve and the Gini coefficient against
// values worked by hand: equal values give G = 0, one holder of everything
// among n gives G = (n−1)/n, and {3, 1} gives the curve (0.5, 0.75), (1, 1)
// and G = 2·(0.1875 + 0.4375) − 1 = 0.25.
func TestConcentration(t *testing.T) {
	tests := []struct {
		name  string
		value []float64
		gini  float64
		curve [][2]float64
	}{
		{"equal", []float64{2, 2, 2, 2}, 0, [][2]float64{{0, 0}, {0.25, 0.25}, {0.5, 0.5}, {0.75, 0.75}, {1, 1}}},
		{"one holder", []float64{0, 5, 0, 0}, 0.75, [][2]float64{{0, 0}, {0.25, 1}, {0.5, 1}, {0.75, 1}, {1, 1}}},
		{"two", []float64{1, 3}, 0.25, [][2]float64{{0, 0}, {0.5, 0.75}, {1, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, total, curve, g := concentration(tt.value)
			require.Greater(t, total, 0.0)
			require.Len(t, curve, len(tt.curve))
			for i, p := range tt.curve {
				assert.InDelta(t, p[0], curve[i].X, 1e-12)
				assert.InDelta(t, p[1], curve[i].Y, 1e-12)
			}
			assert.InDelta(t, tt.gini, g, 1e-12)
		})
	}
	// Negative values count as zero. {3, 1, 0}: curve (1/3, 0.75), (2/3, 1), (1, 1); area = (0.75/2 +
	// 1.75/2 + 2/2)/3 = 0.75, so G = 0.5.
	_, _, _, g := concentration([]float64{-4, 3, 1})
	assert.InDelta(t, 0.5, g, 1e-12)
	// Long inputs are thinned but keep their ends.
	v := make([]float64, 10*maxCurvePoints+7)
	for i := range v {
		v[i] = float64(i % 13)
	}
	_, _, curve, _ := concentration(v)
	assert.LessOrEqual(t, len(curve), maxCurvePoints+2)
	assert.Equal(t, 1.0, curve[len(curve)-1].X)
	assert.InDelta(t, 1.0, curve[len(curve)-1].Y, 1e-12)
}

func TestHoldoutGroups(t *testing.T) {
	freq := []float64{0, 0, 1, 3, 9, 2}
	act := []float64{0, 1, 2, 3, 5, 4}
	pred := []float64{0.5, 0.5, 1, 2, 6, 3}
	count, a, p := holdoutGroups(freq, act, pred, 3)
	assert.Equal(t, []float64{2, 1, 1, 2}, count)
	assert.Equal(t, []float64{0.5, 2, 4, 4}, a)
	assert.Equal(t, []float64{0.5, 1, 3, 4}, p)
}

// TestQuadCellMatchesSegment: the scatter colours customers exactly as
// segment.ProfitExperience classifies them, ties at the cuts included.
func TestQuadCellMatchesSegment(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 2000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = math.Round(100*rng.Float64()) / 10 // many ties
		y[i] = float64(rng.IntN(11))
	}
	cl, err := segment.ProfitExperience().Classify(segment.Col(x), segment.Col(y))
	require.NoError(t, err)
	for i := range x {
		k := quadCell(x[i], y[i], cl.XCuts[0], cl.YCuts[0])
		require.Equal(t, cl.Name(i), quadCells[k].name, "customer %d at (%v, %v)", i, x[i], y[i])
	}
}

// TestColorScaleReservesRoom: the colour scale's glyph box makes the data
// area narrower by the scale's width, so the scale is drawn inside the
// canvas.
func TestColorScaleReservesRoom(t *testing.T) {
	s := &colorScale{Colors: Viridis(8), Min: 0, Max: 1, Label: "P(alive)", Ticker: plot.TickerFunc(percentTicks)}
	boxes := s.GlyphBoxes(nil)
	require.Len(t, boxes, 1)
	assert.Equal(t, 1.0, boxes[0].X)
	w := boxes[0].Size().X
	assert.Greater(t, float64(w), float64(scaleGap+scaleBar))
	assert.Less(t, float64(w), 120.0)
}
