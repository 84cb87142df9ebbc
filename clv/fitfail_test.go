package clv

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fitCase fits one model with the given options and returns it as a Model
// (nil when the fit failed).
type fitCase struct {
	name string
	fit  func(opts *FitOptions) (Model, error)
}

// allFits returns every Fit function of the package on data it can fit:
// the CDNOW summary (BG/NBD, Pareto/NBD, MBG/NBD, Gamma-Gamma, and Fit by
// name), the donations data (BG/BB) and the "regular" retention series of
// Fader & Hardie (2007) (sBG).
func allFits(t *testing.T) []fitCase {
	ctx := context.Background()
	cd := cdnowSummary(t)
	don := readDonations(t)
	regular := []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	// Each wrapper returns an untyped nil Model on error, so that a nil
	// *BGNBD does not hide behind a non-nil interface.
	wrap := func(m Model, err error, isNil bool) (Model, error) {
		if isNil {
			return nil, err
		}
		return m, err
	}
	return []fitCase{
		{"FitBGNBD", func(o *FitOptions) (Model, error) { m, err := FitBGNBD(ctx, cd, o); return wrap(m, err, m == nil) }},
		{"FitParetoNBD", func(o *FitOptions) (Model, error) { m, err := FitParetoNBD(ctx, cd, o); return wrap(m, err, m == nil) }},
		{"FitMBGNBD", func(o *FitOptions) (Model, error) { m, err := FitMBGNBD(ctx, cd, o); return wrap(m, err, m == nil) }},
		{"FitGammaGamma", func(o *FitOptions) (Model, error) { m, err := FitGammaGamma(ctx, cd, o); return wrap(m, err, m == nil) }},
		{"FitBGBB", func(o *FitOptions) (Model, error) { m, err := FitBGBB(ctx, don, o); return wrap(m, err, m == nil) }},
		{"FitSBG", func(o *FitOptions) (Model, error) { m, err := FitSBG(ctx, regular, o); return wrap(m, err, m == nil) }},
		{"Fit(pnbd)", func(o *FitOptions) (Model, error) { return Fit(ctx, NameParetoNBD, cd, o) }},
	}
}

// TestFitFailureDiagnostics: every Fit function stopped after one iteration
// returns no model and a *ConvergenceError wrapping ErrNotConverged that
// reports the iterations, evaluations, gradient norm, status and
// log-likelihood where it stopped.
func TestFitFailureDiagnostics(t *testing.T) {
	for _, fc := range allFits(t) {
		t.Run(fc.name, func(t *testing.T) {
			m, err := fc.fit(&FitOptions{MaxIterations: 1, SkipStdErrors: true})
			require.Error(t, err)
			assert.Nil(t, m, "no half-fitted model is returned")
			assert.ErrorIs(t, err, ErrNotConverged)
			var ce *ConvergenceError
			require.True(t, errors.As(err, &ce), "%T: %v", err, err)
			assert.GreaterOrEqual(t, ce.Iterations, 1)
			assert.GreaterOrEqual(t, ce.Evaluations, 1)
			assert.Greater(t, ce.GradNorm, 1e-8, "stopped before the gradient tolerance")
			assert.True(t, finite(ce.GradNorm))
			assert.NotEmpty(t, ce.Status)
			assert.True(t, finite(ce.LogLikelihood))
			t.Log(err)
			for _, s := range []string{"did not converge", "iterations", "gradient norm", "status"} {
				assert.Contains(t, err.Error(), s)
			}
			// The same fit with the default budget converges.
			m, err = fc.fit(&FitOptions{SkipStdErrors: true})
			require.NoError(t, err)
			require.NotNil(t, m)
			assert.True(t, m.FitInfo().Converged)
		})
	}
}

// TestFitDegenerateData: on data from which a model cannot be estimated
// (no heterogeneity, one history, everybody buying at the very end), every
// fit either returns an error wrapping ErrBadData or ErrNotConverged and no
// model, or a converged model with finite positive parameters and a finite
// log-likelihood — never NaN estimates or a model next to an error.
func TestFitDegenerateData(t *testing.T) {
	ctx := context.Background()
	rep := func(n int, v float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = v
		}
		return s
	}
	continuous := map[string]Data{
		"identical rows":       {Frequency: rep(50, 2), Recency: rep(50, 10), T: rep(50, 20)},
		"one customer":         {Frequency: []float64{3}, Recency: []float64{5}, T: []float64{9}},
		"all buy at the end":   {Frequency: []float64{1, 2, 3, 4, 5, 6}, Recency: []float64{10, 10, 10, 10, 10, 10}, T: []float64{10, 10, 10, 10, 10, 10}},
		"one repeat in 10,000": {Frequency: append(rep(9999, 0), 1), Recency: append(rep(9999, 0), 1e-6), T: rep(10000, 1e5)},
		"huge counts":          {Frequency: []float64{1e4, 1e4, 0}, Recency: []float64{1e5, 5e4, 0}, T: []float64{1e5, 1e5, 1e5}},
	}
	check := func(name string, m Model, err error) {
		if err != nil {
			assert.Nil(t, m, name)
			assert.True(t, errors.Is(err, ErrBadData) || errors.Is(err, ErrNotConverged), "%s: %v", name, err)
			return
		}
		require.NotNil(t, m, name)
		for i, v := range m.Params().Values {
			assert.True(t, v > 0 && finite(v), "%s: %s = %v", name, m.Params().Names[i], v)
		}
		assert.True(t, m.FitInfo().Converged, name)
		assert.True(t, finite(m.FitInfo().LogLikelihood), name)
	}
	for dn, d := range continuous {
		for _, model := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
			m, err := Fit(ctx, model, d, nil)
			check(model+" / "+dn, m, err)
		}
	}
	gg := map[string]Data{
		"same spend for all": {Frequency: []float64{1, 2, 3, 4, 1, 2}, Monetary: rep(6, 25)},
		"two customers":      {Frequency: []float64{1, 1}, Monetary: []float64{10, 10.5}},
		"extreme spends":     {Frequency: []float64{1, 1e4, 3, 2}, Monetary: []float64{1e-4, 1e4, 20, 1}},
	}
	for dn, d := range gg {
		m, err := FitGammaGamma(ctx, d, nil)
		if m == nil {
			check("gg / "+dn, nil, err)
		} else {
			check("gg / "+dn, m, err)
		}
	}
	bgbb := map[string]Data{
		"one pattern":         {Frequency: []float64{2}, Recency: []float64{4}, T: []float64{6}, Weights: []float64{100}},
		"everyone once, last": {Frequency: []float64{1, 0}, Recency: []float64{6, 0}, T: []float64{6, 6}, Weights: []float64{10, 1}},
	}
	for dn, d := range bgbb {
		m, err := FitBGBB(ctx, d, nil)
		if m == nil {
			check("bgbb / "+dn, nil, err)
		} else {
			check("bgbb / "+dn, m, err)
		}
	}
	for dn, alive := range map[string][]float64{
		"constant retention": {1000, 500, 250, 125, 62.5, 31.25},
		"two periods":        {100, 99, 98},
		"almost nobody left": {1e6, 1, 1, 1},
	} {
		m, err := FitSBG(ctx, alive, nil)
		if m == nil {
			check("sbg / "+dn, nil, err)
		} else {
			check("sbg / "+dn, m, err)
		}
	}
}
