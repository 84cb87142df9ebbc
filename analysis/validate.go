package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/internal/civil"
)

// ValidateModels are the transaction models Validate compares by default.
var ValidateModels = []string{clv.NameBGNBD, clv.NameParetoNBD, clv.NameMBGNBD}

// Events are the events a summary was made from, as the plain columns of
// equal length the tracking reads; only purchases count. The root
// package's Events give them:
//
//	analysis.Events{Customer: ev.Customers(), CustomerID: ev.Dictionary().ID, Time: ev.Times(), Kind: ev.Kinds()}
type Events struct {
	// Customer is each event's customer as a code (>= 0), CustomerID the
	// customer id of a code, as in the summary.
	Customer   []int32
	CustomerID func(code int32) string
	// Time is each event's time in Unix microseconds, UTC; Kind its kind.
	Time []int64
	Kind []event.Kind
}

// ValidateOptions configure Validate.
type ValidateOptions struct {
	// Models are the transaction models to fit on the calibration period
	// and score on the holdout: bgnbd, pnbd, mbgnbd; nil means
	// ValidateModels.
	Models []string
	// Events, if not nil, are the events the summary was made from. They
	// give the period-by-period tracking (Validation.Tracking), which a
	// summary alone cannot.
	Events *Events
	// Holdout is the length of the holdout period in the summary's unit,
	// needed only when the summary has no dates (one read from a file);
	// otherwise it is End − CalibrationEnd and Holdout must be 0 or agree.
	Holdout float64
	// MaxFrequency is the last calibration frequency with its own row in
	// the bias table; higher frequencies share the row "MaxFrequency+".
	// 0 means 7 (rows 0, 1, …, 6, 7+), as in Fader, Hardie & Lee (2005,
	// Figure 4).
	MaxFrequency int
	// Report, if not nil, receives notes and the fits' warnings, one line
	// each.
	Report func(string)
}

// Validation is how well each model fitted on the calibration period
// predicts the holdout period. Purchases are purchase days, the models'
// unit of count: repeat purchase days in calibration (the first purchase
// starts a customer's clock), all purchase days in the holdout.
type Validation struct {
	Unit event.Unit
	// CalibrationEnd and End are the last days of the calibration and
	// holdout periods (zero for a summary without dates).
	CalibrationEnd, End time.Time
	// Holdout is the length of the holdout period in Unit.
	Holdout float64
	// CustomerID, Frequency (calibration x) and Actual (holdout purchase
	// days) describe the scored customers: those with a purchase in the
	// calibration period, in summary order. Weights is nil or their
	// weights.
	CustomerID        []string
	Frequency, Actual []float64
	Weights           []float64
	// Customers is the number (sum of weights) of scored customers; New
	// the customers whose first purchase is in the holdout period, whom
	// no model describes.
	Customers float64
	New       int
	// Scores holds one entry per model asked for, in that order.
	Scores []ModelScore
	// ByFrequency is the bias by calibration frequency; Tracking the
	// period-by-period purchases (nil without events).
	ByFrequency *FrequencyBias
	Tracking    *Tracking
	// Recommended is the name of the recommended model ("" when no model
	// could be fitted) and Reason says why.
	Recommended, Reason string
}

// ModelScore is one model's calibration fit and holdout accuracy.
type ModelScore struct {
	Name string
	// Model is the fit on the calibration period; nil when it failed, Err
	// then saying why.
	Model clv.TransactionModel
	Err   error
	// LogLikelihood, AIC and BIC of the calibration fit.
	LogLikelihood, AIC, BIC float64
	// Predicted is each scored customer's expected purchases in the
	// holdout period given their calibration history.
	Predicted []float64
	// PredictedTotal and ActualTotal are the holdout purchases of all
	// scored customers, predicted and observed.
	PredictedTotal, ActualTotal float64
	// MAE and RMSE are the mean absolute and root mean squared differences
	// between each customer's predicted and actual holdout purchases.
	MAE, RMSE float64
}

// TotalError returns PredictedTotal − ActualTotal and its share of ActualTotal.
func (m *ModelScore) TotalError() (diff, share float64) {
	diff = m.PredictedTotal - m.ActualTotal
	return diff, diff / m.ActualTotal
}

// FrequencyBias compares, for the customers with each calibration
// frequency, their mean holdout purchases with each model's mean
// prediction (the conditional expectations of Fader, Hardie & Lee 2005,
// Figure 4): a model that is right on average but wrong for light or heavy
// buyers shows here.
type FrequencyBias struct {
	// Labels are "0", "1", …, "7+".
	Labels []string
	// Customers and Actual (mean holdout purchases) per row.
	Customers, Actual []float64
	// Models names the models of Predicted; Predicted[m][k] is model m's
	// mean prediction for row k (NaN for a model whose fit failed).
	Models    []string
	Predicted [][]float64
}

// Tracking is the purchases of the scored customers period by period (one
// unit of time each), actual and predicted, over the calibration and the
// holdout periods (Fader, Hardie & Lee 2005, Figure 3). Periods end at the
// calibration end and every unit before and after it; the first may be
// shorter (it starts at the first purchase) and so may the last (it ends
// at End).
type Tracking struct {
	Unit event.Unit
	// First and Last are each period's first and last day; Holdout marks
	// the holdout periods.
	First, Last []time.Time
	Holdout     []bool
	// Actual is the repeat purchase days in each period; ActualCumulative
	// their running sum from the start; ActualHoldout the running sum from
	// the calibration end (0 in calibration).
	Actual, ActualCumulative, ActualHoldout []float64
	// Models names the models of the predicted columns, indexed [model][period]:
	// Predicted and PredictedCumulative are the expected repeat purchase
	// days from each customer's first purchase on, knowing nothing else
	// (the model's E[X(t)], as in the paper's tracking plot); Conditional
	// and ConditionalCumulative, in the holdout periods, the expected
	// purchases given each customer's calibration history — the forecast
	// the holdout tests, summing to ModelScore.PredictedTotal. Rows of a
	// model whose fit failed are nil.
	Models                                                             []string
	Predicted, PredictedCumulative, Conditional, ConditionalCumulative [][]float64
}

// Validate fits each model to the calibration period of s (a summary made
// with a calibration end, whose HoldoutFrequency holds each customer's
// holdout purchase days) and scores it on the holdout period: total
// predicted against actual purchases, per-customer MAE and RMSE, bias by
// calibration frequency, log-likelihood, AIC and BIC, and, with
// opts.Events, the period-by-period tracking. It recommends the model with
// the smallest per-customer RMSE (see Validation.Reason). A model whose fit
// fails is reported in its ModelScore; Validate fails when every fit does.
func Validate(ctx context.Context, s *customers.Summary, opts ValidateOptions) (*Validation, error) {
	if s.HoldoutFrequency == nil {
		return nil, fmt.Errorf("%w: the summary has no holdout period: summarise with a calibration end (SummaryOptions.CalibrationEnd, --calibration-end)", clv.ErrBadData)
	}
	names := opts.Models
	if names == nil {
		names = ValidateModels
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no models to validate", clv.ErrBadParams)
	}
	for k, n := range names {
		if !slices.Contains(ValidateModels, n) {
			return nil, fmt.Errorf("%w: %q cannot be validated; want bgnbd, pnbd or mbgnbd", clv.ErrUnknownModel, n)
		}
		if slices.Contains(names[:k], n) {
			return nil, fmt.Errorf("%w: model %q is named twice", clv.ErrBadParams, n)
		}
	}
	maxFreq := opts.MaxFrequency
	if maxFreq == 0 {
		maxFreq = 7
	}
	if maxFreq < 1 || maxFreq > 1000 {
		return nil, fmt.Errorf("%w: max frequency %d, want 1 to 1000", clv.ErrBadParams, maxFreq)
	}
	holdout, err := holdoutLength(s, opts.Holdout)
	if err != nil {
		return nil, err
	}
	rows, err := ModelRows(s)
	if err != nil {
		return nil, err
	}
	d := rows.Data
	v := &Validation{
		Unit: s.Unit, CalibrationEnd: s.CalibrationEnd, End: s.End, Holdout: holdout,
		CustomerID: make([]string, len(rows.Rows)), Frequency: d.Frequency, Actual: make([]float64, len(rows.Rows)),
		Weights: d.Weights, New: s.Len() - len(rows.Rows),
	}
	for k, i := range rows.Rows {
		v.CustomerID[k] = s.CustomerID[i]
		v.Actual[k] = s.HoldoutFrequency[i]
		v.Customers += d.Weight(k)
	}
	if v.New > 0 {
		say(opts.Report, "note: %d customers first bought in the holdout period; no model describes them, so they are left out", v.New)
	}

	for _, name := range names {
		sc, err := scoreModel(ctx, name, d, v, opts.Report)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			say(opts.Report, "warning: %s: %v", name, err)
			sc = ModelScore{Name: name, Err: err}
		}
		v.Scores = append(v.Scores, sc)
	}
	if !slices.ContainsFunc(v.Scores, func(m ModelScore) bool { return m.Model != nil }) {
		errs := make([]error, len(v.Scores))
		for k, m := range v.Scores {
			errs[k] = fmt.Errorf("%s: %w", m.Name, m.Err)
		}
		return nil, fmt.Errorf("no model could be fitted to the calibration period: %w", errors.Join(errs...))
	}
	v.ByFrequency = frequencyBias(v, maxFreq)
	if opts.Events != nil {
		if v.Tracking, err = track(ctx, s, opts.Events, rows, v); err != nil {
			return nil, err
		}
	}
	v.Recommended, v.Reason = recommend(v)
	return v, nil
}

// holdoutLength returns the length of s's holdout period in its unit.
func holdoutLength(s *customers.Summary, given float64) (float64, error) {
	if given < 0 || math.IsNaN(given) || math.IsInf(given, 0) {
		return 0, fmt.Errorf("%w: holdout length %v, want a positive number", clv.ErrBadParams, given)
	}
	if s.CalibrationEnd.IsZero() {
		if given == 0 {
			return 0, fmt.Errorf("%w: the summary has no dates: give the holdout length (ValidateOptions.Holdout; --calibration-end and --end)", clv.ErrBadParams)
		}
		return given, nil
	}
	h := float64(dayNumber(s.End)-dayNumber(s.CalibrationEnd)) / s.Unit.Days()
	if !(h > 0) {
		return 0, fmt.Errorf("%w: the holdout period is empty: the calibration end %s is the last day observed", clv.ErrBadData, s.CalibrationEnd.Format(time.DateOnly))
	}
	if given != 0 && math.Abs(given-h) > 1e-9*h {
		return 0, fmt.Errorf("%w: holdout length %v, but the summary's holdout (%s to %s) is %v", clv.ErrBadParams, given,
			s.CalibrationEnd.Format(time.DateOnly), s.End.Format(time.DateOnly), h)
	}
	return h, nil
}

// scoreModel fits the named model to d and scores it on v's holdout.
func scoreModel(ctx context.Context, name string, d clv.Data, v *Validation, report func(string)) (ModelScore, error) {
	fitted, err := Fit(ctx, name, d, report)
	if err != nil {
		return ModelScore{}, err
	}
	m := fitted.(clv.TransactionModel) // every name of ValidateModels is one
	sc := ModelScore{Name: name, Model: m, Predicted: make([]float64, d.Len())}
	if info := m.FitInfo(); info != nil {
		sc.LogLikelihood, sc.AIC, sc.BIC = info.LogLikelihood, info.AIC, info.BIC
	}
	if err := clv.Score(ctx, sc.Predicted, nil, m, d, v.Holdout); err != nil {
		return ModelScore{}, err
	}
	var abs, sq float64
	for k, p := range sc.Predicted {
		w := d.Weight(k)
		e := p - v.Actual[k]
		sc.PredictedTotal += w * p
		sc.ActualTotal += w * v.Actual[k]
		abs += w * math.Abs(e)
		sq += w * e * e
	}
	sc.MAE, sc.RMSE = abs/v.Customers, math.Sqrt(sq/v.Customers)
	return sc, nil
}

// frequencyBias groups the scored customers by calibration frequency.
func frequencyBias(v *Validation, maxFreq int) *FrequencyBias {
	b := &FrequencyBias{
		Labels: make([]string, maxFreq+1), Customers: make([]float64, maxFreq+1), Actual: make([]float64, maxFreq+1),
		Models: make([]string, len(v.Scores)), Predicted: make([][]float64, len(v.Scores)),
	}
	for k := range b.Labels {
		b.Labels[k] = fmt.Sprint(k)
	}
	b.Labels[maxFreq] += "+"
	bin := func(k int) int { return int(math.Min(v.Frequency[k], float64(maxFreq))) }
	for k := range v.Actual {
		w := weightOf(v.Weights, k)
		b.Customers[bin(k)] += w
		b.Actual[bin(k)] += w * v.Actual[k]
	}
	for j, sc := range v.Scores {
		b.Models[j] = sc.Name
		b.Predicted[j] = make([]float64, maxFreq+1)
		for k, p := range sc.Predicted {
			b.Predicted[j][bin(k)] += weightOf(v.Weights, k) * p
		}
	}
	for r, n := range b.Customers {
		b.Actual[r] /= n
		for j, sc := range v.Scores {
			b.Predicted[j][r] /= n
			if sc.Model == nil {
				b.Predicted[j][r] = math.NaN()
			}
		}
	}
	return b
}

func weightOf(w []float64, k int) float64 {
	if w == nil {
		return 1
	}
	return w[k]
}

// recommend chooses the model with the smallest per-customer RMSE on the
// holdout (the error a customer-level CLV carries); models within 1 % of it
// count as tied, and of those the one whose holdout total is closest to
// the actual one is chosen. The reason gives the figures, warns when the
// chosen model misses the holdout total by more than 10 %, repeats its
// fit's warnings (a fit at the edge of the parameter space), and names the
// model with the smallest BIC when it is another.
func recommend(v *Validation) (string, string) {
	var fitted []*ModelScore
	for k := range v.Scores {
		if v.Scores[k].Model != nil {
			fitted = append(fitted, &v.Scores[k])
		}
	}
	best := fitted[0]
	for _, m := range fitted[1:] {
		if m.RMSE < best.RMSE {
			best = m
		}
	}
	var tied []*ModelScore
	for _, m := range fitted {
		if m.RMSE <= best.RMSE*1.01 {
			tied = append(tied, m)
		}
	}
	absErr := func(m *ModelScore) float64 { return math.Abs(m.PredictedTotal - m.ActualTotal) }
	for _, m := range tied {
		if absErr(m) < absErr(best) {
			best = m
		}
	}
	others := slices.DeleteFunc(slices.Clone(fitted), func(m *ModelScore) bool { return m == best })
	list := func(f func(m *ModelScore) string) string {
		parts := make([]string, len(others))
		for k, m := range others {
			parts[k] = m.Name + " " + f(m)
		}
		return strings.Join(parts, ", ")
	}
	rmse := func(m *ModelScore) string { return fmt.Sprintf("%.3f", m.RMSE) }
	share := func(m *ModelScore) string { _, s := m.TotalError(); return fmt.Sprintf("%+.1f %%", 100*s) }
	total := fmt.Sprintf("%.1f predicted against %s actual purchases (%s)", best.PredictedTotal, formatNumber(best.ActualTotal), share(best))
	holdout := fmt.Sprintf("the %s-%s holdout", strconv.FormatFloat(v.Holdout, 'g', 4, 64), v.Unit)
	var reason string
	switch {
	case len(v.Scores) == 1:
		reason = fmt.Sprintf("the only model fitted: per-customer RMSE %s on %s; %s.", rmse(best), holdout, total)
	case len(fitted) == 1:
		reason = fmt.Sprintf("the only model whose fit succeeded: per-customer RMSE %s on %s; %s.", rmse(best), holdout, total)
	case len(tied) == 1:
		reason = fmt.Sprintf("the smallest per-customer error on %s (RMSE %s; %s); %s.", holdout, rmse(best), list(rmse), total)
	default:
		reason = fmt.Sprintf("per-customer errors on %s within 1 %% of the smallest (RMSE %s; %s), so the holdout total decides: %s; %s.",
			holdout, rmse(best), list(rmse), total, list(share))
	}
	if diff, s := best.TotalError(); math.Abs(s) > 0.1 {
		dir, run := "under", "low"
		if diff > 0 {
			dir, run = "over", "high"
		}
		reason += fmt.Sprintf(" It %s-predicts the holdout total by more than 10 %%: expect its forecasts of totals to run %s.", dir, run)
	}
	if info := best.Model.FitInfo(); info != nil && len(info.Warnings) > 0 {
		reason += fmt.Sprintf(" Its fit warns: %s.", strings.Join(info.Warnings, "; "))
	}
	minBIC := fitted[0]
	for _, m := range fitted[1:] {
		if m.BIC < minBIC.BIC {
			minBIC = m
		}
	}
	if minBIC != best {
		reason += fmt.Sprintf(" %s fits the calibration period best by BIC (%.1f; %s %.1f).", minBIC.Name, minBIC.BIC, best.Name, best.BIC)
	}
	return best.Name, reason
}

// formatNumber writes whole numbers without decimals, others with one.
func formatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// dayNumber returns the day of t (UTC) counted from 1970-01-01, as the
// summary counts days.
func dayNumber(t time.Time) int64 { return civil.DayOf(t.UnixMicro()) }

// track computes the period-by-period purchases of the scored customers
// (rows) from the events s was made from.
func track(ctx context.Context, s *customers.Summary, ev *Events, rows *ModelInput, v *Validation) (*Tracking, error) {
	if s.CalibrationEnd.IsZero() {
		return nil, fmt.Errorf("%w: tracking needs the summary's calibration end and end: summarise the events with a calibration end", clv.ErrBadParams)
	}
	u := s.Unit.Days()
	calDay, endDay := dayNumber(s.CalibrationEnd), dayNumber(s.End)
	d := rows.Data

	// Each scored customer's first purchase day, calDay − k days, from T.
	first := make([]int64, d.Len())
	minFirst := calDay
	for k, T := range d.T {
		first[k] = calDay - int64(math.Round(T*u))
		minFirst = min(minFirst, first[k])
	}

	// Periods p ≤ 0 (calibration) and p ≥ 1 (holdout) end on day
	// calDay + ⌊p·u⌋; the first one holds minFirst, the last endDay.
	lastDay := func(p int) int64 { return calDay + int64(math.Floor(float64(p)*u)) }
	p0 := 0
	for lastDay(p0-1) >= minFirst {
		p0--
	}
	p1 := 1
	for lastDay(p1) < endDay {
		p1++
	}
	n := p1 - p0 + 1
	tr := &Tracking{
		Unit: s.Unit, First: make([]time.Time, n), Last: make([]time.Time, n), Holdout: make([]bool, n),
		Actual: make([]float64, n), ActualCumulative: make([]float64, n), ActualHoldout: make([]float64, n),
	}
	ends := make([]int64, n) // last day of each period
	periodOf := make([]int32, endDay-minFirst+1)
	for r := range n {
		p := p0 + r
		lo, hi := max(lastDay(p-1)+1, minFirst), min(lastDay(p), endDay)
		ends[r] = hi
		tr.First[r], tr.Last[r] = dayTime(lo), dayTime(hi)
		tr.Holdout[r] = p >= 1
		for day := lo; day <= hi; day++ {
			periodOf[day-minFirst] = int32(r)
		}
	}

	if err := countPurchaseDays(ctx, ev, s, rows, first, endDay, minFirst, periodOf, tr.Actual); err != nil {
		return nil, err
	}
	var cum, hold, calTotal, holdTotal float64
	for r, a := range tr.Actual {
		cum += a
		tr.ActualCumulative[r] = cum
		if tr.Holdout[r] {
			hold += a
			tr.ActualHoldout[r] = hold
			holdTotal += a
		} else {
			calTotal += a
		}
	}
	// The events must be those of the summary: the same purchase days.
	var wantCal, wantHold float64
	for k := range d.Len() {
		wantCal += d.Weight(k) * d.Frequency[k]
		wantHold += d.Weight(k) * v.Actual[k]
	}
	if calTotal != wantCal || holdTotal != wantHold {
		return nil, fmt.Errorf("%w: the events do not match the summary: %g repeat purchase days in calibration and %g in the holdout, the summary has %g and %g",
			clv.ErrBadData, calTotal, holdTotal, wantCal, wantHold)
	}

	// Customers by first purchase day, for the unconditional curves.
	byFirst := map[int64]float64{}
	for k, f := range first {
		byFirst[f] += d.Weight(k)
	}
	firstDays := make([]int64, 0, len(byFirst))
	for f := range byFirst {
		firstDays = append(firstDays, f)
	}
	slices.Sort(firstDays)

	holdoutHorizons := make([]float64, 0, p1)
	for r := range n {
		if tr.Holdout[r] {
			holdoutHorizons = append(holdoutHorizons, float64(ends[r]-calDay)/u)
		}
	}
	nHold := len(holdoutHorizons)
	for _, sc := range v.Scores {
		tr.Models = append(tr.Models, sc.Name)
		var pred, predCum, cond, condCum []float64
		if sc.Model != nil {
			pred, predCum = make([]float64, n), make([]float64, n)
			// E[X(t)] at whole days t·u = 0 … endDay − minFirst, as needed.
			cache := map[int64]float64{}
			for r := range n {
				var total float64
				for _, f := range firstDays {
					days := ends[r] - f
					if days <= 0 {
						break // later first days are later still
					}
					e, ok := cache[days]
					if !ok {
						e = sc.Model.ExpectedPurchases(float64(days) / u)
						cache[days] = e
					}
					total += byFirst[f] * e
				}
				predCum[r] = total
				pred[r] = total
				if r > 0 {
					pred[r] -= predCum[r-1]
				}
			}
			totals, err := clv.ExpectedTotals(ctx, sc.Model, d, holdoutHorizons)
			if err != nil {
				return nil, err
			}
			cond, condCum = make([]float64, n), make([]float64, n)
			for h, total := range totals {
				r := n - nHold + h
				condCum[r] = total
				cond[r] = total
				if h > 0 {
					cond[r] -= totals[h-1]
				}
			}
		}
		tr.Predicted = append(tr.Predicted, pred)
		tr.PredictedCumulative = append(tr.PredictedCumulative, predCum)
		tr.Conditional = append(tr.Conditional, cond)
		tr.ConditionalCumulative = append(tr.ConditionalCumulative, condCum)
	}
	return tr, nil
}

func dayTime(day int64) time.Time { return time.UnixMicro(day * civil.MicrosPerDay).UTC() }

// countPurchaseDays adds to actual[period] the weight of every distinct
// (customer, day) purchase of a scored customer up to endDay, other than
// the customer's first purchase day.
func countPurchaseDays(ctx context.Context, ev *Events, s *customers.Summary, rows *ModelInput, first []int64,
	endDay, minFirst int64, periodOf []int32, actual []float64) error {
	n := len(ev.Customer)
	if len(ev.Time) != n || len(ev.Kind) != n {
		return fmt.Errorf("%w: event columns of different lengths: %d customers, %d times, %d kinds", clv.ErrBadData, n, len(ev.Time), len(ev.Kind))
	}
	if ev.CustomerID == nil {
		return fmt.Errorf("%w: Events.CustomerID is nil: the tracking needs the customer ids of the codes", clv.ErrBadParams)
	}
	// Event customer codes → scored customer (−1: not scored), looked up
	// once per code.
	scored := make(map[string]int32, len(rows.Rows))
	for k, i := range rows.Rows {
		scored[s.CustomerID[i]] = int32(k)
	}
	const unknown = -2
	var byCode []int32
	keys := make([]uint64, 0, n)
	for i, c := range ev.Customer {
		if i&(1<<16-1) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if ev.Kind[i] != event.Purchase {
			continue
		}
		if c < 0 {
			return fmt.Errorf("%w: event %d has customer code %d", clv.ErrBadData, i, c)
		}
		for int(c) >= len(byCode) {
			byCode = append(byCode, unknown)
		}
		if byCode[c] == unknown {
			k, ok := scored[ev.CustomerID(c)]
			if !ok {
				k = -1
			}
			byCode[c] = k
		}
		k := byCode[c]
		if k < 0 {
			continue
		}
		day := civil.DayOf(ev.Time[i])
		if day <= first[k] || day > endDay {
			continue
		}
		keys = append(keys, uint64(k)<<32|uint64(day-minFirst))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, key := range keys {
		k, day := int(key>>32), int64(uint32(key))
		actual[periodOf[day]] += weightOf(rows.Data.Weights, k)
	}
	return nil
}
