package segment

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPortfolioByHand(t *testing.T) {
	// Three classes; "c" is empty.
	a := Assignment{Names: []string{"a", "b", "c"}, Class: []int32{0, 0, 1, 1, 1}}
	value := []float64{100, 50, 30, 20, -10}
	palive := []float64{0.9, 0.4, 0.2, 1, 0.5}
	next := []float64{10, 5, 1, 2, 0}
	p, err := NewPortfolio(a, value, &PortfolioOptions{PAlive: palive, NextValue: next, Budget: 1000, Allocation: ByValueAtRisk})
	require.NoError(t, err)
	const tol = 1e-12
	ra, rb, rc := p.Rows[0], p.Rows[1], p.Rows[2]
	assert.Equal(t, 2, ra.Customers)
	assert.InDelta(t, 0.4, ra.CustomerShare, tol)
	assert.InDelta(t, 150, ra.TotalValue, tol)
	assert.InDelta(t, 75, ra.MeanValue, tol)
	assert.InDelta(t, 150.0/190, ra.ValueShare, tol)
	assert.InDelta(t, 0.65, ra.MeanPAlive, tol)
	assert.InDelta(t, 0.35, ra.ChurnRisk, tol)
	assert.Equal(t, 1, ra.AtRisk)                  // 0.4 < 0.5
	assert.InDelta(t, 50, ra.ValueAtRisk, tol)     // the customer of 50
	assert.InDelta(t, 10+30, ra.ExpectedLoss, tol) // 100·0.1 + 50·0.6
	assert.InDelta(t, 15, ra.ExpectedNext, tol)
	assert.Equal(t, 3, rb.Customers)
	assert.InDelta(t, 40, rb.TotalValue, tol)
	assert.Equal(t, 1, rb.AtRisk) // 0.2; 0.5 is not below 0.5
	assert.InDelta(t, 30, rb.ValueAtRisk, tol)
	assert.InDelta(t, 24+0-5, rb.ExpectedLoss, tol) // 30·0.8 + 20·0 − 10·0.5
	// Budget by value at risk: 50 : 30.
	assert.InDelta(t, 625, ra.Budget, tol)
	assert.InDelta(t, 375, rb.Budget, tol)
	assert.Equal(t, ra.BudgetShare+rb.BudgetShare, 1.0)
	assert.Equal(t, PortfolioRow{Segment: "c"}, rc)
	assert.Equal(t, 5, p.Total.Customers)
	assert.InDelta(t, 190, p.Total.TotalValue, tol)
	assert.InDelta(t, 80, p.Total.ValueAtRisk, tol)
	assert.Equal(t, ByValueAtRisk, p.Rule)

	var buf bytes.Buffer
	require.NoError(t, p.WriteText(&buf))
	assert.Contains(t, buf.String(), "value_at_risk")
	rec := p.Records()
	require.Len(t, rec, 5)
	assert.Equal(t, "total", rec[4][0])
	assert.Equal(t, len(rec[0]), len(rec[1]))
}

func TestPortfolioAllZeroValues(t *testing.T) {
	a := Assignment{Names: []string{"x", "y", "z"}, Class: []int32{0, 1, 1, 0}}
	p, err := NewPortfolio(a, make([]float64, 4), &PortfolioOptions{Budget: 90})
	require.NoError(t, err)
	// Nothing to weigh by: equal allocation across the two non-empty classes.
	assert.Equal(t, Equal, p.Rule)
	assert.InDelta(t, 45, p.Rows[0].Budget, 1e-12)
	assert.InDelta(t, 45, p.Rows[1].Budget, 1e-12)
	assert.Equal(t, 0.0, p.Rows[2].Budget)
	for _, r := range p.Rows {
		assert.Equal(t, 0.0, r.ValueShare)
		assert.False(t, math.IsNaN(r.MeanValue))
	}
}

func TestPortfolioNegativeSegment(t *testing.T) {
	a := Assignment{Names: []string{"good", "bad"}, Class: []int32{0, 1}}
	p, err := NewPortfolio(a, []float64{30, -10}, &PortfolioOptions{Budget: 10})
	require.NoError(t, err)
	assert.InDelta(t, 1.5, p.Rows[0].ValueShare, 1e-12)
	assert.InDelta(t, -0.5, p.Rows[1].ValueShare, 1e-12)
	assert.Equal(t, 10.0, p.Rows[0].Budget)
	assert.Equal(t, 0.0, p.Rows[1].Budget)
}

func TestPortfolioErrors(t *testing.T) {
	a := Assignment{Names: []string{"x"}, Class: []int32{0, 0}}
	v := []float64{1, 2}
	tests := []struct {
		name string
		a    Assignment
		v    []float64
		o    PortfolioOptions
		want error
	}{
		{"length", a, []float64{1}, PortfolioOptions{}, ErrLength},
		{"palive length", a, v, PortfolioOptions{PAlive: []float64{1}}, ErrLength},
		{"palive range", a, v, PortfolioOptions{PAlive: []float64{1, 1.5}}, ErrOutOfRange},
		{"palive nan", a, v, PortfolioOptions{PAlive: []float64{math.NaN(), 1}}, ErrNotFinite},
		{"value nan", a, []float64{1, math.Inf(1)}, PortfolioOptions{}, ErrNotFinite},
		{"next nan", a, v, PortfolioOptions{NextValue: []float64{0, math.NaN()}}, ErrNotFinite},
		{"var without palive", a, v, PortfolioOptions{Allocation: ByValueAtRisk}, ErrOption},
		{"negative budget", a, v, PortfolioOptions{Budget: -1}, ErrOption},
		{"at risk", a, v, PortfolioOptions{AtRisk: 2}, ErrOption},
		{"rule", a, v, PortfolioOptions{Allocation: 9}, ErrOption},
		{"bad class", Assignment{Names: []string{"x"}, Class: []int32{0, 1}}, v, PortfolioOptions{}, ErrOutOfRange},
		{"dup names", Assignment{Names: []string{"x", "x"}, Class: []int32{0, 1}}, v, PortfolioOptions{}, ErrOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPortfolio(tt.a, tt.v, &tt.o)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestParseAllocation(t *testing.T) {
	for s, want := range map[string]Allocation{"value": ByValue, "RISK": ByValueAtRisk, "value-at-risk": ByValueAtRisk, "equal": Equal} {
		got, err := ParseAllocation(s)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseAllocation("share")
	assert.ErrorIs(t, err, ErrOption)
}
