// Command segments shows the segmentation side of valuekit on two event
// files: RFM segments of a small shop's customers and of the CDNOW sample,
// the shop's profit × experience quadrant with a portfolio table (value,
// P(alive) from a BG/NBD fit, value at risk, a budget split), and the
// CDNOW customers' A/B/C value tiers. Run it from the module root:
//
//	go run ./examples/segments
//	go run ./examples/segments -shop other_events.csv -budget 5000
//
// The shop file has the columns customer_id, time, kind, amount, cost,
// referred_id and score (see testdata/README.md); the CDNOW file
// customer_id, date, amount.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/segment"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "segments:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("segments", flag.ContinueOnError)
	shopPath := fs.String("shop", "testdata/shop_events.csv", "event file with costs, feedback scores and referrals")
	cdnowPath := fs.String("cdnow", "testdata/cdnow_sample.csv", "CDNOW sample (customer_id, date, amount)")
	budget := fs.Float64("budget", 1000, "marketing budget to split across the quadrant's segments")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()

	shop, err := summarize(ctx, *shopPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Shop: %d customers, observed to %s\n\nRFM segments\n", shop.Len(), shop.End.Format(time.DateOnly))
	if err := printRFM(w, shop); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nProfit × experience quadrant (profit = revenue − refunds − cost; experience = mean feedback score)\n")
	if err := printQuadrant(ctx, w, shop, *budget); err != nil {
		return err
	}

	cdnow, err := summarize(ctx, *cdnowPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCDNOW: %d customers, observed to %s\n\nRFM segments\n", cdnow.Len(), cdnow.End.Format(time.DateOnly))
	if err := printRFM(w, cdnow); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nA/B/C tiers by revenue (A: the top customers making 80%% of it)\n")
	tiers, err := segment.Tiers(cdnow.Revenue, nil)
	if err != nil {
		return err
	}
	p, err := segment.NewPortfolio(tiers.Assignment, cdnow.Revenue, nil)
	if err != nil {
		return err
	}
	return p.WriteText(w)
}

func summarize(ctx context.Context, path string) (*valuekit.Summary, error) {
	s, _, err := valuekit.SummarizeFile(ctx, path, nil, nil)
	return s, err
}

// printRFM scores the customers with a purchase on recency (days from the
// last purchase to the end of observation), frequency (purchases) and
// monetary value (revenue), names their segments and prints the
// per-segment figures.
func printRFM(w io.Writer, s *valuekit.Summary) error {
	const day = 24 * time.Hour
	end := s.End.Truncate(day)
	var d rfm.Data
	for i := range s.Len() {
		last, ok := s.LastPurchaseTime(i)
		if !ok {
			continue // no purchase: nothing to score
		}
		d.DaysSinceLastPurchase = append(d.DaysSinceLastPurchase, float64(end.Sub(last.Truncate(day))/day))
		d.Purchases = append(d.Purchases, float64(s.Purchases[i]))
		d.Monetary = append(d.Monetary, s.Revenue[i])
	}
	scores, err := rfm.Score(d, nil)
	if err != nil {
		return err
	}
	segs, err := rfm.DefaultTable().Assign(scores)
	if err != nil {
		return err
	}
	stats, err := rfm.Stats(d, scores, segs)
	if err != nil {
		return err
	}
	return rfm.WriteStats(w, stats)
}

// printQuadrant places the customers by profit and mean feedback score
// (those without a score are "unknown") and prints the portfolio, with
// P(alive) from a BG/NBD model fitted to the same customers and the budget
// split by value at risk.
func printQuadrant(ctx context.Context, w io.Writer, s *valuekit.Summary, budget float64) error {
	if s.Profit == nil {
		return fmt.Errorf("the shop file has no cost column, so no profit")
	}
	known := make([]bool, s.Len())
	for i, n := range s.ExperienceCount {
		known[i] = n > 0
	}
	c, err := segment.ProfitExperience().Classify(segment.Col(s.Profit), segment.Column{Values: s.Experience, Known: known})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "cuts at the medians: profit %.2f, experience %.1f\n", c.XCuts[0], c.YCuts[0])

	// P(alive) of the customers with a purchase; the others have not
	// started buying and count as alive.
	alive := make([]float64, s.Len())
	var d clv.Data
	var rows []int
	for i := range s.Len() {
		alive[i] = 1
		if s.Purchases[i] > 0 {
			rows = append(rows, i)
			d.Frequency = append(d.Frequency, s.Frequency[i])
			d.Recency = append(d.Recency, s.Recency[i])
			d.T = append(d.T, s.T[i])
		}
	}
	m, err := clv.Fit(ctx, clv.NameBGNBD, d, nil)
	if err != nil {
		return err
	}
	p := make([]float64, len(rows))
	if err := clv.Score(ctx, nil, p, m.(clv.TransactionModel), d, 0); err != nil {
		return err
	}
	for k, i := range rows {
		alive[i] = p[k]
	}
	pf, err := segment.NewPortfolio(c.Assignment, s.Profit, &segment.PortfolioOptions{
		PAlive: alive, Budget: budget, Allocation: segment.ByValueAtRisk,
	})
	if err != nil {
		return err
	}
	return pf.WriteText(w)
}
