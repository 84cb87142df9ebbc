package clv

import (
	"context"
	"fmt"
	"math"
)

// ExpectedTotals returns, for each horizon h of horizons, the expected
// purchases of all the customers of d together in the next h:
//
//	total[k] = Σ_i w_i · E[Y(horizons[k]) | x_i, t_x_i, T_i],
//
// the conditional expected purchases summed with the weights. It is the
// curve a holdout forecast is tracked by (cumulative expected purchases
// after the end of calibration, period by period). Each distinct history
// is evaluated once for all horizons, on all cores, and the sums do not
// depend on the number of goroutines. Horizons must be finite and >= 0;
// errors wrap ErrBadParams or ErrBadData (naming the row). ctx is checked
// every few hundred histories.
func ExpectedTotals(ctx context.Context, m TransactionModel, d Data, horizons []float64) ([]float64, error) {
	for _, h := range horizons {
		if !(h >= 0) || math.IsInf(h, 0) {
			return nil, fmt.Errorf("%w: horizon %v, want finite and >= 0", ErrBadParams, h)
		}
	}
	if d.Weights != nil && len(d.Weights) != d.Len() {
		return nil, fmt.Errorf("%w: %d weights for %d rows", ErrBadData, len(d.Weights), d.Len())
	}
	g, err := groupHistories(d)
	if err != nil {
		return nil, err
	}
	weight := make([]float64, g.len())
	for i, j := range g.index {
		weight[j] += d.Weight(i)
	}
	// each hands out blocks of historyBlock consecutive histories, each
	// block to one goroutine in order: per-block partial sums, added in
	// block order, give the same result on any number of goroutines.
	nh := len(horizons)
	blocks := (g.len() + historyBlock - 1) / historyBlock
	partial := make([]float64, blocks*nh)
	err = g.each(ctx, nh, func(j int, c Customer, buf []float64) {
		curve(m, buf, horizons, c)
		sum := partial[j/historyBlock*nh : (j/historyBlock+1)*nh]
		for k, e := range buf {
			sum[k] += weight[j] * e
		}
	})
	if err != nil {
		return nil, err
	}
	total := make([]float64, nh)
	for b := range blocks {
		for k := range total {
			total[k] += partial[b*nh+k]
		}
	}
	return total, nil
}
