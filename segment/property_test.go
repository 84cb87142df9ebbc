package segment

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// randomInput returns a column with ties, negatives and a random mask.
func randomInput(rng *rand.Rand, n int) Column {
	c := Column{Values: make([]float64, n)}
	levels := 1 + rng.IntN(50)
	for i := range c.Values {
		c.Values[i] = float64(rng.IntN(levels)-levels/4) * 1.5
	}
	if rng.IntN(2) == 0 {
		c.Known = make([]bool, n)
		for i := range c.Known {
			c.Known[i] = rng.Float64() < 0.8
			if !c.Known[i] && rng.IntN(3) == 0 {
				c.Values[i] = math.NaN() // ignored where unknown
			}
		}
		c.Known[0] = true // keep the median defined
		if math.IsNaN(c.Values[0]) {
			c.Values[0] = 0
		}
	}
	return c
}

// TestGridProperties: every customer is in exactly one class, unknown iff a
// value is missing; equal inputs get equal classes; a higher value on an axis
// never lowers the level.
func TestGridProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	presets := []func() Grid{ProfitExperience, ReferralValue, PrivateDomain}
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(400)
		x, y := randomInput(rng, n), randomInput(rng, n)
		g := presets[trial%3]()
		if trial%5 == 0 {
			g.X.Cuts = []Cut{AtQuantile(0.2), AtMedian(), AtQuantile(0.9)}
			g.Cells = [][]string{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}
		}
		c, err := g.Classify(x, y)
		require.NoError(t, err)
		require.NoError(t, c.Validate())
		require.Len(t, c.Class, n)
		total := 0
		for _, k := range c.Counts() {
			total += k
		}
		require.Equal(t, n, total)
		unknown := int32(len(c.Names) - 1)
		seen := map[[2]float64]int32{}
		for i := range n {
			missing := !x.known(i) || !y.known(i)
			require.Equal(t, missing, c.Class[i] == unknown, "customer %d", i)
			if missing {
				continue
			}
			key := [2]float64{x.Values[i], y.Values[i]}
			if k, ok := seen[key]; ok {
				require.Equal(t, k, c.Class[i], "ties must share a class")
			}
			seen[key] = c.Class[i]
			lx := Level(x.Values[i], c.XCuts)
			ly := Level(y.Values[i], c.YCuts)
			require.Equal(t, g.Cells[lx-1][ly-1], c.Name(i))
		}
	}
}

// TestTiersProperties: one tier each, ties share a tier, a higher value is
// never in a lower tier, the top tier alone stays short of its share when
// the marginal tie group is excluded.
func TestTiersProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(500)
		v := randomInput(rng, n).Values
		for i := range v {
			if math.IsNaN(v[i]) {
				v[i] = 0
			}
		}
		tr, err := Tiers(v, nil)
		require.NoError(t, err)
		require.NoError(t, tr.Validate())
		byValue := map[float64]int32{}
		for i, x := range v {
			if k, ok := byValue[x]; ok {
				require.Equal(t, k, tr.Class[i])
			}
			byValue[x] = tr.Class[i]
		}
		for i := range v {
			for j := range v {
				if v[i] > v[j] && tr.Class[i] > tr.Class[j] {
					t.Fatalf("trial %d: value %v in tier %d below value %v in tier %d", trial, v[i], tr.Class[i], v[j], tr.Class[j])
				}
			}
		}
	}
}

// TestPortfolioProperties: shares sum to 1, budgets to the budget, no NaN.
func TestPortfolioProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(300)
		k := 1 + rng.IntN(6)
		a := Assignment{Names: make([]string, k), Class: make([]int32, n)}
		for i := range a.Names {
			a.Names[i] = string(rune('a' + i))
		}
		v := make([]float64, n)
		p := make([]float64, n)
		for i := range n {
			a.Class[i] = int32(rng.IntN(k))
			if trial%4 != 0 { // every fourth trial: all values zero
				v[i] = math.Round(rng.ExpFloat64()*100) / 100
			}
			p[i] = rng.Float64()
		}
		budget := 1000 * rng.Float64()
		rule := Allocation(trial % 3)
		pf, err := NewPortfolio(a, v, &PortfolioOptions{PAlive: p, Budget: budget, Allocation: rule})
		require.NoError(t, err)
		var cs, vs, bs, b float64
		for _, r := range pf.Rows {
			for _, f := range []float64{r.CustomerShare, r.ValueShare, r.MeanValue, r.MeanPAlive, r.ChurnRisk, r.Budget, r.BudgetShare, r.ValueAtRisk, r.ExpectedLoss} {
				require.False(t, math.IsNaN(f) || math.IsInf(f, 0))
			}
			cs += r.CustomerShare
			vs += r.ValueShare
			bs += r.BudgetShare
			b += r.Budget
		}
		require.InDelta(t, 1, cs, 1e-12)
		if pf.Total.TotalValue > 0 {
			require.InDelta(t, 1, vs, 1e-12)
		} else {
			require.Equal(t, 0.0, vs)
		}
		require.InDelta(t, 1, bs, 1e-15)
		require.InDelta(t, budget, b, 1e-9)
	}
}
