// Command valuekit-beam runs valuekit's summary, fits and per-customer
// scoring as an Apache Beam pipeline: on the in-process Prism runner by
// default, or on Flink, Spark or Dataflow with --runner and that runner's
// flags (see Beam's documentation). The mapping flags are the valuekit
// CLI's.
//
//	valuekit-beam --input 'exports/orders-*.csv.gz' --customer client --time order_date \
//	    --amount total --unit week --output out/clv
//
// writes out/clv-customers-SSSSS-of-NNNNN.csv (the CLI's predict columns),
// out/clv-models.json and out/clv-dead-letters.csv.
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
	flag.StringVar(&o.Format, "format", "", "force the input format: csv, parquet or arrow")
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
	flag.StringVar(&o.Unit, "unit", "week", "time unit: day, week, month or year")
	flag.StringVar(&o.End, "end", "", "last day observed, YYYY-MM-DD (default: the latest event)")
	flag.Float64Var(&o.Margin, "margin", 0, "profit margin applied to revenue")
	flag.IntVar(&o.Shards, "shards", 64, "customer shards")
	flag.StringVar(&o.Model, "model", "bgnbd", "transaction model: bgnbd, pnbd or mbgnbd")
	flag.Float64Var(&o.Horizon, "horizon", 0, "horizon in units (default one year)")
	flag.Float64Var(&o.AnnualDiscount, "discount", 0.1, "annual discount rate")
	flag.StringVar(&o.Output, "output", "", "output prefix, e.g. out/clv")
	flag.StringVar(&o.OutputFormat, "output-format", "csv", "per-customer output: csv or parquet")
	flag.Parse()
	beam.Init()
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
