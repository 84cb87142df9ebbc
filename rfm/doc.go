// Package rfm scores customers on recency, frequency and monetary value
// (RFM) and names segments from the scores.
//
// RFM analysis (Hughes 1994) ranks customers on three observable facts
// about their past purchases: how recently they last bought, how often they
// bought and how much they spent. Fader, Hardie and Lee (2005) showed these
// three facts to be sufficient statistics for the future value of a customer
// under the Pareto/NBD and gamma-gamma models, which is why the crude scores
// work as well as they do; package clv computes the model-based values.
//
// The package computes on plain per-customer columns (Data) and does not
// read events. Its inputs are named for what they are: the recency input,
// Data.DaysSinceLastPurchase, is the number of days from a customer's last
// purchase to the end of the observation period — not the BTYD recency (the
// time from the first to the last purchase) that package clv and
// valuekit.Summary use — and Data.Purchases counts purchases, not the BTYD
// frequency of repeat purchase periods.
//
// # Model
//
// Each dimension is scored 1 (worst) to k (best), k = 5 by default. Higher is
// always better: recent, frequent, big spenders score high. With n customers
// and L the number of customers strictly worse than a given one on a
// dimension,
//
//	score = 1 + ⌊k·L/n⌋
//
// equivalently, with the lower empirical quantiles q_s (the order
// statistics of rank ⌈s·n/k⌉, s = 1..k−1) as cuts,
//
//	F = 1 + #{s : frequency > q_s}
//	M = 1 + #{s : monetary  > q_s}
//	R = 1 + #{s : recency   < q'_s}    (q'_s counted from the longest recency)
//
// The rule is deterministic and customers with equal values always get equal
// scores — unlike scoring by row position (pandas' qcut on a rank with
// method "first"), which splits a tie group by input order. The price is
// that levels are unequal where ties are large: when 60% of customers bought
// once, they all get F = 1, the next score in use is F = 4, and F = 2 and 3
// are empty. Fixed cut points given by the caller replace the quantiles with
// the same rule (a value equal to a cut stays on the worse side).
//
// Segments are named by a Table of rules over score ranges, the first
// matching rule winning. DefaultTable is the widely used eleven-segment
// scheme on recency and frequency (Champions, Loyal, Potential loyalist,
// New, Promising, Need attention, About to sleep, At risk, Can't lose them,
// Hibernating, Lost); callers replace it with their own rules, and
// Table.Assign checks that the rules leave no combination of scores without
// a segment. Stats gives per-segment counts, revenue and revenue share,
// and mean scores.
//
// Segment assignments are segment.Assignment values, so they feed
// segment.NewPortfolio (value, risk and budget per segment) and
// segment.Migrate (movement between two snapshots) directly.
//
// Special cases are:
//
//	equal values → equal scores
//	all customers equal on a dimension → all score 1 on it
//	no customers → ErrEmpty, unless every dimension has fixed cuts
//	NaN or ±Inf, negative recency or frequency → *ValueError naming column and index
//	scores outside every rule and no Table.Otherwise → ErrOption
//
// The errors are package segment's: ValueError is event.ValueError (column,
// 0-based index, value: "recency[4] = -1, want >= 0: value out of range"),
// and ErrOption is event.ErrOption.
//
// # References
//
// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). RFM and CLV: using
// iso-value curves for customer base analysis. Journal of Marketing Research
// 42(4), 415–430.
//
// Hughes, A. M. (1994). Strategic Database Marketing. Probus, Chicago.
//
// Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical
// packages. The American Statistician 50(4), 361–365.
package rfm
