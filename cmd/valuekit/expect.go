package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
)

func runExpect(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "expect", "expect --model-file model.json --t 52[,104…] [--k 10] [-o FILE]\n\n"+
		"What a saved transaction model expects of a new customer (just acquired, at time 0): one row per\n"+
		"period length t (in the model's unit; whole periods for bgbb) with columns t, expected_purchases\n"+
		"(E[X(t)], repeat purchases in (0, t]) and, with --k K, p_0 … p_K (P(X(t) = k)).")
	modelFile := fs.String("model-file", "", "saved transaction model (JSON from 'valuekit fit'): bgnbd, pnbd, mbgnbd or bgbb (required)")
	tList := fs.String("t", "", "period lengths in the model's unit, comma-separated, e.g. 13,26,52 (required)")
	k := fs.Int("k", -1, "also the probabilities P(X(t) = k) for k = 0 … K (default: none)")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: CSV to standard output)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("expect takes no FILE: the model is --model-file")
	}
	if *modelFile == "" {
		return usagef("--model-file is required")
	}
	if *tList == "" {
		return usagef("--t is required: the period lengths, e.g. --t 52")
	}
	var ts []float64
	for _, f := range strings.Split(*tList, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return usagef("--t %q: %q is not a number ≥ 0", *tList, f)
		}
		ts = append(ts, v)
	}
	if *k < -1 || *k > 1000 {
		return usagef("--k %d: want 0 … 1000", *k)
	}
	if err := checkOutputName(*out, *modelFile); err != nil {
		return err
	}
	m, err := loadTransactionModel(*modelFile)
	if err != nil {
		return err
	}
	if m.Name() == clv.NameBGBB {
		for _, t := range ts {
			if t != math.Trunc(t) {
				return usagef("--t %v: a bgbb model counts whole transaction opportunities", t)
			}
		}
	}
	if t := clv.ModelTiming(m); t.HasUnit {
		e.report(fmt.Sprintf("t is in %ss, the model's unit", t.Unit))
	}
	tb, err := analysis.Expect(m, ts, *k)
	if err != nil {
		return err
	}
	return writeOutput(e, *out, tb)
}

func runHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "history", "history FILE --id CUSTOMER --model-file model.json [--step S] [flags]\n\n"+
		"One customer's P(alive) as their history unfolds under a saved continuous-time model (bgnbd, pnbd,\n"+
		"mbgnbd): evaluated at each purchase day, at the end of observation (--end, or the last event of FILE)\n"+
		"and, with --step, every S units after the first purchase. Columns: date, t (time since the first\n"+
		"purchase, in the model's unit), frequency (repeat purchase days so far), recency, T, p_alive.")
	in := addInputFlags(fs)
	id := fs.String("id", "", "customer id (required)")
	modelFile := fs.String("model-file", "", "saved transaction model (JSON from 'valuekit fit'; required)")
	step := fs.Float64("step", 0, "also evaluate every S units of the model's unit after the first purchase (default: at purchases and the end only)")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: CSV to standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *id == "" {
		return usagef("--id is required")
	}
	if *modelFile == "" {
		return usagef("--model-file is required")
	}
	if *step < 0 || math.IsNaN(*step) || math.IsInf(*step, 0) {
		return usagef("--step %v: want a number > 0", *step)
	}
	if err := checkOutputName(*out, path, *modelFile); err != nil {
		return err
	}
	m, err := loadTransactionModel(*modelFile)
	if err != nil {
		return err
	}
	if m.Name() == clv.NameBGBB {
		return usagef("history needs a continuous-time model (bgnbd, pnbd, mbgnbd); %s holds a bgbb model", *modelFile)
	}
	if err := in.useModelUnit(m, *modelFile); err != nil {
		return err
	}
	ro, so, err := in.options()
	if err != nil {
		return err
	}
	ev, err := readEvents(ctx, e, path, ro)
	if err != nil {
		return err
	}
	reportBadRows(e, ev.BadRows, ev.BadRowCount)
	if ev.Len() == 0 {
		return fmt.Errorf("%s has no events", path)
	}
	endDay := so.End
	if endDay.IsZero() {
		endDay = lastDay(ev.Times())
	}
	const usPerDay = 86400e6
	unitDays := so.Unit.Days()
	var days []int64 // distinct purchase days of the customer, up to the end
	times, kinds := ev.Times(), ev.Kinds()
	found := false
	for i := range ev.Len() {
		if ev.CustomerID(i) != *id {
			continue
		}
		found = true
		if kinds[i] != valuekit.Purchase {
			continue
		}
		d := dayOf(times[i]).UnixMicro()
		if d <= endDay.UnixMicro() {
			days = append(days, d)
		}
	}
	if !found {
		return fmt.Errorf("%s: no customer %q in the file (ids are matched exactly, e.g. %q)", path, *id, ev.CustomerID(0))
	}
	if len(days) == 0 {
		return fmt.Errorf("%s: customer %q has no purchase up to %s", path, *id, endDay.Format("2006-01-02"))
	}
	slices.Sort(days)
	days = slices.Compact(days)
	purchases := make([]float64, len(days))
	for i, d := range days {
		purchases[i] = float64(d-days[0]) / usPerDay / unitDays
	}
	end := float64(endDay.UnixMicro()-days[0]) / usPerDay / unitDays
	tb, err := analysis.AliveHistory(m, purchases, end, *step)
	if err != nil {
		return err
	}
	dates := make([]string, tb.Len())
	for i, t := range tb.Columns[0].Float {
		us := days[0] + int64(math.Round(t*unitDays*usPerDay))
		dates[i] = dayOf(us).Format("2006-01-02")
	}
	tb.Columns = append([]valuekit.Column{{Name: "date", Kind: valuekit.StringColumn, String: dates}}, tb.Columns...)
	e.report(fmt.Sprintf("customer %s: %d purchase days, P(alive) under the %s model, times in %ss", *id, len(days), m.Name(), so.Unit))
	return writeOutput(e, *out, tb)
}
