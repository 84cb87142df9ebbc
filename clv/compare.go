package clv

import (
	"fmt"
	"math"

	"github.com/valuekit/valuekit/internal/mle"
)

// Comparison is one row of a model comparison table.
type Comparison struct {
	// Name is the model's name.
	Name string
	// Params is the number of estimated parameters.
	Params int
	// LogLikelihood, AIC and BIC are taken from the model's FitInfo.
	LogLikelihood, AIC, BIC float64
	// Customers is the sum of the weights the model was fitted to.
	Customers float64
	// DeltaAIC and DeltaBIC are the differences to the smallest AIC and
	// BIC of the table (0 for the preferred model).
	DeltaAIC, DeltaBIC float64
}

// Compare tabulates fitted models by information criteria, in the order
// given. AIC = 2k − 2LL and BIC = k ln N − 2LL, N the customers; smaller is
// better. Every model must carry a FitInfo, and all must have been fitted to
// the same number of customers (otherwise the criteria are not comparable):
// errors wrap ErrBadParams.
func Compare(models ...Model) ([]Comparison, error) {
	if len(models) == 0 {
		return nil, fmt.Errorf("%w: no models to compare", ErrBadParams)
	}
	out := make([]Comparison, len(models))
	minAIC, minBIC := math.Inf(1), math.Inf(1)
	for i, m := range models {
		info := m.FitInfo()
		if info == nil {
			return nil, fmt.Errorf("%w: %s model %d has no fit information (built from parameters?)", ErrBadParams, m.Name(), i)
		}
		if i > 0 && info.Customers != out[0].Customers {
			return nil, fmt.Errorf("%w: %s was fitted to %v customers, %s to %v; criteria are not comparable", ErrBadParams, m.Name(), info.Customers, out[0].Name, out[0].Customers)
		}
		out[i] = Comparison{Name: m.Name(), Params: len(m.Params().Values), LogLikelihood: info.LogLikelihood, AIC: info.AIC, BIC: info.BIC, Customers: info.Customers}
		minAIC, minBIC = math.Min(minAIC, info.AIC), math.Min(minBIC, info.BIC)
	}
	for i := range out {
		out[i].DeltaAIC, out[i].DeltaBIC = out[i].AIC-minAIC, out[i].BIC-minBIC
	}
	return out, nil
}

// LikelihoodRatioTest tests a restricted model against a full model in
// which it is nested (the restricted model being the full one with some
// parameters fixed; nesting is the caller's claim and is not checked). The
// statistic 2(LL_full − LL_restricted) is compared with χ² on df = k_full −
// k_restricted degrees of freedom. Both models must be fitted to the same
// customers. When the restriction puts a parameter on the boundary of its
// space the χ² p-value is conservative (Self & Liang 1987).
func LikelihoodRatioTest(restricted, full Model) (stat, pValue float64, df int, err error) {
	ri, fi := restricted.FitInfo(), full.FitInfo()
	if ri == nil || fi == nil {
		return 0, 0, 0, fmt.Errorf("%w: likelihood-ratio test needs fitted models", ErrBadParams)
	}
	if ri.Customers != fi.Customers {
		return 0, 0, 0, fmt.Errorf("%w: models fitted to %v and %v customers", ErrBadParams, ri.Customers, fi.Customers)
	}
	df = len(full.Params().Values) - len(restricted.Params().Values)
	stat, pValue, err = LikelihoodRatio(ri.LogLikelihood, fi.LogLikelihood, df)
	return stat, pValue, df, err
}

// LikelihoodRatio returns the likelihood-ratio statistic 2(llFull −
// llRestricted) and its χ²(df) p-value, for nested fits whose
// log-likelihoods are known (for example a model refitted with one
// parameter fixed). A statistic that is slightly negative through optimiser
// tolerance is reported as 0 with p-value 1.
func LikelihoodRatio(llRestricted, llFull float64, df int) (stat, pValue float64, err error) {
	stat, pValue, err = mle.LikelihoodRatioTest(llRestricted, llFull, df)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", ErrBadParams, err)
	}
	return stat, pValue, nil
}
