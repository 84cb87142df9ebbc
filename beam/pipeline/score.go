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
	"github.com/valuekit/valuekit/table"
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
	var t *table.Table
	if s.Len() == 0 {
		t = emptyTable()
	} else {
		po := f.O.predictOptions()
		po.Model = tm
		if gg != nil {
			po.Spend = analysis.Spend{Model: gg}
		}
		p, err := analysis.Predict(ctx, s, po)
		if err != nil {
			return 0, fmt.Errorf("shard %d: %w", shard, err)
		}
		t = p.Table()
	}
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

// emptyTable is the output of a shard without customers: the header only.
func emptyTable() *table.Table {
	var t table.Table
	for _, name := range []string{"customer_id", "expected_purchases", "p_alive", "clv"} {
		t.Columns = append(t.Columns, table.Column{Name: name, Kind: table.FloatColumn})
	}
	t.Columns[0] = table.Column{Name: "customer_id", Kind: table.StringColumn}
	return &t
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
