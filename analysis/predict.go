package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/table"
)

// PredictOptions configure Predict.
type PredictOptions struct {
	// Model is the transaction model to score with. When nil, the model
	// named by ModelName (bgnbd, pnbd or mbgnbd) is fitted to the summary.
	Model     clv.TransactionModel
	ModelName string
	// Spend chooses the spend per purchase (see Spend).
	Spend Spend
	// Horizon of the prediction in the model's and summary's unit; 0
	// means one year in that unit (see ResolveScale, DefaultHorizon).
	Horizon float64
	// DiscountRate per unit of time (see clv.CLVOptions), or
	// AnnualDiscountRate per year, converted to the unit (see AnnualRate);
	// at most one of them. Continuous discounts continuously.
	DiscountRate       float64
	AnnualDiscountRate float64
	Continuous         bool
	// Margin applied to spend; 0 means 1.
	Margin float64
	// ReferralShare is the share in [0, 1] of a referred customer's CLV
	// credited to the referrer (the CLI's default is 1); ValuePerShare the
	// value credited per share event.
	ReferralShare, ValuePerShare float64
	// Intervals asks for the 90% intervals of CLV and expected purchases
	// from the fits' parameter uncertainty; 0 means none. With
	// IntervalDraws it is the number of parameter draws (at least 2).
	Intervals int
	// IntervalDraws computes the intervals from Intervals random parameter
	// draws (clv.CLVInterval) instead of the sigma points of
	// clv.SigmaIntervals, which need no draws, have no Monte-Carlo noise and
	// cost 2k predictions per distinct history (k parameters).
	IntervalDraws bool
	// Seed of the interval draws.
	Seed uint64
	// Report, if not nil, receives notes and warnings, one line each.
	Report func(string)
	// Progress, if not nil, is told how many of the distinct customer
	// histories have been scored (see clv.ForecastOptions) — with
	// IntervalDraws, the work done and its total, a history counting once
	// in the forecast and once per draw in the interval pass. done rises
	// to total; calls do not overlap.
	Progress func(done, total int)
}

// Prediction is every customer's prediction, in summary order. Customers
// without a purchase in the period are not scored (Scored[i] false):
// expected purchases and CLV 0, the other model columns invalid.
type Prediction struct {
	CustomerID        []string
	Scored            []bool
	ExpectedPurchases []float64
	PAlive            []float64
	CLV               []float64
	// Referral, total and share value: nil when no customer referred or
	// shared; ShareValue also nil when ValuePerShare is 0.
	ReferralValue, TotalValue, ShareValue []float64
	Spend                                 []float64
	// Interval bounds: nil without intervals.
	CLVLower, CLVUpper, ExpectedLower, ExpectedUpper []float64
	// The inputs of each customer's prediction, from the summary: its
	// frequency, recency, T and monetary value, and with a calibration end
	// the holdout actuals (nil otherwise), to compare with the prediction.
	Frequency, Recency, T, MonetaryValue []float64
	HoldoutFrequency, HoldoutRevenue     []float64

	// Model is the transaction model used, SpendModel the spend model (nil
	// for a fixed spend), SpendPerPurchase the fixed spend otherwise.
	Model            clv.TransactionModel
	SpendModel       *clv.GammaGamma
	SpendPerPurchase float64
	// Scale is the time unit, horizon and discount rate used.
	Scale Scale
}

// Predict scores every customer of s: expected purchases over the horizon,
// P(alive), discounted net CLV, spend per purchase, and with referrals the
// referral and total value; with opts.Intervals the 90% intervals of CLV
// and expected purchases from parameter draws.
func Predict(ctx context.Context, s *customers.Summary, opts PredictOptions) (*Prediction, error) {
	if opts.ReferralShare < 0 || opts.ReferralShare > 1 || math.IsNaN(opts.ReferralShare) {
		return nil, fmt.Errorf("%w: referral share %v, want a number in [0, 1]", clv.ErrBadParams, opts.ReferralShare)
	}
	if opts.Intervals < 0 || (opts.IntervalDraws && opts.Intervals == 1) {
		return nil, fmt.Errorf("%w: %d interval draws, want 0 (none) or at least 2", clv.ErrBadParams, opts.Intervals)
	}
	rows, err := ModelRows(s)
	if err != nil {
		return nil, err
	}
	tm, err := transactionModel(ctx, opts.Model, opts.ModelName, s, rows, opts.Report)
	if err != nil {
		return nil, err
	}
	scale, err := ResolveScale(tm, s, opts.Horizon, opts.DiscountRate, opts.AnnualDiscountRate, opts.Continuous, opts.Report)
	if err != nil {
		return nil, err
	}
	opts.Horizon = scale.Horizon
	co := clv.CLVOptions{Horizon: scale.Horizon, DiscountRate: scale.DiscountRate, Continuous: opts.Continuous, Margin: opts.Margin}
	if err := SetSpend(ctx, &co, opts.Spend, s, rows, opts.Report); err != nil {
		return nil, err
	}
	say(opts.Report, "%s", DescribeCLV(scale, opts.Margin, opts.Continuous, co.Refunds != nil))

	d := rows.Data
	n := d.Len()
	spend := make([]float64, n)
	for k := range n {
		if co.Spend != nil {
			spend[k] = co.Spend.ConditionalExpectedSpend(d.Frequency[k], d.Monetary[k])
		} else {
			spend[k] = co.SpendPerPurchase
		}
	}

	// One pass over the distinct histories for the point predictions and,
	// by default, the sigma-point intervals.
	hasCov := tm.FitInfo() != nil && tm.FitInfo().LogCov != nil
	if opts.Intervals > 0 && !hasCov {
		say(opts.Report, "note: the %s model carries no parameter covariance (its fit's Hessian was not positive definite, or it was built from parameters), so no intervals", tm.Name())
	}
	sigma := opts.Intervals > 0 && hasCov && !opts.IntervalDraws
	drawn := opts.Intervals > 0 && hasCov && opts.IntervalDraws
	// With parameter draws, the forecast and the interval pass report as
	// one: a history's weight is one evaluation in the forecast and one
	// per draw in the interval pass, so that the rate and the time left
	// stay true (the draws are nearly all the work).
	progress := opts.Progress
	phase := func(before, weight int) func(done, total int) {
		if opts.Progress == nil {
			return nil
		}
		all := 1 + opts.Intervals
		return func(done, total int) { opts.Progress(total*before+done*weight, total*all) }
	}
	if drawn {
		progress = phase(0, 1)
	}
	f, err := clv.NewForecast(ctx, tm, d, co, &clv.ForecastOptions{Intervals: sigma, Progress: progress})
	if sigma && err != nil && ctx.Err() == nil && errors.Is(err, clv.ErrBadParams) {
		// Typically a fit at the edge of the parameter space, whose
		// covariance allows no sensible sigma points: the point estimates
		// stand, without intervals.
		say(opts.Report, "warning: no intervals: %v", err)
		f, err = clv.NewForecast(ctx, tm, d, co, &clv.ForecastOptions{Progress: progress})
	}
	if err != nil {
		return nil, err
	}
	intervals := [4][]float64{f.CLVLower, f.CLVUpper, f.ExpectedLower, f.ExpectedUpper}
	if drawn {
		for j := range intervals {
			intervals[j] = make([]float64, n)
		}
		io := clv.IntervalOptions{Draws: opts.Intervals, Src: rand.NewPCG(opts.Seed, 0x5eed), Progress: phase(1, opts.Intervals)}
		err := clv.DrawIntervals(ctx, intervals[0], intervals[1], intervals[2], intervals[3], tm, d, co, io)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			say(opts.Report, "warning: no intervals: %v", err)
			intervals = [4][]float64{}
		}
	}
	exp, alive, value := f.Expected, f.Alive, f.CLV

	N := s.Len()
	p := &Prediction{
		CustomerID:        s.CustomerID,
		Scored:            make([]bool, N),
		ExpectedPurchases: rows.Scatter(exp, N),
		PAlive:            rows.Scatter(alive, N),
		CLV:               rows.Scatter(value, N),
		Spend:             rows.Scatter(spend, N),
		CLVLower:          rows.Scatter(intervals[0], N),
		CLVUpper:          rows.Scatter(intervals[1], N),
		ExpectedLower:     rows.Scatter(intervals[2], N),
		ExpectedUpper:     rows.Scatter(intervals[3], N),
		Model:             tm,
		SpendModel:        co.Spend,
		SpendPerPurchase:  co.SpendPerPurchase,
		Scale:             scale,
		Frequency:         s.Frequency,
		Recency:           s.Recency,
		T:                 s.T,
		MonetaryValue:     s.MonetaryValue,
		HoldoutFrequency:  s.HoldoutFrequency,
		HoldoutRevenue:    s.HoldoutRevenue,
	}
	for _, i := range rows.Rows {
		p.Scored[i] = true
	}
	if HasReferrals(s) {
		tv, err := TotalValue(s, p.CLV, opts.ReferralShare, opts.ValuePerShare)
		if err != nil {
			return nil, err
		}
		p.ReferralValue, p.TotalValue = tv.Referral, tv.Total
		if opts.ValuePerShare > 0 {
			p.ShareValue = tv.Shares
		}
	}
	return p, nil
}

// Table returns the prediction as the columns valuekit predict writes:
// customer_id, expected_purchases, p_alive, clv, [referral_value,
// total_value, [share_value]], spend, [clv_lower, clv_upper,
// expected_purchases_lower, expected_purchases_upper], then the inputs
// frequency, recency, T, monetary_value [, holdout_frequency,
// holdout_revenue] (added at the end: earlier columns keep their places).
// Model columns of customers that were not scored are invalid (empty in
// CSV, null elsewhere).
func (p *Prediction) Table() *table.Table {
	isScored := func(i int) bool { return p.Scored[i] }
	t := &table.Table{Columns: []table.Column{
		{Name: "customer_id", Kind: table.StringColumn, String: p.CustomerID},
		{Name: "expected_purchases", Kind: table.FloatColumn, Float: p.ExpectedPurchases},
		{Name: "p_alive", Kind: table.FloatColumn, Float: p.PAlive, Valid: isScored},
		{Name: "clv", Kind: table.FloatColumn, Float: p.CLV},
	}}
	if p.TotalValue != nil {
		t.Columns = append(t.Columns,
			table.Column{Name: "referral_value", Kind: table.FloatColumn, Float: p.ReferralValue},
			table.Column{Name: "total_value", Kind: table.FloatColumn, Float: p.TotalValue})
		if p.ShareValue != nil {
			t.Columns = append(t.Columns, table.Column{Name: "share_value", Kind: table.FloatColumn, Float: p.ShareValue})
		}
	}
	t.Columns = append(t.Columns, table.Column{Name: "spend", Kind: table.FloatColumn, Float: p.Spend, Valid: isScored})
	if p.CLVLower != nil {
		for _, c := range []struct {
			name string
			v    []float64
		}{{"clv_lower", p.CLVLower}, {"clv_upper", p.CLVUpper}, {"expected_purchases_lower", p.ExpectedLower}, {"expected_purchases_upper", p.ExpectedUpper}} {
			t.Columns = append(t.Columns, table.Column{Name: c.name, Kind: table.FloatColumn, Float: c.v, Valid: isScored})
		}
	}
	for _, c := range []struct {
		name string
		v    []float64
	}{{"frequency", p.Frequency}, {"recency", p.Recency}, {"T", p.T}, {"monetary_value", p.MonetaryValue},
		{"holdout_frequency", p.HoldoutFrequency}, {"holdout_revenue", p.HoldoutRevenue}} {
		if c.v != nil {
			t.Columns = append(t.Columns, table.Column{Name: c.name, Kind: table.FloatColumn, Float: c.v})
		}
	}
	return t
}

// transactionModel returns tm, or when it is nil the model named name
// fitted to the rows of s (with s's timing).
func transactionModel(ctx context.Context, tm clv.TransactionModel, name string, s *customers.Summary, rows *ModelInput, report func(string)) (clv.TransactionModel, error) {
	if tm != nil {
		return tm, nil
	}
	if err := CheckTimeKind(name, s); err != nil {
		return nil, err
	}
	m, err := Fit(ctx, name, rows.Data, report)
	if err != nil {
		return nil, err
	}
	clv.SetTiming(m, SummaryTiming(s))
	tm, ok := m.(clv.TransactionModel)
	if !ok {
		return nil, fmt.Errorf("%w: a %s model does not predict purchases", clv.ErrBadParams, m.Name())
	}
	return tm, nil
}
