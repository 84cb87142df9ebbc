package clv

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulation draws calibration histories from a model, for parameter-
// recovery tests, benchmarks and what-if studies. Each generator takes the
// observation length T of every customer (in the time unit of the model's
// rates) and a caller-owned random source, so a fixed seed reproduces the
// data exactly (e.g. rand.NewPCG(1, 2)). The source is not safe for
// concurrent use; do not share it between goroutines.

func checkSimInput(T []float64, src rand.Source) error {
	if src == nil {
		return fmt.Errorf("%w: nil random source", ErrBadParams)
	}
	for i, t := range T {
		if !(t > 0) || math.IsInf(t, 0) {
			return badValue("T", i, t, "want positive and finite")
		}
	}
	return nil
}

func newSimData(n int) Data {
	return Data{Frequency: make([]float64, n), Recency: make([]float64, n), T: make([]float64, n)}
}

// bgHistory draws one BG/NBD-type history given λ, p and T: N ~ Poisson(λT)
// events on [0, T]; the customer drops out after purchase J, J ~ Geometric(p)
// on {1, 2, ...}. If N < J the customer is alive with x = N, t_x the largest
// of N uniform times; otherwise x = J and t_x the J-th of N uniform times
// (T times a Beta(J, N−J+1) draw).
func bgHistory(lambda, p, T float64, src rand.Source) (x, tx float64) {
	rng := rand.New(src)
	n := distuv.Poisson{Lambda: lambda * T, Src: src}.Rand()
	if n == 0 {
		return 0, 0
	}
	// J: number of purchases until dropout, geometric on {1, 2, ...}.
	j := 1.0
	if p < 1 {
		j = 1 + math.Floor(math.Log(1-rng.Float64())/math.Log1p(-p))
	}
	if n < j {
		return n, T * math.Pow(rng.Float64(), 1/n)
	}
	return j, T * distuv.Beta{Alpha: j, Beta: n - j + 1, Src: src}.Rand()
}

// SimulateBGNBD draws one history per element of T from the BG/NBD model:
// λ ~ Gamma(r, α), p ~ Beta(a, b) per customer, then bgHistory.
func SimulateBGNBD(m *BGNBD, T []float64, src rand.Source) (Data, error) {
	if err := checkSimInput(T, src); err != nil {
		return Data{}, err
	}
	d := newSimData(len(T))
	gl := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	bp := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	for i, t := range T {
		d.Frequency[i], d.Recency[i] = bgHistory(gl.Rand(), bp.Rand(), t, src)
		d.T[i] = t
	}
	return d, nil
}

// SimulateMBGNBD draws one history per element of T from the MBG/NBD model:
// as SimulateBGNBD, except that with probability p the customer drops out
// at time zero and makes no repeat purchase.
func SimulateMBGNBD(m *MBGNBD, T []float64, src rand.Source) (Data, error) {
	if err := checkSimInput(T, src); err != nil {
		return Data{}, err
	}
	rng := rand.New(src)
	d := newSimData(len(T))
	gl := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	bp := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	for i, t := range T {
		lambda, p := gl.Rand(), bp.Rand()
		d.T[i] = t
		if rng.Float64() < p {
			continue
		}
		d.Frequency[i], d.Recency[i] = bgHistory(lambda, p, t, src)
	}
	return d, nil
}

// SimulateParetoNBD draws one history per element of T from the Pareto/NBD
// model: λ ~ Gamma(r, α), μ ~ Gamma(s, β), lifetime τ ~ Exp(μ); x ~
// Poisson(λ min(τ, T)) and t_x the largest of x uniform times on
// [0, min(τ, T)].
func SimulateParetoNBD(m *ParetoNBD, T []float64, src rand.Source) (Data, error) {
	if err := checkSimInput(T, src); err != nil {
		return Data{}, err
	}
	rng := rand.New(src)
	d := newSimData(len(T))
	gl := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	gm := distuv.Gamma{Alpha: m.S, Beta: m.Beta, Src: src}
	for i, t := range T {
		lambda, mu := gl.Rand(), gm.Rand()
		life := math.Min(rng.ExpFloat64()/mu, t)
		d.T[i] = t
		n := distuv.Poisson{Lambda: lambda * life, Src: src}.Rand()
		if n > 0 {
			d.Frequency[i] = n
			d.Recency[i] = life * math.Pow(rng.Float64(), 1/n)
		}
	}
	return d, nil
}

// SimulateGammaGamma draws the mean value of frequency[i] transactions for
// every customer: ν ~ Gamma(q, v) per customer, each transaction
// Gamma(p, ν), so the mean of x transactions is Gamma(p x, ν x). Customers
// with frequency 0 get 0.
func SimulateGammaGamma(m *GammaGamma, frequency []float64, src rand.Source) ([]float64, error) {
	if src == nil {
		return nil, fmt.Errorf("%w: nil random source", ErrBadParams)
	}
	out := make([]float64, len(frequency))
	gn := distuv.Gamma{Alpha: m.Q, Beta: m.V, Src: src}
	for i, x := range frequency {
		if !(x >= 0) || math.IsInf(x, 0) {
			return nil, badValue("frequency", i, x, "want finite and >= 0")
		}
		nu := gn.Rand()
		if x == 0 {
			continue
		}
		out[i] = distuv.Gamma{Alpha: m.P * x, Beta: nu * x, Src: src}.Rand()
	}
	return out, nil
}
