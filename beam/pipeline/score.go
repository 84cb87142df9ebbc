package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
)

// scoreFn scores a shard's customers with the fitted models — the call the
// CLI's predict makes — and writes their rows to the shard's output file.
// It emits the number of customers written.
type scoreFn struct {
	O Options

	customers beam.Counter
}

func (f *scoreFn) Setup() { f.customers = beam.NewCounter("valuekit", "customers_scored") }

func (f *scoreFn) ProcessElement(ctx context.Context, shard int, a *valuekit.Accumulator, end int64, modelsJSON string) (int, error) {
	var m Models
	if err := json.Unmarshal([]byte(modelsJSON), &m); err != nil {
		return 0, err
	}
	tm, gg, err := m.load()
	if err != nil {
		return 0, err
	}
	s, err := a.SummaryAt(time.UnixMicro(end).UTC())
	if err != nil {
		return 0, err
	}
	path := fmt.Sprintf("%s-customers-%05d-of-%05d.%s", f.O.Output, shard, f.O.Shards, f.O.OutputFormat)
	p, err := predict(ctx, s, f.O, tm, gg)
	if err != nil {
		return 0, fmt.Errorf("shard %d: %w", shard, err)
	}
	t := p.Table()
	write := t.WriteCSV
	if f.O.OutputFormat == "parquet" {
		write = func(w io.Writer) error { return valuekit.WriteTableParquet(w, t) }
	}
	if err := writeFile(ctx, path, write); err != nil {
		return 0, err
	}
	f.customers.Inc(ctx, int64(s.Len()))
	return s.Len(), nil
}

// predict scores the customers of a shard's summary with the fitted
// models: analysis.Predict, the CLI's call. A shard without a customer
// with a purchase in the period (no customers, or only refunds, referrals
// and feedback) has nothing for Predict to score; its customers get the
// rows Predict gives unscored customers (expected purchases and CLV 0,
// p_alive and spend empty), so every shard file has the same columns.
func predict(ctx context.Context, s *customers.Summary, o Options, tm clv.TransactionModel, gg *clv.GammaGamma) (*analysis.Prediction, error) {
	if !hasPurchase(s) {
		n := s.Len()
		return &analysis.Prediction{
			CustomerID: s.CustomerID, Scored: make([]bool, n),
			ExpectedPurchases: make([]float64, n), PAlive: make([]float64, n), CLV: make([]float64, n),
			Spend: make([]float64, n), Model: tm, SpendModel: gg,
		}, nil
	}
	po := o.predictOptions()
	po.Model = tm
	if gg != nil {
		po.Spend = analysis.Spend{Model: gg}
	}
	return analysis.Predict(ctx, s, po)
}

// hasPurchase tells whether some customer of s has a purchase in the
// period: the customers analysis.ModelRows gives the models.
func hasPurchase(s *customers.Summary) bool {
	for _, p := range s.Purchases {
		if p > 0 {
			return true
		}
	}
	return false
}

// writeFile writes path through Beam's filesystems (local paths, gs://,
// …).
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return err
	}
	if err := write(w); err != nil {
		w.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return w.Close()
}

// writeModelsFn writes the fitted models as JSON.
type writeModelsFn struct {
	O Options
}

func (f *writeModelsFn) ProcessElement(ctx context.Context, modelsJSON string) error {
	return writeFile(ctx, f.O.Output+"-models.json", func(w io.Writer) error {
		_, err := io.WriteString(w, modelsJSON+"\n")
		return err
	})
}
