// Package event holds the vocabulary of valuekit's event model — the kinds
// of customer events (purchase, refund, referral, share, feedback) and the
// time units of summaries (day, week, month, year) — without the readers,
// writers and Arrow columns of the root package, so that packages working
// on plain slices (cohort, and callers that only name kinds and units) link
// no Arrow. The root package re-exports the kinds, units and sentinels
// (valuekit.Kind is event.Kind, valuekit.ErrOption is event.ErrOption).
//
// # Errors
//
// The package also holds the error vocabulary shared by the packages that
// compute on plain slices:
//
//   - [ValueError] is the positioned error for a bad value in a slice:
//     column name, 0-based index, value, what is wanted, and a sentinel,
//     e.g. "frequency[3] = 2.5, want a whole number >= 0: clv: bad data".
//     segment, rfm, cohort and clv return it (segment.ValueError and
//     rfm.ValueError are aliases). A bad row of an input file is the root
//     package's valuekit.RowError instead, which names the file and the
//     1-based row as read.
//   - [ErrOption] reports an invalid option; valuekit.ErrOption,
//     segment.ErrOption, rfm.ErrOption, cohort.ErrBadOption and
//     generate.ErrOption are this same value, and clv.ErrBadParams wraps it,
//     so errors.Is(err, event.ErrOption) holds for a bad option of any
//     package.
//   - [ErrDuplicateColumn] reports two columns with the same name.
package event
