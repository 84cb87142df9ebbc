package chart_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/cohort"
	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/segment"
)

// Draw P(alive) of the BG/NBD model of the CDNOW sample (weekly
// parameters of Fader, Hardie & Lee 2005) for customers 39 weeks old, and
// save it as PNG and SVG.
func ExamplePAliveHeatMap() {
	m, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := chart.PAliveHeatMap(chart.FrequencyRecency{Model: m, T: 39, MaxFrequency: 20, Unit: "week"})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "chart-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"palive.png", "palive.svg"} {
		if err := c.Save(filepath.Join(dir, name), 0, 0); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(c.Panels[0].Title.Text)
	// Output:
	// P(alive) by frequency and recency (BG/NBD, customer age T = 39 weeks)
}

// Draw the Lorenz curve of customer values with the classic A/B/C tiers
// (80% and 15% of value) and render it as SVG to a writer.
func ExampleLorenz() {
	value := []float64{900, 400, 250, 120, 80, 60, 40, 25, 15, 10}
	tiers, err := segment.Tiers(value, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := chart.Lorenz(chart.LorenzData{Value: value, Tiers: tiers, Label: "CLV"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Render(io.Discard, chart.SVG, 6*vg.Inch, 4*vg.Inch); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tiers.Names, tiers.Counts())
	// Output:
	// [A B C] [3 3 4]
}

// The tracking chart takes plain series: here the weekly repeat purchases
// that the CDNOW BG/NBD model expects of 100 customers acquired at week 0,
// with an "actual" series 10% above it, calibration ending at week 39.
func ExampleTracking() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	td := chart.TrackingData{CalibrationEnd: 39, Unit: "week", Model: "BG/NBD"}
	for w := 1.0; w <= 78; w++ {
		e := 100 * (m.ExpectedPurchases(w) - m.ExpectedPurchases(w-1))
		td.Period = append(td.Period, w)
		td.Predicted = append(td.Predicted, e)
		td.Actual = append(td.Actual, 1.1*e)
	}
	c, err := chart.Tracking(td)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Render(io.Discard, chart.PNG, 0, 0); err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range c.Panels {
		fmt.Println(p.Title.Text)
	}
	// Output:
	// Tracking: cumulative repeat purchases, actual vs BG/NBD
	// Purchases per week
}

// Bad input is an error, not a panic.
func ExampleTracking_badInput() {
	_, err := chart.Tracking(chart.TrackingData{
		Period:    []float64{1, 2, 3},
		Actual:    []float64{5, 4, 3},
		Predicted: []float64{5, 4},
	})
	fmt.Println(err)
	// Output:
	// chart: bad input: tracking: predicted has 2 values, want 3
}

// Draw a cohort retention heat map and the cohorts' value curves from
// events.
func ExampleCohortRetention() {
	day := func(m time.Month, d int) int64 { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC).UnixMicro() }
	ev := cohort.Events{
		Customer: []int32{0, 0, 0, 1, 1, 2, 2, 2, 3},
		Time:     []int64{day(1, 5), day(2, 9), day(3, 1), day(1, 20), day(3, 15), day(2, 2), day(3, 3), day(4, 4), day(2, 20)},
		Kind:     []event.Kind{event.Purchase, event.Purchase, event.Purchase, event.Purchase, event.Purchase, event.Purchase, event.Purchase, event.Purchase, event.Purchase},
		Amount:   []float64{20, 35, 15, 50, 10, 30, 30, 30, 80},
	}
	tb, err := cohort.Build(ev, &cohort.Options{Period: cohort.Month, End: time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, draw := range []func(chart.CohortData) (*chart.Chart, error){chart.CohortRetention, chart.CohortValue} {
		c, err := draw(chart.CohortData{Table: tb, Currency: "EUR"})
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := c.Render(io.Discard, chart.PNG, 0, 0); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c.Panels[0].Title.Text)
	}
	// Output:
	// Retention by monthly cohort: share of each cohort buying at each age
	// Cumulative revenue per customer by cohort
}

// The profit × experience scatter takes its thresholds from the segment
// package's classification.
func ExampleProfitExperience() {
	profit := segment.Col([]float64{120, 15, 300, 8, 60, 45, 210, 5})
	experience := segment.Column{Values: []float64{9, 8, 3, 2, 7, 0, 6, 4}, Known: []bool{true, true, true, true, true, false, true, true}}
	cl, err := segment.ProfitExperience().Classify(profit, experience)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := chart.NewQuadrantData(profit, experience, cl)
	if err != nil {
		fmt.Println(err)
		return
	}
	q.ProfitLabel, q.ExperienceLabel = "profit (EUR)", "mean feedback score (0–10)"
	c, err := chart.ProfitExperience(q)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Render(io.Discard, chart.SVG, 0, 0); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("cuts: profit %v, experience %v\n", q.ProfitCut, q.ExperienceCut)
	// Output:
	// cuts: profit 45, experience 6
}
