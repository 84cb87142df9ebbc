package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/table"
)

// Table returns the model scorecard, one row per model: model, parameters,
// log_likelihood, aic, bic (of the calibration fit), customers,
// holdout_predicted, holdout_actual, holdout_error (predicted − actual),
// holdout_error_share (of actual), mae, rmse, recommended and fit_error
// (the reason a fit failed; its other columns are then empty).
func (v *Validation) Table() *table.Table {
	n := len(v.Scores)
	names, params, fitErr := make([]string, n), make([]string, n), make([]string, n)
	rec := make([]bool, n)
	cols := make([][]float64, 10)
	for j := range cols {
		cols[j] = make([]float64, n)
	}
	for k, sc := range v.Scores {
		names[k], rec[k] = sc.Name, sc.Name == v.Recommended
		if sc.Model == nil {
			fitErr[k] = sc.Err.Error()
			continue
		}
		params[k] = formatParams(sc)
		diff, share := sc.TotalError()
		for j, x := range []float64{sc.LogLikelihood, sc.AIC, sc.BIC, v.Customers, sc.PredictedTotal, sc.ActualTotal, diff, share, sc.MAE, sc.RMSE} {
			cols[j][k] = x
		}
	}
	fitted := func(k int) bool { return v.Scores[k].Model != nil }
	t := &table.Table{Columns: []table.Column{
		{Name: "model", Kind: table.StringColumn, String: names},
		{Name: "parameters", Kind: table.StringColumn, String: params, Valid: fitted},
	}}
	for j, name := range []string{"log_likelihood", "aic", "bic", "customers", "holdout_predicted", "holdout_actual", "holdout_error", "holdout_error_share", "mae", "rmse"} {
		t.Columns = append(t.Columns, table.Column{Name: name, Kind: table.FloatColumn, Float: cols[j], Valid: fitted})
	}
	t.Columns = append(t.Columns,
		table.Column{Name: "recommended", Kind: table.BoolColumn, Bool: rec},
		table.Column{Name: "fit_error", Kind: table.StringColumn, String: fitErr})
	return t
}

// TextRecords returns the scorecard for a terminal: a header and one row
// per model, numbers rounded for reading; a model whose fit failed shows
// only that (its error is in ModelScore.Err).
func (v *Validation) TextRecords() [][]string {
	out := [][]string{{"model", "parameters", "log-lik", "AIC", "BIC", "predicted", "actual", "error", "MAE", "RMSE"}}
	for _, sc := range v.Scores {
		name := sc.Name
		if name == v.Recommended {
			name += " *"
		}
		if sc.Model == nil {
			// The whole error is in Err (and Table's fit_error); a short
			// cell keeps the columns narrow.
			why := "fit failed"
			if errors.Is(sc.Err, clv.ErrNotConverged) {
				why = "fit did not converge"
			}
			out = append(out, []string{name, why})
			continue
		}
		_, share := sc.TotalError()
		out = append(out, []string{name, formatParams(sc),
			fmt.Sprintf("%.1f", sc.LogLikelihood), fmt.Sprintf("%.1f", sc.AIC), fmt.Sprintf("%.1f", sc.BIC),
			fmt.Sprintf("%.1f", sc.PredictedTotal), formatNumber(sc.ActualTotal), fmt.Sprintf("%+.1f%%", 100*share),
			fmt.Sprintf("%.3f", sc.MAE), fmt.Sprintf("%.3f", sc.RMSE)})
	}
	return out
}

// formatParams writes a fitted model's parameters as name=value pairs.
func formatParams(sc ModelScore) string {
	p := sc.Model.Params()
	parts := make([]string, len(p.Names))
	for i, name := range p.Names {
		parts[i] = name + "=" + strconv.FormatFloat(p.Values[i], 'g', 4, 64)
	}
	return strings.Join(parts, " ")
}

// CustomerTable returns one row per scored customer: customer_id,
// frequency (calibration), holdout_actual and each fitted model's
// predicted holdout purchases (a column named after the model).
func (v *Validation) CustomerTable() *table.Table {
	t := &table.Table{Columns: []table.Column{
		{Name: "customer_id", Kind: table.StringColumn, String: v.CustomerID},
		{Name: "frequency", Kind: table.FloatColumn, Float: v.Frequency},
		{Name: "holdout_actual", Kind: table.FloatColumn, Float: v.Actual},
	}}
	if v.Weights != nil {
		t.Columns = append(t.Columns, table.Column{Name: "weights", Kind: table.FloatColumn, Float: v.Weights})
	}
	for _, sc := range v.Scores {
		if sc.Model != nil {
			t.Columns = append(t.Columns, table.Column{Name: sc.Name, Kind: table.FloatColumn, Float: sc.Predicted})
		}
	}
	return t
}

// Table returns the bias table: frequency ("0", …, "7+"), customers,
// actual (mean holdout purchases), and for each fitted model its mean
// prediction (named after the model) and the bias, mean prediction −
// actual (<model>_bias).
func (b *FrequencyBias) Table() *table.Table {
	t := &table.Table{Columns: []table.Column{
		{Name: "frequency", Kind: table.StringColumn, String: b.Labels},
		{Name: "customers", Kind: table.FloatColumn, Float: b.Customers},
		{Name: "actual", Kind: table.FloatColumn, Float: b.Actual},
	}}
	for j, name := range b.Models {
		p := b.Predicted[j]
		if len(p) > 0 && math.IsNaN(p[0]) {
			continue // the fit failed
		}
		bias := make([]float64, len(p))
		for k := range p {
			bias[k] = p[k] - b.Actual[k]
		}
		t.Columns = append(t.Columns,
			table.Column{Name: name, Kind: table.FloatColumn, Float: p},
			table.Column{Name: name + "_bias", Kind: table.FloatColumn, Float: bias})
	}
	return t
}

// TextRecords returns the bias table for a terminal: per calibration
// frequency the customers, their mean actual holdout purchases and each
// model's mean prediction with its bias in parentheses.
func (b *FrequencyBias) TextRecords() [][]string {
	head := []string{"frequency", "customers", "actual"}
	for j, name := range b.Models {
		if !math.IsNaN(b.Predicted[j][0]) {
			head = append(head, name)
		}
	}
	out := [][]string{head}
	for k, label := range b.Labels {
		row := []string{label, formatNumber(b.Customers[k]), fmt.Sprintf("%.3f", b.Actual[k])}
		for j := range b.Models {
			if p := b.Predicted[j][k]; !math.IsNaN(b.Predicted[j][0]) {
				row = append(row, fmt.Sprintf("%.3f (%+.3f)", p, p-b.Actual[k]))
			}
		}
		out = append(out, row)
	}
	return out
}

// Table returns the tracking, one row per period: period (1, 2, …),
// first_day, last_day, phase (calibration or holdout), actual,
// actual_cumulative, actual_holdout_cumulative (from the calibration end;
// empty in calibration) and for each fitted model <model> and
// <model>_cumulative (expected repeat purchases from the first purchase
// on) and <model>_conditional and <model>_conditional_cumulative (the
// holdout forecast given the calibration histories; empty in calibration).
func (t *Tracking) Table() *table.Table {
	n := len(t.Actual)
	period := make([]int32, n)
	first, last, phase := make([]string, n), make([]string, n), make([]string, n)
	for r := range n {
		period[r] = int32(r + 1)
		first[r], last[r] = t.First[r].Format(time.DateOnly), t.Last[r].Format(time.DateOnly)
		phase[r] = "calibration"
		if t.Holdout[r] {
			phase[r] = "holdout"
		}
	}
	inHoldout := func(r int) bool { return t.Holdout[r] }
	f := func(name string, v []float64, valid func(int) bool) table.Column {
		return table.Column{Name: name, Kind: table.FloatColumn, Float: v, Valid: valid}
	}
	tb := &table.Table{Columns: []table.Column{
		{Name: "period", Kind: table.IntColumn, Int: period},
		{Name: "first_day", Kind: table.StringColumn, String: first},
		{Name: "last_day", Kind: table.StringColumn, String: last},
		{Name: "phase", Kind: table.StringColumn, String: phase},
		f("actual", t.Actual, nil),
		f("actual_cumulative", t.ActualCumulative, nil),
		f("actual_holdout_cumulative", t.ActualHoldout, inHoldout),
	}}
	for j, name := range t.Models {
		if t.Predicted[j] == nil {
			continue
		}
		tb.Columns = append(tb.Columns,
			f(name, t.Predicted[j], nil),
			f(name+"_cumulative", t.PredictedCumulative[j], nil),
			f(name+"_conditional", t.Conditional[j], inHoldout),
			f(name+"_conditional_cumulative", t.ConditionalCumulative[j], inHoldout))
	}
	return tb
}

// TextRecords returns the tracking for a terminal: per period its number,
// last day and phase, the actual repeat purchases and their running total,
// and each model's expected purchases from the first purchase on with
// their running total.
func (t *Tracking) TextRecords() [][]string {
	unit := t.Unit.String()
	head := []string{unit, "ends", "", "actual", "cumulative"}
	for j, name := range t.Models {
		if t.Predicted[j] != nil {
			head = append(head, name, "cumulative")
		}
	}
	out := [][]string{head}
	for r := range t.Actual {
		phase := ""
		if t.Holdout[r] {
			phase = "holdout"
		}
		row := []string{strconv.Itoa(r + 1), t.Last[r].Format(time.DateOnly), phase,
			formatNumber(t.Actual[r]), formatNumber(t.ActualCumulative[r])}
		for j := range t.Models {
			if t.Predicted[j] != nil {
				row = append(row, fmt.Sprintf("%.1f", t.Predicted[j][r]), fmt.Sprintf("%.1f", t.PredictedCumulative[j][r]))
			}
		}
		out = append(out, row)
	}
	return out
}

// WriteJSON writes every block as one JSON object: "models" (Table),
// "frequency" (ByFrequency.Table), "tracking" (Tracking.Table; null
// without events), "recommended" and "reason".
func (v *Validation) WriteJSON(w io.Writer) error {
	rec, _ := json.Marshal(v.Recommended)
	reason, _ := json.Marshal(v.Reason)
	parts := []struct {
		key   string
		write func(io.Writer) error
	}{
		{"models", v.Table().WriteJSON},
		{"frequency", v.ByFrequency.Table().WriteJSON},
		{"tracking", func(w io.Writer) error {
			if v.Tracking == nil {
				_, err := io.WriteString(w, "null\n")
				return err
			}
			return v.Tracking.Table().WriteJSON(w)
		}},
	}
	for k, p := range parts {
		open := ",\n"
		if k == 0 {
			open = "{\n"
		}
		if _, err := fmt.Fprintf(w, "%s%q: ", open, p.key); err != nil {
			return err
		}
		if err := p.write(w); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, ",\n\"recommended\": %s,\n\"reason\": %s\n}\n", rec, reason)
	return err
}
