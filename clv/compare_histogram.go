package clv

import (
	"fmt"
	"math"
)

// ExpectedRepeatHistogram is the calibration diagnostic of Fader, Hardie &
// Lee (2005, Figure 2): the expected number of customers of d with 0, 1, …,
// maxK−1 repeat purchases in their calibration period, and with maxK or
// more in the last bin, next to the observed counts:
//
//	expected[k] = Σ_i w_i P(X(T_i) = k),   observed[k] = Σ_{i: x_i = k} w_i.
//
// P(X(T) = k) is the model's ProbPurchases, evaluated once per distinct T.
// Both slices have length maxK+1 and sum to the total weight. maxK must be
// >= 1; a bad frequency, T or weight is an *event.ValueError wrapping
// ErrBadData that names the column and row.
func ExpectedRepeatHistogram(m TransactionModel, d Data, maxK int) (expected, observed []float64, err error) {
	if maxK < 1 || maxK > 100_000 {
		return nil, nil, fmt.Errorf("%w: histogram maxK %d, want 1 to 100000", ErrBadParams, maxK)
	}
	n := d.Len()
	if len(d.T) != n || (d.Weights != nil && len(d.Weights) != n) {
		return nil, nil, fmt.Errorf("%w: column lengths differ (frequency %d, T %d, weights %d)", ErrBadData, n, len(d.T), len(d.Weights))
	}
	expected = make([]float64, maxK+1)
	observed = make([]float64, maxK+1)
	cache := map[float64][]float64{}
	for i := 0; i < n; i++ {
		x, T, w := d.Frequency[i], d.T[i], d.Weight(i)
		switch {
		case !(x >= 0) || x != math.Trunc(x) || math.IsInf(x, 0):
			return nil, nil, badValue("frequency", i, x, "want a whole number >= 0")
		case !(T >= 0) || math.IsInf(T, 0):
			return nil, nil, badValue("T", i, T, "want finite and >= 0")
		case !(w >= 0) || math.IsInf(w, 0):
			return nil, nil, badValue("weights", i, w, "want finite and >= 0")
		}
		observed[int(math.Min(x, float64(maxK)))] += w
		p, ok := cache[T]
		if !ok {
			p = make([]float64, maxK+1)
			rest := 1.0
			for k := 0; k < maxK; k++ {
				p[k] = m.ProbPurchases(k, T)
				rest -= p[k]
			}
			p[maxK] = math.Max(rest, 0)
			cache[T] = p
		}
		for k, pk := range p {
			expected[k] += w * pk
		}
	}
	return expected, observed, nil
}
