package clv

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// SimulateSBG draws a cohort of cohort new customers from the sBG model and
// returns the number still active at the start of periods 0, 1, …, periods,
// in the layout FitSBG takes (alive[0] = cohort). Each customer draws
// θ ~ Beta(α, β) and a lifetime T ~ Geometric(θ) on 1, 2, …. src is the
// caller's random source (e.g. rand.NewPCG(1, 2)); a fixed seed reproduces
// the counts exactly. A nil src, invalid parameters, cohort <= 0 or
// periods < 0 are an error wrapping ErrBadParams.
func SimulateSBG(m *SBG, cohort, periods int, src rand.Source) ([]float64, error) {
	switch {
	case src == nil:
		return nil, fmt.Errorf("%w: nil random source", ErrBadParams)
	case cohort <= 0:
		return nil, fmt.Errorf("%w: cohort of %d customers, want > 0", ErrBadParams, cohort)
	case periods < 0:
		return nil, fmt.Errorf("%w: %d periods, want >= 0", ErrBadParams, periods)
	}
	if err := checkPositive(NameSBG, sbgNames, m.Alpha, m.Beta); err != nil {
		return nil, err
	}
	rng := rand.New(src)
	td := distuv.Beta{Alpha: m.Alpha, Beta: m.Beta, Src: src}
	// lost[t] counts lifetimes T = t for t <= periods.
	lost := make([]float64, periods+1)
	for range cohort {
		theta := td.Rand()
		// Inversion: T = 1 + floor(ln U / ln(1-θ)), U uniform on (0, 1];
		// θ = 0 gives +Inf (never churns).
		life := 1 + math.Floor(math.Log(1-rng.Float64())/math.Log1p(-theta))
		if life <= float64(periods) {
			lost[int(life)]++
		}
	}
	alive := make([]float64, periods+1)
	alive[0] = float64(cohort)
	for t := 1; t <= periods; t++ {
		alive[t] = alive[t-1] - lost[t]
	}
	return alive, nil
}
