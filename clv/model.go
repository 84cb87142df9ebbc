package clv

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/internal/mle"
)

// Sentinel errors; every error returned by the package wraps one of them
// (test with errors.Is).
var (
	// ErrBadData reports invalid input data (lengths, negative or
	// non-finite values, recency after age, ...). A bad value in a column
	// is an *event.ValueError naming the column, the 0-based row and the
	// value: "frequency[3] = 2.5, want a whole number >= 0: clv: bad data".
	ErrBadData = errors.New("clv: bad data")
	// ErrBadParams reports invalid model parameters or options (not
	// positive, not finite, missing, or a value that makes a quantity
	// undefined). It wraps event.ErrOption, so errors.Is(err,
	// event.ErrOption) holds for it as for the option errors of every
	// valuekit package; its text stays "clv: bad parameters".
	ErrBadParams error = &sentinel{"clv: bad parameters", event.ErrOption}
	// ErrNotConverged reports a fit whose optimiser stopped without meeting
	// its convergence criterion. No model is returned with it.
	ErrNotConverged = errors.New("clv: fit did not converge")
	// ErrUnknownModel reports a model name that is not one of bgnbd, pnbd,
	// mbgnbd, bgbb, sbg, gg.
	ErrUnknownModel = errors.New("clv: unknown model")
)

// sentinel is a sentinel error with its own text that also matches a
// shared, more general sentinel (errors.Is follows Unwrap).
type sentinel struct {
	msg  string
	kind error
}

func (e *sentinel) Error() string { return e.msg }
func (e *sentinel) Unwrap() error { return e.kind }

// badValue returns the *event.ValueError, wrapping ErrBadData, for value v
// at row i of column col, with want saying what is wanted instead.
func badValue(col string, i int, v float64, want string) error {
	return &event.ValueError{Column: col, Index: i, Value: v, Reason: want, Err: ErrBadData}
}

// Model names, as used in JSON and on the command line.
const (
	NameBGNBD      = "bgnbd"
	NameParetoNBD  = "pnbd"
	NameMBGNBD     = "mbgnbd"
	NameBGBB       = "bgbb"
	NameSBG        = "sbg"
	NameGammaGamma = "gg"
)

// Customer is one customer's calibration history. Continuous-time models:
// Frequency = x (repeat purchases), Recency = t_x (time of the last
// purchase, measured from the first), T = age (time from the first purchase
// to the end of calibration), all in the data's own time unit. Discrete-time
// models (BG/BB): Frequency = x, Recency = t_x (last period with a
// transaction, 0 if none), T = n (number of opportunities).
type Customer struct{ Frequency, Recency, T float64 }

// Data is the fitting input: plain columns of equal length, row i being one
// customer (or, with Weights, Weights[i] identical customers). Weights nil
// means 1 each. Monetary (the mean value of the repeat purchases) is used
// only by Gamma-Gamma and may be nil otherwise. Fitting never modifies Data.
type Data struct{ Frequency, Recency, T, Monetary, Weights []float64 }

// Len returns the number of rows.
func (d Data) Len() int { return len(d.Frequency) }

// Customer returns row i as a Customer.
func (d Data) Customer(i int) Customer {
	return Customer{Frequency: d.Frequency[i], Recency: d.Recency[i], T: d.T[i]}
}

// Weight returns the weight of row i (1 when Weights is nil).
func (d Data) Weight(i int) float64 {
	if d.Weights == nil {
		return 1
	}
	return d.Weights[i]
}

// Params are a model's ordered parameter names and values. JSON names:
// bgnbd r, alpha, a, b; pnbd r, alpha, s, beta; mbgnbd r, alpha, a, b;
// bgbb alpha, beta, gamma, delta; sbg alpha, beta; gg p, q, v.
type Params struct {
	Names  []string
	Values []float64
}

// Get returns the value of the named parameter.
func (p Params) Get(name string) (float64, bool) {
	for i, n := range p.Names {
		if n == name {
			return p.Values[i], true
		}
	}
	return 0, false
}

// Map returns the parameters as a name → value map.
func (p Params) Map() map[string]float64 {
	m := make(map[string]float64, len(p.Names))
	for i, n := range p.Names {
		m[n] = p.Values[i]
	}
	return m
}

// FitInfo describes a maximum-likelihood fit. It is attached to every fitted
// model and is nil for a model built from given parameters.
type FitInfo struct {
	// LogLikelihood is the maximised (weighted) log-likelihood.
	LogLikelihood float64
	// Iterations and Evaluations count optimiser iterations and
	// log-likelihood evaluations.
	Iterations, Evaluations int
	// Converged is true for every returned fit (non-convergence is an error).
	Converged bool
	// Status is the optimiser's termination status.
	Status string
	// Customers is the sum of the weights.
	Customers float64
	// Tuples is the number of distinct rows evaluated after collapsing.
	Tuples int
	// StdErrors, Lower95 and Upper95 follow the order of Params: standard
	// errors from the inverse observed information, and 95% intervals formed
	// on the log scale (always positive, asymmetric). NaN when the Hessian
	// was not positive definite (see Warnings).
	StdErrors, Lower95, Upper95 []float64
	// LogCov is the asymptotic covariance of the log-parameters, used to draw
	// parameters for prediction intervals; nil when unavailable.
	LogCov *mat.SymDense
	// AIC and BIC are 2k − 2LL and k ln(Customers) − 2LL.
	AIC, BIC float64
	// Warnings are non-fatal problems (Hessian, data assumptions).
	Warnings []string
}

// FitOptions configure a fit. nil means defaults.
type FitOptions struct {
	// Init is the starting point on the natural scale, in Params order; nil
	// means the model's default start. Every value must be positive.
	Init []float64
	// MaxIterations bounds the optimiser's iterations. Default 1000.
	MaxIterations int
	// GradientTol is the convergence threshold on the infinity norm of the
	// gradient of the mean negative log-likelihood with respect to the
	// log-parameters. Default 1e-8.
	GradientTol float64
	// SkipStdErrors skips the Hessian (faster; StdErrors and LogCov nil).
	SkipStdErrors bool
}

// Model is satisfied by every fitted or constructed model of the package
// (*BGNBD, *ParetoNBD, *MBGNBD, *BGBB, *SBG, *GammaGamma); it is what
// SaveModel needs and LoadModel returns.
type Model interface {
	// Name is the model's JSON name (NameBGNBD, ...).
	Name() string
	// Params returns the ordered parameters.
	Params() Params
	// FitInfo returns the fit description, nil for a model built from
	// parameters.
	FitInfo() *FitInfo
}

// annotated is implemented by every model type of the package: it gives
// LoadModel, ModelTiming and SetTiming the fit description and Timing
// fields, so that they need no switch over the model types. A new model
// type implements it (next to its FitInfo method) and lists itself in
// the assertions below.
type annotated interface {
	Model
	// setInfo attaches a fit description (LoadModel).
	setInfo(info *FitInfo)
	// timing returns the model's Timing field, for reading and writing.
	timing() *Timing
}

var (
	_ annotated = (*BGNBD)(nil)
	_ annotated = (*ParetoNBD)(nil)
	_ annotated = (*MBGNBD)(nil)
	_ annotated = (*BGBB)(nil)
	_ annotated = (*SBG)(nil)
	_ annotated = (*GammaGamma)(nil)
)

// TransactionModel is satisfied by the repeat-purchase models *BGNBD,
// *ParetoNBD, *MBGNBD and *BGBB. Methods never mutate the model, so a model
// is safe for concurrent use. Times are in the data's own unit (periods for
// BG/BB).
type TransactionModel interface {
	Model
	// ExpectedPurchases returns E[X(t)], the expected number of repeat
	// purchases of a new customer in a period of length t.
	ExpectedPurchases(t float64) float64
	// ConditionalExpectedPurchases returns the expected number of purchases
	// in the next t of a customer with history c.
	ConditionalExpectedPurchases(t float64, c Customer) float64
	// ProbAlive returns P(alive at T | c).
	ProbAlive(c Customer) float64
	// ProbPurchases returns P(X(t) = k) for a new customer.
	ProbPurchases(k int, t float64) float64
}

// mleOptions converts FitOptions (nil allowed) to the optimiser's options.
func (o *FitOptions) mleOptions() *mle.Options {
	if o == nil {
		return nil
	}
	return &mle.Options{MaxIterations: o.MaxIterations, GradientTol: o.GradientTol, SkipHessian: o.SkipStdErrors}
}

// start returns o.Init if set (validated: k positive finite values) or def.
func (o *FitOptions) start(def []float64) ([]float64, error) {
	if o == nil || o.Init == nil {
		return def, nil
	}
	if len(o.Init) != len(def) {
		return nil, fmt.Errorf("%w: FitOptions.Init has %d values, want %d", ErrBadParams, len(o.Init), len(def))
	}
	for i, v := range o.Init {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: FitOptions.Init[%d] = %v, want positive and finite", ErrBadParams, i, v)
		}
	}
	return append([]float64(nil), o.Init...), nil
}

// maximize runs the shared optimiser and converts its result to FitInfo,
// wrapping non-convergence in ErrNotConverged. Every model's Fit function
// goes through it.
func maximize(ctx context.Context, p mle.Problem, opts *FitOptions, tuples int) ([]float64, *FitInfo, error) {
	res, err := mle.Maximize(ctx, p, opts.mleOptions())
	if err != nil {
		switch {
		case errors.Is(err, mle.ErrNotConverged):
			ce := &ConvergenceError{Err: err}
			if res != nil {
				ce.Iterations, ce.Evaluations = res.Iterations, res.Evaluations
				ce.GradNorm, ce.Status, ce.LogLikelihood = res.GradNorm, res.Status, res.LogLik
			}
			return nil, nil, ce
		case errors.Is(err, mle.ErrBadProblem):
			return nil, nil, fmt.Errorf("%w: %v", ErrBadData, err)
		default:
			return nil, nil, err
		}
	}
	info := &FitInfo{
		LogLikelihood: res.LogLik,
		Iterations:    res.Iterations,
		Evaluations:   res.Evaluations,
		Converged:     res.Converged,
		Status:        res.Status,
		Customers:     p.N,
		Tuples:        tuples,
		StdErrors:     res.StdErrors,
		Lower95:       res.Lower95,
		Upper95:       res.Upper95,
		LogCov:        res.LogCov,
		AIC:           res.AIC,
		BIC:           res.BIC,
		Warnings:      res.Warnings,
	}
	info.Warnings = append(info.Warnings, weakWarnings(p.Names, res.Params, res.LogCov)...)
	return res.Params, info, nil
}

// weakLogSE is the standard error of a log-parameter above which the fit
// warns: one standard error is then a factor of 10.
const weakLogSE = math.Ln10

// weakWarnings flags parameters the data hardly determine: those whose
// standard error on the log scale exceeds weakLogSE. That happens when the
// estimate runs towards a limit of the model (a → 0 with b → ∞ in BG/NBD:
// no dropout in the data), where the likelihood is nearly flat; the
// predictions may still be sound, but the value itself means little and
// intervals drawn from the fit are wide or fail.
func weakWarnings(names []string, est []float64, logCov *mat.SymDense) []string {
	if logCov == nil {
		return nil
	}
	var w []string
	for i, name := range names {
		if se := math.Sqrt(logCov.At(i, i)); se > weakLogSE {
			w = append(w, fmt.Sprintf("%s = %.4g is weakly identified (standard error %.3g on the log scale: the data hardly determine it; a limiting case of the model fits about as well)", name, est[i], se))
		}
	}
	return w
}

// ConvergenceError is the error of a fit whose optimiser stopped without
// meeting its convergence criterion (too few iterations, a flat or
// unbounded likelihood, a line search that could not progress). It wraps
// ErrNotConverged and carries the optimiser's diagnostics; the point where
// it stopped is deliberately not returned, so that half-fitted parameters
// are never mistaken for estimates.
type ConvergenceError struct {
	// Iterations and Evaluations are the optimiser's major iterations and
	// log-likelihood evaluations.
	Iterations, Evaluations int
	// GradNorm is the infinity norm of the gradient of the mean negative
	// log-likelihood (with respect to the log-parameters) where the
	// optimiser stopped; convergence needs FitOptions.GradientTol.
	GradNorm float64
	// Status is the optimiser's termination status.
	Status string
	// LogLikelihood is the log-likelihood where it stopped.
	LogLikelihood float64
	// Err is the optimiser's error.
	Err error
}

// Error describes the failure with its diagnostics.
func (e *ConvergenceError) Error() string {
	return fmt.Sprintf("%v after %d iterations (%d evaluations): status %s, gradient norm %.3g, log-likelihood %.6g",
		ErrNotConverged, e.Iterations, e.Evaluations, e.Status, e.GradNorm, e.LogLikelihood)
}

// Unwrap returns ErrNotConverged and the optimiser's error, so that
// errors.Is(err, ErrNotConverged) holds.
func (e *ConvergenceError) Unwrap() []error { return []error{ErrNotConverged, e.Err} }

// checkPositive returns ErrBadParams unless every value is positive and
// finite.
func checkPositive(model string, names []string, values ...float64) error {
	for i, v := range values {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s %s = %v, want positive and finite", ErrBadParams, model, names[i], v)
		}
	}
	return nil
}

// checkCustomer reports whether c is a valid continuous-time history.
func checkCustomer(c Customer) bool {
	return c.Frequency >= 0 && c.Recency >= 0 && c.T >= c.Recency && !math.IsInf(c.T, 0) &&
		c.Frequency == math.Trunc(c.Frequency) && !math.IsInf(c.Frequency, 0)
}

// historyError returns the *event.ValueError for the first bad value of
// row i of d as a continuous-time history (the rows checkCustomer refuses):
// x a finite whole number >= 0, T finite and >= 0, 0 <= t_x <= T; nil if
// the row is valid.
func historyError(d Data, i int) error {
	x, tx, T := d.Frequency[i], d.Recency[i], d.T[i]
	switch {
	case !(x >= 0) || math.IsInf(x, 0) || x != math.Trunc(x):
		return badValue("frequency", i, x, "want a whole number >= 0")
	case !(T >= 0) || math.IsInf(T, 0):
		return badValue("T", i, T, "want finite and >= 0")
	case !(tx >= 0) || tx > T:
		return badValue("recency", i, tx, fmt.Sprintf("want 0 <= recency <= T (%v)", T))
	}
	return nil
}

// validateContinuous checks Data for the continuous-time models: equal
// lengths; x a finite whole number ≥ 0; 0 ≤ t_x ≤ T; T ≥ 0 and finite (a
// customer acquired at the very end of the period has T = 0, so x = 0);
// t_x = 0 when x = 0; weights finite and ≥ 0 with a positive sum.
func validateContinuous(d Data) error {
	n := len(d.Frequency)
	if n == 0 {
		return fmt.Errorf("%w: no customers", ErrBadData)
	}
	if len(d.Recency) != n || len(d.T) != n {
		return fmt.Errorf("%w: column lengths differ (frequency %d, recency %d, T %d)", ErrBadData, n, len(d.Recency), len(d.T))
	}
	if d.Weights != nil && len(d.Weights) != n {
		return fmt.Errorf("%w: %d weights for %d customers", ErrBadData, len(d.Weights), n)
	}
	sum := 0.0
	for i := 0; i < n; i++ {
		if err := historyError(d, i); err != nil {
			return err
		}
		if x, tx := d.Frequency[i], d.Recency[i]; x == 0 && tx != 0 {
			return badValue("recency", i, tx, "want 0 with frequency 0")
		}
		w := d.Weight(i)
		if !(w >= 0) || math.IsInf(w, 0) {
			return badValue("weights", i, w, "want finite and >= 0")
		}
		sum += w
	}
	if !(sum > 0) {
		return fmt.Errorf("%w: weights sum to %v", ErrBadData, sum)
	}
	return nil
}
