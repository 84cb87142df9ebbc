// Command valuekit-beam runs valuekit's summary, fits and per-customer
// scoring as an Apache Beam pipeline: on the in-process Prism runner by
// default, or on Flink, Spark or Dataflow with --runner and that runner's
// flags (see Beam's documentation). The mapping flags are the valuekit
// CLI's.
//
//	valuekit-beam --input 'exports/orders-*.csv.gz' --customer client --time order_date \
//	    --amount total --unit week --output out/clv
//
// Flags shared with valuekit predict (mapping, --unit, --end, --margin,
// --horizon, --discount-rate, --annual-discount-rate, --continuous,
// --referral-share, --value-per-share) mean the same and have the same
// defaults; spend always comes from a fitted Gamma-Gamma model (valuekit
// predict --spend gg) and there are no intervals (--intervals 0).
//
// writes out/clv-customers-SSSSS-of-NNNNN.csv (the CLI's predict columns),
// out/clv-models.json and out/clv-dead-letters.csv; with --segments abc
// also out/clv-segments-SSSSS-of-NNNNN.csv (valuekit segment --scheme abc
// --profit clv's columns), out/clv-tiers.json and the per-segment
// portfolio out/clv-portfolio.csv and .json (valuekit segment --scheme abc
// --profit clv --model … --spend gg --portfolio's table, with --budget,
// --allocation and --at-risk as there); --segments quadrant likewise.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/beam/pipeline"
)

func main() {
	var o pipeline.Options
	var kindMap string
	flag.StringVar(&o.Input, "input", "", "event files: a glob pattern (CSV, CSV.gz, Parquet, Arrow IPC)")
	flag.StringVar(&o.Format, "input-format", "", "force the input format: csv, parquet or arrow (default: by extension)")
	flag.StringVar(&o.Columns.Customer, "customer", "", "customer id column")
	flag.StringVar(&o.Columns.Time, "time", "", "time column")
	flag.StringVar(&o.Columns.Kind, "kind", "", "event kind column")
	flag.StringVar(&o.Columns.Amount, "amount", "", "amount column")
	flag.StringVar(&o.Columns.Cost, "cost", "", "cost column")
	flag.StringVar(&o.Columns.Quantity, "quantity", "", "quantity column")
	flag.StringVar(&o.Columns.ReferredID, "referred", "", "referred customer id column")
	flag.StringVar(&o.Columns.Score, "score", "", "experience score column")
	flag.StringVar(&o.TimeLayout, "time-format", "", "Go time layout (default: detected)")
	flag.StringVar(&kindMap, "kind-map", "", "export words to kinds, e.g. order=purchase,return=refund")
	flag.StringVar(&o.Comma, "sep", "", "CSV separator (default ,)")
	flag.StringVar(&o.Unit, "unit", "day", "time unit of recency and T: day, week, month (1/12 year) or year")
	flag.StringVar(&o.End, "end", "", "last day observed, YYYY-MM-DD (default: the latest event)")
	flag.Float64Var(&o.Margin, "margin", 0, "profit margin in [0,1] for the profit column when there is no cost column, and applied to spend in CLV")
	flag.IntVar(&o.Shards, "shards", 64, "customer shards")
	flag.Int64Var(&o.SplitBytes, "split-bytes", 256<<20, "cut plain CSV files larger than this into ranges of about this size, read by different workers (negative: never)")
	flag.StringVar(&o.Model, "model", "bgnbd", "transaction model: bgnbd, pnbd or mbgnbd")
	spend := flag.String("spend", "gg", "spend per purchase: gg (the Gamma-Gamma model fitted to the input; the only choice here)")
	spendModel := flag.String("spend-model", "", "the same as --spend")
	flag.Float64Var(&o.Horizon, "horizon", 0, "horizon of the prediction in the data's unit (default: one year: 365 days, 52 weeks, 12 months or 1 year)")
	flag.Float64Var(&o.DiscountRate, "discount-rate", 0, "discount rate per unit of time (see --annual-discount-rate)")
	flag.Float64Var(&o.AnnualDiscount, "annual-discount-rate", 0, "discount rate per year, converted to the data's unit: (1+a)^(1/n)−1 per unit, or ln(1+a)/n with --continuous, n units a year (instead of --discount-rate)")
	flag.BoolVar(&o.Continuous, "continuous", false, "discount continuously, exp(-rate·t), instead of per unit")
	flag.Float64Var(&o.ReferralShare, "referral-share", 1, "share of a referred customer's CLV credited to the referrer, in [0,1]")
	flag.Float64Var(&o.ValuePerShare, "value-per-share", 0, "value credited per share event (the influence part of total value)")
	flag.StringVar(&o.Segments, "segments", "", "abc: A/B/C tiers of CLV (PREFIX-segments-*.csv: customer_id, clv, segment; PREFIX-tiers.json); quadrant: CLV × experience at the global medians (customer_id, clv, experience, segment; PREFIX-quadrant.json); both also write the per-segment portfolio PREFIX-portfolio.csv and .json (valuekit segment --portfolio's table); rfm: RFM quintiles at global cuts (valuekit rfm columns: PREFIX-rfm-*.csv; PREFIX-rfm.json)")
	flag.Float64Var(&o.Budget, "budget", 0, "with --segments abc or quadrant: budget to allocate across segments in PREFIX-portfolio.csv")
	flag.StringVar(&o.Allocation, "allocation", "value", "with --segments abc or quadrant and --budget: allocate by value, risk (value at risk) or equal")
	flag.Float64Var(&o.AtRisk, "at-risk", 0.5, "with --segments abc or quadrant: P(alive) below which a customer counts as likely lost in the portfolio, in (0,1]")
	flag.StringVar(&o.Output, "output", "", "output prefix, e.g. out/clv")
	format := flag.String("format", "", "per-customer output shards: csv (default) or parquet")
	outputFormat := flag.String("output-format", "", "the same as --format")
	flag.Parse()
	beam.Init()
	if o.Segments != "abc" && o.Segments != "quadrant" {
		flag.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "budget", "allocation", "at-risk":
				fmt.Fprintf(os.Stderr, "valuekit-beam: --%s applies to the portfolio of --segments abc or quadrant only\n", f.Name)
				os.Exit(2)
			}
		})
	}
	for _, pair := range []struct {
		name, alias string
		v, av       *string
	}{{"format", "output-format", format, outputFormat}, {"spend", "spend-model", spend, spendModel}} {
		switch {
		case *pair.av == "":
		case *pair.v != "" && *pair.v != *pair.av && (pair.name != "spend" || isSet("spend")):
			fmt.Fprintf(os.Stderr, "valuekit-beam: --%s %q and --%s %q disagree (they are the same flag)\n", pair.name, *pair.v, pair.alias, *pair.av)
			os.Exit(2)
		default:
			*pair.v = *pair.av
		}
	}
	o.OutputFormat = *format
	if o.OutputFormat == "" {
		o.OutputFormat = "csv"
	}
	if *spend != "gg" {
		fmt.Fprintf(os.Stderr, "valuekit-beam: --spend (--spend-model) %q: only gg (the fitted Gamma-Gamma model) is supported\n", *spend)
		os.Exit(2)
	}
	if kindMap != "" {
		o.KindNames = map[string]string{}
		for _, pair := range strings.Split(kindMap, ",") {
			word, kind, ok := strings.Cut(pair, "=")
			if !ok {
				fmt.Fprintf(os.Stderr, "valuekit-beam: --kind-map %q: want word=kind pairs\n", kindMap)
				os.Exit(2)
			}
			o.KindNames[strings.TrimSpace(word)] = strings.TrimSpace(kind)
		}
	}
	p, s := beam.NewPipelineWithRoot()
	if _, err := pipeline.Build(s, o); err != nil {
		fmt.Fprintln(os.Stderr, "valuekit-beam:", err)
		if errors.Is(err, valuekit.ErrOption) {
			os.Exit(2)
		}
		os.Exit(1)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		fmt.Fprintln(os.Stderr, "valuekit-beam:", err)
		os.Exit(1)
	}
}

// isSet reports whether the flag name was given on the command line.
func isSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
