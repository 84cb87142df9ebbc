// Quickstart walks valuekit's main path on the CDNOW sample embedded in the
// sampledata package: summarise the purchases, fit the BG/NBD and
// Gamma-Gamma models (beside the published estimates), check the forecast
// on a holdout period, value every customer, and group them into value
// tiers. It needs no files and no flags:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/internal/textfmt"
	"github.com/valuekit/valuekit/sampledata"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// The calibration period of Fader, Hardie & Lee (2005): the models learn
// from the first 39 weeks and are checked on the next 39.
var (
	calibrationEnd = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	end            = time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
)

const (
	horizon    = 52  // weeks of CLV
	annualRate = 0.1 // discount rate per year
	top        = 10  // customers listed
)

func run(ctx context.Context, w io.Writer) error {
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		return err
	}
	cal, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{Unit: valuekit.Week, CalibrationEnd: calibrationEnd, End: end})
	if err != nil {
		return err
	}
	p := printer{w: w}
	p.summary(events, cal)

	// The models on the calibration period. Validate fits BG/NBD,
	// Pareto/NBD and MBG/NBD and scores them on the holdout weeks.
	v, err := analysis.Validate(ctx, cal, analysis.ValidateOptions{Events: &analysis.Events{
		Customer: events.Customers(), CustomerID: events.Dictionary().ID, Time: events.Times(), Kind: events.Kinds(),
	}})
	if err != nil {
		return err
	}
	rows, err := analysis.ModelRows(cal)
	if err != nil {
		return err
	}
	gg, err := analysis.Fit(ctx, clv.NameGammaGamma, rows.Data, nil)
	if err != nil {
		return err
	}
	p.fits(v.Scores[0].Model, gg)
	p.holdout(v)

	// Value every customer on all 78 weeks with the recommended model.
	all, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{Unit: valuekit.Week, End: end})
	if err != nil {
		return err
	}
	pred, err := analysis.Predict(ctx, all, analysis.PredictOptions{
		ModelName: v.Recommended, Spend: analysis.Spend{Fit: true},
		Horizon: horizon, DiscountRate: analysis.AnnualRate(annualRate, valuekit.Week, false),
	})
	if err != nil {
		return err
	}
	p.topCustomers(all, pred)

	// Segments: the quadrant needs feedback scores; tiers need only value.
	if err := p.segments(ctx, all, pred); err != nil {
		return err
	}
	return p.err
}

// printer writes the blocks, keeping the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// table writes rows as an aligned table indented under its block's text.
func (p *printer) table(rows [][]string) {
	var b strings.Builder
	if err := textfmt.WriteAligned(&b, rows); err != nil && p.err == nil {
		p.err = err
	}
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			p.printf("   %s", line)
		}
	}
}

// money writes a dollar amount with thousands separators, in whole
// dollars from 1,000 on.
func money(x float64) string {
	if x < 1000 {
		return fmt.Sprintf("$%.2f", x)
	}
	digits := strconv.FormatFloat(x, 'f', 0, 64)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return "$" + b.String()
}

func (p *printer) summary(events *valuekit.Events, s *valuekit.Summary) {
	var repeat, days, holdDays, revenue, holdRevenue float64
	var buyers int
	for i := range s.Len() {
		if s.Frequency[i] > 0 {
			repeat++
		}
		days += s.Frequency[i]
		revenue += s.Revenue[i]
		holdDays += s.HoldoutFrequency[i]
		holdRevenue += s.HoldoutRevenue[i]
		if s.HoldoutFrequency[i] > 0 {
			buyers++
		}
	}
	p.printf("CDNOW sample: %d purchases by %d customers who first bought in January–March 1997, to %s.\n\n",
		events.Len(), s.Len(), s.End.Format(time.DateOnly))
	p.printf("1. Summary: the first 39 weeks (to %s) are the calibration period the models learn from.\n", s.CalibrationEnd.Format(time.DateOnly))
	p.printf("   Calibration: %.0f of %d customers bought again, on %.0f repeat purchase days; revenue %s.\n", repeat, s.Len(), days, money(revenue))
	p.printf("   Holdout (the next 39 weeks): %d customers bought, on %.0f purchase days; revenue %s.\n\n", buyers, holdDays, money(holdRevenue))
}

// published are the estimates on the CDNOW sample's calibration period:
// BG/NBD from Fader, Hardie & Lee (2005), "Counting your customers the
// easy way", Marketing Science 24(2); Gamma-Gamma from Fader, Hardie & Lee
// (2005b), "RFM and CLV: using iso-value curves for customer base
// analysis", Journal of Marketing Research 42(4), as the lifetimes
// documentation reproduces them.
var published = map[string]float64{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}

var symbol = map[string]string{"alpha": "α", "v": "γ"}

func (p *printer) fits(bg clv.TransactionModel, gg clv.Model) {
	p.printf("2. Models fitted to the calibration period, beside the published estimates: BG/NBD (how often\n")
	p.printf("   customers buy and when they drop out, per week) and Gamma-Gamma (how much they spend per purchase).\n")
	rows := [][]string{{"model", "parameter", "fitted", "published"}}
	for _, m := range []clv.Model{bg, gg} {
		name := "BG/NBD"
		if m.Name() == clv.NameGammaGamma {
			name = "Gamma-Gamma"
		}
		par := m.Params()
		for i, n := range par.Names {
			sym := n
			if s, ok := symbol[n]; ok {
				sym = s
			}
			rows = append(rows, []string{name, sym, strconv.FormatFloat(par.Values[i], 'f', 3, 64), strconv.FormatFloat(published[n], 'f', -1, 64)})
			name = ""
		}
	}
	p.table(rows)
	p.printf("   BG/NBD log-likelihood %.1f (published -9582.4).\n\n", bg.FitInfo().LogLikelihood)
}

func (p *printer) holdout(v *analysis.Validation) {
	p.printf("3. Holdout check: each model's forecast of the purchase days in the 39 holdout weeks, made from the\n")
	p.printf("   calibration period alone, against what the customers did (valuekit validate shows more).\n")
	rows := [][]string{{"model", "predicted", "actual", "error", "error per customer (RMSE)"}}
	for _, sc := range v.Scores {
		_, share := sc.TotalError()
		rows = append(rows, []string{sc.Name, fmt.Sprintf("%.1f", sc.PredictedTotal), fmt.Sprintf("%.0f", sc.ActualTotal),
			fmt.Sprintf("%+.1f%%", 100*share), fmt.Sprintf("%.3f", sc.RMSE)})
	}
	p.table(rows)
	why := "the smallest error per customer"
	if strings.Contains(v.Reason, "holdout total decides") {
		why = "the errors per customer are within 1 % of each other, and its total is the closest"
	}
	p.printf("   Recommended: %s (%s).\n\n", v.Recommended, why)
}

func (p *printer) topCustomers(s *valuekit.Summary, pred *analysis.Prediction) {
	p.printf("4. Customer lifetime value over the next %d weeks (10 %% a year discount, Gamma-Gamma spend), refitted on\n", horizon)
	p.printf("   all 78 weeks with %s: the top %d customers, with P(alive) and expected purchases.\n", pred.Model.Name(), top)
	order := make([]int, s.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case pred.CLV[i] > pred.CLV[j]:
			return -1
		case pred.CLV[i] < pred.CLV[j]:
			return 1
		}
		return 0
	})
	rows := [][]string{{"customer", "purchase days", "revenue", "P(alive)", "expected purchases", "CLV"}}
	for _, i := range order[:top] {
		rows = append(rows, []string{s.CustomerID[i], fmt.Sprintf("%.0f", s.Frequency[i]+1), money(s.Revenue[i]),
			fmt.Sprintf("%.3f", pred.PAlive[i]), fmt.Sprintf("%.2f", pred.ExpectedPurchases[i]), money(pred.CLV[i])})
	}
	p.table(rows)
	var total float64
	for _, v := range pred.CLV {
		total += v
	}
	p.printf("   All %d customers together: CLV %s.\n\n", s.Len(), money(total))
}

func (p *printer) segments(ctx context.Context, s *valuekit.Summary, pred *analysis.Prediction) error {
	p.printf("5. Segments. The profit × experience quadrant needs feedback scores, which the CDNOW sample lacks\n")
	p.printf("   (go run ./examples/segments shows it on testdata/shop_events.csv). Value tiers need only CLV:\n")
	p.printf("   A are the top customers making 80 %% of it, B the next 15 %%, C the rest.\n")
	g, err := analysis.Segment(ctx, s, analysis.SegmentOptions{
		Scheme: "abc", Value: "clv",
		Model: &analysis.ModelValueOptions{
			Model: pred.Model, Spend: analysis.Spend{Model: pred.SpendModel},
			Horizon: horizon, DiscountRate: analysis.AnnualRate(annualRate, valuekit.Week, false),
		},
	})
	if err != nil {
		return err
	}
	pf, err := g.Portfolio(nil)
	if err != nil {
		return err
	}
	pct := func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
	rows := [][]string{{"tier", "customers", "share of customers", "CLV", "share of CLV", "mean P(alive)"}}
	for _, r := range append(slices.Clone(pf.Rows), pf.Total) {
		rows = append(rows, []string{r.Segment, strconv.Itoa(r.Customers), pct(r.CustomerShare), money(r.TotalValue),
			pct(r.ValueShare), fmt.Sprintf("%.3f", r.MeanPAlive)})
	}
	p.table(rows)
	return nil
}
