package clv

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// SimulateBGBB draws one history per element of n (the number of
// transaction opportunities each customer is observed for, a whole number
// >= 0) from the BG/BB model: per customer p ~ Beta(α, β) and θ ~ Beta(γ, δ);
// at each opportunity t = 1, …, n[i] the customer, if still active, becomes
// inactive with probability θ and otherwise transacts with probability p.
// The result has Frequency x, Recency t_x and T = n (Weights nil), ready for
// FitBGBB. src is the caller's random source (e.g. rand.NewPCG(1, 2)); a
// fixed seed reproduces the data exactly. A nil src or invalid parameters
// are an error wrapping ErrBadParams, an invalid n[i] one wrapping
// ErrBadData.
func SimulateBGBB(m *BGBB, n []float64, src rand.Source) (Data, error) {
	if src == nil {
		return Data{}, fmt.Errorf("%w: nil random source", ErrBadParams)
	}
	if err := checkPositive(NameBGBB, bgbbNames, m.Alpha, m.Beta, m.Gamma, m.Delta); err != nil {
		return Data{}, err
	}
	for i, v := range n {
		if !isWhole(v) {
			return Data{}, badValue("n", i, v, "want a whole number of opportunities >= 0")
		}
	}
	rng := rand.New(src)
	pd := distuv.Beta{Alpha: m.Alpha, Beta: m.Beta, Src: src}
	td := distuv.Beta{Alpha: m.Gamma, Beta: m.Delta, Src: src}
	d := Data{
		Frequency: make([]float64, len(n)),
		Recency:   make([]float64, len(n)),
		T:         make([]float64, len(n)),
	}
	for i, ni := range n {
		p, theta := pd.Rand(), td.Rand()
		// The customer is active at opportunities 1..life, with life
		// geometric: P(life >= t) = (1-θ)^t.
		life := ni
		if theta > 0 {
			life = math.Min(ni, math.Floor(math.Log(1-rng.Float64())/math.Log1p(-theta)))
		}
		x, tx := 0.0, 0.0
		for t := 1.0; t <= life; t++ {
			if rng.Float64() < p {
				x, tx = x+1, t
			}
		}
		d.Frequency[i], d.Recency[i], d.T[i] = x, tx, ni
	}
	return d, nil
}
