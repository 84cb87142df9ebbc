package main

import (
	"context"
	"fmt"
	"github.com/valuekit/valuekit/internal/civil"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit"
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
	if err := checkOutputName(*out); err != nil {
		return err
	}
	opts := &rfm.Options{Bins: *bins}
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
	ids, data, err := rfmData(s, *net)
	if err != nil {
		return err
	}
	if left := s.Len() - len(ids); left > 0 {
		fmt.Fprintf(e.stderr, "%d customers without a purchase in the period are left out\n", left)
	}
	scores, err := rfm.Score(data, opts)
	if err != nil {
		return err
	}
	named := scores
	if *bins != 5 {
		if named, err = rfm.Score(data, nil); err != nil {
			return err
		}
	}
	assign, err := rfm.DefaultTable().Assign(named)
	if err != nil {
		return err
	}
	if segs {
		stats, err := rfm.Stats(data, named, assign)
		if err != nil {
			return err
		}
		if *out == "" {
			return rfm.WriteStats(e.stdout, stats)
		}
		return valuekit.WriteTableFile(*out, recordsTable(rfm.StatsRecords(stats)))
	}

	n := len(ids)
	recency, freq := make([]int32, n), make([]int32, n)
	for i := range n {
		recency[i], freq[i] = int32(data.DaysSinceLastPurchase[i]), int32(data.Purchases[i])
	}
	t := &valuekit.Table{Columns: []valuekit.Column{
		{Name: "customer_id", Kind: valuekit.StringColumn, String: ids},
		{Name: "recency_days", Kind: valuekit.IntColumn, Int: recency},
		{Name: "frequency", Kind: valuekit.IntColumn, Int: freq},
		{Name: "monetary", Kind: valuekit.FloatColumn, Float: data.Monetary},
		{Name: "r", Kind: valuekit.IntColumn, Int: widen(scores.R)},
		{Name: "f", Kind: valuekit.IntColumn, Int: widen(scores.F)},
		{Name: "m", Kind: valuekit.IntColumn, Int: widen(scores.M)},
		{Name: "segment", Kind: valuekit.StringColumn, String: className(assign.Names, assign.Class)},
	}}
	return writeOutput(e, *out, t)
}

// rfmData returns the ids and RFM inputs of the customers of s with a
// purchase in the (calibration) period: recency in whole days from the last
// purchase day to the last observed day, the number of purchase events, and
// revenue or net revenue.
func rfmData(s *valuekit.Summary, net bool) ([]string, rfm.Data, error) {
	end := s.End
	if !s.CalibrationEnd.IsZero() {
		end = s.CalibrationEnd
	}
	endDay := civil.DayOf(end.UnixMicro())
	var ids []string
	var d rfm.Data
	for i := range s.Len() {
		if s.Purchases[i] == 0 {
			continue
		}
		ids = append(ids, s.CustomerID[i])
		d.DaysSinceLastPurchase = append(d.DaysSinceLastPurchase, float64(endDay-civil.DayOf(s.LastPurchase[i])))
		d.Purchases = append(d.Purchases, float64(s.Purchases[i]))
		m := s.Revenue[i]
		if net {
			m = s.NetRevenue[i]
		}
		d.Monetary = append(d.Monetary, m)
	}
	if len(ids) == 0 {
		return nil, d, fmt.Errorf("no customer has a purchase in the period: nothing to score")
	}
	return ids, d, nil
}

func widen(s []uint8) []int32 {
	out := make([]int32, len(s))
	for i, v := range s {
		out[i] = int32(v)
	}
	return out
}

// className returns the class name of every customer.
func className(names []string, class []int32) []string {
	out := make([]string, len(class))
	for i, c := range class {
		out[i] = names[c]
	}
	return out
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
func checkOutputName(out string) error {
	if out == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".csv", ".parquet", ".pq", ".json":
		return nil
	}
	return usagef("-o %q: cannot tell the output format (use .csv, .parquet or .json)", out)
}

// recordsTable turns a header and records (as the Records methods of rfm
// and segment give them) into a Table: the first column as text, every
// other as whole numbers when all its cells are, else as numbers when all
// parse, else as text.
func recordsTable(records [][]string) *valuekit.Table {
	t := &valuekit.Table{}
	if len(records) == 0 {
		return t
	}
	rows := records[1:]
	for j, name := range records[0] {
		cells := make([]string, len(rows))
		for i, r := range rows {
			cells[i] = r[j]
		}
		col := valuekit.Column{Name: name, Kind: valuekit.StringColumn, String: cells}
		if j > 0 {
			if ints, ok := parseAll(cells, func(c string) (int32, error) {
				v, err := strconv.ParseInt(c, 10, 32)
				return int32(v), err
			}); ok {
				col = valuekit.Column{Name: name, Kind: valuekit.IntColumn, Int: ints}
			} else if fl, ok := parseAll(cells, func(c string) (float64, error) { return strconv.ParseFloat(c, 64) }); ok {
				col = valuekit.Column{Name: name, Kind: valuekit.FloatColumn, Float: fl}
			}
		}
		t.Columns = append(t.Columns, col)
	}
	return t
}

func parseAll[T any](cells []string, parse func(string) (T, error)) ([]T, bool) {
	out := make([]T, len(cells))
	for i, c := range cells {
		v, err := parse(c)
		if err != nil {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}
