// Package mle holds the numerics shared by valuekit's probabilistic models:
// weighted maximum likelihood over strictly positive parameters, standard
// errors from the observed information, collapsing of identical data rows,
// information criteria, the likelihood-ratio test, and the special functions
// the customer-base models need.
//
// # Optimisation
//
// Every model parameter θ_i is positive, so [Maximize] works on u_i = log θ_i
// and minimises the mean negative log-likelihood
//
//	f(u) = −LL(exp(u)) / N,
//
// with N the sum of the weights, using BFGS from gonum.org/v1/gonum/optimize.
// The gradient is the model's analytic gradient when [Problem.Gradient] is
// set (converted by the chain rule dLL/du_i = θ_i dLL/dθ_i) and a central
// finite difference otherwise. The run counts as converged when the
// infinity norm of ∇f falls below [Options.GradientTol] (default 1e-8).
// When BFGS stops early because the remaining decrease of f is below its
// rounding noise, Newton steps on the numerical Hessian, which compare
// gradient norms rather than function values, finish the job. When neither
// they nor a second BFGS run at the full tolerance get below it, but BFGS
// stalled (no run stopped at a limit) with the norm below its own
// threshold (1e-5) and the total log-likelihood rising by at most 0.01 per
// e-fold of a parameter, the run counts as converged with a warning: the
// likelihood rises ever more slowly along a ridge towards a limiting case
// of the model (e.g. BG/NBD with a → 0, b → ∞), and the point stands for
// that limit. Anything else returns the best
// point found together with an error wrapping [ErrNotConverged]. With an analytic gradient, f and ∇f are computed in one
// pass and cached, since gonum asks for both at the same point.
//
// # Standard errors
//
// At the optimum the Hessian H of −LL with respect to u is computed by central
// differences (of the gradient when there is one, of LL otherwise; package
// gonum.org/v1/gonum/diff/fd). Its inverse, via a Cholesky factorisation, is
// the asymptotic covariance Σ_u of the log-parameters ([Result.LogCov]). The
// delta method gives the natural-scale covariance
//
//	Σ_θ = D Σ_u D,  D = diag(θ),
//
// so SE(θ_i) = θ_i sqrt(Σ_u[i,i]); because the gradient vanishes at the
// optimum this equals the inverse observed information in θ. The 95%
// interval is formed on the log scale and mapped back,
//
//	[θ_i exp(−1.96 SE(u_i)), θ_i exp(+1.96 SE(u_i))],
//
// so it is asymmetric and always positive. A Hessian that is not positive
// definite leaves StdErrors as NaN and adds a warning; it is not an error.
//
// # Collapsing
//
// [Collapse] merges rows with identical values in up to three columns into one
// row whose weight is the sum of the merged weights, so likelihood evaluation
// costs time in the number of distinct tuples, not customers. [Index] maps a
// column to its distinct values so that terms depending on one column (log(α+T),
// lgamma(r+x), ...) are computed once per distinct value.
//
// From 65,536 rows Collapse first distributes the rows by the top bits of
// their hash into 16 partitions and counts each with its own hash table,
// small enough for the L2 cache (one table of a few hundred thousand
// distinct rows misses the cache on nearly every row); the passes over the
// rows and the partitions are shared by two goroutines, all joined before
// it returns. The result is the same as with one table: rows in order of
// first appearance, weights summed in row order.
//
// # Information criteria and tests
//
//	AIC = 2k − 2 LL,   BIC = k ln N − 2 LL,
//
// with k parameters and N the sum of the weights. [LikelihoodRatioTest]
// returns 2(LL_full − LL_restricted) and its χ² p-value.
//
// # Special functions
//
// [LogSumExp2], [LogDiffExp], [Hyp2F1] (Gauss hypergeometric function,
// series with Euler's transformation and gonum's mathext.Hypergeo as the
// fall-back), [LogHyp2F1C1] and [LogHyp2F1C1Grad] (log of
// ₂F₁(a, b; a+1; z) and its derivatives for 0 ≤ z < 1 and large a, b, as
// needed by the Pareto/NBD likelihood: Euler's series, and near z = 1 the
// incomplete beta integral split at w₀ with a binomial series for the part
// near the end point; [Hyp2F1C1] shares the z-independent part between
// arguments), [LogGammaRatio]
// (log Γ(x+e) − log Γ(x) without cancellation for large x) and [Integrate]
// (globally adaptive Gauss–Kronrod quadrature on caller-placed panels).
//
// Special cases are:
//
//	LogHyp2F1C1(a, b, z) = NaN outside a > 0, 0 < b < a+1, 0 ≤ z < 1
//	LogGammaRatio(x, 0) = 0
//	Integrate(f, edges, rtol) = 0 for fewer than two edges
//
// # References
//
//   - Nocedal, J. and Wright, S. J. (2006), Numerical Optimization, 2nd ed.
//     (BFGS; finite-difference derivatives).
//   - Abramowitz, M. and Stegun, I. A. (1972), Handbook of Mathematical
//     Functions, 15.3.3 (Euler's transformation of ₂F₁).
//   - Fader, P. S., Hardie, B. G. S. (2005), "A Note on Deriving the Pareto/NBD
//     Model and Related Expressions" (the ₂F₁(a, b; a+1; z) form).
//   - Piessens, R., de Doncker-Kapenga, E., Überhuber, C. W. and Kahaner,
//     D. K. (1983), QUADPACK (the 7/15-point Gauss–Kronrod rule).
//   - DLMF 5.11.1 (Stirling's series of log Γ) and 15.6.1 (Euler's integral
//     for ₂F₁).
package mle
