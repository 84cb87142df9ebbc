// Package valuekit holds the customer-event model of valuekit and the
// per-customer summary that the model packages (clv, rfm, segment, cohort)
// start from.
//
// # Events
//
// One event is one row: a customer id, a time (UTC), a kind — Purchase,
// Refund, Referral, Share or Feedback — an amount of money, and optionally a
// cost, a quantity, a referred customer (for a referral) and an experience
// score (for feedback, e.g. a 0–10 rating). An Events table holds them as
// columns: customer codes into a Dictionary of ids, times as Unix
// microseconds, kinds and amounts as plain slices that hot loops read
// directly; Record hands the same columns out as an Arrow record.
//
// The readers (ReadFile, OpenFile for batches, ReadCSV, ReadParquet,
// ReadIPC) take CSV (optionally gzip-compressed), Parquet and Arrow IPC.
// ReadOptions map an export's column names and kind words onto the model
// and give the time layout (detected when not given). A bad value is
// reported as a RowError naming file, row, column and value, wrapping
// ErrBadRow; ReadOptions.SkipBadRows collects bad rows instead of failing.
// A refund may be written as kind refund with a positive amount or as a
// purchase with a negative amount; both are read as a Refund of the
// positive amount.
//
// # Summary
//
// Summarize (in memory) and SummarizeFile (streaming, memory proportional to
// customers) give one row per customer, in the notation of the "buy till
// you die" literature (Fader, Hardie & Lee 2005):
//
//	x   = frequency: distinct purchase days − 1 (repeat purchases)
//	t_x = recency:   last purchase day − first purchase day
//	T   = age:       end − first purchase day
//	m_x = monetary value: mean value of the x repeat purchase days (0 if x = 0)
//
// with times in a chosen Unit (day, week = 7 days, month = 1/12 year, year
// = 365.25 days), purchases on one calendar day counting as one purchase
// (their amounts summed), and, with SummaryOptions.CalibrationEnd, holdout
// purchase days and revenue after the calibration end. The summary also
// carries revenue, refunds, net revenue, cost and profit (NetRevenue − Cost,
// or NetRevenue × Margin), referrals and the referred customers, shares,
// and the mean experience score with its count.
//
// Every summary is built by an Accumulator: Add takes events in any order
// and in any number of batches, Merge combines accumulators built on other
// goroutines or machines, and the result is the same as one pass. Money is
// summed exactly in integer micro-units so that chunking never changes a
// digit.
//
// Special cases are:
//
//   - A customer with events but no purchase up to the (calibration) end has
//     Purchases = 0 and x = t_x = T = 0; model fits leave them out.
//   - Events after SummaryOptions.End are left out and counted in
//     Summary.AfterEnd; the default end is the day of the last event.
//   - A purchase of amount 0 is a purchase (it counts toward x).
//   - Times outside 1900–2100 and customer ids that are not UTF-8 are bad rows.
//
// # References
//
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your
//     customers" the easy way: an alternative to the Pareto/NBD model.
//     Marketing Science 24(2), 275–284.
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using
//     iso-value curves for customer base analysis. Journal of Marketing
//     Research 42(4), 415–430.
package valuekit
