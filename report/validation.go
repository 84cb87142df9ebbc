package report

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
)

const validationIntro = "Whether to trust a model's forecasts: every model is fitted again to the purchases up to the calibration end only, " +
	"and asked how many purchase days each customer will make in the rest of the data (the holdout), which it has not seen. " +
	"The forecast is then compared with what the customers did."

const validationHowToRead = "How to read it: in the table, “predicted” against “actual” is the total of the holdout purchase days, and “error” their " +
	"difference as a share of the actual; MAE and RMSE are the average per-customer error, lower is better. The bias table and the " +
	"chart below it split the customers by their repeat purchases in calibration: a model that is right on average can still be " +
	"wrong for one-time buyers or for heavy buyers. The tracking chart shows purchases week by week: a model that follows the " +
	"actual curve after the calibration end (dashed line) forecasts the whole base well."

// validation fits the models to the calibration period and scores them on
// the holdout.
func (b *builder) validation() error {
	sec := b.section(SectionValidation, "Validation on a holdout period", validationIntro, validationHowToRead)
	cal := b.opts.Calibration
	if cal == nil {
		msg := "No calibration end was given, so the models were not tested on data they have not seen."
		if d := b.suggestCalibrationEnd(); d != "" {
			msg += fmt.Sprintf(" Run the report again with a calibration end, for example --calibration-end %s (about the middle of the data), to see how well each model forecasts.", d)
		}
		sec.text("%s", msg)
		return nil
	}
	var lines []string
	opts := analysis.ValidateOptions{Report: b.collect(&lines)}
	if ev := b.opts.Events; ev != nil {
		opts.Events = &analysis.Events{Customer: ev.Customer, CustomerID: ev.CustomerID, Time: ev.Time, Kind: ev.Kind}
	}
	v, err := analysis.Validate(b.ctx, cal, opts)
	if err != nil {
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		sec.warn("The holdout validation could not be done: %v.", err)
		return nil
	}
	b.r.Validation = v
	sec.text("The models were fitted to the %s customers with a purchase by %s and scored on their purchases from %s to %s (%s %s).",
		fmtCount(v.Customers), fmtDate(v.CalibrationEnd), fmtDate(v.CalibrationEnd.AddDate(0, 0, 1)), fmtDate(v.End),
		fmtNum(v.Holdout), plural(b.unit, v.Holdout))

	t := &Table{Caption: "Calibration fit and holdout accuracy (★ recommended)",
		Head:    []string{"model", "parameters", "log-likelihood", "AIC", "BIC", "predicted", "actual", "error", "MAE", "RMSE"},
		Numeric: []bool{false, false, true, true, true, true, true, true, true, true}}
	for _, sc := range v.Scores {
		name := modelTitle(sc.Name)
		if sc.Name == v.Recommended {
			name += "\u00a0★"
		}
		if sc.Model == nil {
			why := "fit failed"
			if errors.Is(sc.Err, clv.ErrNotConverged) {
				why = "fit did not converge"
			}
			t.Rows = append(t.Rows, []string{name, why, "", "", "", "", "", "", "", ""})
			continue
		}
		_, share := sc.TotalError()
		t.Rows = append(t.Rows, []string{name, paramList(sc.Model.Params()), fmtFixed(sc.LogLikelihood, 1), fmtFixed(sc.AIC, 1),
			fmtFixed(sc.BIC, 1), fmtFixed(sc.PredictedTotal, 1), fmtCount(sc.ActualTotal), fmtSignedPct(share),
			fmtFixed(sc.MAE, 3), fmtFixed(sc.RMSE, 3)})
	}
	sec.add(Block{Table: t})
	for _, sc := range v.Scores {
		if sc.Model == nil {
			sec.warn("%s could not be fitted to the calibration period: %v. It is left out of the comparison; this typically means that a limiting case of the model fits the calibration data as well as the model itself.",
				modelTitle(sc.Name), sc.Err)
		} else if limit := atLimit(sc.Model, "The calibration fit of "+modelTitle(sc.Name)); limit != "" {
			sec.warn("%s", limit)
		}
	}
	sec.notesOnly(lines)

	sec.heading("Recommendation")
	sec.text("Use %s: %s", modelTitle(v.Recommended), modelNames.Replace(v.Reason))

	sec.heading("Bias by calibration frequency")
	fb := v.ByFrequency.TextRecords()
	ft := &Table{Caption: "Mean holdout purchase days per customer by repeat purchases in calibration; each model's mean with its bias in brackets",
		Head: fb[0], Rows: fb[1:], Numeric: make([]bool, len(fb[0]))}
	for k := range ft.Head {
		ft.Numeric[k] = k > 0
		if k >= 3 {
			ft.Head[k] = modelTitle(ft.Head[k])
		}
	}
	sec.add(Block{Table: ft})
	best := v.Scores[0]
	for _, sc := range v.Scores {
		if sc.Name == v.Recommended {
			best = sc
		}
	}
	period := strconv.FormatFloat(math.Round(v.Holdout*10)/10, 'g', -1, 64) + "-" + b.unit
	c, err := chart.CalibrationHoldout(chart.HoldoutData{Frequency: v.Frequency, Actual: v.Actual, Predicted: best.Predicted,
		Period: "the " + period + " holdout", Model: modelTitle(best.Name)})
	sec.add(b.chartBlock(c, err, "Calibration vs holdout",
		"For the customers with 0, 1, 2, … repeat purchases in calibration (n under each label), the mean number of purchase days in the holdout: "+
			"actual (blue) and forecast by "+modelTitle(best.Name)+" (vermillion). The closer the lines, the better the forecast for that kind of customer."))

	if tr := v.Tracking; tr != nil {
		sec.heading("Tracking")
		b.tracking(sec, tr, best)
	} else {
		sec.note("No tracking chart: it needs the events, and this report was made from a summary.")
	}
	return nil
}

// tracking draws the period-by-period purchases of the recommended model.
func (b *builder) tracking(sec *Section, tr *analysis.Tracking, best analysis.ModelScore) {
	j := -1
	for k, n := range tr.Models {
		if n == best.Name && tr.Predicted[k] != nil {
			j = k
		}
	}
	if j < 0 {
		return
	}
	n := len(tr.Actual)
	td := chart.TrackingData{Period: make([]float64, n), Actual: tr.Actual, Predicted: tr.Predicted[j], Unit: b.unit, Model: modelTitle(best.Name)}
	for r := range n {
		td.Period[r] = float64(r + 1)
		if !tr.Holdout[r] {
			td.CalibrationEnd = float64(r + 1)
		}
	}
	c, err := chart.Tracking(td)
	sec.add(b.chartSized(c, err, "Tracking",
		fmt.Sprintf("Repeat purchase days of the calibration customers per %s from %s (%s 1) to %s, actual (blue) and as the model expects them from each customer's first purchase on, knowing nothing else (vermillion, dashed); "+
			"the vertical line is the calibration end. Top: running totals; bottom: per %s. Seasonal peaks that the model smooths over are expected: it has no seasons.",
			b.unit, fmtDate(tr.First[0]), b.unit, fmtDate(tr.Last[n-1]), b.unit),
		chartWidth, 7.5*vg.Inch))
}

// suggestCalibrationEnd returns a date about half-way through the data, or
// "" without dates.
func (b *builder) suggestCalibrationEnd() string {
	ev := b.opts.Events
	s := b.opts.Summary
	if ev == nil || len(ev.Time) == 0 || s.End.IsZero() {
		return ""
	}
	first := ev.Time[0]
	for _, t := range ev.Time {
		first = min(first, t)
	}
	start := time.UnixMicro(first).UTC()
	mid := start.Add(s.End.Sub(start) / 2)
	return mid.Format(time.DateOnly)
}
