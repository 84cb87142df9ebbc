package analysis

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/internal/textfmt"
	"github.com/valuekit/valuekit/table"
)

// ParamTable returns a fitted model's parameters as a table, one row per
// parameter in Params order: parameter, estimate, std_error, lower_95,
// upper_95 (the 95 % interval formed on the log scale, as clv.FitInfo
// holds it), then the fit's log_likelihood, n (the customers, weighted)
// and converged, the same on every row. For a model built from parameters
// (no FitInfo) the fit columns are invalid (empty in CSV, null elsewhere).
func ParamTable(m clv.Model) *table.Table {
	p := m.Params()
	k := len(p.Names)
	info := m.FitInfo()
	se, lo, hi := nanSlice(k), nanSlice(k), nanSlice(k)
	ll, n, conv := make([]float64, k), make([]float64, k), make([]bool, k)
	if info != nil {
		copy(se, info.StdErrors)
		copy(lo, info.Lower95)
		copy(hi, info.Upper95)
		for i := range k {
			ll[i], n[i], conv[i] = info.LogLikelihood, info.Customers, info.Converged
		}
	}
	finite := func(v []float64) func(int) bool {
		return func(i int) bool { return !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) }
	}
	fitted := func(int) bool { return info != nil }
	return &table.Table{Columns: []table.Column{
		{Name: "parameter", Kind: table.StringColumn, String: append([]string(nil), p.Names...)},
		{Name: "estimate", Kind: table.FloatColumn, Float: append([]float64(nil), p.Values...)},
		{Name: "std_error", Kind: table.FloatColumn, Float: se, Valid: finite(se)},
		{Name: "lower_95", Kind: table.FloatColumn, Float: lo, Valid: finite(lo)},
		{Name: "upper_95", Kind: table.FloatColumn, Float: hi, Valid: finite(hi)},
		{Name: "log_likelihood", Kind: table.FloatColumn, Float: ll, Valid: fitted},
		{Name: "n", Kind: table.FloatColumn, Float: n, Valid: fitted},
		{Name: "converged", Kind: table.BoolColumn, Bool: conv, Valid: fitted},
	}}
}

func nanSlice(k int) []float64 {
	v := make([]float64, k)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// WriteFitText writes a readable summary of a fitted model: a line naming
// the model, an aligned table of parameter, estimate, standard error and
// 95 % interval (4 significant digits; "-" where there is none, e.g. a
// Hessian that was not positive definite), then the log-likelihood, n,
// AIC, BIC, whether the fit converged, and the fit's warnings.
func WriteFitText(w io.Writer, m clv.Model) error {
	info := m.FitInfo()
	p := m.Params()
	f := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "-"
		}
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	at := func(v []float64, i int) float64 {
		if i < len(v) {
			return v[i]
		}
		return math.NaN()
	}
	rows := [][]string{{"parameter", "estimate", "std. error", "95% interval"}}
	for i, name := range p.Names {
		se, lo, hi := math.NaN(), math.NaN(), math.NaN()
		if info != nil {
			se, lo, hi = at(info.StdErrors, i), at(info.Lower95, i), at(info.Upper95, i)
		}
		ci := "-"
		if f(lo) != "-" && f(hi) != "-" {
			ci = "[" + f(lo) + ", " + f(hi) + "]"
		}
		rows = append(rows, []string{name, f(p.Values[i]), f(se), ci})
	}
	if _, err := fmt.Fprintf(w, "%s model\n", m.Name()); err != nil {
		return err
	}
	if err := textfmt.WriteAligned(w, rows); err != nil {
		return err
	}
	if info == nil {
		_, err := fmt.Fprintln(w, "\nbuilt from parameters: no fit (no standard errors, log-likelihood or n)")
		return err
	}
	if _, err := fmt.Fprintf(w, "\nlog-likelihood %.4f, n %s, AIC %.2f, BIC %.2f, converged %t (%d iterations)\n",
		info.LogLikelihood, strconv.FormatFloat(info.Customers, 'f', -1, 64), info.AIC, info.BIC, info.Converged, info.Iterations); err != nil {
		return err
	}
	for _, wn := range info.Warnings {
		if _, err := fmt.Fprintf(w, "warning: %s\n", wn); err != nil {
			return err
		}
	}
	return nil
}
