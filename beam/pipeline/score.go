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

// Scored is a shard's scored customers: the columns of analysis.Prediction
// the output needs, in summary order, and each customer's share events (for
// share and total value). It crosses one shuffle, from scoring to writing,
// so that referral credits from other shards can join it.
type Scored struct {
	CustomerID                            []string
	Scored                                []bool
	ExpectedPurchases, PAlive, CLV, Spend []float64
	Shares                                []int32
	// The prediction's inputs, as valuekit predict writes them after its
	// model columns.
	Frequency, Recency, T, MonetaryValue []float64
	// Experience and ExperienceCount (the summary's) are set for the
	// quadrant only.
	Experience      []float64
	ExperienceCount []int32
	// RFM holds the RFM inputs, for the RFM scores only.
	RFM RFMData
}

// scoreFn scores a shard's customers with the fitted models — the call the
// CLI's predict makes — and, for the referral pairs whose referred customer
// lives in this shard, credits each referrer (see referral.go). It emits
// the shard's scored customers and the credits, keyed by the referrer's
// shard.
type scoreFn struct {
	O Options

	customers beam.Counter
}

func (f *scoreFn) Setup() { f.customers = beam.NewCounter("valuekit", CounterCustomers) }

func (f *scoreFn) ProcessElement(ctx context.Context, shard int, accs func(**valuekit.Accumulator) bool, pairs func(*Pairs) bool, end int64, modelsJSON string, emitScored func(int, Scored), emitCredits func(int, Credits)) error {
	m, tm, gg, err := loadModels(modelsJSON)
	if err != nil {
		return err
	}
	a, err := oneAccumulator(accs, f.O)
	if err != nil {
		return err
	}
	s, err := a.SummaryAt(time.UnixMicro(end).UTC())
	if err != nil {
		return err
	}
	p, err := predict(ctx, s, f.O, tm, gg)
	if err != nil {
		return fmt.Errorf("shard %d: %w", shard, err)
	}
	if m.Referrals {
		b := newBatches[Credit](f.O.Shards)
		credits(s.CustomerID, p.CLV, flatten(pairs, func(b Pairs) []Pair { return b.List }), f.O.ReferralShare,
			func(c Credit) { b.add(shardOf(c.Referrer, f.O.Shards), c) })
		b.emit(func(k int, list []Credit) { emitCredits(k, Credits{List: list}) })
	}
	sc := Scored{
		CustomerID: p.CustomerID, Scored: p.Scored,
		ExpectedPurchases: p.ExpectedPurchases, PAlive: p.PAlive, CLV: p.CLV, Spend: p.Spend,
		Shares:    s.Shares,
		Frequency: s.Frequency, Recency: s.Recency, T: s.T, MonetaryValue: s.MonetaryValue,
	}
	switch f.O.Segments {
	case "quadrant":
		sc.Experience, sc.ExperienceCount = s.Experience, s.ExperienceCount
		if sc.ExperienceCount == nil { // no score column in this shard's events
			sc.Experience, sc.ExperienceCount = make([]float64, s.Len()), make([]int32, s.Len())
		}
	case "rfm":
		sc.RFM = rfmDataOf(s)
	}
	emitScored(shard, sc)
	f.customers.Inc(ctx, int64(s.Len()))
	return nil
}

// oneAccumulator returns the shard's accumulator from a grouping: the one
// the merge produced, or an empty one.
func oneAccumulator(accs func(**valuekit.Accumulator) bool, o Options) (*valuekit.Accumulator, error) {
	var a, next *valuekit.Accumulator
	for accs(&next) {
		if a == nil {
			a = next
			continue
		}
		if err := a.Merge(next); err != nil {
			return nil, err
		}
	}
	if a == nil {
		return valuekit.NewAccumulator(o.summaryOptions())
	}
	return a, nil
}

func loadModels(modelsJSON string) (Models, clv.TransactionModel, *clv.GammaGamma, error) {
	var m Models
	if err := json.Unmarshal([]byte(modelsJSON), &m); err != nil {
		return m, nil, nil, fmt.Errorf("models: %w", err)
	}
	tm, gg, err := m.load()
	return m, tm, gg, err
}

// writeFn writes a shard's customers with the CLI's predict columns: with
// referrals anywhere in the base, their referral value (the credits from
// every shard) and total value. It emits the number of customers written.
type writeFn struct {
	O Options
}

func (f *writeFn) ProcessElement(ctx context.Context, shard int, scored func(*Scored) bool, credits func(*Credits) bool, modelsJSON string) (int, error) {
	m, tm, gg, err := loadModels(modelsJSON)
	if err != nil {
		return 0, err
	}
	var sc Scored
	for n := 0; scored(&sc); n++ {
		if n > 0 {
			return 0, fmt.Errorf("shard %d scored twice", shard)
		}
	}
	p := &analysis.Prediction{
		CustomerID: sc.CustomerID, Scored: sc.Scored,
		ExpectedPurchases: sc.ExpectedPurchases, PAlive: sc.PAlive, CLV: sc.CLV, Spend: sc.Spend,
		Frequency: sc.Frequency, Recency: sc.Recency, T: sc.T, MonetaryValue: sc.MonetaryValue,
		Model: tm, SpendModel: gg,
	}
	if m.Referrals {
		if err := addReferralValue(p, sc.Shares, flatten(credits, func(b Credits) []Credit { return b.List }), f.O.ValuePerShare); err != nil {
			return 0, fmt.Errorf("shard %d: %w", shard, err)
		}
	}
	t := p.Table()
	write := t.WriteCSV
	if f.O.OutputFormat == "parquet" {
		write = func(w io.Writer) error { return valuekit.WriteTableParquet(w, t) }
	}
	path := fmt.Sprintf("%s-customers-%05d-of-%05d.%s", f.O.Output, shard, f.O.Shards, f.O.OutputFormat)
	if err := writeFile(ctx, path, write); err != nil {
		return 0, err
	}
	return len(sc.CustomerID), nil
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
