// Package generate simulates a customer base from the "buy till you die"
// models themselves and writes its events — purchases with amounts,
// referrals, shares and feedback scores — as CSV or Parquet files that the
// valuekit readers take without any column mapping. It is for tests,
// demonstrations and what-if studies: a fit to the generated events should
// give back the parameters they were drawn from.
//
// # Process
//
// Customer i (id i+1, of n) makes a first purchase at
//
//	t₀ = Start + (i + uᵢ)/n · (End − Start),   uᵢ ~ Uniform(0, 1),
//
// so that every customer's acquisition is uniform over [Start, End) and ids
// follow acquisition order (a stratified uniform sample; uᵢ is a hash of
// the seed and i). Then, with rates per Options.Unit:
//
//	BG/NBD (Fader, Hardie & Lee 2005a):
//	    λ ~ Gamma(r, α),  p ~ Beta(a, b);
//	    repeat purchases by a Poisson process with rate λ; after each
//	    repeat purchase the customer drops out with probability p.
//	Pareto/NBD (Schmittlein, Morrison & Colombo 1987):
//	    λ ~ Gamma(r, α),  μ ~ Gamma(s, β),  lifetime τ ~ Exp(μ);
//	    repeat purchases by a Poisson process with rate λ on [t₀, t₀ + τ).
//	Spend, Gamma-Gamma (Fader, Hardie & Lee 2005b; Fader & Hardie 2013):
//	    ν ~ Gamma(q, v) per customer; each purchase's amount ~ Gamma(p, ν)
//	    (mean p/ν), rounded to cents. Default: the CDNOW estimates.
//
// Gamma(shape, rate) throughout; observation ends at End. Around that
// core, on a separate random stream (so they never change the purchases):
//
//   - Referrals: a Poisson process with rate ReferralRate over the
//     customer's active time (until dropout or End). A referral at time t
//     names the customer whose stratum contains t — the customer acquired
//     at about t, always a later one than the referrer and than the
//     referrer's previous referral — and is dated at that customer's first
//     purchase. Referrals past the last customer are dropped. Two referrers
//     may, rarely, name the same customer.
//   - Shares: a Poisson process with rate ShareRate over the active time.
//   - Feedback (Options.Feedback): each purchase is followed, with
//     probability FeedbackProbability and on average a day later
//     (exponential delay, dropped past End), by a feedback event with an
//     integer score 1–10: the customer's level 1 + 9·Beta(3, 1.2) plus
//     standard normal noise, rounded and clamped.
//
// Each customer's events are written in time order, customers in id order;
// times are whole seconds, UTC.
//
// # Days
//
// valuekit summaries count purchase days, not purchases (as the CDNOW data
// of the literature do). So that the summary's frequency is the model's
// count, a repeat purchase that would fall on the calendar day of the
// customer's previous purchase is recorded on the next day, same time of
// day (and dropped if that is at or after End). With rates of a purchase a
// week this moves about 2% of purchases by less than a day; without it,
// BG/NBD fits of weekly data came out about 5% low in the purchase rate.
// Rates near one purchase a day or more cannot be represented by daily
// summaries. The summary's T, counted in whole days up to the last day
// observed (End − 1 day), is on average half a day shorter than the
// continuous-time age; at weekly units this is negligible.
//
// # Determinism and streaming
//
// Customers are simulated in blocks of BlockSize on Options.Workers
// goroutines; each block draws from its own PCG streams (math/rand/v2)
// seeded with the seed and the block index, and blocks are written in
// order, so the output is the same bytes for the same options whatever the
// number of workers or GOMAXPROCS. Memory is bounded by a few blocks per
// worker plus one Parquet row group of RowGroupRows rows; WriteFile writes
// atomically and leaves no file when ctx is cancelled.
//
// # Errors
//
// Every error about the options or parameters wraps ErrOption, which is
// event.ErrOption (and valuekit.ErrOption), so errors.Is(err,
// event.ErrOption) holds for a bad option here as in every valuekit package:
// "generate: invalid option: unknown parameter "z" (bgnbd takes r, alpha,
// a, b)".
//
// # References
//
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your
//     customers" the easy way: an alternative to the Pareto/NBD model.
//     Marketing Science 24(2), 275–284.
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using
//     iso-value curves for customer base analysis. Journal of Marketing
//     Research 42(4), 415–430. (Gamma-Gamma estimates on CDNOW: p = 6.25,
//     q = 3.74, γ = 15.44.)
//   - Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of
//     monetary value. http://www.brucehardie.com/notes/025/
//   - Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your
//     customers: who are they and what will they do next? Management Science
//     33(1), 1–24.
//   - Marsaglia, G. & Tsang, W. W. (2000). A simple method for generating
//     gamma variables. ACM Transactions on Mathematical Software 26(3),
//     363–372. (The gamma sampler.)
package generate
