package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/segment"
)

// schemesUsage describes the schemes and the VALUE measure, for segment and
// migrate; valueUsage the VALUE measure alone, for seeds too.
const schemesUsage = "" +
	"  quadrant  VALUE × experience (the mean of the customer's feedback scores): premium, fragile,\n" +
	"            free-rider, abandonable; customers without a score are unknown. Columns VALUE, experience.\n" +
	"            The default scheme; on data without feedback scores the default is abc instead.\n" +
	"  referral  VALUE × referral_value (the VALUE of the customers they referred, times --referral-share):\n" +
	"            champions, affluents, advocates, misers. Columns VALUE, referral_value.\n" +
	"  private   frequency (purchase events) × interaction (share events + feedback scores): core,\n" +
	"            transactional, engaged, unsuitable. Columns frequency, interaction.\n" +
	"  abc       tiers by cumulative share of VALUE: A = the top customers making 80% of it, B = the next\n" +
	"            15%, C = the rest (see --tier-shares). Column VALUE.\n" +
	valueUsage +
	"Grid axes are cut at the median of the known values unless --x-cut/--y-cut say otherwise; a value\n" +
	"equal to a cut counts as low."

const valueUsage = "VALUE is the --profit measure: revenue (net_revenue, net of refunds, with --net, and by default for abc\n" +
	"and seeds when the file has refunds; --net=false for gross), profit (net revenue − cost, or\n" +
	"× --margin), or clv: CLV over --horizon from a transaction model (--model-file from 'valuekit fit', or\n" +
	"--model to fit one to FILE; discounted with --annual-discount-rate), with customers without a purchase\n" +
	"in the period at 0.\n"

// segmentUsage describes the segment command.
const segmentUsage = "Places every customer in exactly one segment. Columns: customer_id, the axis values used, segment.\n" +
	schemesUsage + " --portfolio prints per-segment customers, value and shares (with a model:\n" +
	"mean P(alive), churn risk, value at risk, expected value over the horizon: CLV, at the file's profit\n" +
	"margin for --profit profit) and a --budget allocation instead; with -o it is written as a table."

// The commands built on parseSegment, which registers the flags each uses.
const (
	cmdSegment = iota
	cmdMigrate // no portfolio
	cmdSeeds   // no scheme, cuts, tiers or portfolio: the referral scheme's values only
)

func runSegment(ctx context.Context, e *env, args []string) error {
	run, err := parseSegment(e, cmdSegment, "segment", "segment FILE [--scheme quadrant|referral|private|abc] [--profit revenue|profit|clv] [flags]\n\n"+segmentUsage, args, nil)
	if err != nil {
		return err
	}
	spec, popts, out := run.spec, run.popts, run.out
	s, err := spec.in.loadSummary(ctx, e, run.path)
	if err != nil {
		return err
	}
	if s.Weights != nil {
		return fmt.Errorf("%s has a weights column (each row stands for several identical customers): segments need one row per customer", filepath.Base(run.path))
	}
	res, err := spec.classify(ctx, e, s)
	if err != nil {
		return err
	}
	if spec.portfolio {
		p, err := res.Portfolio(popts)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "portfolio of %d customers, scheme %s, value = %s\n", s.Len(), res.Scheme, res.ValueName)
		if out == "" {
			return p.WriteText(e.stdout)
		}
		return valuekit.WriteTableFile(out, p.Table())
	}
	t := res.CustomerTable()
	return writeOutput(e, out, t)
}

// segmentRun is a parsed segment command line.
type segmentRun struct {
	spec  *segmentSpec
	path  string
	popts *segment.PortfolioOptions
	out   string
}

// parseSegment parses and checks the flags of the segment command (and of
// commands built on it, which add their own flags with extra).
func parseSegment(e *env, cmd int, name, usage string, args []string, extra func(*flag.FlagSet)) (*segmentRun, error) {
	fs := newFlagSet(e, name, usage)
	in := addInputFlags(fs)
	scheme, experience, xCut, yCut, tierShares := "quadrant", "", "median", "median", ""
	if cmd == cmdSeeds {
		scheme = "referral"
	} else {
		fs.StringVar(&scheme, "scheme", scheme, "segmentation: quadrant, referral, private or abc; when not given, quadrant, or abc on data without feedback scores")
		fs.StringVar(&experience, "experience", "", "event column holding the feedback scores (default: score, or rating, feedback_score, nps); same as --score")
		fs.StringVar(&xCut, "x-cut", xCut, "cut on the first axis (VALUE, or frequency for private): median, a quantile qP such as q0.75, or a number")
		fs.StringVar(&yCut, "y-cut", yCut, "cut on the second axis (experience, referral_value or interaction): median, qP or a number")
		fs.StringVar(&tierShares, "tier-shares", "", "abc: shares of total value of every tier but the last, from the top (default 0.8,0.15: tiers A, B, C)")
	}
	profit := fs.String("profit", "revenue", "value measure: revenue, profit (needs a cost column or --margin) or clv (needs --model-file or --model)")
	net := fs.Bool("net", false, "with --profit revenue: net revenue (purchases minus refunds); the default of abc and seeds when the file has refunds, --net=false for gross revenue")
	refShareHelp := "referral: share of a referred customer's value credited to the referrer, in [0,1]"
	if cmd == cmdSeeds {
		refShareHelp = "share of a referred customer's value credited to the referrer, in [0,1]"
	}
	refShare := fs.Float64("referral-share", 1, refShareHelp)
	var mf modelFlags
	modelFileHelp := "saved transaction model (JSON from 'valuekit fit') for --profit clv and the portfolio's P(alive)"
	if cmd != cmdSegment {
		modelFileHelp = "saved transaction model (JSON from 'valuekit fit') for --profit clv"
	}
	fs.StringVar(&mf.file, "model-file", "", modelFileHelp)
	fs.StringVar(&mf.name, "model", "", "fit this transaction model to FILE instead: bgnbd, pnbd or mbgnbd")
	fs.StringVar(&mf.spend, "spend", "", "with a model: spend per purchase, 'gg' to fit the Gamma-Gamma model to FILE or a fixed amount (default: the mean amount per purchase day, as the models count purchase days)")
	fs.Float64Var(&mf.horizon, "horizon", 0, "with a model: CLV horizon in the model's unit (default: one year)")
	fs.Float64Var(&mf.annual, "annual-discount-rate", 0, "with a model: discount rate per year")
	portfolio, budget, allocation, atRisk := new(bool), new(float64), new(string), new(float64)
	*allocation, *atRisk = "value", 0.5
	if cmd == cmdSegment {
		fs.BoolVar(portfolio, "portfolio", false, "print the per-segment portfolio table instead of one row per customer")
		fs.Float64Var(budget, "budget", 0, "with --portfolio: budget to allocate across segments")
		fs.StringVar(allocation, "allocation", "value", "with --portfolio --budget: allocate by value, risk (value at risk; needs a model) or equal")
		fs.Float64Var(atRisk, "at-risk", 0.5, "with --portfolio and a model: P(alive) below which a customer counts as likely lost, in (0,1]")
	}
	outHelp := map[int]string{
		cmdSegment: "output file: .csv, .parquet or .json (default: CSV, or with --portfolio a text table, to standard output)",
		cmdMigrate: "output file: .csv, .parquet or .json (default: the matrix as text to standard output)",
		cmdSeeds:   "output file: .csv, .parquet or .json (default: CSV to standard output)",
	}[cmd]
	out := fs.String("o", "", outHelp)
	if extra != nil {
		extra(fs)
	}
	path, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// Check every flag before reading anything.
	scheme, *profit = strings.ToLower(scheme), strings.ToLower(*profit)
	var grid segment.Grid
	isGrid := scheme != "abc"
	if isGrid {
		if grid, err = segment.Preset(scheme); err != nil {
			return nil, usagef("--scheme %q: want quadrant, referral, private or abc", scheme)
		}
		xc, err := parseCut("--x-cut", xCut)
		if err != nil {
			return nil, err
		}
		yc, err := parseCut("--y-cut", yCut)
		if err != nil {
			return nil, err
		}
		grid.X.Cuts, grid.Y.Cuts = []segment.Cut{xc}, []segment.Cut{yc}
		if set["tier-shares"] {
			return nil, usagef("--tier-shares applies to --scheme abc only")
		}
	} else if set["x-cut"] || set["y-cut"] {
		return nil, usagef("--x-cut and --y-cut apply to the grid schemes (quadrant, referral, private), not abc")
	}
	tiers, err := parseTierShares(tierShares)
	if err != nil {
		return nil, err
	}
	switch *profit {
	case "revenue", "profit", "clv":
	default:
		return nil, usagef("--profit %q: want revenue, profit or clv", *profit)
	}
	if set["net"] && *profit != "revenue" {
		return nil, usagef("--net applies to --profit revenue only")
	}
	if set["referral-share"] && scheme != "referral" {
		return nil, usagef("--referral-share applies to --scheme referral only")
	}
	if *refShare < 0 || *refShare > 1 || math.IsNaN(*refShare) {
		return nil, usagef("--referral-share %v: want a number in [0, 1]", *refShare)
	}
	if set["experience"] {
		if set["score"] && in.score != experience {
			return nil, usagef("--experience %q and --score %q name different columns; give one", experience, in.score)
		}
		in.score = experience
	}
	if *profit == "clv" && !mf.given() {
		return nil, usagef("--profit clv needs a transaction model: give --model-file or --model")
	}
	if mf.given() && *profit != "clv" && !*portfolio {
		return nil, usagef("a model (--model-file, --model) is used by --profit clv and --portfolio only")
	}
	if err := mf.check(in, set); err != nil {
		return nil, err
	}
	popts := &segment.PortfolioOptions{Budget: *budget, AtRisk: *atRisk}
	if !*portfolio {
		for _, name := range []string{"budget", "allocation", "at-risk"} {
			if set[name] {
				return nil, usagef("--%s applies to --portfolio only", name)
			}
		}
	}
	if !(*budget >= 0) || math.IsInf(*budget, 0) {
		return nil, usagef("--budget %v: want a number ≥ 0", *budget)
	}
	if !(*atRisk > 0 && *atRisk <= 1) {
		return nil, usagef("--at-risk %v: want a number in (0, 1]", *atRisk)
	}
	if popts.Allocation, err = segment.ParseAllocation(*allocation); err != nil {
		return nil, usagef("--allocation %q: want value, risk or equal", *allocation)
	}
	if popts.Allocation == segment.ByValueAtRisk && !mf.given() {
		return nil, usagef("--allocation risk needs P(alive): give --model-file or --model")
	}
	if err := checkOutputName(*out, path, mf.file); err != nil {
		return nil, err
	}

	auto := cmd != cmdSeeds && !set["scheme"] && !set["x-cut"] && !set["y-cut"]
	spec := &segmentSpec{in: in, mf: mf, scheme: scheme, autoScheme: auto, profit: *profit, net: *net, gross: set["net"] && !*net, isGrid: isGrid, grid: grid,
		tiers: tiers, refShare: *refShare, portfolio: *portfolio}
	return &segmentRun{spec: spec, path: path, popts: popts, out: *out}, nil
}

// segmentSpec is a parsed and checked segmentation: the scheme, the value
// measure and the model flags.
type segmentSpec struct {
	in                *inputFlags
	mf                modelFlags
	scheme, profit    string
	autoScheme        bool // --scheme not given: abc without feedback scores
	net, gross        bool // --net, --net=false
	isGrid, portfolio bool
	grid              segment.Grid
	tiers             *segment.TierOptions
	refShare          float64
}

// classify places every customer of s in one segment.
func (sp *segmentSpec) classify(ctx context.Context, e *env, s *valuekit.Summary) (*analysis.Segmentation, error) {
	opts := analysis.SegmentOptions{Scheme: sp.scheme, AutoScheme: sp.autoScheme, Grid: sp.grid, Tiers: sp.tiers, Value: sp.profit, Net: sp.net, Gross: sp.gross,
		Margin: sp.in.margin, ReferralShare: sp.refShare, Portfolio: sp.portfolio, ScoreColumn: sp.in.score, Report: e.report}
	if sp.mf.given() {
		mo, err := sp.mf.options()
		if err != nil {
			return nil, err
		}
		opts.Model = mo
	}
	return analysis.Segment(ctx, s, opts)
}

// parseCut parses a cut flag: "median", "qP" with 0 < P < 1, or a number.
func parseCut(flagName, s string) (segment.Cut, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "median") {
		return segment.AtMedian(), nil
	}
	if q, ok := strings.CutPrefix(strings.ToLower(s), "q"); ok {
		p, err := strconv.ParseFloat(q, 64)
		if err != nil || !(p > 0 && p < 1) {
			return segment.Cut{}, usagef("%s %q: a quantile is qP with 0 < P < 1, e.g. q0.75", flagName, s)
		}
		return segment.AtQuantile(p), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return segment.Cut{}, usagef("%s %q: want median, a quantile qP (e.g. q0.75) or a number", flagName, s)
	}
	return segment.AtValue(v), nil
}

// parseTierShares parses --tier-shares; "" means the classic A/B/C split.
// Tiers are named A, B, C, … from the top.
func parseTierShares(s string) (*segment.TierOptions, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) > 25 {
		return nil, usagef("--tier-shares: at most 25 shares")
	}
	opts := &segment.TierOptions{}
	sum := 0.0
	for _, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return nil, usagef("--tier-shares %q: %q is not a positive number", s, p)
		}
		sum += v
		opts.Shares = append(opts.Shares, v)
	}
	if sum > 1+1e-12 {
		return nil, usagef("--tier-shares %q: the shares sum to %g, more than 1", s, sum)
	}
	for i := range len(parts) + 1 {
		opts.Names = append(opts.Names, string(rune('A'+i)))
	}
	return opts, nil
}

// modelFlags are the flags of a transaction model used for CLV and P(alive).
// The horizon (0: one year) and the annual rate are converted to the
// model's unit by analysis.ResolveScale.
type modelFlags struct {
	file, name, spend string
	horizon, annual   float64
	model             clv.TransactionModel // loaded from file
}

func (mf *modelFlags) given() bool { return mf.file != "" || mf.name != "" }

// check validates the model flags.
func (mf *modelFlags) check(in *inputFlags, set map[string]bool) error {
	if mf.file != "" && mf.name != "" {
		return usagef("give at most one of --model-file and --model")
	}
	if !mf.given() {
		for _, name := range []string{"spend", "horizon", "annual-discount-rate"} {
			if set[name] {
				return usagef("--%s needs a model (--model-file or --model)", name)
			}
		}
		return nil
	}
	if mf.name != "" && !isTransactionModel(mf.name) {
		return usagef("--model %q: want bgnbd, pnbd or mbgnbd", mf.name)
	}
	if mf.horizon < 0 || math.IsNaN(mf.horizon) || math.IsInf(mf.horizon, 0) {
		return usagef("--horizon %v: want a positive number", mf.horizon)
	}
	if mf.annual < 0 || math.IsNaN(mf.annual) || math.IsInf(mf.annual, 0) {
		return usagef("--annual-discount-rate %v: want a number ≥ 0", mf.annual)
	}
	if mf.spend != "" && mf.spend != "gg" {
		v, err := strconv.ParseFloat(mf.spend, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return usagef("--spend %q: want gg or a positive amount", mf.spend)
		}
	}
	if mf.file != "" {
		var err error
		if mf.model, err = loadTransactionModel(mf.file); err != nil {
			return err
		}
		return in.useModelUnit(mf.model, mf.file)
	}
	return nil
}

// options returns the model options of the flags, with a saved model
// loaded.
func (mf *modelFlags) options() (*analysis.ModelValueOptions, error) {
	sp, err := spendFlags("", mf.spend)
	if err != nil {
		return nil, err
	}
	o := &analysis.ModelValueOptions{ModelName: mf.name, Spend: sp, Horizon: mf.horizon, AnnualDiscountRate: mf.annual, Model: mf.model}
	return o, nil
}
