package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/internal/atomicfile"
	"github.com/valuekit/valuekit/internal/textfmt"
)

// validateTables are the blocks validate can write with -o.
var validateTables = []string{"models", "frequency", "tracking", "customers", "all"}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "validate", "validate FILE --calibration-end DATE [--models bgnbd,pnbd,mbgnbd] [-o OUT [--table models|frequency|tracking|customers|all]] [flags]\n\n"+
		"Fits each model to the customers' purchases up to --calibration-end and scores it on the purchases\n"+
		"after it, up to --end (default: the last event): total predicted against actual purchase days, the\n"+
		"per-customer MAE and RMSE, the bias by calibration frequency (0, 1, …, 7+), the purchases per time\n"+
		"unit (--unit) actual and expected, cumulative and incremental, the calibration fit's log-likelihood,\n"+
		"AIC and BIC, and the model to use with the reason. Without -o the tables are printed; -o writes the\n"+
		"--table block as .csv, .parquet or .json (--table all: every block in one .json). FILE is an event\n"+
		"file or a summary file with holdout_frequency (then --end is needed, and there is no tracking).")
	in := addInputFlags(fs)
	models := fs.String("models", strings.Join(analysis.ValidateModels, ","), "models to compare, comma-separated: bgnbd, pnbd, mbgnbd")
	table := fs.String("table", "models", "block written with -o: models (one row per model), frequency (bias by calibration frequency), tracking (per period), customers (per-customer predictions), or all (.json only)")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: the tables as text on standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := checkOutputName(*out, path); err != nil {
		return err
	}
	if in.calibrationEnd == "" {
		return usagef("--calibration-end is required: the models are fitted up to it and scored after it")
	}
	var names []string
	for _, n := range strings.Split(*models, ",") {
		n = strings.TrimSpace(n)
		if !slices.Contains(analysis.ValidateModels, n) {
			return usagef("--models: %q is not one of bgnbd, pnbd, mbgnbd", n)
		}
		if slices.Contains(names, n) {
			return usagef("--models: %q is named twice", n)
		}
		names = append(names, n)
	}
	if !slices.Contains(validateTables, *table) {
		return usagef("--table %q: want one of %s", *table, strings.Join(validateTables, ", "))
	}
	if *table == "all" && !strings.EqualFold(filepath.Ext(*out), ".json") {
		return usagef("--table all writes one JSON object: give -o FILE.json")
	}
	ro, so, err := in.options()
	if err != nil {
		return err
	}
	opts := analysis.ValidateOptions{Models: names, Report: e.report}
	s, err := validateInput(ctx, e, path, ro, so, &opts)
	if err != nil {
		return err
	}
	v, err := analysis.Validate(ctx, s, opts)
	if err != nil {
		return err
	}
	if *out == "" {
		return writeValidation(e.stdout, v)
	}
	if *table == "tracking" && v.Tracking == nil {
		return fmt.Errorf("no tracking: it needs the events, and %s is a summary file", path)
	}
	fmt.Fprintf(e.stderr, "recommended: %s: %s\n", v.Recommended, v.Reason)
	switch *table {
	case "all":
		return atomicfile.Write(*out, v.WriteJSON)
	case "frequency":
		return valuekit.WriteTableFile(*out, v.ByFrequency.Table())
	case "tracking":
		return valuekit.WriteTableFile(*out, v.Tracking.Table())
	case "customers":
		return valuekit.WriteTableFile(*out, v.CustomerTable())
	}
	return valuekit.WriteTableFile(*out, v.Table())
}

// validateInput returns the summary to validate: from the events of FILE
// (which opts then carries, for the tracking), or from a summary file with
// a holdout_frequency column, whose holdout length comes from the dates.
func validateInput(ctx context.Context, e *env, path string, ro *valuekit.ReadOptions, so *valuekit.SummaryOptions, opts *analysis.ValidateOptions) (*valuekit.Summary, error) {
	if path != "-" {
		isSummary, err := valuekit.IsSummaryFile(path)
		if err != nil {
			return nil, err
		}
		if isSummary {
			if so.End.IsZero() {
				return nil, usagef("%s is a summary file: give --end, the last day of its holdout period", path)
			}
			s, err := valuekit.ReadSummaryFile(path, so.Unit)
			if err != nil {
				return nil, err
			}
			if s.HoldoutFrequency == nil {
				return nil, fmt.Errorf("%s has no holdout_frequency column: write it with 'valuekit summary --calibration-end DATE', or give the event file", path)
			}
			opts.Holdout = so.End.Sub(so.CalibrationEnd).Hours() / 24 / so.Unit.Days()
			if !(opts.Holdout > 0) {
				return nil, usagef("--end %s is not after --calibration-end %s", so.End.Format(time.DateOnly), so.CalibrationEnd.Format(time.DateOnly))
			}
			return s, nil
		}
	}
	ev, err := readEvents(ctx, e, path, ro)
	if err != nil {
		return nil, err
	}
	reportBadRows(e, ev.BadRows, ev.BadRowCount)
	s, err := valuekit.Summarize(ctx, ev, so)
	if err != nil {
		return nil, err
	}
	opts.Events = &analysis.Events{Customer: ev.Customers(), CustomerID: ev.Dictionary().ID, Time: ev.Times(), Kind: ev.Kinds()}
	return s, nil
}

// writeValidation prints every block of v as aligned text, each with one
// line saying what it shows.
func writeValidation(w io.Writer, v *analysis.Validation) error {
	unit := v.Unit.String()
	var b strings.Builder
	if v.CalibrationEnd.IsZero() {
		fmt.Fprintf(&b, "Holdout validation of %s customers over a holdout of %s %ss.\n", wholeOrTenth(v.Customers), strconv.FormatFloat(v.Holdout, 'g', 4, 64), unit)
	} else {
		fmt.Fprintf(&b, "Holdout validation of the %s customers with a purchase by %s: models fitted to the purchases up to\nthat day, scored on those from %s to %s (%s %ss).\n",
			wholeOrTenth(v.Customers), v.CalibrationEnd.Format(time.DateOnly), v.CalibrationEnd.AddDate(0, 0, 1).Format(time.DateOnly),
			v.End.Format(time.DateOnly), strconv.FormatFloat(v.Holdout, 'g', 4, 64), unit)
	}
	type block struct {
		title string
		rows  [][]string
	}
	blocks := []block{
		{"Models: calibration fit, and holdout purchase days predicted against actual, per-customer MAE and RMSE (* recommended)", v.TextRecords()},
		{"Holdout purchase days per customer by calibration repeat purchases: mean actual, and each model's mean (bias)", v.ByFrequency.TextRecords()},
	}
	if v.Tracking != nil {
		blocks = append(blocks, block{fmt.Sprintf("Repeat purchase days per %s, actual and expected from each customer's first purchase on, with running totals", unit), v.Tracking.TextRecords()})
	}
	for _, bl := range blocks {
		fmt.Fprintf(&b, "\n%s\n", bl.title)
		if err := textfmt.WriteAligned(&b, bl.rows); err != nil {
			return err
		}
	}
	b.WriteString("\n" + wrap(fmt.Sprintf("Recommended: %s. %s%s", v.Recommended, strings.ToUpper(v.Reason[:1]), v.Reason[1:]), 100))
	_, err := io.WriteString(w, b.String())
	return err
}

// wholeOrTenth writes whole numbers without decimals, others with one.
func wholeOrTenth(x float64) string {
	if x == float64(int64(x)) {
		return fmt.Sprint(int64(x))
	}
	return fmt.Sprintf("%.1f", x)
}

// wrap breaks text into lines of at most width characters at spaces, each
// ending in a newline.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for _, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		switch {
		case line == 0:
		case line+1+n > width:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += n
	}
	b.WriteByte('\n')
	return b.String()
}
