// Package report builds a self-contained HTML report of a customer base:
// what was read, the lifetime-value models fitted to it, how well they
// predict a holdout period, per-customer predictions, value tiers and
// segments, RFM segments and acquisition cohorts, each section with a short
// explanation of what it shows and how to read it.
//
// A report is built from the per-customer summary and, when there is one,
// the events it was made from, as plain columns — the package computes with
// analysis, segment, cohort and chart and links no Arrow:
//
//	r, err := report.Build(ctx, report.Options{
//		Source:      report.Source{File: "orders.csv", Rows: events.Rows},
//		Summary:     s,   // valuekit.Summarize of the events
//		Calibration: cal, // the same with a calibration end: holdout validation
//		Events: &report.Events{Customer: events.Customers(), CustomerID: events.Dictionary().ID,
//			Time: events.Times(), Kind: events.Kinds(), Amount: events.Amounts()},
//	})
//	err = r.WriteHTML(w)
//
// (see ExampleBuild).
//
// `valuekit report FILE` does the same from the command line.
//
// # Self-contained
//
// The HTML file needs nothing but itself: the style sheet is inline, charts
// are embedded as data: URLs (SVG by default, PNG on request), and there is
// no script, web font or other resource to fetch, so it opens offline and can
// be mailed. Every value that comes from the data — customer ids, file
// names, segment names, error messages — is escaped by html/template.
//
// # Failing softly
//
// Build fails only for bad options or a cancelled context. Anything that
// cannot be computed from the data at hand — a model fit that does not
// converge, a quadrant without feedback scores, cohorts without event dates
// — becomes a paragraph in its section saying why, and a fit that sits at a
// limit of its model (a parameter running to 0 or infinity, standard errors
// unavailable) is reported with what that means rather than hidden.
//
// # Discrete-time data
//
// With Options.Discrete the summary holds BG/BB data (frequency, recency
// and the number of opportunities per customer, as in the donations data of
// Fader, Hardie & Shang 2010): the report fits BG/BB and shows P(alive) and
// the expected transactions, and says why the money-based sections do not
// apply.
package report
