package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/cohort"
	"github.com/valuekit/valuekit/internal/atomicfile"
	"github.com/valuekit/valuekit/report"
)

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "report", "report FILE [--calibration-end DATE] [--model bgnbd|pnbd|mbgnbd|auto] [-o report.html] [flags]\n\n"+
		"Writes one self-contained HTML report (charts embedded, no network access needed) of an event file: the data\n"+
		"overview with the rows skipped and why, the fitted models with standard errors and warnings, with\n"+
		"--calibration-end the holdout validation of every model, per-customer predictions (CLV, P(alive)), the A/B/C\n"+
		"tiers and profit × experience portfolio, RFM segments and acquisition cohorts, each section explained in\n"+
		"plain words. A summary file gives the sections that need no events; one with a periods column (discrete-time\n"+
		"data such as donations) gets a BG/BB report. Unlike the other commands, the unit defaults to week and bad\n"+
		"rows are skipped and listed in the report (--skip-bad-rows=false fails on the first).")
	in := addInputFlags(fs)
	for name, value := range map[string]string{"unit": "week", "skip-bad-rows": "true"} {
		f := fs.Lookup(name)
		f.DefValue = value
		if err := f.Value.Set(value); err != nil {
			return fmt.Errorf("report: default of --%s: %w", name, err)
		}
	}
	model := fs.String("model", report.Auto, "transaction model of the predictions: bgnbd, pnbd, mbgnbd, or auto (the one the holdout validation recommends, else the smallest BIC); bgbb for discrete-time summary files")
	horizon := fs.Float64("horizon", 0, "CLV horizon in the data's unit (default: one year; for discrete-time data 5 opportunities)")
	annual := fs.Float64("annual-discount-rate", 0.1, "discount rate of CLV per year")
	period := fs.String("period", "", "cohort period: week, month, quarter or year (default: by the span of the data)")
	top := fs.Int("top", 20, "customers in the top customers table")
	currency := fs.String("currency", "", "currency label of money, e.g. US$ (default: none)")
	title := fs.String("title", "", "report title (default: from the file name)")
	png := fs.Bool("png", false, "embed charts as PNG instead of SVG (larger file, identical look in every browser)")
	out := fs.String("o", "", "output HTML file (default: standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := checkOutputPath("-o", *out, path); err != nil {
		return err
	}
	discrete := *model == "bgbb"
	if !discrete && *model != report.Auto && !slices.Contains(report.Models, *model) {
		return usagef("--model %q: want bgnbd, pnbd, mbgnbd, auto, or bgbb for discrete-time data", *model)
	}
	if *horizon < 0 || math.IsNaN(*horizon) || math.IsInf(*horizon, 0) {
		return usagef("--horizon %v: want a number of periods > 0", *horizon)
	}
	if *annual < 0 || math.IsNaN(*annual) || math.IsInf(*annual, 0) {
		return usagef("--annual-discount-rate %v: want a rate >= 0", *annual)
	}
	if *top < 1 {
		return usagef("--top %d: want at least 1", *top)
	}
	opts := report.Options{Title: *title, Horizon: *horizon, AnnualDiscountRate: *annual, Margin: in.margin,
		Currency: *currency, TopCustomers: *top, Generated: time.Now(), Source: report.Source{File: filepath.Base(path)}}
	if *model != "bgbb" {
		opts.Model = *model
	}
	if path == "-" {
		opts.Source.File = "standard input"
	}
	if *png {
		opts.ChartFormat = chart.PNG
	}
	if *period != "" {
		if opts.CohortPeriod, err = cohort.ParsePeriod(*period); err != nil {
			return usagef("--period: %v", err)
		}
	}
	ro, so, err := in.options()
	if err != nil {
		return err
	}
	if err := reportInput(ctx, e, path, ro, so, discrete, &opts); err != nil {
		return err
	}
	r, err := report.Build(ctx, opts)
	if err != nil {
		return err
	}
	if *out == "" {
		w := bufio.NewWriter(e.stdout)
		if err := r.WriteHTML(w); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := atomicfile.Write(*out, r.WriteHTML); err != nil {
		return err
	}
	if !in.quiet {
		fmt.Fprintf(e.stderr, "wrote %s (%d notes and warnings, shown in the report)\n", *out, len(r.Warnings))
	}
	return nil
}

// reportInput reads FILE into the report's summaries and events: an event
// file is summarised over the whole period and, with a calibration end,
// once more with it; a summary file is read as it is.
func reportInput(ctx context.Context, e *env, path string, ro *valuekit.ReadOptions, so *valuekit.SummaryOptions, discrete bool, opts *report.Options) error {
	if path != "-" {
		isSummary, err := valuekit.IsSummaryFile(path)
		if err != nil {
			return err
		}
		if isSummary {
			if !so.CalibrationEnd.IsZero() {
				return usagef("%s is a summary file: it has no purchase dates to split at --calibration-end; give the event file", path)
			}
			s, err := valuekit.ReadSummaryFile(path, so.Unit)
			if err != nil {
				return err
			}
			opts.Summary = s
			opts.Source.Rows = s.Len()
			opts.Discrete = discrete || hasPeriodsColumn(path)
			return nil
		}
	}
	if discrete {
		return usagef("--model bgbb needs a discrete-time summary file (columns frequency, recency, periods [, weights])")
	}
	ev, err := readEvents(ctx, e, path, ro)
	if err != nil {
		return err
	}
	opts.Source.Rows = ev.Rows
	opts.Source.SkippedRows = ev.BadRowCount
	for _, b := range ev.BadRows {
		msg := b.Error()
		opts.Source.Skipped = append(opts.Source.Skipped, strings.TrimPrefix(msg, b.File+": "))
	}
	if ev.BadRowCount > 0 {
		fmt.Fprintf(e.stderr, "%d bad rows skipped (listed in the report)\n", ev.BadRowCount)
	}
	whole := *so
	whole.CalibrationEnd = time.Time{}
	if opts.Summary, err = valuekit.Summarize(ctx, ev, &whole); err != nil {
		return err
	}
	if !so.CalibrationEnd.IsZero() {
		if opts.Calibration, err = valuekit.Summarize(ctx, ev, so); err != nil {
			return err
		}
	}
	opts.Events = &report.Events{Customer: ev.Customers(), CustomerID: ev.Dictionary().ID, Time: ev.Times(), Kind: ev.Kinds(), Amount: ev.Amounts()}
	return nil
}

// hasPeriodsColumn reports whether the CSV summary file at path has a
// periods (or n) column: discrete-time data for BG/BB.
func hasPeriodsColumn(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	if err != nil && line == "" {
		return false
	}
	for _, h := range strings.Split(strings.TrimPrefix(line, "\uFEFF"), ",") {
		if h = strings.ToLower(strings.Trim(strings.TrimSpace(h), `"`)); h == "periods" || h == "n" {
			return true
		}
	}
	return false
}
