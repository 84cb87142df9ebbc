package segment

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// portfolioTol is the relative tolerance between portfolios of the same
// customers summed in different orders (see PortfolioSums): compensated
// sums of one sign agree to a few ulps, far inside the 1e-9 allowed.
const portfolioTol = 1e-12

// assertPortfolioNear asserts that two portfolios have the same rows and
// figures, floats within tol relative (to the larger magnitude, and to 1
// near 0 — figures of mixed-sign sums are compared to their scale).
func assertPortfolioNear(t *testing.T, want, got *Portfolio, tol float64) {
	t.Helper()
	require.Len(t, got.Rows, len(want.Rows))
	assert.Equal(t, want.HasPAlive, got.HasPAlive)
	assert.Equal(t, want.HasNextValue, got.HasNextValue)
	assert.Equal(t, want.Budget, got.Budget)
	assert.Equal(t, want.Rule, got.Rule)
	near := func(what string, w, g float64) {
		assert.LessOrEqual(t, math.Abs(w-g), tol*math.Max(1, math.Max(math.Abs(w), math.Abs(g))), "%s: want %v, got %v", what, w, g)
	}
	for k, w := range append(append([]PortfolioRow{}, want.Rows...), want.Total) {
		g := got.Total
		if k < len(got.Rows) {
			g = got.Rows[k]
		}
		assert.Equal(t, w.Segment, g.Segment)
		assert.Equal(t, w.Customers, g.Customers, w.Segment)
		assert.Equal(t, w.AtRisk, g.AtRisk, w.Segment)
		for name, pair := range map[string][2]float64{
			"customer_share": {w.CustomerShare, g.CustomerShare}, "total_value": {w.TotalValue, g.TotalValue},
			"mean_value": {w.MeanValue, g.MeanValue}, "value_share": {w.ValueShare, g.ValueShare},
			"mean_p_alive": {w.MeanPAlive, g.MeanPAlive}, "churn_risk": {w.ChurnRisk, g.ChurnRisk},
			"value_at_risk": {w.ValueAtRisk, g.ValueAtRisk}, "expected_loss": {w.ExpectedLoss, g.ExpectedLoss},
			"expected_next": {w.ExpectedNext, g.ExpectedNext}, "budget": {w.Budget, g.Budget},
			"budget_share": {w.BudgetShare, g.BudgetShare},
		} {
			near(w.Segment+" "+name, pair[0], pair[1])
		}
	}
}

// NewPortfolio equals the merge, in any order and grouping, of the sums of
// any split of the customers.
func TestPortfolioSumsMergeOfSplits(t *testing.T) {
	for _, c := range []struct {
		name       string
		n, classes int
		parts      int
		withP      bool
		withNext   bool
		negative   bool // some values below 0
		budget     float64
		rule       Allocation
		atRisk     float64
	}{
		{"value only, one part", 100, 3, 1, false, false, false, 0, ByValue, 0},
		{"value only, two parts", 1000, 4, 2, false, false, false, 500, ByValue, 0},
		{"P(alive) and next, 7 parts, by risk", 5000, 5, 7, true, true, false, 1e6, ByValueAtRisk, 0},
		{"many parts, some empty, equal", 50, 4, 64, true, false, false, 100, Equal, 0.3},
		{"negative values", 3000, 3, 11, true, true, true, 1000, ByValue, 0.9},
		{"an empty class", 2000, 6, 5, true, true, false, 250, ByValueAtRisk, 1},
		{"no customers", 0, 2, 3, true, true, false, 10, ByValue, 0},
		{"100,000 customers, 100 parts", 100_000, 4, 100, true, true, false, 1e7, ByValueAtRisk, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(c.n), uint64(c.parts)))
			names := []string{"a", "b", "c", "d", "e", "f"}[:c.classes]
			a := Assignment{Names: names, Class: make([]int32, c.n)}
			value, pAlive, next := make([]float64, c.n), make([]float64, c.n), make([]float64, c.n)
			for i := range c.n {
				k := rng.IntN(c.classes)
				if c.name == "an empty class" && k == 2 {
					k = 3
				}
				a.Class[i] = int32(k)
				value[i] = math.Exp(rng.NormFloat64()*2) * 100 // heavy-tailed, like CLV
				if c.negative && rng.IntN(4) == 0 {
					value[i] = -value[i] / 10
				}
				pAlive[i] = rng.Float64()
				if rng.IntN(10) == 0 {
					pAlive[i] = 1
				}
				next[i] = value[i] * rng.Float64()
			}
			opts := &PortfolioOptions{Budget: c.budget, Allocation: c.rule, AtRisk: c.atRisk}
			var pa, nx []float64
			if c.withP {
				pa, opts.PAlive = pAlive, pAlive
			}
			if c.withNext {
				nx, opts.NextValue = next, next
			}
			want, err := NewPortfolio(a, value, opts)
			require.NoError(t, err)

			// Random split into parts: each customer to a random part,
			// in shuffled order.
			order := rng.Perm(c.n)
			partOf := make([]int, c.n)
			for i := range partOf {
				partOf[i] = rng.IntN(c.parts)
			}
			sums := make([]*PortfolioSums, c.parts)
			for j := range sums {
				var pj Assignment
				pj.Names = names
				var v, p, x []float64
				for _, i := range order {
					if partOf[i] != j {
						continue
					}
					pj.Class = append(pj.Class, a.Class[i])
					v = append(v, value[i])
					if pa != nil {
						p = append(p, pa[i])
					}
					if nx != nil {
						x = append(x, nx[i])
					}
				}
				if pa != nil && p == nil {
					p = []float64{}
				}
				if nx != nil && x == nil {
					x = []float64{}
				}
				s, err := NewPortfolioSums(names, c.withP, c.withNext, c.atRisk)
				require.NoError(t, err)
				require.NoError(t, s.Add(pj, v, p, x))
				sums[j] = s
			}
			// Merge in a random order, as a random tree: repeatedly merge
			// two random partial sums, starting from zero values too.
			pool := append([]*PortfolioSums{{}}, sums...)
			for len(pool) > 1 {
				i, j := rng.IntN(len(pool)), rng.IntN(len(pool)-1)
				if j >= i {
					j++
				}
				require.NoError(t, pool[i].Merge(pool[j]))
				pool = append(pool[:j], pool[j+1:]...)
			}
			got, err := pool[0].Portfolio(c.budget, c.rule)
			require.NoError(t, err)
			assertPortfolioNear(t, want, got, portfolioTol)
		})
	}
}

// A plain sum of the same values in different orders drifts more than the
// compensated one; the compensated sum is order-independent to an ulp or
// two here.
func TestCompensatedSumOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 200_000)
	for i := range x {
		x[i] = math.Exp(rng.NormFloat64() * 3)
	}
	sum := func(order []int) float64 {
		var s CompensatedSum
		for _, i := range order {
			s.Add(x[i])
		}
		return s.Sum()
	}
	want := sum(rng.Perm(len(x)))
	for range 5 {
		got := sum(rng.Perm(len(x)))
		assert.InEpsilon(t, want, got, 4e-16)
	}
}

func TestPortfolioSumsErrors(t *testing.T) {
	names := []string{"a", "b"}
	good := func() *PortfolioSums {
		s, err := NewPortfolioSums(names, true, false, 0)
		require.NoError(t, err)
		return s
	}
	a := Assignment{Names: names, Class: []int32{0, 1}}
	for _, c := range []struct {
		name string
		err  func() error
		want error
	}{
		{"duplicate names", func() error { _, err := NewPortfolioSums([]string{"a", "a"}, false, false, 0); return err }, ErrOption},
		{"at risk above 1", func() error { _, err := NewPortfolioSums(names, true, false, 1.5); return err }, ErrOption},
		{"other names", func() error {
			return good().Add(Assignment{Names: []string{"a", "c"}, Class: []int32{0}}, []float64{1}, []float64{1}, nil)
		}, ErrOption},
		{"P(alive) missing", func() error { return good().Add(a, []float64{1, 2}, nil, nil) }, ErrOption},
		{"next value unexpected", func() error { return good().Add(a, []float64{1, 2}, []float64{1, 1}, []float64{0, 0}) }, ErrOption},
		{"short value", func() error { return good().Add(a, []float64{1}, []float64{1, 1}, nil) }, ErrLength},
		{"class out of range", func() error {
			return good().Add(Assignment{Names: names, Class: []int32{2}}, []float64{1}, []float64{1}, nil)
		}, ErrOutOfRange},
		{"NaN value", func() error { return good().Add(a, []float64{1, math.NaN()}, []float64{1, 1}, nil) }, ErrNotFinite},
		{"P(alive) above 1", func() error { return good().Add(a, []float64{1, 2}, []float64{1, 1.5}, nil) }, ErrOutOfRange},
		{"merge other names", func() error {
			o, err := NewPortfolioSums([]string{"b", "a"}, true, false, 0)
			require.NoError(t, err)
			return good().Merge(o)
		}, ErrOption},
		{"merge other bound", func() error {
			o, err := NewPortfolioSums(names, true, false, 0.4)
			require.NoError(t, err)
			return good().Merge(o)
		}, ErrOption},
		{"merge malformed", func() error { return good().Merge(&PortfolioSums{Names: names}) }, ErrOption},
		{"risk without P(alive)", func() error {
			s, err := NewPortfolioSums(names, false, false, 0)
			require.NoError(t, err)
			_, err = s.Portfolio(10, ByValueAtRisk)
			return err
		}, ErrOption},
		{"negative budget", func() error { _, err := good().Portfolio(-1, ByValue); return err }, ErrOption},
		{"unknown rule", func() error { _, err := good().Portfolio(1, Allocation(9)); return err }, ErrOption},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorIs(t, c.err(), c.want)
		})
	}

	// A failed Add leaves the sums unchanged.
	s := good()
	require.Error(t, s.Add(a, []float64{1, 2}, []float64{1, 1.5}, nil))
	assert.Equal(t, good(), s)
}
