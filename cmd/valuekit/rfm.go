package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/rfm"
)

func runRFM(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "rfm", "rfm FILE [--bins 5] [--net] [--segments] [-o OUT] [flags]\n\n"+
		"Scores every customer with a purchase in the period on recency, frequency and monetary value:\n"+
		"columns customer_id, recency_days, frequency, monetary, r, f, m, segment.\n"+
		"  recency_days  whole days from the customer's last purchase day to the last day observed (--end, or\n"+
		"                --calibration-end when given; 0 = bought on the last day). Not the BTYD recency.\n"+
		"  frequency     number of purchase events; monetary: revenue (with --net: revenue minus refunds).\n"+
		"  r, f, m       scores 1 (worst) .. --bins (best) by quantiles; equal values get equal scores.\n"+
		"  segment       the eleven-segment scheme (Champions, Loyal, …, Lost) on the quintile R and F scores\n"+
		"                (computed at 5 levels whatever --bins, with the fixed cuts only when --bins is 5).\n"+
		"Customers without a purchase in the period are left out and counted on stderr. FILE must be an event\n"+
		"file: a summary file has no purchase dates. --segments prints per-segment counts, revenue share and\n"+
		"mean scores instead (to -o as a table).")
	in := addInputFlags(fs)
	bins := fs.Int("bins", 5, "number of score levels, 2..100")
	net := fs.Bool("net", false, "monetary is net revenue (purchases minus refunds) instead of revenue")
	var segs bool
	fs.BoolVar(&segs, "segments", false, "print the per-segment table instead of one row per customer")
	fs.BoolVar(&segs, "portfolio", false, "same as --segments")
	rCuts := fs.String("recency-cuts", "", "fixed recency cuts in days instead of quantiles, --bins−1 ascending numbers, e.g. 30,90,180,365")
	fCuts := fs.String("frequency-cuts", "", "fixed frequency cuts instead of quantiles, --bins−1 ascending numbers")
	mCuts := fs.String("monetary-cuts", "", "fixed monetary cuts instead of quantiles, --bins−1 ascending numbers")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: CSV, or with --segments a text table, to standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *bins < 2 || *bins > rfm.MaxBins {
		return usagef("--bins %d: want 2..%d", *bins, rfm.MaxBins)
	}
	if err := checkOutputName(*out, path); err != nil {
		return err
	}
	opts := analysis.RFMOptions{Bins: *bins, Net: *net}
	for _, c := range []struct {
		flag string
		s    string
		dst  *[]float64
	}{{"--recency-cuts", *rCuts, &opts.RecencyCuts}, {"--frequency-cuts", *fCuts, &opts.FrequencyCuts}, {"--monetary-cuts", *mCuts, &opts.MonetaryCuts}} {
		if c.s == "" {
			continue
		}
		if *c.dst, err = parseCutList(c.flag, c.s, *bins-1); err != nil {
			return err
		}
	}

	s, err := in.loadSummary(ctx, e, path)
	if err != nil {
		return err
	}
	if s.LastPurchase == nil {
		return fmt.Errorf("%s is a summary file: rfm needs an event file, since recency_days is counted from each customer's last purchase date", filepath.Base(path))
	}
	res, err := analysis.RFM(s, opts)
	if err != nil {
		return err
	}
	if res.LeftOut > 0 {
		fmt.Fprintf(e.stderr, "%d customers without a purchase in the period are left out\n", res.LeftOut)
	}
	if segs {
		stats, err := res.Stats()
		if err != nil {
			return err
		}
		if *out == "" {
			return rfm.WriteStats(e.stdout, stats)
		}
		return valuekit.WriteTableFile(*out, rfm.StatsTable(stats))
	}
	return writeOutput(e, *out, res.Table())
}

// parseCutList parses a comma-separated list of want ascending numbers.
func parseCutList(flagName, s string, want int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != want {
		return nil, usagef("%s %q: want %d comma-separated numbers (--bins − 1), got %d", flagName, s, want, len(parts))
	}
	cuts := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, usagef("%s: %q is not a number", flagName, p)
		}
		if i > 0 && v < cuts[i-1] {
			return nil, usagef("%s %q: the cuts must be in ascending order", flagName, s)
		}
		cuts[i] = v
	}
	return cuts, nil
}

// checkOutputName reports a usage error for an output file whose format
// cannot be told from its extension, before any work is done.
// It also refuses an output that is one of the command's input files, which
// writing would destroy (the inputs not given are "").
func checkOutputName(out string, inputs ...string) error {
	if out == "" {
		return nil
	}
	if err := checkOutputPath("-o", out, inputs...); err != nil {
		return err
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".csv", ".parquet", ".pq", ".json":
		return nil
	}
	if ext := strings.ToLower(filepath.Ext(out)); ext == ".xlsx" || ext == ".xls" {
		return usagef("-o %q: cannot tell the output format: valuekit does not write Excel workbooks; write .csv (which Excel opens), .parquet or .json", out)
	}
	return usagef("-o %q: cannot tell the output format (use .csv, .parquet or .json)", out)
}

// checkOutputPath refuses, before any work is done, an output file (named
// by flag) whose directory is not there, or that is one of the inputs (the
// same file, by name or through a link), which writing would destroy.
func checkOutputPath(flag, out string, inputs ...string) error {
	if out == "" {
		return nil
	}
	dir := filepath.Dir(out)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return usagef("%s %q: there is no directory %q to write it in", flag, out, dir)
	}
	o, err := os.Stat(out)
	if err != nil {
		return nil // not there yet
	}
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		if i, err := os.Stat(in); err == nil && os.SameFile(o, i) {
			return usagef("%s %q is the input file %q: writing it would destroy the input; give another output file", flag, out, in)
		}
	}
	return nil
}
