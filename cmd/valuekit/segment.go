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

// segmentUsage describes the segment flags; commands built on segment
// (migrate, seeds) show it too.
const segmentUsage = "Places every customer in exactly one segment. Columns: customer_id, the axis values used, segment.\n" +
	"  quadrant  VALUE × experience (the mean of the customer's feedback scores): premium, fragile,\n" +
	"            free-rider, abandonable; customers without a score are unknown. Columns VALUE, experience.\n" +
	"  referral  VALUE × referral_value (the VALUE of the customers they referred, times --referral-share):\n" +
	"            champions, affluents, advocates, misers. Columns VALUE, referral_value.\n" +
	"  private   frequency (purchase events) × interaction (share events + feedback scores): core,\n" +
	"            transactional, engaged, unsuitable. Columns frequency, interaction.\n" +
	"  abc       tiers by cumulative share of VALUE: A = the top customers making 80% of it, B = the next\n" +
	"            15%, C = the rest (see --tier-shares). Column VALUE.\n" +
	"VALUE is the --profit measure: revenue (or net_revenue with --net), profit (net revenue − cost, or\n" +
	"× --margin), or clv: discounted CLV over --horizon from a transaction model (--model-file from\n" +
	"'valuekit fit', or --model to fit one to FILE), with customers without a purchase in the period at 0.\n" +
	"Grid axes are cut at the median of the known values unless --x-cut/--y-cut say otherwise; a value\n" +
	"equal to a cut counts as low. --portfolio prints per-segment customers, value and shares (with a model:\n" +
	"mean P(alive), churn risk, value at risk, expected value over the horizon: CLV, at the file's profit\n" +
	"margin for --profit profit) and a --budget allocation instead; with -o it is written as a table."

func runSegment(ctx context.Context, e *env, args []string) error {
	run, err := parseSegment(e, "segment", "segment FILE [--scheme quadrant|referral|private|abc] [--profit revenue|profit|clv] [flags]\n\n"+segmentUsage, args, nil)
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
	t, assign, value, valueName, alive, clvAll, nextValue := res.table, res.assign, res.value, res.valueName, res.alive, res.clvAll, res.nextValue
	n := s.Len()

	if spec.portfolio {
		if spec.mf.given() {
			popts.PAlive = alive
			if nextValue {
				popts.NextValue = clvAll
			}
		}
		p, err := segment.NewPortfolio(assign, value, popts)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "portfolio of %d customers, scheme %s, value = %s\n", n, spec.scheme, valueName)
		if out == "" {
			return p.WriteText(e.stdout)
		}
		return recordsTable(p.Records()).WriteFile(out)
	}
	t.Columns = append(t.Columns, valuekit.Column{Name: "segment", Kind: valuekit.StringColumn, String: className(assign.Names, assign.Class)})
	return writeOutput(e, out, t.WriteFile, t.WriteCSV)
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
func parseSegment(e *env, name, usage string, args []string, extra func(*flag.FlagSet)) (*segmentRun, error) {
	fs := newFlagSet(e, name, usage)
	in := addInputFlags(fs)
	scheme := fs.String("scheme", "quadrant", "segmentation: quadrant, referral, private or abc")
	profit := fs.String("profit", "revenue", "value measure: revenue, profit (needs a cost column or --margin) or clv (needs --model-file or --model)")
	net := fs.Bool("net", false, "with --profit revenue: net revenue (purchases minus refunds)")
	experience := fs.String("experience", "", "event column holding the feedback scores (default: score, or rating, feedback_score, nps); same as --score")
	xCut := fs.String("x-cut", "median", "cut on the first axis (VALUE, or frequency for private): median, a quantile qP such as q0.75, or a number")
	yCut := fs.String("y-cut", "median", "cut on the second axis (experience, referral_value or interaction): median, qP or a number")
	tierShares := fs.String("tier-shares", "", "abc: shares of total value of every tier but the last, from the top (default 0.8,0.15: tiers A, B, C)")
	refShare := fs.Float64("referral-share", 1, "referral: share of a referred customer's value credited to the referrer, in [0,1]")
	var mf modelFlags
	fs.StringVar(&mf.file, "model-file", "", "saved transaction model (JSON from 'valuekit fit') for --profit clv and the portfolio's P(alive)")
	fs.StringVar(&mf.name, "model", "", "fit this transaction model to FILE instead: bgnbd, pnbd or mbgnbd")
	fs.StringVar(&mf.spend, "spend", "", "with a model: spend per purchase, 'gg' to fit the Gamma-Gamma model to FILE or a fixed amount (default: the mean purchase amount)")
	fs.Float64Var(&mf.horizon, "horizon", 0, "with a model: CLV horizon in the data's unit (default: one year)")
	fs.Float64Var(&mf.annual, "annual-discount-rate", 0, "with a model: discount rate per year")
	portfolio := fs.Bool("portfolio", false, "print the per-segment portfolio table instead of one row per customer")
	budget := fs.Float64("budget", 0, "with --portfolio: budget to allocate across segments")
	allocation := fs.String("allocation", "value", "with --portfolio --budget: allocate by value, risk (value at risk; needs a model) or equal")
	atRisk := fs.Float64("at-risk", 0.5, "with --portfolio and a model: P(alive) below which a customer counts as likely lost, in (0,1]")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: CSV, or with --portfolio a text table, to standard output)")
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
	*scheme, *profit = strings.ToLower(*scheme), strings.ToLower(*profit)
	var grid segment.Grid
	isGrid := *scheme != "abc"
	if isGrid {
		if grid, err = segment.Preset(*scheme); err != nil {
			return nil, usagef("--scheme %q: want quadrant, referral, private or abc", *scheme)
		}
		xc, err := parseCut("--x-cut", *xCut)
		if err != nil {
			return nil, err
		}
		yc, err := parseCut("--y-cut", *yCut)
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
	tiers, err := parseTierShares(*tierShares)
	if err != nil {
		return nil, err
	}
	switch *profit {
	case "revenue", "profit", "clv":
	default:
		return nil, usagef("--profit %q: want revenue, profit or clv", *profit)
	}
	if *net && *profit != "revenue" {
		return nil, usagef("--net applies to --profit revenue only")
	}
	if set["referral-share"] && *scheme != "referral" {
		return nil, usagef("--referral-share applies to --scheme referral only")
	}
	if *refShare < 0 || *refShare > 1 || math.IsNaN(*refShare) {
		return nil, usagef("--referral-share %v: want a number in [0, 1]", *refShare)
	}
	if set["experience"] {
		if set["score"] && in.score != *experience {
			return nil, usagef("--experience %q and --score %q name different columns; give one", *experience, in.score)
		}
		in.score = *experience
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
	if err := checkOutputName(*out); err != nil {
		return nil, err
	}

	spec := &segmentSpec{in: in, mf: mf, scheme: *scheme, profit: *profit, net: *net, isGrid: isGrid, grid: grid,
		tiers: tiers, refShare: *refShare, portfolio: *portfolio}
	return &segmentRun{spec: spec, path: path, popts: popts, out: *out}, nil
}

// segmentSpec is a parsed and checked segmentation: the scheme, the value
// measure and the model flags.
type segmentSpec struct {
	in                     *inputFlags
	mf                     modelFlags
	scheme, profit         string
	net, isGrid, portfolio bool
	grid                   segment.Grid
	tiers                  *segment.TierOptions
	refShare               float64
}

// segmentResult is a classification of a summary's customers.
type segmentResult struct {
	table         *valuekit.Table // customer_id and the axis values used
	assign        segment.Assignment
	valueName     string
	value         []float64 // the --profit measure
	alive, clvAll []float64 // with a model
	nextValue     bool      // clvAll is in the unit of the --profit measure
}

// classify places every customer of s in one segment.
func (sp *segmentSpec) classify(ctx context.Context, e *env, s *valuekit.Summary) (*segmentResult, error) {
	var clvAll, alive []float64
	nextValue := true // clvAll is in the unit of the --profit measure
	var err error
	if sp.mf.given() {
		margin := sp.in.margin
		if sp.profit == "profit" && margin == 0 && s.Profit != nil {
			// With a cost column, value the expected purchases at the
			// margin the file shows, so that expected_next is profit too.
			var p, r float64
			for i := range s.Len() {
				p += s.Profit[i]
				r += s.NetRevenue[i]
			}
			if margin = p / r; margin > 0 && margin <= 1 {
				fmt.Fprintf(e.stderr, "note: the expected value uses the file's profit margin %.3f\n", margin)
			} else {
				nextValue = false
				fmt.Fprintf(e.stderr, "note: the file's profit margin is not in (0, 1], so no expected value in the portfolio\n")
			}
		}
		if clvAll, alive, err = sp.mf.values(ctx, e, margin, s); err != nil {
			return nil, err
		}
	}
	valueName, value, err := valueColumn(s, sp.profit, sp.net, clvAll, sp.scheme != "private" || sp.portfolio)
	if err != nil {
		return nil, err
	}

	n := s.Len()
	t := &valuekit.Table{Columns: []valuekit.Column{{Name: "customer_id", Kind: valuekit.StringColumn, String: s.CustomerID}}}
	var assign segment.Assignment
	if sp.isGrid {
		var x, y segment.Column
		xName, yName := valueName, "experience"
		switch sp.scheme {
		case "quadrant":
			known := make([]bool, n)
			any := false
			for i, c := range s.ExperienceCount {
				known[i] = c > 0
				any = any || known[i]
			}
			if !any {
				if s.LastPurchase == nil {
					return nil, fmt.Errorf("no customer of the summary file has a feedback score (columns experience and experience_count): the quadrant needs the experience axis")
				}
				col := sp.in.score
				if col == "" {
					col = "score"
				}
				return nil, fmt.Errorf("no customer has a feedback score (column %q): the quadrant needs the experience axis; name the score column with --experience COL", col)
			}
			x, y = segment.Col(value), segment.Column{Values: s.Experience, Known: known}
			t.Columns = append(t.Columns,
				valuekit.Column{Name: valueName, Kind: valuekit.FloatColumn, Float: value},
				valuekit.Column{Name: "experience", Kind: valuekit.FloatColumn, Float: s.Experience, Valid: func(i int) bool { return known[i] }})
		case "referral":
			if !analysis.HasReferrals(s) {
				fmt.Fprintf(e.stderr, "note: FILE has no referrals: referral_value is 0 for everyone\n")
			}
			tv, err := analysis.TotalValue(s, value, sp.refShare, 0)
			if err != nil {
				return nil, err
			}
			x, y = segment.Col(value), segment.Col(tv.Referral)
			yName = "referral_value"
			t.Columns = append(t.Columns,
				valuekit.Column{Name: valueName, Kind: valuekit.FloatColumn, Float: value},
				valuekit.Column{Name: "referral_value", Kind: valuekit.FloatColumn, Float: tv.Referral})
		case "private":
			freq, inter := make([]int32, n), make([]int32, n)
			fx, fy := make([]float64, n), make([]float64, n)
			for i := range n {
				freq[i], inter[i] = s.Purchases[i], s.Shares[i]+s.ExperienceCount[i]
				fx[i], fy[i] = float64(freq[i]), float64(inter[i])
			}
			x, y = segment.Col(fx), segment.Col(fy)
			xName, yName = "frequency", "interaction"
			t.Columns = append(t.Columns,
				valuekit.Column{Name: "frequency", Kind: valuekit.IntColumn, Int: freq},
				valuekit.Column{Name: "interaction", Kind: valuekit.IntColumn, Int: inter})
		}
		c, err := sp.grid.Classify(x, y)
		if err != nil {
			return nil, err
		}
		assign = c.Assignment
		fmt.Fprintf(e.stderr, "cuts: %s %s, %s %s\n", xName, formatCuts(c.XCuts), yName, formatCuts(c.YCuts))
	} else {
		tg, err := segment.Tiers(value, sp.tiers)
		if err != nil {
			return nil, err
		}
		assign = tg.Assignment
		t.Columns = append(t.Columns, valuekit.Column{Name: valueName, Kind: valuekit.FloatColumn, Float: value})
	}

	return &segmentResult{table: t, assign: assign, valueName: valueName, value: value, alive: alive, clvAll: clvAll, nextValue: nextValue}, nil
}

// valueColumn returns the name and values of the --profit measure. When
// the values are used (needed) and FILE is a summary file, revenue that is
// 0 for everyone means the file has no such column: an error.
func valueColumn(s *valuekit.Summary, profit string, net bool, clvAll []float64, needed bool) (string, []float64, error) {
	switch profit {
	case "clv":
		return "clv", clvAll, nil
	case "profit":
		if s.Profit == nil {
			return "", nil, fmt.Errorf("--profit profit needs a cost column (--cost COL) or a margin (--margin M); the file has neither")
		}
		return "profit", s.Profit, nil
	}
	name, v := "revenue", s.Revenue
	if net {
		name, v = "net_revenue", s.NetRevenue
	}
	if !needed || s.LastPurchase != nil {
		return name, v, nil
	}
	for _, x := range v {
		if x != 0 {
			return name, v, nil
		}
	}
	return "", nil, fmt.Errorf("%s is 0 for every customer (a summary file without a %s column? --profit clv works from frequency, recency and T): nothing to segment by", name, name)
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

func formatCuts(cuts []float64) string {
	parts := make([]string, len(cuts))
	for i, c := range cuts {
		parts[i] = strconv.FormatFloat(c, 'g', 6, 64)
	}
	return strings.Join(parts, ",")
}

// modelFlags are the flags of a transaction model used for CLV and P(alive).
type modelFlags struct {
	file, name, spend string
	horizon, annual   float64
	rate              float64 // per unit of the data, from annual
}

func (mf *modelFlags) given() bool { return mf.file != "" || mf.name != "" }

// check validates the model flags and fills in the defaults of the horizon
// and the discount rate in the data's unit.
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
	unit, err := valuekit.ParseUnit(in.unit)
	if err != nil {
		return usagef("--unit: %v", err)
	}
	if mf.horizon < 0 || math.IsNaN(mf.horizon) || math.IsInf(mf.horizon, 0) {
		return usagef("--horizon %v: want a positive number", mf.horizon)
	}
	if mf.horizon == 0 {
		mf.horizon = 365.25 / unit.Days()
		if unit == valuekit.Day {
			mf.horizon = 365
		}
	}
	if mf.annual < 0 || math.IsNaN(mf.annual) || math.IsInf(mf.annual, 0) {
		return usagef("--annual-discount-rate %v: want a number ≥ 0", mf.annual)
	}
	if mf.annual > 0 {
		mf.rate = clv.RatePerUnit(mf.annual, 365.25/unit.Days())
	}
	if mf.spend != "" && mf.spend != "gg" {
		v, err := strconv.ParseFloat(mf.spend, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return usagef("--spend %q: want gg or a positive amount", mf.spend)
		}
	}
	return nil
}

// values loads or fits the transaction model and returns every customer's
// discounted CLV over the horizon at the given margin (0 means 1) and
// P(alive), in summary order. Customers
// without a purchase in the period, whom the model does not describe, get
// CLV 0 (as in predict) and P(alive) 1: they are present, not lapsed.
func (mf *modelFlags) values(ctx context.Context, e *env, margin float64, s *valuekit.Summary) (clvAll, alive []float64, err error) {
	rows, err := analysis.ModelRows(s)
	if err != nil {
		return nil, nil, err
	}
	tm, err := transactionModel(ctx, e, mf.file, mf.name, rows)
	if err != nil {
		return nil, nil, err
	}
	opts := clv.CLVOptions{Horizon: mf.horizon, DiscountRate: mf.rate, Margin: margin}
	sp, err := spendFlags("", mf.spend)
	if err != nil {
		return nil, nil, err
	}
	if err := analysis.SetSpend(ctx, &opts, sp, s, rows, e.report); err != nil {
		return nil, nil, err
	}

	d := rows.Data
	value, p := make([]float64, d.Len()), make([]float64, d.Len())
	if err := clv.Score(ctx, nil, p, tm, d, mf.horizon); err != nil {
		return nil, nil, err
	}
	if err := clv.CLVBatch(ctx, value, tm, d, opts); err != nil {
		return nil, nil, err
	}
	clvAll, alive = make([]float64, s.Len()), make([]float64, s.Len())
	for i := range alive {
		alive[i] = 1
	}
	for k, i := range rows.Rows {
		clvAll[i], alive[i] = value[k], p[k]
	}
	if left := s.Len() - len(rows.Rows); left > 0 {
		fmt.Fprintf(e.stderr, "note: %d customers without a purchase in the period have clv 0 and count as P(alive) 1\n", left)
	}
	return clvAll, alive, nil
}
