// Package customers holds Summary, the per-customer table valuekit builds
// from an event log — frequency, recency and tenure T in the models'
// convention, monetary value, revenue, refunds, profit, referrals, shares,
// experience and the holdout counts — as plain columns, one row per
// customer.
//
// The root package builds summaries (valuekit.Summarize, SummarizeFile,
// Accumulator) and reads summary files (valuekit.ReadSummaryFile); this
// package holds only the type and its Arrow-free output, so that the model
// and analysis packages that take a Summary link no Arrow. Parquet and Arrow
// records of a summary are the root package's valuekit.WriteTableParquet,
// WriteTableFile and TableRecord of Summary.Table.
package customers
