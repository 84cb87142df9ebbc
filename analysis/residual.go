package analysis

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
)

// PredictResidual scores every customer of s over an infinite horizon, as
// Predict does over a finite one, where the model has a closed form for it:
// ExpectedPurchases holds the discounted expected residual purchases
// (DERT: Pareto/NBD, Fader, Hardie & Lee 2005; BG/BB, Fader, Hardie &
// Shang 2010), CLV their value — spend × margin × (1 − shrunk refund
// ratio) × DERT, as in Predict — and PAlive, Spend, the inputs and the
// referral columns as in Predict. Prediction.Scale.Horizon is +Inf. There
// are no intervals (opts.Intervals is ignored, said in a note). opts.Horizon
// is ignored.
//
// The discount rate (opts.DiscountRate or AnnualDiscountRate) must be > 0:
// an undiscounted infinite sum is infinite or meaningless for planning
// (error wrapping clv.ErrBadParams). BG/NBD and MBG/NBD have no such form
// here: an error wrapping clv.ErrNoResidualForm.
func PredictResidual(ctx context.Context, s *customers.Summary, opts PredictOptions) (*Prediction, error) {
	if opts.ReferralShare < 0 || opts.ReferralShare > 1 || math.IsNaN(opts.ReferralShare) {
		return nil, fmt.Errorf("%w: referral share %v, want a number in [0, 1]", clv.ErrBadParams, opts.ReferralShare)
	}
	if !(opts.DiscountRate > 0 || opts.AnnualDiscountRate > 0) {
		return nil, fmt.Errorf("%w: an infinite horizon needs a discount rate > 0 (undiscounted, the value has no finite sum)", clv.ErrBadParams)
	}
	name := opts.ModelName
	if opts.Model != nil {
		name = opts.Model.Name()
	}
	if !clv.HasResidualForm(name) {
		return nil, fmt.Errorf("the %s model: %w", name, clv.ErrNoResidualForm)
	}
	rows, err := ModelRows(s)
	if err != nil {
		return nil, err
	}
	tm, err := transactionModel(ctx, opts.Model, opts.ModelName, s, rows, opts.Report)
	if err != nil {
		return nil, err
	}
	// A horizon of 1 only to resolve the unit and rate without a note.
	scale, err := ResolveScale(tm, s, 1, opts.DiscountRate, opts.AnnualDiscountRate, opts.Continuous, opts.Report)
	if err != nil {
		return nil, err
	}
	co := clv.CLVOptions{Horizon: 1, DiscountRate: scale.DiscountRate, Continuous: opts.Continuous, Margin: opts.Margin}
	if err := SetSpend(ctx, &co, opts.Spend, s, rows, opts.Report); err != nil {
		return nil, err
	}
	finite := scale.Describe()
	scale.Horizon = math.Inf(1)
	desc := DescribeCLV(Scale{Unit: scale.Unit, Known: scale.Known, Periods: scale.Periods, Horizon: 1, DiscountRate: scale.DiscountRate},
		opts.Margin, opts.Continuous, co.Refunds != nil)
	say(opts.Report, "%s", strings.Replace(desc, "over "+finite, "over an infinite horizon (expected_purchases: discounted expected residual purchases, DERT)", 1))
	if opts.Intervals > 0 {
		say(opts.Report, "note: no intervals over an infinite horizon")
	}

	d := rows.Data
	n := d.Len()
	dert, value, alive := make([]float64, n), make([]float64, n), make([]float64, n)
	if err := clv.ResidualCLVBatch(ctx, value, dert, tm, d, co); err != nil {
		return nil, err
	}
	if err := clv.Score(ctx, nil, alive, tm, d, 0); err != nil {
		return nil, err
	}
	spend := make([]float64, n)
	for k := range n {
		if co.Spend != nil {
			spend[k] = co.Spend.ConditionalExpectedSpend(d.Frequency[k], d.Monetary[k])
		} else {
			spend[k] = co.SpendPerPurchase
		}
	}
	N := s.Len()
	p := &Prediction{
		CustomerID:        s.CustomerID,
		Scored:            make([]bool, N),
		ExpectedPurchases: rows.Scatter(dert, N),
		PAlive:            rows.Scatter(alive, N),
		CLV:               rows.Scatter(value, N),
		Spend:             rows.Scatter(spend, N),
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
