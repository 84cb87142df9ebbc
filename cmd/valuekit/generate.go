package main

import (
	"context"
	"fmt"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/generate"
)

func runGenerate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "generate", "generate --customers N --params r=1,alpha=6,a=0.3,b=10 -o FILE.parquet|.csv [flags]\n\n"+
		"Simulates a customer base from a BG/NBD or Pareto/NBD model with Gamma-Gamma spend and writes its events\n"+
		"(purchases, referrals, shares, feedback) with the standard column names, so that\n"+
		"'valuekit fit FILE --unit UNIT --end END' reads it without mapping flags.")
	customers := fs.Int64("customers", 0, "number of customers (required)")
	model := fs.String("model", "bgnbd", "model: bgnbd or pnbd")
	params := fs.String("params", "", "model parameters per unit (required): bgnbd r=,alpha=,a=,b=; pnbd r=,alpha=,s=,beta=")
	spend := fs.String("spend", "", "Gamma-Gamma spend p=,q=,v= (default: the CDNOW estimates p=6.25,q=3.74,v=15.44)")
	unit := fs.String("unit", "week", "time unit of the parameters and rates: day, week, month or year")
	start := fs.String("start", "2024-01-01", "first day of the period, YYYY-MM-DD")
	end := fs.String("end", "2025-06-29", "last day of the period, YYYY-MM-DD (inclusive, as --end of the other commands)")
	referral := fs.Float64("referral-rate", 0, "referrals per customer per unit while active (default 0: none)")
	share := fs.Float64("share-rate", -1, "share events per customer per unit while active (default: 0.2 a year)")
	feedback := fs.Bool("feedback", false, "add feedback events with a 1–10 score after about 30% of purchases")
	seed := fs.Uint64("seed", 1, "random seed; the same flags and seed give the same file")
	out := fs.String("o", "", "output file: .csv or .parquet (required)")
	workers := fs.Int("workers", 0, "goroutines (default: GOMAXPROCS); the output does not depend on it")
	quiet := fs.Bool("quiet", false, "no progress bar (it is drawn only when standard error is a terminal)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (the output file goes to -o)", fs.Arg(0))
	}
	o := &generate.Options{Customers: *customers, Seed: *seed, Feedback: *feedback, Workers: *workers}
	if *customers <= 0 {
		return usagef("--customers %d: want a number > 0", *customers)
	}
	if *params == "" {
		return usagef("--params: required, e.g. r=1,alpha=6,a=0.3,b=10")
	}
	var err error
	if o.Model, err = generate.ParseModel(*model, *params); err != nil {
		if *model != "bgnbd" && *model != "pnbd" {
			return usagef("--model %q: want bgnbd or pnbd", *model)
		}
		return usagef("--params %q: %v", *params, err)
	}
	if *spend != "" {
		if o.Spend, err = generate.ParseSpend(*spend); err != nil {
			return usagef("--spend %q: %v", *spend, err)
		}
	}
	if o.Unit, err = valuekit.ParseUnit(*unit); err != nil {
		return usagef("--unit: %v", err)
	}
	if o.Start, err = parseDay("--start", *start); err != nil {
		return err
	}
	last, err := parseDay("--end", *end)
	if err != nil {
		return err
	}
	o.End = last.AddDate(0, 0, 1)
	if !o.End.After(o.Start) {
		return usagef("--end %s: want a day on or after --start %s", *end, *start)
	}
	if !(*referral >= 0) {
		return usagef("--referral-rate %v: want a number >= 0", *referral)
	}
	o.ReferralRate = *referral
	switch {
	case *share == -1:
		o.ShareRate = 0.2 * o.Unit.Days() / 365.25
	case *share >= 0:
		o.ShareRate = *share
	default:
		return usagef("--share-rate %v: want a number >= 0", *share)
	}
	if *out == "" {
		return usagef("-o: required (FILE.csv or FILE.parquet)")
	}
	if _, err := generate.FormatOf(*out); err != nil {
		return usagef("-o %q: want a .csv or .parquet file", *out)
	}
	begin := time.Now()
	b := e.newBar(*quiet, "generating", *customers, false, "customers")
	o.Progress = b.set
	st, err := generate.WriteFile(ctx, *out, o)
	b.done()
	if err != nil {
		return err
	}
	secs := time.Since(begin).Seconds()
	fmt.Fprintf(e.stderr, "%s: %d customers, %d events (%d purchases, %d referrals, %d shares, %d feedback) in %.1fs\n",
		*out, st.Customers, st.Events, st.Purchases, st.Referrals, st.Shares, st.Feedbacks, secs)
	return nil
}
