// Package clv estimates customer lifetime value.
//
// NOTE for contributors: this file holds the package overview and the
// documentation of the continuous-time models (BG/NBD, Pareto/NBD, MBG/NBD),
// Gamma-Gamma and discounted CLV. The discrete-time and contractual models
// (BG/BB, sBG), the simple estimator and the referral value are documented
// in the doc comment of their own files' main type.
package clv
