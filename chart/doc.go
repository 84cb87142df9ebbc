// Package chart draws valuekit's results as PNG or SVG charts with
// gonum.org/v1/plot, so that a Go program can show what the models and
// segmentations found, not only print it.
//
// Every chart is a function from a plain input struct, or from the result
// types of the model packages where they exist, to a *Chart:
//
//	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
//	c, err := chart.PAliveHeatMap(chart.FrequencyRecency{Model: m, T: 39, Unit: "week"})
//	err = c.Save("palive.png", 0, 0)                        // format from the extension
//	err = c.Render(w, chart.SVG, 6*vg.Inch, 4*vg.Inch)      // or to any io.Writer
//
// A Chart holds ordinary gonum plots (Panels): change a title, an axis
// range or a legend on them, or add plotters, before rendering.
//
// # Charts
//
// Model evaluation (transaction models of package clv):
//
//   - PAliveHeatMap, ExpectedPurchasesHeatMap: P(alive), or the purchases
//     expected in a future period, for every frequency × recency history
//     of customers of one age (FrequencyRecency with a clv.TransactionModel).
//   - CalibrationHoldout: mean holdout purchases by calibration frequency,
//     actual against predicted (HoldoutData, per-customer slices).
//   - RepeatPurchases: customers by number of repeat purchases, observed
//     against the model's P(X(T) = k) (RepeatData, from NewRepeatData or
//     clv.ExpectedRepeatHistogram).
//   - Tracking: cumulative and per-period purchases over calibration and
//     holdout, actual against predicted, the end of calibration marked
//     (TrackingData).
//
// Value and segments:
//
//   - CLVDistribution: a histogram of customer values on a log scale with
//     median and mean (CLVData).
//   - Lorenz: the concentration curve of value with the cuts of the A/B/C
//     tiers of segment.Tiers and the Gini coefficient (LorenzData).
//   - ProfitExperience: the profit × experience scatter with its thresholds
//     and the four cells of segment.ProfitExperience named — premium,
//     fragile, free-rider, abandonable (QuadrantData, NewQuadrantData).
//   - RFMSegments: each RFM segment's share of customers and of revenue
//     (RFMData of rfm.Stats's rows).
//   - CohortRetention, CohortValue: the retention matrix as a heat map and
//     the cumulative revenue per customer of each cohort, projections
//     dashed (CohortData of a cohort.Table).
//
// # Style
//
// Colours come from one place: series from the Okabe–Ito palette (OkabeIto),
// which stays distinct for colour-blind readers, with fixed roles (actual
// data blue, model predictions vermillion and dashed, money bluish green);
// heat maps use viridis (Viridis), a sequential map whose lightness rises
// steadily, with a colour scale beside the map. Text is Liberation Sans,
// embedded in gonum's plot module, so rendering needs no system fonts.
// Every chart has a title, axis labels with units and, where it has more
// than one series, a legend.
//
// Sizes are gonum lengths (vg.Inch = 72 points); a zero size means the
// default 8 × 5 inches, which is 768 × 480 pixels in a PNG at 96 dpi.
//
// # Errors
//
// Input that cannot be drawn — empty or mismatched slices, NaN or infinite
// values, a nil model, an option out of range — is an error wrapping
// ErrInput that names the chart and the field ("chart: bad input: tracking:
// predicted has 77 values, want 78"). An unknown format or a size out of
// range wraps ErrFormat. The package does not panic: a panic inside the
// drawing library while rendering is recovered and returned wrapping
// ErrRender. Save writes through a temporary file, so a failed render
// leaves no file.
//
// # Imports
//
// The package imports the standard library, gonum, gonum's plot module and
// valuekit's Arrow-free packages (clv, rfm, segment, cohort) only, never the
// root package, so a program that draws charts does not link Arrow.
//
// # References
//
//   - Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "Counting your
//     customers the easy way: an alternative to the Pareto/NBD model",
//     Marketing Science 24(2): the calibration, holdout and tracking
//     charts (Figures 2–5).
//   - Okabe, M. and Ito, K. (2008), "Color Universal Design (CUD): how to
//     make figures and presentations that are friendly to colorblind
//     people", J*FLY.
//   - van der Walt, S. and Smith, N. (2015), "A better default colormap for
//     Matplotlib" (viridis), SciPy 2015.
package chart
