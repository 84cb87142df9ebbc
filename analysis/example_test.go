package analysis_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/sampledata"
	"github.com/valuekit/valuekit/segment"
)

// What `valuekit predict --model bgnbd --spend gg --unit week` does, as a
// function call: fit BG/NBD and Gamma-Gamma to the summary, score every
// customer with 90% intervals, and write the same columns. The fit is
// Fader, Hardie & Lee's (2005) r = 0.243, α = 4.414, a = 0.793, b = 2.426,
// and customer 1 (x = 2, t_x = 30.43, T = 38.86) their P(alive) 0.727.
func ExamplePredict() {
	ctx := context.Background()
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	s, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{
		Unit: valuekit.Week, End: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	p, err := analysis.Predict(ctx, s, analysis.PredictOptions{
		ModelName:    clv.NameBGNBD,
		Spend:        analysis.Spend{Fit: true},
		Horizon:      52,
		DiscountRate: clv.RatePerUnit(0.1, 52),
		Intervals:    1,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Model)
	for i := range 3 {
		fmt.Printf("customer %s: %.3f purchases, P(alive) %.3f, CLV $%.2f [%.2f, %.2f]\n",
			p.CustomerID[i], p.ExpectedPurchases[i], p.PAlive[i], p.CLV[i], p.CLVLower[i], p.CLVUpper[i])
	}
	// valuekit.WriteTableFile("predictions.parquet", p.Table()) writes the CLI's columns.

	// Output:
	// BG/NBD(r=0.2426, alpha=4.414, a=0.7929, b=2.426)
	// customer 1: 1.559 purchases, P(alive) 0.727, CLV $36.74 [34.15, 39.74]
	// customer 2: 0.260 purchases, P(alive) 0.212, CLV $4.70 [3.82, 5.78]
	// customer 3: 0.252 purchases, P(alive) 1.000, CLV $8.45 [7.74, 9.23]
}

// What `valuekit segment --scheme quadrant --profit profit --portfolio`
// does, as a function call: the profit × experience quadrant of a shop's
// customers and its portfolio table.
func ExampleSegment() {
	ctx := context.Background()
	events, err := valuekit.ReadFile("../testdata/shop_events.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	s, err := valuekit.Summarize(ctx, events, nil)
	if err != nil {
		log.Fatal(err)
	}
	grid, err := segment.Preset("quadrant")
	if err != nil {
		log.Fatal(err)
	}
	g, err := analysis.Segment(ctx, s, analysis.SegmentOptions{Scheme: "quadrant", Grid: grid, Value: "profit"})
	if err != nil {
		log.Fatal(err)
	}
	p, err := g.Portfolio(nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range p.Records()[1:] {
		v, _ := strconv.ParseFloat(r[3], 64)
		fmt.Printf("%-12s %3s customers, profit %8.2f\n", r[0], r[1], v)
	}
	// Output:
	// premium       16 customers, profit  2059.26
	// fragile       10 customers, profit  1383.60
	// free-rider     9 customers, profit    90.96
	// abandonable   17 customers, profit   184.28
	// unknown        8 customers, profit   438.39
	// total         60 customers, profit  4156.49
}

// What `valuekit validate --calibration-end 1997-09-30 --unit week` does,
// as a function call: fit BG/NBD, Pareto/NBD and MBG/NBD to the CDNOW
// sample's first 39 weeks and score them on the next 39. The BG/NBD
// forecast is Fader, Hardie & Lee's (2005): 1,653 purchase days against
// 1,882 observed.
func ExampleValidate() {
	ctx := context.Background()
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	s, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{
		Unit:           valuekit.Week,
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	v, err := analysis.Validate(ctx, s, analysis.ValidateOptions{Events: &analysis.Events{
		Customer: events.Customers(), CustomerID: events.Dictionary().ID, Time: events.Times(), Kind: events.Kinds(),
	}})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range v.Scores {
		fmt.Printf("%-6s predicts %.1f of %.0f holdout purchases, RMSE per customer %.3f\n", m.Name, m.PredictedTotal, m.ActualTotal, m.RMSE)
	}
	tr := v.Tracking
	last := len(tr.Actual) - 1
	fmt.Printf("week %d: %.0f repeat purchases so far, BG/NBD expected %.1f\n", last+1, tr.ActualCumulative[last], tr.PredictedCumulative[0][last])
	fmt.Println("recommended:", v.Recommended)
	// v.Table(), v.ByFrequency.Table() and v.Tracking.Table() write the
	// blocks as CSV, JSON or Parquet.

	// Output:
	// bgnbd  predicts 1653.4 of 1882 holdout purchases, RMSE per customer 1.608
	// pnbd   predicts 1665.5 of 1882 holdout purchases, RMSE per customer 1.603
	// mbgnbd predicts 1576.7 of 1882 holdout purchases, RMSE per customer 1.607
	// week 78: 4339 repeat purchases so far, BG/NBD expected 4160.6
	// recommended: pnbd
}

// What `valuekit predict --model pnbd --horizon inf --annual-discount-rate
// 0.15 --continuous` does: the Pareto/NBD value of the whole future,
// discounted continuously at 15 % a year — each customer's discounted
// expected residual purchases (DERT, Fader, Hardie & Lee 2005) times their
// spend.
func ExamplePredictResidual() {
	ctx := context.Background()
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	s, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{
		Unit: valuekit.Week, End: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	p, err := analysis.PredictResidual(ctx, s, analysis.PredictOptions{
		ModelName: clv.NameParetoNBD, AnnualDiscountRate: 0.15, Continuous: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for i := range 2 {
		fmt.Printf("customer %s: DERT %.2f, P(alive) %.3f, value $%.2f\n", p.CustomerID[i], p.ExpectedPurchases[i], p.PAlive[i], p.CLV[i])
	}
	// Output:
	// customer 1: DERT 6.51, P(alive) 0.869, value $234.24
	// customer 2: DERT 0.77, P(alive) 0.168, value $27.54
}

// The readable summary `valuekit fit --summary` prints, for a model given by
// its parameters (no fit: no standard errors).
func ExampleWriteFitText() {
	m := &clv.ParetoNBD{R: 0.5533, Alpha: 10.5776, S: 0.6061, Beta: 11.6650}
	if err := analysis.WriteFitText(os.Stdout, m); err != nil {
		log.Fatal(err)
	}
	fmt.Println(analysis.ParamTable(m).Names())
	// Output:
	// pnbd model
	// parameter  estimate  std. error  95% interval
	// r            0.5533           -             -
	// alpha         10.58           -             -
	// s            0.6061           -             -
	// beta          11.66           -             -
	//
	// built from parameters: no fit (no standard errors, log-likelihood or n)
	// [parameter estimate std_error lower_95 upper_95 log_likelihood n converged]
}

// What `valuekit expect` and `valuekit history` compute: a new customer's
// expected purchases and P(X(t) = k) over 39 weeks, and CDNOW customer 1's
// P(alive) at each purchase and at the calibration end (0.727, as Fader,
// Hardie & Lee 2005 report).
func ExampleAliveHistory() {
	m := &clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	e, err := analysis.Expect(m, []float64{39}, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("E[X(39)] %.3f, P(X(39)=0) %.3f\n", e.Columns[1].Float[0], e.Columns[2].Float[0])
	h, err := analysis.AliveHistory(m, []float64{0, 2.43, 30.43}, 38.86, 0)
	if err != nil {
		log.Fatal(err)
	}
	for i := range h.Len() {
		fmt.Printf("t %.2f: P(alive) %.3f\n", h.Columns[0].Float[i], h.Columns[4].Float[i])
	}
	// Output:
	// E[X(39)] 1.197, P(X(39)=0) 0.574
	// t 0.00: P(alive) 1.000
	// t 2.43: P(alive) 0.754
	// t 30.43: P(alive) 0.812
	// t 38.86: P(alive) 0.727
}
