package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/valuekit/valuekit/analysis"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/segment"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	var before, after string
	run, err := parseSegment(e, cmdMigrate, "migrate", "migrate FILE --before DATE [--after DATE] [--scheme quadrant|referral|private|abc] [segment flags]\n\n"+
		"Segments the customers twice — on the events up to --before and up to --after (default: --end or\n"+
		"the last event) — and prints the transition matrix: for each segment before (and \"new\" customers),\n"+
		"how many customers are in each segment after (or \"gone\": in the first snapshot only), with the\n"+
		"share of the row. With -o the matrix is written as a table (from, to…, counts and shares).\n"+
		"Each snapshot places every customer in one segment of --scheme:\n"+schemesUsage,
		args, func(fs *flag.FlagSet) {
			fs.StringVar(&before, "before", "", "end of the first snapshot, YYYY-MM-DD (required)")
			fs.StringVar(&after, "after", "", "end of the second snapshot, YYYY-MM-DD (default: --end, or the last event)")
		})
	if err != nil {
		return err
	}
	spec := run.spec
	if spec.in.calibrationEnd != "" {
		return usagef("--calibration-end does not apply to migrate: the snapshots end at --before and --after")
	}
	b, err := parseDay("--before", before)
	if err != nil {
		return err
	}
	if b.IsZero() {
		return usagef("--before is required")
	}
	ro, so, err := spec.in.options()
	if err != nil {
		return err
	}
	a := so.End
	if after != "" {
		if a, err = parseDay("--after", after); err != nil {
			return err
		}
	}
	if !a.IsZero() && !b.Before(a) {
		return usagef("--before %s is not before --after %s", b.Format(time.DateOnly), a.Format(time.DateOnly))
	}
	if run.path == "-" {
		return usagef("migrate reads FILE twice, one snapshot each: give a file, not standard input")
	}
	if isSummary, err := valuekit.IsSummaryFile(run.path); err != nil {
		return err
	} else if isSummary {
		return fmt.Errorf("%s is a summary file: migrate needs an event file to take two snapshots", run.path)
	}
	snapshot := func(end time.Time) (segment.Snapshot, error) {
		o := *so
		o.End = end
		s, bad, err := valuekit.SummarizeFile(ctx, run.path, ro, &o)
		if err != nil {
			return segment.Snapshot{}, err
		}
		reportBadRows(e, bad, s.BadRows)
		res, err := spec.classify(ctx, e, s)
		if err != nil {
			return segment.Snapshot{}, fmt.Errorf("snapshot to %s: %w", s.End.Format(time.DateOnly), err)
		}
		spec.scheme, spec.isGrid, spec.autoScheme = res.Scheme, res.Scheme != "abc", false
		return segment.Snapshot{IDs: s.CustomerID, Assignment: res.Assignment}, nil
	}
	// The second snapshot first: it decides the default scheme (quadrant,
	// or abc without feedback scores), which the first then uses too.
	second, err := snapshot(a)
	if err != nil {
		return err
	}
	first, err := snapshot(b)
	if err != nil {
		return err
	}
	m, err := segment.Migrate(first, second)
	if err != nil {
		return err
	}
	if run.out == "" {
		return m.WriteText(e.stdout)
	}
	return valuekit.WriteTableFile(run.out, m.Table())
}

func runSeeds(ctx context.Context, e *env, args []string) error {
	var top int
	var perShare float64
	run, err := parseSegment(e, cmdSeeds, "seeds", "seeds FILE [--top 100] [--profit revenue|profit|clv] [--referral-share S] [--value-per-share V] [flags]\n\n"+
		"Lists the customers of highest total value — own value (the --profit measure) plus referral value\n"+
		"(the own value of the customers they referred, times --referral-share, plus --value-per-share per\n"+
		"share) — highest first, for lookalike targeting. Columns: customer_id, own_value, referral_value,\n"+
		"total_value. Ties are broken by customer order.\n"+valueUsage,
		args, func(fs *flag.FlagSet) {
			fs.IntVar(&top, "top", 100, "number of seed customers")
			fs.Float64Var(&perShare, "value-per-share", 0, "value credited per share event")
		})
	if err != nil {
		return err
	}
	spec := run.spec
	if top < 0 {
		return usagef("--top %d: want a number ≥ 0", top)
	}
	if !(perShare >= 0) {
		return usagef("--value-per-share %v: want a number ≥ 0", perShare)
	}
	s, err := spec.in.loadSummary(ctx, e, run.path)
	if err != nil {
		return err
	}
	var clvAll []float64
	if spec.mf.given() {
		mo, err := spec.mf.options()
		if err != nil {
			return err
		}
		if clvAll, _, err = analysis.ModelValues(ctx, s, *mo, spec.in.margin, e.report); err != nil {
			return err
		}
	}
	net := spec.net
	if spec.profit == "revenue" {
		net = analysis.RevenueNet(s, spec.net, spec.gross, true, e.report)
	}
	_, own, err := analysis.ValueColumn(s, spec.profit, net, clvAll, true)
	if err != nil {
		return err
	}
	tv, err := analysis.TotalValue(s, own, spec.refShare, perShare)
	if err != nil {
		return err
	}
	referral := make([]float64, s.Len())
	for i := range referral {
		referral[i] = tv.Referral[i] + tv.Shares[i]
	}
	seeds, err := segment.Seeds(own, referral, top)
	if err != nil {
		return err
	}
	ids := make([]string, len(seeds))
	o, r, t := make([]float64, len(seeds)), make([]float64, len(seeds)), make([]float64, len(seeds))
	for k, sd := range seeds {
		ids[k], o[k], r[k], t[k] = s.CustomerID[sd.Index], sd.Own, sd.Referral, sd.Total
	}
	tb := &valuekit.Table{Columns: []valuekit.Column{
		{Name: "customer_id", Kind: valuekit.StringColumn, String: ids},
		{Name: "own_value", Kind: valuekit.FloatColumn, Float: o},
		{Name: "referral_value", Kind: valuekit.FloatColumn, Float: r},
		{Name: "total_value", Kind: valuekit.FloatColumn, Float: t},
	}}
	return writeOutput(e, run.out, tb)
}
