// Command referrals shows the referral side of valuekit on a shop's event
// log: each customer's own CLV, the value of the customers they brought in
// (referral value) and their total value; the CLV × referral classes
// (champions, affluents, advocates, misers) with their portfolio; and the
// seed customers of highest total value, the audience a lookalike campaign
// expands from. Run it from the module root:
//
//	go run ./examples/referrals
//	go run ./examples/referrals -data other_events.csv -seeds 20
//
// The file needs referral events (kind "referral" with a referred_id).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/segment"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "referrals:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("referrals", flag.ContinueOnError)
	path := fs.String("data", "testdata/shop_events.csv", "event file with referral events")
	share := fs.Float64("share", 1, "share of a referred customer's CLV credited to the referrer, 0..1")
	nSeeds := fs.Int("seeds", 10, "number of seed customers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	s, _, err := valuekit.SummarizeFile(ctx, *path, nil, &valuekit.SummaryOptions{Unit: valuekit.Week})
	if err != nil {
		return err
	}
	if !analysis.HasReferrals(s) {
		return fmt.Errorf("%s has no referral events: nothing to credit", *path)
	}
	fmt.Fprintf(w, "%d customers, observed to %s (weekly).\n\n", s.Len(), s.End.Format(time.DateOnly))

	// Own CLV from BG/NBD with the mean revenue per purchase day as the
	// spend (60 customers are too few for a Gamma-Gamma fit), then referral
	// and total value: the call `valuekit predict --model bgnbd` makes.
	p, err := analysis.Predict(ctx, s, analysis.PredictOptions{
		ModelName: clv.NameBGNBD,
		Horizon:   52, DiscountRate: analysis.AnnualRate(0.1, valuekit.Week, false),
		ReferralShare: *share, Report: func(string) {},
	})
	if err != nil {
		return err
	}
	var own, ref, total float64
	for i := range p.CLV {
		own += p.CLV[i]
		ref += p.ReferralValue[i]
		total += p.TotalValue[i]
	}
	fmt.Fprintf(w, "1. Value over the next 52 weeks: own CLV %.2f, referral value %.2f (%.0f%% of own), total %.2f.\n",
		own, ref, 100*ref/own, total)
	fmt.Fprintf(w, "   A referrer is credited with %.0f%% of the CLV of each customer they brought in.\n\n", 100**share)

	// CLV × referral classes and their portfolio.
	g, err := analysis.Segment(ctx, s, analysis.SegmentOptions{
		Scheme: "referral", Grid: segment.ReferralValue(), Value: "clv", ReferralShare: *share,
		Model: &analysis.ModelValueOptions{ModelName: clv.NameBGNBD,
			Horizon: 52, DiscountRate: analysis.AnnualRate(0.1, valuekit.Week, false)},
		Portfolio: true,
	})
	if err != nil {
		return err
	}
	pf, err := g.Portfolio(nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "2. CLV × referral value: champions are worth much and bring in much; affluents are worth much")
	fmt.Fprintln(w, "   themselves; advocates bring others in; misers do neither.")
	if err := pf.WriteText(w); err != nil {
		return err
	}

	// Seeds: the customers of highest total value.
	seeds, err := segment.Seeds(p.CLV, p.ReferralValue, *nSeeds)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n3. The %d seed customers of highest total value (own + referral), for lookalike targeting:\n", len(seeds))
	fmt.Fprintf(w, "   %-10s %10s %10s %10s %9s\n", "customer", "own", "referral", "total", "referred")
	for _, sd := range seeds {
		refd := append([]string(nil), s.ReferredOf(sd.Index)...)
		sort.Strings(refd)
		fmt.Fprintf(w, "   %-10s %10.2f %10.2f %10.2f %9d\n", s.CustomerID[sd.Index], sd.Own, sd.Referral, sd.Total, len(refd))
	}
	return nil
}
