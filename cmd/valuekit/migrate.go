package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit/analysis"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/segment"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	var before, after, window, start string
	var cumulative bool
	run, err := parseSegment(e, cmdMigrate, "migrate", "migrate FILE --before DATE [--after DATE] [--window LEN | --start DATE | --cumulative] [--scheme quadrant|referral|private|abc] [segment flags]\n\n"+
		"Segments the customers twice and prints the transition matrix: for each segment before (and \"new\"\n"+
		"customers), how many customers are in each segment after (or \"gone\"), with the share of the row.\n"+
		"Each snapshot summarises only its own window of events, so that customers can slip to a worse\n"+
		"segment or leave:\n"+
		"  default       the first window runs from --start (default: the first event) through --before, the\n"+
		"                second from the day after --before through --after (default: --end, or the last event)\n"+
		"  --window LEN  each window is the LEN ending at its snapshot's end (--before, --after): 90d, 13w,\n"+
		"                3m or 1y (a plain number is days), e.g. the last quarter before each date\n"+
		"  --cumulative  both snapshots run from the first event (the only comparison before windows; no\n"+
		"                customer can be gone then)\n"+
		"\"gone\" customers have no event in the later window; \"new\" ones have events in the later window only\n"+
		"(newly acquired, or back after a pause). A line on standard error counts who moved up, stayed,\n"+
		"slipped to a worse segment (by the scheme's order: A before B before C; premium, fragile, free-rider,\n"+
		"abandonable — value first), left or arrived. With -o the matrix is written as a table (from, to…,\n"+
		"counts). Each snapshot places every customer in one segment of --scheme:\n"+schemesUsage,
		args, func(fs *flag.FlagSet) {
			fs.StringVar(&before, "before", "", "end of the first snapshot, YYYY-MM-DD (required)")
			fs.StringVar(&after, "after", "", "end of the second snapshot, YYYY-MM-DD (default: --end, or the last event)")
			fs.StringVar(&window, "window", "", "length of each snapshot's window, ending at --before and --after: e.g. 90d, 13w, 3m, 1y (default: consecutive windows, see above)")
			fs.StringVar(&start, "start", "", "first day of the first window, YYYY-MM-DD (default: the first event); the second starts the day after --before")
			fs.BoolVar(&cumulative, "cumulative", false, "both snapshots from the first event, up to --before and --after")
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
	var wlen windowLength
	switch {
	case cumulative && (window != "" || start != ""):
		return usagef("--cumulative compares snapshots from the first event: give no --window or --start with it")
	case window != "" && start != "":
		return usagef("give at most one of --window (windows of one length) and --start (consecutive windows)")
	case window != "":
		if wlen, err = parseWindow(window); err != nil {
			return err
		}
	}
	s0, err := parseDay("--start", start)
	if err != nil {
		return err
	}
	if !s0.IsZero() && s0.After(b) {
		return usagef("--start %s is after --before %s", s0.Format(time.DateOnly), b.Format(time.DateOnly))
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
	if run.path != "-" {
		if isSummary, err := valuekit.IsSummaryFile(run.path); err != nil {
			return err
		} else if isSummary {
			return fmt.Errorf("%s is a summary file: migrate needs an event file to take two snapshots", run.path)
		}
	}
	ev, err := readEvents(ctx, e, run.path, ro)
	if err != nil {
		return err
	}
	reportBadRows(e, ev.BadRows, ev.BadRowCount)
	if ev.Len() == 0 {
		return fmt.Errorf("%s has no events", run.path)
	}
	if a.IsZero() {
		a = lastDay(ev.Times())
		if !b.Before(a) {
			return usagef("--before %s is not before the last event, %s: give an earlier --before", b.Format(time.DateOnly), a.Format(time.DateOnly))
		}
	}
	// Each window is [from, end]: from zero means from the first event.
	var fromB, fromA time.Time
	switch {
	case cumulative:
	case window != "":
		fromB, fromA = wlen.before(b), wlen.before(a)
		if fromA.Before(b.AddDate(0, 0, 1)) {
			e.report(fmt.Sprintf("note: the windows overlap (%s before %s): a customer active in the overlap is in both", window, a.Format(time.DateOnly)))
		}
	default:
		fromB, fromA = s0, b.AddDate(0, 0, 1)
	}
	describe := func(from, end time.Time) string {
		if from.IsZero() {
			from = firstDay(ev.Times())
		}
		return from.Format(time.DateOnly) + " to " + end.Format(time.DateOnly)
	}
	e.report(fmt.Sprintf("windows: %s (before) and %s (after)", describe(fromB, b), describe(fromA, a)))
	snapshot := func(from, end time.Time) (segment.Snapshot, error) {
		w := ev.Window(from, end.AddDate(0, 0, 1))
		if w.Len() == 0 {
			return segment.Snapshot{}, fmt.Errorf("no events from %s: nothing to segment", describe(from, end))
		}
		o := *so
		o.End = end
		s, err := valuekit.Summarize(ctx, w, &o)
		if err != nil {
			return segment.Snapshot{}, err
		}
		res, err := spec.classify(ctx, e, s)
		if err != nil {
			return segment.Snapshot{}, fmt.Errorf("snapshot %s: %w", describe(from, end), err)
		}
		spec.scheme, spec.isGrid, spec.autoScheme = res.Scheme, res.Scheme != "abc", false
		return segment.Snapshot{IDs: s.CustomerID, Assignment: res.Assignment}, nil
	}
	// The second snapshot first: it decides the default scheme (quadrant,
	// or abc without feedback scores), which the first then uses too.
	second, err := snapshot(fromA, a)
	if err != nil {
		return err
	}
	firstSnap, err := snapshot(fromB, b)
	if err != nil {
		return err
	}
	m, err := segment.Migrate(firstSnap, second)
	if err != nil {
		return err
	}
	e.report("moves: " + m.Moves(segment.Ranks(spec.scheme, second.Names)).String())
	if run.out == "" {
		return m.WriteText(e.stdout)
	}
	return valuekit.WriteTableFile(run.out, m.Table())
}

// windowLength is --window: n days, weeks, months or years.
type windowLength struct {
	n    int
	unit byte // d, w, m or y
}

// parseWindow parses --window: a positive whole number with an optional
// unit d, w, m or y (default d).
func parseWindow(s string) (windowLength, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	unit := byte('d')
	if v != "" && strings.ContainsRune("dwmy", rune(v[len(v)-1])) {
		unit, v = v[len(v)-1], v[:len(v)-1]
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return windowLength{}, usagef("--window %q: want a positive whole number of days, weeks, months or years, e.g. 90d, 13w, 3m, 1y", s)
	}
	return windowLength{n, unit}, nil
}

// before returns the first day of the window of this length ending on day
// end (inclusive).
func (w windowLength) before(end time.Time) time.Time {
	next := end.AddDate(0, 0, 1)
	switch w.unit {
	case 'w':
		return next.AddDate(0, 0, -7*w.n)
	case 'm':
		return next.AddDate(0, -w.n, 0)
	case 'y':
		return next.AddDate(-w.n, 0, 0)
	}
	return next.AddDate(0, 0, -w.n)
}

// firstDay and lastDay return the UTC days of the earliest and latest of
// times (Unix microseconds; not empty).
func firstDay(times []int64) time.Time {
	return dayOf(slices.Min(times))
}

func lastDay(times []int64) time.Time {
	return dayOf(slices.Max(times))
}

func dayOf(us int64) time.Time {
	return time.UnixMicro(us).UTC().Truncate(24 * time.Hour)
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
