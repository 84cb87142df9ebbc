// Package valuekit holds the customer-event model of valuekit and the
// per-customer summary that the model packages (clv, rfm, segment, cohort)
// start from.
package valuekit
