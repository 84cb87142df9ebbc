// Command cdnow retraces the calibration/holdout workflow of Fader, Hardie
// & Lee (2005), "Counting your customers the easy way: an alternative to
// the Pareto/NBD model", Marketing Science 24(2), on the CDNOW sample
// embedded in the sampledata package: summarise the first 39 weeks, fit
// the BG/NBD model, check it against the calibration data (the paper's
// Figure 2), then against the 39 holdout weeks — week by week (Figure 3),
// by calibration frequency (Figure 4), in total and for one customer
// (section 5).
//
//	go run ./examples/cdnow
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/internal/textfmt"
	"github.com/valuekit/valuekit/sampledata"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cdnow:", err)
		os.Exit(1)
	}
}

// published are FHL's (2005) estimates and figures on these data.
var published = struct {
	params        []float64 // r, α, a, b
	logLikelihood float64
	// Customer 1 of section 5: x = 2, t_x = 30.43, T = 38.86.
	alive, next39 float64
}{[]float64{0.243, 4.414, 0.793, 2.426}, -9582.4, 0.727, 1.226}

func run(ctx context.Context, w io.Writer) error {
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		return err
	}
	s, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{
		Unit:           valuekit.Week,
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
		End:            time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		return err
	}
	// Validate fits the BG/NBD model to the calibration period and scores
	// it on the holdout, from the summary and, for the weekly tracking,
	// the events.
	v, err := analysis.Validate(ctx, s, analysis.ValidateOptions{Models: []string{clv.NameBGNBD}, Events: &analysis.Events{
		Customer: events.Customers(), CustomerID: events.Dictionary().ID, Time: events.Times(), Kind: events.Kinds(),
	}})
	if err != nil {
		return err
	}
	sc := v.Scores[0]
	m := sc.Model.(*clv.BGNBD)
	rows, err := analysis.ModelRows(s)
	if err != nil {
		return err
	}
	var b strings.Builder
	table := func(rows [][]string) {
		var t strings.Builder
		_ = textfmt.WriteAligned(&t, rows) // a strings.Builder does not fail
		for _, line := range strings.SplitAfter(t.String(), "\n") {
			if line != "" {
				b.WriteString("  " + strings.TrimRight(line, " \n") + "\n")
			}
		}
	}

	var repeat float64
	for _, x := range s.Frequency {
		repeat += x
	}
	fmt.Fprintf(&b, "CDNOW sample: %d customers who first bought in January–March 1997; calibration period to %s\n"+
		"(39 weeks), holdout to %s (39 weeks). Time is in weeks; purchases on one day count as one.\n"+
		"Calibration: %.0f repeat purchase days.\n\n",
		s.Len(), s.CalibrationEnd.Format(time.DateOnly), s.End.Format(time.DateOnly), repeat)

	b.WriteString("BG/NBD maximum-likelihood estimates with standard errors, beside FHL (2005):\n")
	est := [][]string{{"parameter", "estimate", "std. error", "published"}}
	par := m.Params()
	for i, name := range []string{"r", "α", "a", "b"} {
		est = append(est, []string{name, fmt.Sprintf("%.3f", par.Values[i]), fmt.Sprintf("%.3f", m.Info.StdErrors[i]),
			strconv.FormatFloat(published.params[i], 'f', -1, 64)})
	}
	est = append(est, []string{"log-likelihood", fmt.Sprintf("%.1f", m.Info.LogLikelihood), "", fmt.Sprintf("%.1f", published.logLikelihood)})
	table(est)

	b.WriteString("\nCalibration fit (Figure 2): customers by repeat purchases, actual and expected from the model.\n")
	expected, observed, err := clv.ExpectedRepeatHistogram(m, rows.Data, 7)
	if err != nil {
		return err
	}
	hist := [][]string{{"repeat purchases", "actual", "expected"}}
	for k := range expected {
		label := strconv.Itoa(k)
		if k == len(expected)-1 {
			label += "+"
		}
		hist = append(hist, []string{label, fmt.Sprintf("%.0f", observed[k]), fmt.Sprintf("%.1f", expected[k])})
	}
	table(hist)

	b.WriteString("\nTracking (Figure 3): cumulative repeat purchase days, actual and expected, every 13 weeks;\n" +
		"weeks 40–78 are the holdout, forecast both from the first purchases (as the figure) and from each\n" +
		"customer's calibration history (the conditional forecast).\n")
	tr := v.Tracking
	track := [][]string{{"week", "ends", "actual", "expected", "holdout actual", "conditional forecast"}}
	for r := 12; r < len(tr.Actual); r += 13 {
		row := []string{strconv.Itoa(r + 1), tr.Last[r].Format(time.DateOnly), fmt.Sprintf("%.0f", tr.ActualCumulative[r]),
			fmt.Sprintf("%.1f", tr.PredictedCumulative[0][r]), "", ""}
		if tr.Holdout[r] {
			row[4], row[5] = fmt.Sprintf("%.0f", tr.ActualHoldout[r]), fmt.Sprintf("%.1f", tr.ConditionalCumulative[0][r])
		}
		track = append(track, row)
	}
	table(track)

	b.WriteString("\nConditional expectations (Figure 4): mean holdout purchase days by calibration repeat purchases.\n")
	bf := v.ByFrequency
	cond := [][]string{{"repeat purchases", "customers", "actual", "BG/NBD"}}
	for k, label := range bf.Labels {
		cond = append(cond, []string{label, fmt.Sprintf("%.0f", bf.Customers[k]), fmt.Sprintf("%.3f", bf.Actual[k]), fmt.Sprintf("%.3f", bf.Predicted[0][k])})
	}
	table(cond)

	_, share := sc.TotalError()
	fmt.Fprintf(&b, "\nHoldout in total: %.1f purchase days forecast for the %.0f customers, %.0f observed (%+.1f %%);\n"+
		"per customer the error is %.3f on average (MAE), %.3f as RMSE.\n", sc.PredictedTotal, v.Customers, sc.ActualTotal, 100*share, sc.MAE, sc.RMSE)

	c := clv.Customer{Frequency: s.Frequency[0], Recency: s.Recency[0], T: s.T[0]}
	fmt.Fprintf(&b, "\nCustomer %s (section 5): x = %.0f, t_x = %.2f, T = %.2f weeks. P(alive) %.3f (published %.3f); expected\n"+
		"purchases in the 39 holdout weeks %.3f (published %.3f); actual %.0f.\n",
		s.CustomerID[0], c.Frequency, c.Recency, c.T, m.ProbAlive(c), published.alive, sc.Predicted[0], published.next39, v.Actual[0])
	_, err = io.WriteString(w, b.String())
	return err
}
