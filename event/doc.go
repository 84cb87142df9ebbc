// Package event holds the vocabulary of valuekit's event model — the kinds
// of customer events (purchase, refund, referral, share, feedback) and the
// time units of summaries (day, week, month, year) — without the readers,
// writers and Arrow columns of the root package, so that packages working
// on plain slices (cohort, and callers that only name kinds and units) link
// no Arrow. The root package re-exports every name (valuekit.Kind is
// event.Kind).
package event
