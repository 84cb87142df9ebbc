package clv

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulate draws a cohort of cohort new customers from the sBG model and
// returns the number still active at the start of periods 0, 1, …, periods
// (the layout FitSBG takes; alive[0] = cohort). Each customer draws
// θ ~ Beta(α, β) and then a lifetime T ~ Geometric(θ) on 1, 2, …. src is
// the random source (for example rand.NewPCG(seed1, seed2)); the same
// source state gives the same counts. Simulate needs cohort > 0,
// periods >= 0 and a non-nil src; the error wraps ErrBadParams.
func (m *SBG) Simulate(src rand.Source, cohort, periods int) ([]float64, error) {
	if err := checkPositive(NameSBG, sbgNames, m.Alpha, m.Beta); err != nil {
		return nil, err
	}
	if err := checkSimulation(src, cohort, periods); err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	td := distuv.Beta{Alpha: m.Alpha, Beta: m.Beta, Src: src}
	// lost[t] counts lifetimes T = t for t <= periods.
	lost := make([]float64, periods+1)
	for range cohort {
		theta := td.Rand()
		// Inversion: T = 1 + floor(ln U / ln(1-θ)), U uniform on (0, 1].
		u := 1 - rnd.Float64()
		life := 1 + math.Floor(math.Log(u)/math.Log1p(-theta))
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
