package event

// MaxAmount is the largest amount, cost, quantity or score (in absolute
// value) that the summaries add up: they sum in integer micro-units, which
// an int64 holds exactly up to about 9.2e12. The readers refuse a larger
// value in a row, and cohort.Build in an event.
const MaxAmount = 9e12
