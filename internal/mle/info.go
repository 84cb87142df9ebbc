package mle

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// InfoCriteria returns AIC = 2k − 2ll and BIC = k ln(n) − 2ll for a model
// with k parameters fitted to n observations (the sum of the weights).
func InfoCriteria(ll float64, k int, n float64) (aic, bic float64) {
	return 2*float64(k) - 2*ll, float64(k)*math.Log(n) - 2*ll
}

// LikelihoodRatioTest compares a restricted model nested in a full model.
// It returns the statistic 2(llFull − llRestricted) and its p-value under
// the χ² distribution with df degrees of freedom (df = difference in the
// number of free parameters, > 0). A slightly negative statistic (the
// restricted fit being marginally better through optimiser tolerance) is
// reported as 0 with p-value 1.
func LikelihoodRatioTest(llRestricted, llFull float64, df int) (stat, p float64, err error) {
	if df <= 0 {
		return 0, 0, fmt.Errorf("mle: likelihood-ratio test needs df > 0, got %d", df)
	}
	if math.IsNaN(llRestricted) || math.IsNaN(llFull) || math.IsInf(llRestricted, 0) || math.IsInf(llFull, 0) {
		return 0, 0, fmt.Errorf("mle: likelihood-ratio test needs finite log-likelihoods, got %v and %v", llRestricted, llFull)
	}
	stat = 2 * (llFull - llRestricted)
	if stat <= 0 {
		return 0, 1, nil
	}
	return stat, distuv.ChiSquared{K: float64(df)}.Survival(stat), nil
}
