package mle

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Sentinel errors. Callers wrap them; test with errors.Is.
var (
	// ErrNotConverged reports an optimisation that stopped without meeting
	// the gradient tolerance.
	ErrNotConverged = errors.New("mle: optimisation did not converge")
	// ErrBadProblem reports an ill-formed Problem (no parameters, a
	// non-positive start, a log-likelihood that is not finite at the start).
	ErrBadProblem = errors.New("mle: bad problem")
)

// Problem is a log-likelihood over strictly positive parameters.
type Problem struct {
	// Names are the parameter names, in order; len(Names) is the dimension.
	Names []string
	// Init is the starting point on the natural scale; every value must be
	// positive and finite.
	Init []float64
	// LogLik returns the (weighted) log-likelihood at theta, every element of
	// which is positive. It must not retain or modify theta. A point outside
	// the model's support returns -Inf (NaN is treated the same way).
	LogLik func(theta []float64) float64
	// Gradient, if not nil, stores dLL/dθ into dst and returns LL at theta,
	// like LogLik. Without it the gradient is a central finite difference.
	Gradient func(dst, theta []float64) float64
	// N is the number of observations (the sum of the weights). It scales
	// the objective and enters BIC. It must be positive.
	N float64
}

// Options configure Maximize. The zero value (or nil) means the defaults.
type Options struct {
	// MaxIterations bounds the BFGS major iterations. Default 1000.
	MaxIterations int
	// GradientTol is the convergence threshold on the infinity norm of the
	// gradient of the mean negative log-likelihood with respect to the
	// log-parameters. Default 1e-8: tight enough that weakly identified
	// parameters (the Pareto/NBD β on CDNOW, SE 6.2) are located to 1e-4.
	GradientTol float64
	// SkipHessian skips the standard errors (for example inside simulation
	// loops). Default false.
	SkipHessian bool
}

// Result is the outcome of Maximize.
type Result struct {
	// Params are the estimates on the natural scale.
	Params []float64
	// LogLik is the maximised log-likelihood.
	LogLik float64
	// Iterations and Evaluations count BFGS major iterations and
	// log-likelihood evaluations.
	Iterations, Evaluations int
	// Converged reports whether the gradient tolerance was met.
	Converged bool
	// Status is gonum's termination status, as text.
	Status string
	// GradNorm is the final infinity norm of the scaled gradient.
	GradNorm float64
	// StdErrors, Lower95 and Upper95 follow the order of Params; NaN when the
	// Hessian could not be inverted (see Warnings).
	StdErrors, Lower95, Upper95 []float64
	// LogCov is the asymptotic covariance of the log-parameters, nil when
	// the Hessian was skipped or could not be inverted.
	LogCov *mat.SymDense
	// Cov is the natural-scale covariance D LogCov D, D = diag(Params).
	Cov *mat.SymDense
	// AIC and BIC are the information criteria.
	AIC, BIC float64
	// Warnings are non-fatal problems.
	Warnings []string
}

// objective turns a Problem into the scaled objective on log-parameters.
type objective struct {
	p     Problem
	theta []float64
	grad  []float64
	evals int
	// With an analytic gradient, f computes the gradient too and caches it
	// for the Grad call gonum makes at the same point.
	lastU    []float64
	lastF    float64
	lastG    []float64
	lastGood bool
}

func (o *objective) toTheta(u []float64) {
	for i, v := range u {
		o.theta[i] = math.Exp(v)
	}
}

func (o *objective) f(u []float64) float64 {
	if o.p.Gradient != nil {
		o.eval(u)
		return o.lastF
	}
	o.evals++
	o.toTheta(u)
	ll := o.p.LogLik(o.theta)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return math.Inf(1)
	}
	return -ll / o.p.N
}

// eval computes the scaled objective and gradient at u with the analytic
// gradient, unless u is the point of the previous call.
func (o *objective) eval(u []float64) {
	if o.lastGood && floats.Equal(u, o.lastU) {
		return
	}
	o.evals++
	o.toTheta(u)
	ll := o.p.Gradient(o.grad, o.theta)
	if o.lastU == nil {
		o.lastU = make([]float64, len(u))
		o.lastG = make([]float64, len(u))
	}
	copy(o.lastU, u)
	o.lastGood = true
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		o.lastF = math.Inf(1)
		for i := range o.lastG {
			o.lastG[i] = math.NaN()
		}
		return
	}
	o.lastF = -ll / o.p.N
	for i := range o.lastG {
		o.lastG[i] = -o.grad[i] * o.theta[i] / o.p.N
	}
}

func (o *objective) g(dst, u []float64) {
	if o.p.Gradient == nil {
		fd.Gradient(dst, o.f, u, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		return
	}
	o.eval(u)
	copy(dst, o.lastG)
}

// ctxRecorder stops gonum's Minimize when ctx is done.
type ctxRecorder struct{ ctx context.Context }

func (r ctxRecorder) Init() error { return r.ctx.Err() }
func (r ctxRecorder) Record(*optimize.Location, optimize.Operation, *optimize.Stats) error {
	return r.ctx.Err()
}

func checkProblem(p Problem) error {
	k := len(p.Names)
	if k == 0 || len(p.Init) != k {
		return fmt.Errorf("%w: %d names, %d starting values", ErrBadProblem, k, len(p.Init))
	}
	if p.LogLik == nil {
		return fmt.Errorf("%w: nil LogLik", ErrBadProblem)
	}
	if !(p.N > 0) || math.IsInf(p.N, 0) {
		return fmt.Errorf("%w: N = %v, want > 0", ErrBadProblem, p.N)
	}
	for i, v := range p.Init {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: start %s = %v, want positive and finite", ErrBadProblem, p.Names[i], v)
		}
	}
	return nil
}

// Maximize maximises p.LogLik over positive parameters (see the package
// documentation for the method). opts nil means defaults. On
// non-convergence it returns the best point found and an error wrapping
// ErrNotConverged; on cancellation, ctx.Err() wrapped.
func Maximize(ctx context.Context, p Problem, opts *Options) (*Result, error) {
	if err := checkProblem(p); err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxIterations <= 0 {
		o.MaxIterations = 1000
	}
	if o.GradientTol <= 0 {
		o.GradientTol = 1e-8
	}
	k := len(p.Names)
	obj := &objective{p: p, theta: make([]float64, k), grad: make([]float64, k)}
	u0 := make([]float64, k)
	for i, v := range p.Init {
		u0[i] = math.Log(v)
	}
	if f0 := obj.f(u0); math.IsInf(f0, 1) {
		return nil, fmt.Errorf("%w: log-likelihood not finite at the start %v", ErrBadProblem, p.Init)
	}
	// BFGS runs to a moderate gradient threshold (1e-5 on the mean scale);
	// below that the decrease of f approaches its rounding noise and line
	// searches start to fail after many evaluations. Newton steps on the
	// numerical Hessian, which compare gradient norms rather than function
	// values and converge quadratically, take it to GradientTol.
	bfgsTol := math.Max(o.GradientTol, 1e-5)
	settings := &optimize.Settings{
		GradientThreshold: bfgsTol,
		MajorIterations:   o.MaxIterations,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-14, Relative: 1e-14, Iterations: 50},
		Recorder:          ctxRecorder{ctx},
	}
	prob := optimize.Problem{Func: obj.f, Grad: obj.g}
	res, err := optimize.Minimize(prob, u0, settings, &optimize.BFGS{})
	if ctx.Err() != nil {
		return nil, fmt.Errorf("mle: %w", ctx.Err())
	}
	if res == nil {
		return nil, fmt.Errorf("%w: %v", ErrNotConverged, err)
	}
	limited := atLimit(res.Status) // a run stopped by an iteration or evaluation limit
	iters := res.Stats.MajorIterations
	x := res.X
	g := make([]float64, k)
	obj.g(g, x)
	gnorm := floats.Norm(g, math.Inf(1))
	if gnorm > o.GradientTol && gnorm < 1e-2 {
		x, gnorm = newtonPolish(obj, x, g, gnorm, o.GradientTol)
	}
	if gnorm > o.GradientTol {
		// Newton could not finish (a flat direction, a Hessian that is not
		// positive definite): rerun BFGS from the start at the full
		// tolerance, polish again, and keep the better end point.
		settings.GradientThreshold = o.GradientTol
		if res2, err2 := optimize.Minimize(prob, u0, settings, &optimize.BFGS{}); res2 != nil {
			limited = limited || atLimit(res2.Status)
			x2 := res2.X
			g2 := make([]float64, k)
			obj.g(g2, x2)
			gn2 := floats.Norm(g2, math.Inf(1))
			if gn2 > o.GradientTol && gn2 < 1e-2 {
				x2, gn2 = newtonPolish(obj, x2, g2, gn2, o.GradientTol)
			}
			iters += res2.Stats.MajorIterations
			if gn2 < gnorm {
				x, gnorm, res, err = x2, gn2, res2, err2
			}
		}
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("mle: %w", ctx.Err())
	}
	out := &Result{
		Params:      make([]float64, k),
		LogLik:      -obj.f(x) * p.N,
		Iterations:  iters,
		Evaluations: obj.evals,
		Status:      res.Status.String(),
	}
	for i, v := range x {
		out.Params[i] = math.Exp(v)
	}
	out.GradNorm = gnorm
	// Converged: the gradient at GradientTol (with a margin of 10) — or on
	// a ridge: BFGS stalled (no run stopped by a limit) with neither
	// Newton steps nor a second BFGS run getting the gradient lower, and
	// the total log-likelihood rising by at most ridgeGain per e-fold of a
	// parameter. That is a likelihood that rises ever more slowly towards a
	// limiting case of the model (e.g. BG/NBD with a → 0, b → ∞ on a
	// retailer's invoices): for an approach like c/θ the gain still left
	// is that slope, so the point is as good as the limit, and its
	// standard errors show the parameters the data do not determine.
	ridge := gnorm <= bfgsTol && gnorm*p.N <= ridgeGain && !limited
	out.Converged = (gnorm <= o.GradientTol*10 || ridge) && !math.IsInf(out.LogLik, -1)
	for _, v := range out.Params {
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			out.Converged = false
		}
	}
	out.AIC, out.BIC = InfoCriteria(out.LogLik, k, p.N)
	if !out.Converged {
		msg := fmt.Sprintf("status %s, gradient norm %.3g", out.Status, out.GradNorm)
		if err != nil {
			msg += ": " + err.Error()
		}
		return out, fmt.Errorf("%w: %s", ErrNotConverged, msg)
	}
	if gnorm > o.GradientTol*10 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("stopped at gradient norm %.3g, not %.3g: the likelihood rises ever more slowly along a ridge, as towards a limiting case of the model (by %.2g log-likelihood units per e-fold of a parameter), and the estimates stand for that limit", gnorm, o.GradientTol, gnorm*p.N))
	}
	if !o.SkipHessian {
		stdErrors(out, obj, x)
	}
	return out, nil
}

// ridgeGain is the most total log-likelihood per e-fold of a parameter
// that a fit stalled on a ridge may leave (see Maximize).
const ridgeGain = 1e-2

// atLimit reports whether s is the status of a run stopped by an iteration
// or evaluation limit rather than for lack of progress.
func atLimit(s optimize.Status) bool {
	switch s {
	case optimize.IterationLimit, optimize.RuntimeLimit, optimize.FunctionEvaluationLimit,
		optimize.GradientEvaluationLimit, optimize.HessianEvaluationLimit:
		return true
	}
	return false
}

// newtonPolish takes up to 20 Newton steps from u (gradient g, norm gnorm)
// using the numerical Hessian, keeping a step only when it lowers the
// gradient norm, until the norm is at most tol. It returns the final point
// and gradient norm.
func newtonPolish(obj *objective, u, g []float64, gnorm, tol float64) ([]float64, float64) {
	k := len(u)
	u = append([]float64(nil), u...)
	h := mat.NewSymDense(k, nil)
	step := mat.NewVecDense(k, nil)
	trial := make([]float64, k)
	gt := make([]float64, k)
	for it := 0; it < 20 && gnorm > tol; it++ {
		newtonHessian(h, obj, u, g)
		var chol mat.Cholesky
		if !chol.Factorize(h) {
			break
		}
		if err := chol.SolveVecTo(step, mat.NewVecDense(k, append([]float64(nil), g...))); err != nil {
			break
		}
		improved := false
		for damp := 1.0; damp > 1e-3; damp /= 4 {
			for i := range trial {
				trial[i] = u[i] - damp*step.AtVec(i)
			}
			obj.g(gt, trial)
			if n := floats.Norm(gt, math.Inf(1)); n < gnorm && !math.IsNaN(n) {
				copy(u, trial)
				copy(g, gt)
				gnorm = n
				improved = true
				break
			}
		}
		if !improved {
			break
		}
	}
	return u, gnorm
}

// newtonHessian stores in h an approximate Hessian for a Newton step at u
// (gradient g): forward differences of the analytic gradient (k extra
// evaluations), or central differences of f without one.
func newtonHessian(h *mat.SymDense, obj *objective, u, g []float64) {
	if obj.p.Gradient == nil {
		hessian(h, obj, u)
		return
	}
	k := len(u)
	jac := mat.NewDense(k, k, nil)
	fd.Jacobian(jac, func(y, x []float64) { obj.g(y, x) }, u, &fd.JacobianSettings{Formula: fd.Forward, Step: 1e-6, OriginValue: g})
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			h.SetSym(i, j, 0.5*(jac.At(i, j)+jac.At(j, i)))
		}
	}
}

// hessian stores in h the Hessian of the mean objective at u: central
// differences of the gradient when there is an analytic one, of f otherwise.
func hessian(h *mat.SymDense, obj *objective, u []float64) {
	k := len(u)
	if obj.p.Gradient != nil {
		jac := mat.NewDense(k, k, nil)
		fd.Jacobian(jac, func(y, x []float64) { obj.g(y, x) }, u, &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
		for i := 0; i < k; i++ {
			for j := i; j < k; j++ {
				h.SetSym(i, j, 0.5*(jac.At(i, j)+jac.At(j, i)))
			}
		}
		return
	}
	fd.Hessian(h, obj.f, u, &fd.Settings{Formula: fd.Central, Step: 1e-4})
}

// stdErrors fills r's StdErrors, Lower95, Upper95, LogCov and Cov from the
// numerical Hessian at the log-parameters u.
func stdErrors(r *Result, obj *objective, u []float64) {
	k := len(u)
	r.StdErrors = make([]float64, k)
	r.Lower95 = make([]float64, k)
	r.Upper95 = make([]float64, k)
	for i := range r.StdErrors {
		r.StdErrors[i], r.Lower95[i], r.Upper95[i] = math.NaN(), math.NaN(), math.NaN()
	}
	h := mat.NewSymDense(k, nil)
	hessian(h, obj, u)
	// h is the Hessian of the mean objective: scale to the total −LL.
	h.ScaleSym(obj.p.N, h)
	for i := 0; i < k; i++ {
		for j := 0; j <= i; j++ {
			if v := h.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				r.Warnings = append(r.Warnings, "Hessian has non-finite entries; standard errors unavailable")
				return
			}
		}
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(h); !ok {
		r.Warnings = append(r.Warnings, "Hessian not positive definite; standard errors unavailable")
		return
	}
	logCov := mat.NewSymDense(k, nil)
	if err := chol.InverseTo(logCov); err != nil {
		r.Warnings = append(r.Warnings, "Hessian near-singular; standard errors unavailable: "+err.Error())
		return
	}
	cov := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			cov.SetSym(i, j, logCov.At(i, j)*r.Params[i]*r.Params[j])
		}
	}
	r.LogCov, r.Cov = logCov, cov
	for i := 0; i < k; i++ {
		v := logCov.At(i, i)
		if !(v > 0) {
			continue
		}
		se := math.Sqrt(v)
		r.StdErrors[i] = r.Params[i] * se
		r.Lower95[i] = r.Params[i] * math.Exp(-z95*se)
		r.Upper95[i] = r.Params[i] * math.Exp(z95*se)
	}
}

// z95 is the 97.5% quantile of the standard normal.
const z95 = 1.959963984540054
