package clv

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulate draws the histories of customers new customers over periods
// transaction opportunities from the BG/BB model: for each customer
// p ~ Beta(α, β) and θ ~ Beta(γ, δ); at each opportunity t = 1, …, periods
// the customer, if still active, becomes inactive with probability θ and
// otherwise transacts with probability p. The result has one row per
// customer (Frequency x, Recency t_x, T = periods; Weights nil), ready for
// FitBGBB. src is the random source (for example rand.NewPCG(seed1, seed2));
// the same source state gives the same data. Simulate needs customers > 0,
// periods >= 0 and a non-nil src; the error wraps ErrBadParams.
func (m *BGBB) Simulate(src rand.Source, customers, periods int) (Data, error) {
	if err := checkPositive(NameBGBB, bgbbNames, m.Alpha, m.Beta, m.Gamma, m.Delta); err != nil {
		return Data{}, err
	}
	if err := checkSimulation(src, customers, periods); err != nil {
		return Data{}, err
	}
	rnd := rand.New(src)
	pd := distuv.Beta{Alpha: m.Alpha, Beta: m.Beta, Src: src}
	td := distuv.Beta{Alpha: m.Gamma, Beta: m.Delta, Src: src}
	d := Data{
		Frequency: make([]float64, customers),
		Recency:   make([]float64, customers),
		T:         make([]float64, customers),
	}
	n := float64(periods)
	for i := range customers {
		p, theta := pd.Rand(), td.Rand()
		x, tx := 0, 0
		for t := 1; t <= periods; t++ {
			if rnd.Float64() < theta {
				break
			}
			if rnd.Float64() < p {
				x, tx = x+1, t
			}
		}
		d.Frequency[i], d.Recency[i], d.T[i] = float64(x), float64(tx), n
	}
	return d, nil
}

func checkSimulation(src rand.Source, customers, periods int) error {
	switch {
	case src == nil:
		return fmt.Errorf("%w: simulation needs a random source", ErrBadParams)
	case customers <= 0:
		return fmt.Errorf("%w: simulation of %d customers, want > 0", ErrBadParams, customers)
	case periods < 0:
		return fmt.Errorf("%w: simulation over %d periods, want >= 0", ErrBadParams, periods)
	}
	return nil
}
