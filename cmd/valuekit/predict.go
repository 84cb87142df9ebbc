package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
)

func runPredict(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "predict", "predict FILE (--model-file model.json | --model bgnbd|pnbd|mbgnbd) [--spend-model gg.json | --spend gg|AMOUNT] [flags]\n\n"+
		"Scores every customer: columns customer_id, expected_purchases, p_alive, clv and, when the events hold\n"+
		"referrals, referral_value, total_value; then spend, clv_lower, clv_upper, expected_purchases_lower,\n"+
		"expected_purchases_upper; last the inputs frequency, recency, T, monetary_value and, with\n"+
		"--calibration-end, the holdout actuals holdout_frequency, holdout_revenue. With --model (and --spend\n"+
		"gg) the models are fitted to FILE first. FILE is an event file or a summary file. Times, the horizon\n"+
		"and the discount rate are in the model's unit, which a saved model and a summary file record: event\n"+
		"files are summarised in it unless --unit says otherwise, and a model whose unit differs from the\n"+
		"data's is refused.\n"+
		"clv is the expected spend over the horizon, net of refunds, times --margin (default: none, so revenue):\n"+
		"a customer's refund ratio (refunds over purchases, capped at 1) is shrunk towards the population's by\n"+
		"the weight of their own purchases, so one refunded purchase does not write a customer off;\n"+
		"undiscounted unless --annual-discount-rate or --discount-rate is given; standard error says which.\n"+
		"--horizon inf values the whole future, discounted (a rate is required), where the model has a closed\n"+
		"form: Pareto/NBD and BG/BB; expected_purchases is then the discounted expected residual purchases\n"+
		"(DERT) and there are no intervals. BG/NBD and MBG/NBD are refused.\n"+
		"Customers without a purchase in the period have expected_purchases 0, clv 0 and an empty p_alive.")
	in := addInputFlags(fs)
	modelFile := fs.String("model-file", "", "saved transaction model (JSON from 'valuekit fit')")
	modelName := fs.String("model", "", "fit this transaction model to FILE first: bgnbd, pnbd or mbgnbd")
	spendFile := fs.String("spend-model", "", "saved Gamma-Gamma spend model (JSON from 'valuekit fit --model gg')")
	spend := fs.String("spend", "", "spend per purchase: 'gg' to fit the Gamma-Gamma model to FILE, or a fixed amount (default: the mean amount per purchase day of FILE, as the models count purchase days)")
	horizon := fs.Float64("horizon", 0, "horizon of the prediction in the model's unit (default: one year: 365 days, 52 weeks, 12 months or 1 year; for discrete-time data of unknown period, 1 period); 'inf' for the whole future where the model has a closed form (pnbd, bgbb: expected_purchases is then the discounted expected residual purchases, DERT), which needs a discount rate")
	rate := fs.Float64("discount-rate", 0, "discount rate per unit of time (see --annual-discount-rate)")
	annual := fs.Float64("annual-discount-rate", 0, "discount rate per year, converted to the data's unit: (1+a)^(1/n)−1 per unit, or ln(1+a)/n with --continuous, n units a year (instead of --discount-rate)")
	continuous := fs.Bool("continuous", false, "discount continuously, exp(-rate·t), instead of per unit")
	share := fs.Float64("referral-share", 1, "share of a referred customer's CLV credited to the referrer, in [0,1]; lower it when referred customers would partly have come anyway")
	perShare := fs.Float64("value-per-share", 0, "value credited per share event (the influence part of total value)")
	draws := fs.Int("intervals", 200, "90% intervals of clv and expected purchases from the fit's parameter uncertainty: 0 for none; with --interval-method draws, the number of parameter draws")
	method := fs.String("interval-method", "sigma", "how intervals are computed: sigma (sigma points of the parameters' distribution: no draws, no noise, cost independent of --intervals) or draws (random parameter draws)")
	seed := fs.Uint64("seed", 1, "random seed of the interval draws (--interval-method draws)")
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
	infinite := math.IsInf(*horizon, 1)
	if *horizon < 0 || math.IsNaN(*horizon) {
		return usagef("--horizon %v: want a positive number (0 or none: one year, inf: the whole future)", *horizon)
	}
	if infinite {
		if !(*rate > 0 || *annual > 0) {
			return usagef("--horizon inf needs a discount rate > 0 (undiscounted, the whole future has no finite value): give --annual-discount-rate, e.g. 0.1, or --discount-rate")
		}
		if *modelName != "" && !clv.HasResidualForm(*modelName) {
			return usagef("--horizon inf: the %s model has no infinite-horizon discounted value (DERT); use --model pnbd, or a finite --horizon", *modelName)
		}
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"--discount-rate", *rate}, {"--annual-discount-rate", *annual}} {
		if r.v < 0 || math.IsNaN(r.v) || math.IsInf(r.v, 0) {
			return usagef("%s %v: want a rate ≥ 0, e.g. 0.1 for 10 %%", r.name, r.v)
		}
	}
	if err := checkOutputName(*out, path, *modelFile, *spendFile); err != nil {
		return err
	}
	if *share < 0 || *share > 1 || math.IsNaN(*share) {
		return usagef("--referral-share %v: want a number in [0, 1]", *share)
	}
	if *draws < 0 || *draws == 1 {
		return usagef("--intervals %d: want 0 (none) or at least 2 draws", *draws)
	}
	if *method != "sigma" && *method != "draws" {
		return usagef("--interval-method %q: want sigma or draws", *method)
	}
	if _, err := valuekit.ParseUnit(in.unit); err != nil {
		return usagef("--unit: %v", err)
	}
	if *modelName != "" && !isTransactionModel(*modelName) {
		return usagef("--model %q: want bgnbd, pnbd or mbgnbd", *modelName)
	}
	sp, err := spendFlags(*spendFile, *spend)
	if err != nil {
		return err
	}
	opts := analysis.PredictOptions{
		ModelName: *modelName, Spend: sp,
		Horizon: *horizon, DiscountRate: *rate, AnnualDiscountRate: *annual, Continuous: *continuous, Margin: in.margin,
		ReferralShare: *share, ValuePerShare: *perShare,
		Intervals: *draws, IntervalDraws: *method == "draws", Seed: *seed, Report: e.report,
	}
	if *modelFile != "" {
		if opts.Model, err = loadTransactionModel(*modelFile); err != nil {
			return err
		}
		if err := in.useModelUnit(opts.Model, *modelFile); err != nil {
			return err
		}
		if infinite && !clv.HasResidualForm(opts.Model.Name()) {
			return usagef("--horizon inf: %s holds a %s model, which has no infinite-horizon discounted value (DERT; pnbd and bgbb have one); give a finite --horizon", *modelFile, opts.Model.Name())
		}
	}

	s, err := in.loadSummary(ctx, e, path)
	if err != nil {
		return err
	}
	its := "histories"
	if opts.IntervalDraws && opts.Intervals > 0 {
		its = "evaluations" // a history once, then once per draw
	}
	b := e.newBar(in.quiet, "scoring", 0, false, its)
	opts.Progress = func(done, total int) {
		b.set(int64(done), int64(total))
		if e.onScore != nil {
			e.onScore(done, total)
		}
	}
	predict := analysis.Predict
	if infinite {
		predict = analysis.PredictResidual
	}
	p, err := predict(ctx, s, opts)
	b.done()
	if err != nil {
		return err
	}
	if len(p.CustomerID) >= 1<<20 {
		// The summary's columns that the output does not carry (and the
		// scoring's working memory) are garbage now, a third of the live
		// heap at 10M customers: collect them before writing, so that the
		// heap the writer grows into is sized by what is still live.
		runtime.GC()
	}
	t := p.Table()
	return writeOutput(e, *out, t)
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
