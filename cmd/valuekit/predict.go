package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
)

func runPredict(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "predict", "predict FILE (--model-file model.json | --model bgnbd|pnbd|mbgnbd) [--spend-model gg.json | --spend gg|AMOUNT] [flags]\n\n"+
		"Scores every customer: columns customer_id, expected_purchases, p_alive, clv and, when the events hold\n"+
		"referrals, referral_value, total_value; then spend, clv_lower, clv_upper, expected_purchases_lower,\n"+
		"expected_purchases_upper. With --model (and --spend gg) the models are fitted to FILE first. FILE is an\n"+
		"event file or a summary file. Times, the horizon and the discount rate are in the data's unit (--unit).\n"+
		"Customers without a purchase in the period have expected_purchases 0, clv 0 and an empty p_alive.")
	in := addInputFlags(fs)
	modelFile := fs.String("model-file", "", "saved transaction model (JSON from 'valuekit fit')")
	modelName := fs.String("model", "", "fit this transaction model to FILE first: bgnbd, pnbd or mbgnbd")
	spendFile := fs.String("spend-model", "", "saved Gamma-Gamma spend model (JSON from 'valuekit fit --model gg')")
	spend := fs.String("spend", "", "spend per purchase: 'gg' to fit the Gamma-Gamma model to FILE, or a fixed amount (default: the mean purchase amount of FILE)")
	horizon := fs.Float64("horizon", 0, "horizon of the prediction in the data's unit (default: one year: 365 days, 52 weeks, 12 months or 1 year)")
	rate := fs.Float64("discount-rate", 0, "discount rate per unit of time (see --annual-discount-rate)")
	annual := fs.Float64("annual-discount-rate", 0, "discount rate per year, converted to the data's unit (instead of --discount-rate)")
	continuous := fs.Bool("continuous", false, "discount continuously, exp(-rate·t), instead of per unit")
	share := fs.Float64("referral-share", 1, "share of a referred customer's CLV credited to the referrer, in [0,1]; lower it when referred customers would partly have come anyway")
	perShare := fs.Float64("value-per-share", 0, "value credited per share event (the influence part of total value)")
	draws := fs.Int("intervals", 200, "parameter draws for the 90% intervals of clv and expected purchases (0: no intervals)")
	seed := fs.Uint64("seed", 1, "random seed of the interval draws")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: CSV to standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if (*modelFile == "") == (*modelName == "") {
		return usagef("give exactly one of --model-file and --model")
	}
	if *spendFile != "" && *spend != "" {
		return usagef("give at most one of --spend-model and --spend")
	}
	if *rate != 0 && *annual != 0 {
		return usagef("give at most one of --discount-rate and --annual-discount-rate")
	}
	if *share < 0 || *share > 1 || math.IsNaN(*share) {
		return usagef("--referral-share %v: want a number in [0, 1]", *share)
	}
	if *draws < 0 || *draws == 1 {
		return usagef("--intervals %d: want 0 (none) or at least 2 draws", *draws)
	}
	unit, err := valuekit.ParseUnit(in.unit)
	if err != nil {
		return usagef("--unit: %v", err)
	}
	if *horizon == 0 {
		*horizon = 365.25 / unit.Days()
		if unit == valuekit.Day {
			*horizon = 365
		}
	}
	if *annual != 0 {
		*rate = clv.RatePerUnit(*annual, 365.25/unit.Days())
	}
	if *modelName != "" && !isTransactionModel(*modelName) {
		return usagef("--model %q: want bgnbd, pnbd or mbgnbd", *modelName)
	}

	s, err := in.loadSummary(ctx, e, path)
	if err != nil {
		return err
	}
	rows, err := selectModelRows(s)
	if err != nil {
		return err
	}
	tm, err := transactionModel(ctx, e, *modelFile, *modelName, rows)
	if err != nil {
		return err
	}
	opts := clv.CLVOptions{Horizon: *horizon, DiscountRate: *rate, Continuous: *continuous, Margin: in.margin}
	if err := setSpend(ctx, e, &opts, *spendFile, *spend, s, rows); err != nil {
		return err
	}

	d := rows.data
	n := d.Len()
	exp, alive, value := make([]float64, n), make([]float64, n), make([]float64, n)
	if err := clv.Score(ctx, exp, alive, tm, d, *horizon); err != nil {
		return err
	}
	if err := clv.CLVBatch(ctx, value, tm, d, opts); err != nil {
		return err
	}
	spendCol := make([]float64, n)
	for k := range n {
		if opts.Spend != nil {
			spendCol[k] = opts.Spend.ConditionalExpectedSpend(d.Frequency[k], d.Monetary[k])
		} else {
			spendCol[k] = opts.SpendPerPurchase
		}
	}

	var intervals [4][]float64 // clv lower, upper, expected lower, upper
	if *draws > 0 {
		if info := tm.FitInfo(); info == nil || info.LogCov == nil {
			fmt.Fprintf(e.stderr, "note: the %s model carries no parameter covariance (built from parameters?), so no intervals\n", tm.Name())
		} else {
			for j := range intervals {
				intervals[j] = make([]float64, n)
			}
			io := clv.IntervalOptions{Draws: *draws, Src: rand.NewPCG(*seed, 0x5eed)}
			err := clv.CLVInterval(ctx, intervals[0], intervals[1], tm, d, opts, io)
			if err == nil {
				io.Src = rand.NewPCG(*seed, 0x5eed)
				err = clv.ExpectedPurchasesInterval(ctx, intervals[2], intervals[3], tm, d, *horizon, io)
			}
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case err != nil:
				// Typically a fit at the edge of the parameter space, whose
				// covariance allows no sensible draws: the point estimates
				// stand, without intervals.
				fmt.Fprintf(e.stderr, "warning: no intervals: %v\n", err)
				intervals = [4][]float64{}
			}
		}
	}

	// Scatter the model rows back over every customer of the summary.
	N := s.Len()
	scatter := func(v []float64) []float64 {
		if v == nil {
			return nil
		}
		full := make([]float64, N)
		for k, i := range rows.rows {
			full[i] = v[k]
		}
		return full
	}
	scored := make([]bool, N)
	for _, i := range rows.rows {
		scored[i] = true
	}
	isScored := func(i int) bool { return scored[i] }
	clvAll := scatter(value)
	t := &valuekit.Table{Columns: []valuekit.Column{
		{Name: "customer_id", Kind: valuekit.StringColumn, String: s.CustomerID},
		{Name: "expected_purchases", Kind: valuekit.FloatColumn, Float: scatter(exp)},
		{Name: "p_alive", Kind: valuekit.FloatColumn, Float: scatter(alive), Valid: isScored},
		{Name: "clv", Kind: valuekit.FloatColumn, Float: clvAll},
	}}
	if hasReferrals(s) {
		tv, err := totalValue(s, clvAll, *share, *perShare)
		if err != nil {
			return err
		}
		t.Columns = append(t.Columns,
			valuekit.Column{Name: "referral_value", Kind: valuekit.FloatColumn, Float: tv.Referral},
			valuekit.Column{Name: "total_value", Kind: valuekit.FloatColumn, Float: tv.Total})
		if *perShare > 0 {
			t.Columns = append(t.Columns, valuekit.Column{Name: "share_value", Kind: valuekit.FloatColumn, Float: tv.Shares})
		}
	}
	t.Columns = append(t.Columns, valuekit.Column{Name: "spend", Kind: valuekit.FloatColumn, Float: scatter(spendCol), Valid: isScored})
	if intervals[0] != nil {
		for j, name := range []string{"clv_lower", "clv_upper", "expected_purchases_lower", "expected_purchases_upper"} {
			t.Columns = append(t.Columns, valuekit.Column{Name: name, Kind: valuekit.FloatColumn, Float: scatter(intervals[j]), Valid: isScored})
		}
	}
	return writeOutput(e, *out, t.WriteFile, t.WriteCSV)
}

func isTransactionModel(name string) bool {
	return name == clv.NameBGNBD || name == clv.NameParetoNBD || name == clv.NameMBGNBD
}

func loadModelFile(path string) (clv.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := clv.LoadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// refundRatios returns each model row's refunds over its purchases, or nil
// when nobody has refunds.
func refundRatios(s *valuekit.Summary, rows []int) *clv.Refunds {
	any := false
	ratio := make([]float64, len(rows))
	for k, i := range rows {
		if s.Refunds[i] > 0 {
			any = true
			if s.Revenue[i] > 0 {
				ratio[k] = s.Refunds[i] / s.Revenue[i]
			}
		}
	}
	if !any {
		return nil
	}
	return &clv.Refunds{Ratio: ratio}
}

func hasReferrals(s *valuekit.Summary) bool {
	for i := range s.Len() {
		if s.Referrals[i] > 0 || s.Shares[i] > 0 {
			return true
		}
	}
	return false
}

// totalValue adds the referral and share value to each customer's own CLV.
func totalValue(s *valuekit.Summary, own []float64, share, perShare float64) (*clv.TotalValue, error) {
	var referrer, referred []string
	for i := range s.Len() {
		for _, r := range s.Referred[i] {
			referrer = append(referrer, s.CustomerID[i])
			referred = append(referred, r)
		}
	}
	refs, err := clv.IndexReferrals(s.CustomerID, referrer, referred)
	if err != nil {
		return nil, err
	}
	shares := make([]float64, s.Len())
	for i, n := range s.Shares {
		shares[i] = float64(n)
	}
	return clv.ReferralValue(own, refs, share, &clv.ReferralOptions{ShareCounts: shares, ValuePerShare: perShare})
}
