// Package table holds Table, the one shape every per-customer and
// per-cohort output of valuekit takes before it is written: named columns
// over plain slices (float64, int32, times, strings, string lists, bools),
// each with an optional validity function for missing values.
//
// Results are converted to a Table once, and every writer honours the same
// columns and the same missing values: CSV and JSON here (JSON is always
// valid: missing, NaN and ±Inf values are null), Parquet and Arrow records
// in the root package (valuekit.WriteTableParquet, valuekit.TableRecord,
// valuekit.WriteTableFile), which alone links Arrow. The package imports
// only the standard library and valuekit's event vocabulary, so the model
// and analysis packages that return Tables link no Arrow.
package table
