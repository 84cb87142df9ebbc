package clv

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ModelNames lists the names accepted by NewModel, Fit and LoadModel.
func ModelNames() []string {
	return []string{NameBGNBD, NameParetoNBD, NameMBGNBD, NameBGBB, NameSBG, NameGammaGamma}
}

// paramNames returns the ordered parameter names of a model.
func paramNames(name string) ([]string, error) {
	switch name {
	case NameBGNBD:
		return bgnbdNames, nil
	case NameParetoNBD:
		return pnbdNames, nil
	case NameMBGNBD:
		return mbgnbdNames, nil
	case NameBGBB:
		return bgbbNames, nil
	case NameSBG:
		return sbgNames, nil
	case NameGammaGamma:
		return ggNames, nil
	}
	return nil, fmt.Errorf("%w: %q (want one of %v)", ErrUnknownModel, name, ModelNames())
}

// NewModel builds the named model from parameter values given in the
// model's order (see Params). Errors wrap ErrUnknownModel or ErrBadParams.
func NewModel(name string, values []float64) (Model, error) {
	names, err := paramNames(name)
	if err != nil {
		return nil, err
	}
	if len(values) != len(names) {
		return nil, fmt.Errorf("%w: %s takes %d parameters %v, got %d", ErrBadParams, name, len(names), names, len(values))
	}
	v := values
	switch name {
	case NameBGNBD:
		return NewBGNBD(v[0], v[1], v[2], v[3])
	case NameParetoNBD:
		return NewParetoNBD(v[0], v[1], v[2], v[3])
	case NameMBGNBD:
		return NewMBGNBD(v[0], v[1], v[2], v[3])
	case NameBGBB:
		return NewBGBB(v[0], v[1], v[2], v[3])
	case NameSBG:
		return NewSBG(v[0], v[1])
	default: // NameGammaGamma
		return NewGammaGamma(v[0], v[1], v[2])
	}
}

// Fit fits the named model to d (see FitBGNBD, FitParetoNBD, FitMBGNBD,
// FitBGBB, FitGammaGamma). The sBG model is fitted from a survivor series,
// not from Data: use FitSBG. Errors wrap ErrUnknownModel, ErrBadData or
// ErrNotConverged.
func Fit(ctx context.Context, name string, d Data, opts *FitOptions) (Model, error) {
	switch name {
	case NameBGNBD:
		return FitBGNBD(ctx, d, opts)
	case NameParetoNBD:
		return FitParetoNBD(ctx, d, opts)
	case NameMBGNBD:
		return FitMBGNBD(ctx, d, opts)
	case NameBGBB:
		return FitBGBB(ctx, d, opts)
	case NameGammaGamma:
		return FitGammaGamma(ctx, d, opts)
	case NameSBG:
		return nil, fmt.Errorf("%w: sbg is fitted from the numbers of customers alive per period; use FitSBG", ErrBadData)
	}
	_, err := paramNames(name)
	return nil, err
}

// modelJSON is the saved form of a model:
//
//	{"model":"bgnbd","unit":"week","end":"1997-09-30",
//	 "params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426},
//	 "log_likelihood":-9582.43,"customers":2357,"std_errors":{"r":0.0126,...}, ...}
//
// Only "model" and "params" are required. "unit" is the time unit of the
// parameters (day, week, month, year; see Timing), "end" and
// "calibration_end" the last day observed and the last day of the
// calibration period of the data fitted (YYYY-MM-DD); files without them
// (saved before they were recorded, or typed in) load with an unknown
// Timing. Non-finite numbers (a standard error the Hessian could not
// provide) are written as null.
type modelJSON struct {
	Model          string              `json:"model"`
	Unit           string              `json:"unit,omitempty"`
	End            string              `json:"end,omitempty"`
	CalibrationEnd string              `json:"calibration_end,omitempty"`
	Params         map[string]float64  `json:"params"`
	LogLikelihood  *float64            `json:"log_likelihood,omitempty"`
	Customers      *float64            `json:"customers,omitempty"`
	StdErrors      map[string]*float64 `json:"std_errors,omitempty"`
	Lower95        map[string]*float64 `json:"lower95,omitempty"`
	Upper95        map[string]*float64 `json:"upper95,omitempty"`
	AIC            *float64            `json:"aic,omitempty"`
	BIC            *float64            `json:"bic,omitempty"`
	Iterations     int                 `json:"iterations,omitempty"`
	Evaluations    int                 `json:"evaluations,omitempty"`
	Converged      *bool               `json:"converged,omitempty"`
	Status         string              `json:"status,omitempty"`
	Tuples         int                 `json:"tuples,omitempty"`
	LogCov         [][]float64         `json:"log_cov,omitempty"`
	Warnings       []string            `json:"warnings,omitempty"`
	FreqSpendCorr  *float64            `json:"freq_spend_corr,omitempty"`
}

func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func namedPtrs(names []string, vals []float64) map[string]*float64 {
	if vals == nil {
		return nil
	}
	m := make(map[string]*float64, len(names))
	for i, n := range names {
		m[n] = finitePtr(vals[i])
	}
	return m
}

// SaveModel writes m as indented JSON (format above), including its fit
// description when it has one.
func SaveModel(w io.Writer, m Model) error {
	if m == nil {
		return fmt.Errorf("%w: nil model", ErrBadParams)
	}
	p := m.Params()
	j := modelJSON{Model: m.Name(), Params: p.Map()}
	j.setTiming(ModelTiming(m))
	if info := m.FitInfo(); info != nil {
		j.LogLikelihood = finitePtr(info.LogLikelihood)
		j.Customers = finitePtr(info.Customers)
		j.StdErrors = namedPtrs(p.Names, info.StdErrors)
		j.Lower95 = namedPtrs(p.Names, info.Lower95)
		j.Upper95 = namedPtrs(p.Names, info.Upper95)
		j.AIC, j.BIC = finitePtr(info.AIC), finitePtr(info.BIC)
		j.Iterations, j.Evaluations, j.Tuples = info.Iterations, info.Evaluations, info.Tuples
		conv := info.Converged
		j.Converged = &conv
		j.Status = info.Status
		j.Warnings = info.Warnings
		if info.LogCov != nil {
			k := info.LogCov.SymmetricDim()
			j.LogCov = make([][]float64, k)
			for r := range j.LogCov {
				j.LogCov[r] = make([]float64, k)
				for c := range j.LogCov[r] {
					j.LogCov[r][c] = info.LogCov.At(r, c)
				}
			}
		}
	}
	if gg, ok := m.(*GammaGamma); ok {
		j.FreqSpendCorr = finitePtr(gg.FreqSpendCorr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(j); err != nil {
		return fmt.Errorf("clv: saving %s model: %w", m.Name(), err)
	}
	return nil
}

// LoadModel reads a model saved by SaveModel, or a JSON with only "model"
// and "params" (estimates copied from a paper, say), in which case the
// model's FitInfo is nil. Without "unit" the model's Timing is unknown
// (ModelTiming(m).HasUnit false): callers should say which unit they
// assume. Unknown fields, unknown or missing parameter
// names and invalid values are errors (wrapping ErrUnknownModel or
// ErrBadParams).
func LoadModel(r io.Reader) (Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("clv: reading model: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j modelJSON
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%w: model JSON: %v", ErrBadParams, err)
	}
	if j.Model == "" {
		return nil, fmt.Errorf("%w: model JSON has no \"model\" name", ErrUnknownModel)
	}
	names, err := paramNames(j.Model)
	if err != nil {
		return nil, err
	}
	if len(j.Params) != len(names) {
		return nil, fmt.Errorf("%w: %s takes parameters %v, JSON has %d", ErrBadParams, j.Model, names, len(j.Params))
	}
	values := make([]float64, len(names))
	for i, n := range names {
		v, ok := j.Params[n]
		if !ok {
			return nil, fmt.Errorf("%w: %s parameter %q missing (want %v)", ErrBadParams, j.Model, n, names)
		}
		values[i] = v
	}
	m, err := NewModel(j.Model, values)
	if err != nil {
		return nil, err
	}
	if gg, ok := m.(*GammaGamma); ok && j.FreqSpendCorr != nil {
		gg.FreqSpendCorr = *j.FreqSpendCorr
	}
	timing, err := j.timing()
	if err != nil {
		return nil, err
	}
	SetTiming(m, timing)
	if j.LogLikelihood == nil && j.Customers == nil && j.StdErrors == nil && j.LogCov == nil {
		return m, nil
	}
	info, err := j.fitInfo(names)
	if err != nil {
		return nil, err
	}
	if a, ok := m.(annotated); ok { // always: m comes from NewModel
		a.setInfo(info)
	}
	return m, nil
}

func (j *modelJSON) fitInfo(names []string) (*FitInfo, error) {
	info := &FitInfo{
		LogLikelihood: math.NaN(), Customers: math.NaN(), AIC: math.NaN(), BIC: math.NaN(),
		Iterations: j.Iterations, Evaluations: j.Evaluations, Tuples: j.Tuples,
		Status: j.Status, Warnings: j.Warnings, Converged: true,
	}
	if j.LogLikelihood != nil {
		info.LogLikelihood = *j.LogLikelihood
	}
	if j.Customers != nil {
		info.Customers = *j.Customers
	}
	if j.AIC != nil {
		info.AIC = *j.AIC
	}
	if j.BIC != nil {
		info.BIC = *j.BIC
	}
	if j.Converged != nil {
		info.Converged = *j.Converged
	}
	var err error
	if info.StdErrors, err = namedValues(j.StdErrors, names, "std_errors"); err != nil {
		return nil, err
	}
	if info.Lower95, err = namedValues(j.Lower95, names, "lower95"); err != nil {
		return nil, err
	}
	if info.Upper95, err = namedValues(j.Upper95, names, "upper95"); err != nil {
		return nil, err
	}
	if j.LogCov != nil {
		k := len(names)
		if len(j.LogCov) != k {
			return nil, fmt.Errorf("%w: log_cov has %d rows, want %d", ErrBadParams, len(j.LogCov), k)
		}
		cov := mat.NewSymDense(k, nil)
		for r, row := range j.LogCov {
			if len(row) != k {
				return nil, fmt.Errorf("%w: log_cov row %d has %d values, want %d", ErrBadParams, r, len(row), k)
			}
			for c := r; c < k; c++ {
				cov.SetSym(r, c, row[c])
			}
		}
		info.LogCov = cov
	}
	return info, nil
}

func namedValues(m map[string]*float64, names []string, field string) ([]float64, error) {
	if m == nil {
		return nil, nil
	}
	out := make([]float64, len(names))
	for i, n := range names {
		p, ok := m[n]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: %s lacks %q", ErrBadParams, field, n)
		case p == nil:
			out[i] = math.NaN()
		default:
			out[i] = *p
		}
	}
	if len(m) != len(names) {
		return nil, fmt.Errorf("%w: %s has %d entries, want %v", ErrBadParams, field, len(m), names)
	}
	return out, nil
}
