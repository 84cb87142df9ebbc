// Package segment turns per-customer values into the classes marketers act
// on, and into the figures that say where to put resources: value-based
// quadrants, value tiers, seed audiences, a per-segment portfolio with a
// budget allocation, and the migration of customers between segments over
// time.
//
// The package computes on plain per-customer columns ([]float64, one value
// per customer in a fixed order) and never reads events itself: a caller
// passes columns of the per-customer summary or of a clv model's output
// (profit, CLV, referral value, mean feedback score, P(alive), …). Data some
// customers lack goes in a Column with a presence mask, and such customers
// land in an explicit "unknown" class, never silently in a cell. NaN and
// infinite inputs are errors naming the column and index (*ValueError);
// outputs never hold NaN.
//
// # Model
//
// Two-axis classification (Grid). Each axis is cut into levels by one or
// more cuts: the median (default), an empirical quantile, or a fixed value.
// A customer's level on an axis with cuts c_1 ≤ … ≤ c_m is
//
//	level(v) = #{j : v > c_j}      (0 = lowest)
//
// so a value equal to a cut is on its low side and equal values always share
// a level. The quantile cut at probability q of n known values is the lower
// empirical quantile, the order statistic of rank ⌈q·n⌉ (Hyndman and Fan's
// type 1, the inverse of the empirical distribution function); the median is
// rank ⌈n/2⌉. Quantiles of an axis are taken over the customers whose value
// on that axis is known. The class is the name of the cell (level_x,
// level_y). Three presets are Grids with median cuts:
//
//	ProfitExperience  profit × experience:     premium, fragile, free-rider, abandonable
//	ReferralValue     CLV × referral value:    champions, affluents, advocates, misers
//	PrivateDomain     frequency × interaction: core, transactional, engaged, unsuitable
//
// The profit × experience quadrant is a value-based segmentation in the
// sense of Kumar and Reinartz: customers are grouped by the value they bring
// and by a second dimension that says what to do about them (keep and grow,
// fix the experience, cut the cost to serve, do not invest), as in Reinartz
// and Kumar's loyalty × profitability matrix. CLV × referral value follows
// Kumar, Petersen and Leone's customer lifetime value × customer referral
// value matrix.
//
// Value tiers (Tiers, ABC analysis). Customers are ranked by value; with
// S(v) the positive value of the customers strictly above v and P the total
// positive value, a customer of value v is in the first tier t with
//
//	S(v) < (share_1 + … + share_t)·P
//
// and in the last tier otherwise. By default A is the smallest group of top
// customers making 80% of value, B the next 15%, C the rest. Equal values
// share a tier; values ≤ 0 are always in the last tier.
//
// Seeds returns the top n customers by own + referral value, ties broken by
// input order, as a seed audience for lookalike targeting.
//
// Portfolio (NewPortfolio). For any classification: customers and their
// share, total and mean value and share of value, and given P(alive): mean
// P(alive), churn risk 1 − mean P(alive), the value at risk (total value of
// the customers with P(alive) below a threshold, 0.5 by default: those more
// likely gone than not) and the expected loss Σ value·(1 − P(alive)); given
// next-period values, the expected value of the next period. A budget is
// split across segments in proportion to their value, their value at risk,
// or equally; the budget shares sum to 1 and the amounts to the budget.
//
// Migration (Migrate). Two snapshots keyed by customer id give the matrix of
// counts N[i][j] of customers in class i before and j after, with a "new"
// row for customers only in the later snapshot and a "gone" column for those
// only in the earlier one, and its row shares N[i][j] / Σ_j N[i][j]: the
// empirical transition matrix of a Markov model of customer migration
// (Pfeifer and Carraway 2000).
//
// # Computation
//
// Quantiles are found by selection, never by sorting a large column: one
// pass brackets each wanted rank between two values of a systematic sample
// (after Floyd and Rivest 1975), counting values below, equal to and inside
// the brackets and keeping only the values inside; if a bracket misses, a
// multi-target quickselect with a three-way partition and a Tukey ninther
// pivot (Bentley and McIlroy 1993) runs on a copy, falling back to sorting on
// adversarial input. The result is exact either way. Tiers find their
// thresholds the same way: one pass with sample-based brackets, or a
// weighted quickselect in expected linear time. Classifying loops are free
// of data-dependent branches. Inputs are never modified.
//
// Special cases are:
//
//	a customer with an unknown value on either axis → class "unknown"
//	a median or quantile cut on an axis without known values → ErrEmpty
//	all values equal → everyone on the low side of a median cut
//	no positive value → every customer in the last tier
//	an empty class in a portfolio → all its figures 0
//	total value ≤ 0 → every ValueShare 0
//	every allocation weight 0 → the budget is split equally (Rule reports Equal)
//	an empty row of a migration matrix → shares 0
//
// # Errors
//
// Every error wraps one of the package's sentinels (test with errors.Is). A
// bad value in an input column is a *ValueError — event.ValueError, the
// positioned error shared with rfm, cohort and clv — giving the column, the
// 0-based index and the value ("p_alive[3] = 1.5, want a probability in
// [0, 1]: value out of range"), wrapping ErrNotFinite or ErrOutOfRange.
// Columns of different lengths wrap ErrLength. ErrOption is event.ErrOption,
// so errors.Is(err, event.ErrOption) holds for a bad option or scheme here
// as in every valuekit package.
//
// # References
//
// Bentley, J. L. and McIlroy, M. D. (1993). Engineering a sort function.
// Software: Practice and Experience 23(11), 1249–1265.
//
// Dickie, H. F. (1951). ABC inventory analysis shoots for dollars, not
// pennies. Factory Management and Maintenance 109(7), 92–94.
//
// Floyd, R. W. and Rivest, R. L. (1975). Expected time bounds for selection.
// Communications of the ACM 18(3), 165–172.
//
// Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical
// packages. The American Statistician 50(4), 361–365.
//
// Kumar, V., Petersen, J. A. and Leone, R. P. (2007). How valuable is word
// of mouth? Harvard Business Review 85(10), 139–146.
//
// Kumar, V., Petersen, J. A. and Leone, R. P. (2010). Driving profitability
// by encouraging customer referrals: who, when, and how. Journal of
// Marketing 74(5), 1–17.
//
// Kumar, V. and Reinartz, W. (2018). Customer Relationship Management:
// Concept, Strategy, and Tools, 3rd ed. Springer. (Customer value-based
// segmentation and resource allocation.)
//
// Pfeifer, P. E. and Carraway, R. L. (2000). Modeling customer relationships
// as Markov chains. Journal of Interactive Marketing 14(2), 43–55.
//
// Reinartz, W. and Kumar, V. (2002). The mismanagement of customer loyalty.
// Harvard Business Review 80(7), 86–94.
package segment
