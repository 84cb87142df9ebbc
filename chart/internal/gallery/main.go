// Command gallery draws every chart of package chart on real data: the
// CDNOW sample (embedded in package sampledata; calibration to 1997-09-30,
// weeks, as in Fader, Hardie & Lee 2005) and the synthetic shop log in
// testdata for the profit × experience scatter, which needs cost and
// feedback. It writes the README's chart, docs/palive_heatmap.png, and with
// -out every chart as PNG and SVG. Run it from the module root:
//
//	go run ./chart/internal/gallery                 # docs/palive_heatmap.png
//	go run ./chart/internal/gallery -out /tmp/charts
//
// It is a program at the edge (it reads events with the root package, and
// so links Arrow); package chart itself does not.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/cohort"
	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/sampledata"
	"github.com/valuekit/valuekit/segment"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gallery:", err)
		os.Exit(1)
	}
}

// The CDNOW study design of Fader, Hardie & Lee (2005).
var (
	start          = time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	calibrationEnd = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	end            = time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
)

const (
	week    = 7 * 24 * time.Hour
	holdout = 39.0 // weeks from 1997-10-01 to 1998-06-30
)

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("gallery", flag.ContinueOnError)
	docs := fs.String("docs", "docs/palive_heatmap.png", "where to write the README's P(alive) heat map (empty: not at all)")
	out := fs.String("out", "", "directory to write every chart to, as PNG and SVG (empty: none)")
	shop := fs.String("shop", "testdata/shop_events.csv", "shop event log with cost and feedback, for the profit × experience scatter")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		return err
	}
	s, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{Unit: valuekit.Week, CalibrationEnd: calibrationEnd})
	if err != nil {
		return err
	}
	data := clv.Data{Frequency: s.Frequency, Recency: s.Recency, T: s.T}
	m, err := clv.FitBGNBD(ctx, data, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "BG/NBD on %d CDNOW customers (weeks): r %.3f, alpha %.3f, a %.3f, b %.3f (published 0.243, 4.414, 0.793, 2.426)\n",
		s.Len(), m.R, m.Alpha, m.A, m.B)
	maxT := slices.Max(s.T)
	maxX := slices.Max(s.Frequency)

	fr := chart.FrequencyRecency{Model: m, T: maxT, MaxFrequency: int(min(maxX, 30)), Horizon: holdout, Unit: "week"}
	palive, err := chart.PAliveHeatMap(fr)
	if err != nil {
		return err
	}
	if *docs != "" {
		if err := os.MkdirAll(filepath.Dir(*docs), 0o755); err != nil {
			return err
		}
		if err := palive.Save(*docs, 0, 0); err != nil {
			return err
		}
		fmt.Fprintln(w, "wrote", *docs)
	}
	if *out == "" {
		return nil
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	charts := map[string]*chart.Chart{"palive_heatmap": palive}
	add := func(name string, c *chart.Chart, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		charts[name] = c
		return nil
	}

	c, err := chart.ExpectedPurchasesHeatMap(fr)
	if err := add("expected_heatmap", c, err); err != nil {
		return err
	}

	hd := chart.HoldoutData{Frequency: s.Frequency, Actual: s.HoldoutFrequency, Period: "the 39 holdout weeks", Model: "BG/NBD"}
	var predTotal, actTotal float64
	for i := range s.Len() {
		p := m.ConditionalExpectedPurchases(holdout, data.Customer(i))
		hd.Predicted = append(hd.Predicted, p)
		predTotal += p
		actTotal += s.HoldoutFrequency[i]
	}
	fmt.Fprintf(w, "holdout purchases: predicted %.1f, actual %.0f\n", predTotal, actTotal)
	c, err = chart.CalibrationHoldout(hd)
	if err := add("calibration_holdout", c, err); err != nil {
		return err
	}

	rd, err := chart.NewRepeatData(m, data, 7)
	if err != nil {
		return err
	}
	c, err = chart.RepeatPurchases(rd)
	if err := add("repeat_purchases", c, err); err != nil {
		return err
	}

	td, err := tracking(events, m)
	if err != nil {
		return err
	}
	c, err = chart.Tracking(td)
	if err := add("tracking", c, err); err != nil {
		return err
	}

	value, err := clvValues(ctx, s, m)
	if err != nil {
		return err
	}
	c, err = chart.CLVDistribution(chart.CLVData{Values: value, Label: "52-week CLV", Currency: "US$"})
	if err := add("clv_distribution", c, err); err != nil {
		return err
	}
	tiers, err := segment.Tiers(value, nil)
	if err != nil {
		return err
	}
	c, err = chart.Lorenz(chart.LorenzData{Value: value, Tiers: tiers, Label: "CLV"})
	if err := add("lorenz", c, err); err != nil {
		return err
	}

	stats, err := rfmStats(ctx, events)
	if err != nil {
		return err
	}
	c, err = chart.RFMSegments(chart.RFMData{Segments: stats})
	if err := add("rfm_segments", c, err); err != nil {
		return err
	}

	ce := cohort.Events{Customer: events.Customers(), Time: events.Times(), Kind: events.Kinds(), Amount: events.Amounts()}
	tb, err := cohort.Build(ce, &cohort.Options{Period: cohort.Month})
	if err != nil {
		return err
	}
	c, err = chart.CohortRetention(chart.CohortData{Table: tb})
	if err := add("cohort_retention", c, err); err != nil {
		return err
	}
	pr, err := cohort.Project(ctx, tb, &cohort.ProjectOptions{Periods: 12})
	if err != nil {
		return err
	}
	c, err = chart.CohortValue(chart.CohortData{Table: pr.Table, Currency: "US$"})
	if err := add("cohort_value", c, err); err != nil {
		return err
	}
	tbw, err := cohort.Build(ce, &cohort.Options{Period: cohort.Week})
	if err != nil {
		return err
	}
	c, err = chart.CohortRetention(chart.CohortData{Table: tbw})
	if err := add("cohort_retention_weekly", c, err); err != nil {
		return err
	}

	q, err := quadrant(ctx, *shop)
	if err != nil {
		return err
	}
	c, err = chart.ProfitExperience(q)
	if err := add("profit_experience", c, err); err != nil {
		return err
	}

	names := make([]string, 0, len(charts))
	for n := range charts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(*out, n+ext)
			if err := charts[n].Save(path, 0, 0); err != nil {
				return err
			}
		}
		fmt.Fprintln(w, "wrote", filepath.Join(*out, n)+".{png,svg}")
	}
	return nil
}

// tracking returns the weekly repeat purchases (distinct purchase days after
// each customer's first) of the CDNOW sample over its 78 weeks next to
// those the model expects: for a customer acquired at week s_i, E[X(t − s_i)]
// repeat purchases by week t.
func tracking(ev *valuekit.Events, m *clv.BGNBD) (chart.TrackingData, error) {
	weeks := int(math.Round(float64(end.Sub(start)+24*time.Hour) / float64(week)))
	day0 := start.Unix() / 86400
	first := map[int32]int64{}
	days := map[[2]int64]bool{} // (customer, day) of purchases
	for i, c := range ev.Customers() {
		if ev.Kinds()[i] != valuekit.Purchase {
			continue
		}
		d := ev.Times()[i]/1e6/86400 - day0
		days[[2]int64{int64(c), d}] = true
		if f, ok := first[c]; !ok || d < f {
			first[c] = d
		}
	}
	td := chart.TrackingData{
		Period:         make([]float64, weeks),
		Actual:         make([]float64, weeks),
		Predicted:      make([]float64, weeks),
		CalibrationEnd: float64(calibrationEnd.Sub(start)+24*time.Hour) / float64(week),
		Unit:           "week",
		Model:          "BG/NBD",
	}
	for k := range days {
		if k[1] > first[int32(k[0])] {
			if w := int(k[1] / 7); w < weeks {
				td.Actual[w]++
			}
		}
	}
	acquired := map[int64]float64{} // first purchase day → customers
	for _, f := range first {
		acquired[f]++
	}
	prev := 0.0
	for w := range weeks {
		t := float64(w + 1)
		cum := 0.0
		for d, n := range acquired {
			if age := t - float64(d)/7; age > 0 {
				cum += n * m.ExpectedPurchases(age)
			}
		}
		td.Period[w] = t
		td.Predicted[w] = cum - prev
		prev = cum
	}
	return td, nil
}

// clvValues returns each customer's discounted 52-week CLV (10% a year)
// with spend from a Gamma-Gamma model fitted to the same customers.
func clvValues(ctx context.Context, s *valuekit.Summary, m *clv.BGNBD) ([]float64, error) {
	d := clv.Data{Frequency: s.Frequency, Recency: s.Recency, T: s.T, Monetary: s.MonetaryValue}
	gg, err := clv.FitGammaGamma(ctx, d, nil)
	if err != nil {
		return nil, err
	}
	f, err := clv.NewForecast(ctx, m, d, clv.CLVOptions{Horizon: 52, Spend: gg, DiscountRate: clv.RatePerUnit(0.10, 52)}, nil)
	if err != nil {
		return nil, err
	}
	return f.CLV, nil
}

// rfmStats scores the CDNOW customers on recency (days from the last
// purchase to the end), frequency (purchases) and revenue over the whole
// sample and summarises the default segments.
func rfmStats(ctx context.Context, ev *valuekit.Events) ([]rfm.SegmentStats, error) {
	s, err := valuekit.Summarize(ctx, ev, &valuekit.SummaryOptions{Unit: valuekit.Day})
	if err != nil {
		return nil, err
	}
	r, err := analysis.RFM(s, analysis.RFMOptions{})
	if err != nil {
		return nil, err
	}
	return r.Stats()
}

// quadrant classifies the shop's customers by profit and mean feedback
// score (customers without a score are unknown).
func quadrant(ctx context.Context, path string) (chart.QuadrantData, error) {
	s, _, err := valuekit.SummarizeFile(ctx, path, nil, nil)
	if err != nil {
		return chart.QuadrantData{}, err
	}
	if s.Profit == nil {
		return chart.QuadrantData{}, fmt.Errorf("%s has no cost column, so no profit", path)
	}
	known := make([]bool, s.Len())
	for i, n := range s.ExperienceCount {
		known[i] = n > 0
	}
	profit, exp := segment.Col(s.Profit), segment.Column{Values: s.Experience, Known: known}
	cl, err := segment.ProfitExperience().Classify(profit, exp)
	if err != nil {
		return chart.QuadrantData{}, err
	}
	q, err := chart.NewQuadrantData(profit, exp, cl)
	if err != nil {
		return chart.QuadrantData{}, err
	}
	q.ProfitLabel = "profit: revenue − refunds − cost (the log's money unit)"
	q.ExperienceLabel = "mean feedback score (0–10)"
	q.Title = "Shop customers by profit and experience (cuts at the medians)"
	return q, nil
}
