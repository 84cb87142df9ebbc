// Package clv estimates customer lifetime value: probabilistic models of
// repeat purchasing and of spend, fitted by maximum likelihood to each
// customer's purchase summary, and the discounted value they imply.
//
// The package computes on plain slices and structs ([Data], [Customer]);
// reading event files and Arrow tables happens elsewhere. Every fitted
// model is a small struct of parameters with value-free methods, safe for
// concurrent use, and carries a [FitInfo] (log-likelihood, standard errors,
// 95% intervals, covariance, AIC/BIC, iterations, status). The transaction
// models satisfy [TransactionModel], so callers swap them freely; all six
// models save to and load from JSON ([SaveModel], [LoadModel]) and can be
// fitted or built by name ([Fit], [NewModel]).
//
// This overview documents the continuous-time models BG/NBD, Pareto/NBD and
// MBG/NBD, the Gamma-Gamma spend model and discounted CLV. The
// discrete-time BG/BB, the contractual sBG, the simple (heuristic)
// estimator and referral-inclusive value are documented on their types
// ([BGBB], [SBG], [Simple], [Referral]).
//
// # Data
//
// A customer's calibration history is x (repeat purchases: purchases after
// the first, with purchases on the same day counted once), t_x (time
// of the last purchase, measured from the first; 0 when x = 0) and T (time
// from the first purchase to the end of the calibration period), all in the
// data's own time unit — weeks, days, whatever the summary used. Rates such
// as α and β are per that unit; nothing assumes a 30-day month. Rows may be
// weighted (Weights), and identical (x, t_x, T) rows are collapsed into one
// weighted row before fitting, so fit time grows with the number of
// distinct histories, not of customers.
//
// # Model
//
// BG/NBD (Fader, Hardie & Lee 2005a). While active, a customer buys
// according to a Poisson process with rate λ; after each purchase they
// become inactive with probability p. Across customers
//
//	λ ~ Gamma(r, α)   (shape r, rate α),   p ~ Beta(a, b),
//
// independently. Dropout can only follow a purchase, so a customer without
// repeat purchases is certainly alive.
//
// MBG/NBD (Batislam, Denizel & Filiztekin 2007). As BG/NBD, but the
// customer may also become inactive right after the first purchase (at
// time 0) with probability p, so customers without repeat purchases may
// be inactive too.
//
// Pareto/NBD (Schmittlein, Morrison & Colombo 1987). While alive a customer
// buys as a Poisson process with rate λ; their lifetime is exponential with
// rate μ, unobserved. Across customers
//
//	λ ~ Gamma(r, α),   μ ~ Gamma(s, β),
//
// independently.
//
// Gamma-Gamma (Fader, Hardie & Lee 2005b; Fader & Hardie 2013). The value
// of each transaction of a customer is Gamma(p, ν), and ν ~ Gamma(q, γ)
// across customers (γ is the JSON parameter "v"); spend is assumed
// independent of the transaction process. The fit reports the correlation
// between frequency and mean spend and warns when |r| > 0.3.
//
// # Likelihood
//
// BG/NBD, for a customer (x, t_x, T) (FHL 2005a, eq. 6):
//
//	L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//	    + δ(x>0) B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)).
//
// MBG/NBD:
//
//	L = Γ(r+x) α^r / Γ(r) · [ B(a, b+x+1)/B(a, b) (α+T)^−(r+x)
//	                          + B(a+1, b+x)/B(a, b) (α+t_x)^−(r+x) ].
//
// Pareto/NBD, in the form of Fader & Hardie's (2005) MATLAB note:
//
//	L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s (G(t_x) − G(T)) ],
//	G(t) = ∫_t^∞ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ
//	     = (m+t)^−p / p · ₂F₁(p, b₂; p+1; |α−β|/(m+t)),
//
// with p = r+s+x, m = max(α, β), b₂ = s+1 if α ≥ β and r+x otherwise. Both
// terms are kept in log space, and ₂F₁(p, b₂; p+1; z) is summed after
// Euler's transformation, (1−z)^(1−b₂) Σ (p+1−b₂)_n/(p+1)_n zⁿ, whose terms
// are positive and fall at least like zⁿ however large x is; so daily data
// with T in the thousands and x in the tens of thousands neither overflow
// nor lose precision. When z is near 1 (α and β far apart against t, as at
// the NBD limit s → 0, β → ∞, where real data often put the estimate), the
// series would be long; then, with ε = 1−z and w₀ = min(½, 1/(2|p−1|)),
//
//	₂F₁(p, b₂; p+1; z) = p z^−p [∫_w₀^1 w^−b₂ (1−w)^(p−1) dw
//	                     + Σ_k (1−p)_k/k! (w₀^(1−b₂+k) − ε^(1−b₂+k))/(1−b₂+k)],
//
// the first part being the same series at 1−w₀ (shared by every t of one
// x) and the second a series whose k-th term is below 2^−k of the sum, with
// no poles at integer b₂ (mle.Hyp2F1C1). G depends on (x, t) only and is
// computed once per distinct pair.
//
// Gamma-Gamma, for a customer with x > 0 transactions of mean value m̄
// (Fader & Hardie 2013, eq. 4):
//
//	L = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) m̄^(px−1) / (γ + x m̄)^(px+q).
//
// All models are fitted by weighted maximum likelihood over the logarithms
// of their parameters with BFGS (package gonum.org/v1/gonum/optimize),
// with analytic gradients (for Pareto/NBD the ₂F₁ series is differentiated
// term by term in the same loop). A fit that does not converge is an error
// wrapping [ErrNotConverged] (a [*ConvergenceError] with the iterations,
// gradient norm and status), never a model with half-fitted or NaN
// parameters. Standard
// errors come from the inverse of the numerical Hessian of −LL on the log
// scale and the delta method, SE(θ) = θ·SE(log θ); the 95% intervals are
// exp(log θ ± 1.96 SE(log θ)), always positive. A Hessian that is not
// positive definite is reported in FitInfo.Warnings.
//
// # Predictions
//
// For each transaction model: [TransactionModel.ExpectedPurchases] E[X(t)]
// for a new customer, [TransactionModel.ConditionalExpectedPurchases] for a
// customer (x, t_x, T) in the next t, [TransactionModel.ProbAlive] and
// [TransactionModel.ProbPurchases] P(X(t) = k). BG/NBD (FHL 2005a, eqs.
// 8–11):
//
//	E[X(t)] = (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]
//	P(alive) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x))
//	E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
//	    · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
//
// These are evaluated after Euler's transformation in a form without the
// removable singularity at a = 1 and without overflow for large x. Where
// that series diverges (a + b ≤ 1), is long (t ≫ α+T), grows before it
// falls (large a) or loses digits to cancellation (r+x > a+b−1, or
// a+b+x ≫ r+x) — as it does for the extreme a and b that weakly identified
// fits and their parameter draws produce — the same expectation,
// E[(1 − (h/(h+pt))^(r+x))/p] over p ~ Beta(a, b+x) with h = α+T, is summed
// as a series of positive terms (see bgnbdRemaining),
//
//	R Σ_m (R+1)_m/m! z^(m+1) (1−z)^R · W_m/(m+1),   W_m = Σ_{k≤m} (b+x)_k/(a+b+x)_k,
//
// with R = r+x, z = t/(h+t), of about R t/h + 40(1+t/h) terms; only beyond
// 10⁵ terms is it integrated by adaptive quadrature. References computed
// with 50-digit arithmetic are met to 1e-9 for parameters from 1e-4 to 1e4,
// x up to 10,000 and T up to 100,000. MBG/NBD
// uses the same expressions with b+1 in place of b (and the factor b/(a+b)
// for a new customer), and P(alive) = 1/(1 + a/(b+x) ((α+T)/(α+t_x))^(r+x))
// for every x. Pareto/NBD:
//
//	E[X(t)] = r β / (α (s−1)) [1 − (β/(β+t))^(s−1)]
//	P(alive) = (α+T)^−(r+x) (β+T)^−s / [ (α+T)^−(r+x) (β+T)^−s + s (G(t_x) − G(T)) ]
//	E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive),
//
// continuous at s = 1, and P(X(t) = k) by conditioning on the lifetime and
// adaptive Gauss–Kronrod quadrature. [ExpectedRepeatHistogram] compares expected
// and observed numbers of customers with 0, 1, … repeat purchases.
//
// Gamma-Gamma's expected spend per transaction of a customer is a weighted
// average of the population mean and their own mean:
//
//	E[Z | x, m̄] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄.
//
// # Lifetime value
//
// [CLVBatch] values each customer over a horizon H divided into K steps
// t_k = kH/K (default one per time unit):
//
//	CLV = margin · spend · (1 − ρ*) · Σ_k [E(t_k) − E(t_(k−1))] D(t_k),
//
// E(t) the conditional expected purchases in the next t, spend the
// Gamma-Gamma expectation (or a given spend per purchase), and D(t) =
// (1+d)^−t for a discount rate d per time unit, or e^(−δt) when continuous
// ([RatePerUnit] converts an annual rate). Refunds are netted with the
// customer's refund ratio shrunk towards the population's,
//
//	ρ* = ((x+1) ρ + κ ρ_pop) / (x+1+κ),
//
// the credibility weighting of a beta-binomial model with κ prior
// purchases; a customer whose shrunk ratio exceeds 1 has a negative value,
// which is reported, not clipped.
//
// # Uncertainty and comparison
//
// [ExpectedPurchasesInterval] and [CLVInterval] give each customer an
// interval by drawing parameters from the fit's asymptotic distribution,
// log θ* ~ Normal(log θ̂, Σ_log) ([DrawModels]), recomputing the
// prediction per draw and taking quantiles. [Compare] tabulates AIC and BIC;
// [LikelihoodRatioTest] tests nested fits.
//
// Special cases are:
//
//	ProbAlive, ConditionalExpectedPurchases = NaN for an invalid history (t_x > T, x < 0 or fractional)
//	GammaGamma.MeanSpend = +Inf when q ≤ 1
//	ProbPurchases(k < 0, t) = 0
//
// # Errors
//
// Every error wraps one of [ErrBadData], [ErrBadParams], [ErrNotConverged]
// (a [*ConvergenceError]) or [ErrUnknownModel]; test with errors.Is. A bad
// value in a column of [Data] or another per-customer slice is an
// *event.ValueError — the positioned error shared with segment, rfm and
// cohort — naming the column (frequency, recency, T, monetary_value,
// weights, …), the 0-based row and the value, and saying what is wanted:
//
//	frequency[3] = 2.5, want a whole number >= 0: clv: bad data
//	recency[2] = 9, want 0 <= recency <= T (8): clv: bad data
//
// ErrBadParams (bad model parameters and options) wraps the shared
// event.ErrOption, so errors.Is(err, event.ErrOption) holds for it as for a
// bad option of any valuekit package, while its text stays
// "clv: bad parameters: …". ErrBadData does not: bad data is not an option.
//
// # References
//
//   - Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical
//     validation and comparison of models for customer base analysis.
//     International Journal of Research in Marketing 24(3), 201–209.
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your
//     customers" the easy way: an alternative to the Pareto/NBD model.
//     Marketing Science 24(2), 275–284.
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using
//     iso-value curves for customer base analysis. Journal of Marketing
//     Research 42(4), 415–430.
//   - Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the
//     Pareto/NBD model and related expressions; and Fader, Hardie & Lee,
//     A note on implementing the Pareto/NBD model in MATLAB.
//   - Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of
//     monetary value. http://www.brucehardie.com/notes/025/
//   - Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your
//     customers: who are they and what will they do next? Management Science
//     33(1), 1–24.
//   - Abramowitz, M. & Stegun, I. A. (1972). Handbook of Mathematical
//     Functions, 15.3.3 (Euler's transformation).
package clv
