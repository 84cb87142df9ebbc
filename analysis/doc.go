// Package analysis holds the operations valuekit's users run on a
// per-customer summary — choose the customers a model sees, fit, predict
// (expected purchases, P(alive), discounted CLV, spend, intervals, referral
// and total value), segment, and validate models on a holdout period
// (Validate) — each as an options struct, one call and a typed result that
// converts to a table.Table for writing.
//
// The command-line tool is flags → options → one call here → write; a Go
// service or a distributed pipeline makes the same calls, so the numbers
// agree everywhere.
//
// # Conventions
//
// A transaction model (BG/NBD, Pareto/NBD, MBG/NBD) describes customers
// from their first purchase on: only customers with a purchase in the
// (calibration) period enter a model (ModelRows). Customers without one get
// expected purchases 0, CLV 0 and no P(alive) in a Prediction.
//
// The spend per purchase is, in order of precedence, a given Gamma-Gamma
// model, a Gamma-Gamma model fitted to the repeat customers with a positive
// mean spend, a fixed amount, or — when none is given — the mean purchase
// amount per purchase day of the period (revenue over purchase days, x + 1
// per customer: the models count days, not events).
//
// Refunds are netted from CLV through each customer's refund ratio (refunds
// over revenue, capped at 1: a customer who returned more than they bought
// in the period, typically purchases made before it, is reported rather
// than given a negative value), shrunk towards the population's (see
// clv.Refunds).
//
// Times, the horizon and the discount rate are in the summary's time unit,
// which must be the model's (ResolveScale: a model records its unit in
// clv.Timing, a summary file in its unit column); a horizon of 0 is one
// year in that unit.
package analysis
