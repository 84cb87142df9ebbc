// Package pipeline runs valuekit's summary, model fits and per-customer
// scoring as an Apache Beam pipeline, for customer bases larger than one
// machine: locally on Beam's in-process Prism runner, and on Flink, Spark
// or Dataflow through the portable runner. It is a nested module, so that
// importing valuekit never pulls Beam's dependencies into a service.
//
// Nothing here re-implements the statistics: the per-customer state and
// its merge are valuekit.Accumulator's, the fits are package clv's, and the
// scoring is analysis.Predict — the calls the valuekit CLI makes.
//
// # The pipeline
//
//  1. Read: input files (a glob; CSV, gzip CSV, Parquet, Arrow IPC) are
//     matched with fileio and read, each by the root module's reader with
//     the same column mapping, time parsing and positioned errors. A file is
//     the unit of reading (row numbers and quoted newlines need a file read
//     from its start), so split a huge export into parts. Bad rows go to a
//     dead-letter output (file, row, column, value, reason) and a counter;
//     none is dropped silently.
//  2. Accumulate: each file's events are routed by a hash of the customer id
//     to Shards accumulators, so a customer's events always meet in one
//     shard; every file emits (shard, accumulator) pairs, and a CombinePerKey
//     merges them with Accumulator.Merge (combiner lifting merges partial
//     accumulators before the shuffle). Accumulators cross the shuffle in
//     their binary encoding (Accumulator.MarshalBinary).
//  3. Fit: each shard's summary, observed to the common end (the latest
//     event of all files, or Options.End), is collapsed into weighted
//     distinct (x, t_x, T) histories and, for Gamma-Gamma, (x, m̄) pairs; a
//     global combine adds the histograms — their size depends on the
//     distinct histories, not the customers — and one worker fits the
//     models with clv. Fitting the collapsed histogram gives the parameters
//     of fitting every customer on one machine.
//  4. Score: the fitted models reach every shard as a side input;
//     analysis.Predict gives expected purchases, P(alive) and CLV per
//     customer, with the CLI's column names.
//  5. Referral value: a referrer is credited with a share of the CLV of
//     the customers they referred, who may sit in other shards. Each
//     shard's summary emits its (referred, referrer) pairs keyed by the
//     referred customer's shard; that shard, once scored, emits each
//     referrer's credit keyed by the referrer's shard; a CoGroupByKey joins
//     the credits to the referrer's scored shard, which adds
//     referral_value and total_value (and share_value) as the CLI does.
//     Only pairs and credits — as many as referrals — cross this join,
//     besides each shard's scored columns.
//  6. Write: one file of per-customer results per shard (CSV or Parquet,
//     through Beam's filesystems: local paths, gs://, …), the fitted
//     models as JSON, and the dead letters as CSV.
//
// With Options.Segments "abc", the customers are also put in A/B/C tiers of
// CLV with global thresholds, found exactly by two small global combines
// (a logarithmic sketch of the values, then the exact values in the few
// buckets holding a threshold; see tiers.go). "quadrant" (CLV × experience
// at the global medians, quadrant.go) and "rfm" (quintile scores at global
// cuts, rfm.go) find their cut points the same way, as exact order
// statistics (quantile.go). For abc and quadrant, every shard also sums
// its customers per segment into a segment.PortfolioSums; a global combine
// merges them and one worker writes the per-segment portfolio (valuekit
// segment --portfolio's table, budget allocated) as OUTPUT-portfolio.csv
// and .json (portfolio.go).
//
// Every row read is counted: rows = events + bad_rows (counters), and
// events = events summarised + events after the end (OUTPUT-models.json).
package pipeline
