package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"

	"github.com/valuekit/valuekit"
)

// readFn reads one event file with the root module's readers and routes its
// events by customer to Shards accumulators, emitting every shard's
// accumulator (empty ones too), the file's bad rows as dead letters and the
// time of its latest event.
type readFn struct {
	O Options

	rows    beam.Counter
	badRows beam.Counter
	events  beam.Counter
}

// The counters of reading: rows = events + bad_rows. Of the events, the
// summaries count those up to the end (Models.Events) and leave out those
// after it (Models.AfterEnd).
const (
	CounterRows    = "rows"
	CounterBadRows = "bad_rows"
	CounterEvents  = "events"
	// CounterCustomers counts the customers scored.
	CounterCustomers = "customers_scored"
)

func (f *readFn) Setup() {
	f.rows = beam.NewCounter("valuekit", CounterRows)
	f.badRows = beam.NewCounter("valuekit", CounterBadRows)
	f.events = beam.NewCounter("valuekit", CounterEvents)
}

func (f *readFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(int, *valuekit.Accumulator), dead func(string), latest func(int64)) error {
	ro, err := f.O.readOptions()
	if err != nil {
		return err
	}
	name := path.Base(file.Metadata.Path)
	accs := make([]*valuekit.Accumulator, f.O.Shards)
	for k := range accs {
		if accs[k], err = valuekit.NewAccumulator(f.O.summaryOptions()); err != nil {
			return err
		}
	}
	r := &router{accs: accs}
	var bad []*valuekit.RowError
	var rows, nbad int
	switch format(name, f.O.Format) {
	case "csv":
		rc, err := file.Open(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		er, err := valuekit.NewCSVReader(rc, name, ro)
		if err != nil {
			return err
		}
		for er.Next() {
			if err := r.add(er.Events()); err != nil {
				return err
			}
		}
		if err := er.Err(); err != nil {
			return err
		}
		bad, nbad = er.BadRows()
		rows = er.Rows()
	default:
		data, err := file.Read(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		var ev *valuekit.Events
		if format(name, f.O.Format) == "parquet" {
			ev, err = valuekit.ReadParquet(bytes.NewReader(data), name, ro)
		} else {
			ev, err = valuekit.ReadIPC(bytes.NewReader(data), name, ro)
		}
		if err != nil {
			return err
		}
		if err := r.add(ev); err != nil {
			return err
		}
		bad, nbad = ev.BadRows, ev.BadRowCount
		rows = ev.Len() + nbad
	}
	if len(bad) != nbad {
		// Not expected: ReadOptions.MaxBadRows is 0 (keep all).
		return fmt.Errorf("%s: %d bad rows, %d kept for the dead letters", name, nbad, len(bad))
	}
	for _, b := range bad {
		dead(deadLetter(b))
	}
	f.rows.Inc(ctx, int64(rows))
	f.badRows.Inc(ctx, int64(nbad))
	f.events.Inc(ctx, int64(r.events))
	for k, a := range accs {
		emit(k, a)
	}
	if r.events > 0 {
		latest(r.latest)
	}
	return nil
}

// format is the format a file is read as: the forced one, or by extension.
func format(name, forced string) string {
	if forced != "" {
		return forced
	}
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".parquet"), strings.HasSuffix(lower, ".pq"):
		return "parquet"
	case strings.HasSuffix(lower, ".arrow"), strings.HasSuffix(lower, ".ipc"), strings.HasSuffix(lower, ".feather"), strings.HasSuffix(lower, ".arrows"):
		return "arrow"
	}
	return "csv"
}

// deadLetter formats a bad row as a CSV record: file, row, column, value,
// reason.
func deadLetter(e *valuekit.RowError) string {
	var b []byte
	for k, f := range []string{e.File, strconv.Itoa(e.Row), e.Column, e.Value, e.Reason} {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendField(b, f)
	}
	return string(b)
}

func appendField(b []byte, f string) []byte {
	if !strings.ContainsAny(f, ",\"\r\n") && !strings.HasPrefix(f, " ") {
		return append(b, f...)
	}
	return append(append(b, '"'), append([]byte(strings.ReplaceAll(f, `"`, `""`)), '"')...)
}

// shardOf returns the shard of a customer id: FNV-1a, so that every worker
// and every run agrees.
func shardOf(id string, shards int) int {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64() % uint64(shards))
}

// router splits tables of events by customer shard. The shard of each
// customer is hashed once per distinct id (the readers' batches share one
// dictionary), and each shard's columns are sized by a counting pass and
// reused across batches.
type router struct {
	accs   []*valuekit.Accumulator
	events int
	latest int64
	cols   []valuekit.EventColumns

	dict    *valuekit.Dictionary
	shardOf []int32 // by customer code of dict
	counts  []int
}

func (r *router) add(ev *valuekit.Events) error {
	n := len(r.accs)
	if r.cols == nil {
		r.cols, r.counts = make([]valuekit.EventColumns, n), make([]int, n)
	}
	if r.events == 0 {
		r.latest = math.MinInt64
	}
	d := ev.Dictionary()
	if d != r.dict {
		r.dict, r.shardOf = d, r.shardOf[:0]
	}
	for c := len(r.shardOf); c < d.Len(); c++ {
		r.shardOf = append(r.shardOf, int32(shardOf(d.ID(int32(c)), n)))
	}
	codes, times, kinds, amounts := ev.Customers(), ev.Times(), ev.Kinds(), ev.Amounts()
	costs, quantities, referred := ev.Costs(), ev.Quantities(), ev.Referred()
	scores, hasScore := ev.Scores()
	clear(r.counts)
	for _, c := range codes {
		r.counts[r.shardOf[c]]++
	}
	for k := range r.cols {
		c, m := &r.cols[k], r.counts[k]
		c.CustomerID, c.Time, c.Kind, c.Amount = resize(c.CustomerID, m), resize(c.Time, m), resize(c.Kind, m), resize(c.Amount, m)
		c.Cost, c.Quantity, c.ReferredID = resizeIf(c.Cost, m, costs != nil), resizeIf(c.Quantity, m, quantities != nil), resizeIf(c.ReferredID, m, referred != nil)
		c.Score, c.HasScore = resizeIf(c.Score, m, scores != nil), resizeIf(c.HasScore, m, scores != nil)
	}
	for i, code := range codes {
		c := &r.cols[r.shardOf[code]]
		c.CustomerID = append(c.CustomerID, d.ID(code))
		c.Time = append(c.Time, times[i])
		c.Kind = append(c.Kind, kinds[i])
		c.Amount = append(c.Amount, amounts[i])
		if costs != nil {
			c.Cost = append(c.Cost, costs[i])
		}
		if quantities != nil {
			c.Quantity = append(c.Quantity, quantities[i])
		}
		if referred != nil {
			ref := ""
			if referred[i] >= 0 {
				ref = d.ID(referred[i])
			}
			c.ReferredID = append(c.ReferredID, ref)
		}
		if scores != nil {
			c.Score = append(c.Score, scores[i])
			c.HasScore = append(c.HasScore, hasScore[i])
		}
		r.latest = max(r.latest, times[i])
	}
	r.events += ev.Len()
	for k, c := range r.cols {
		if len(c.CustomerID) == 0 {
			continue
		}
		// NewEventsFromColumns copies the columns, so they are reused.
		part, err := valuekit.NewEventsFromColumns(c)
		if err != nil {
			return err
		}
		if err := r.accs[k].Add(part); err != nil {
			return err
		}
	}
	return nil
}

// resize returns s emptied, with room for m elements.
func resize[T any](s []T, m int) []T {
	if cap(s) < m {
		return make([]T, 0, m)
	}
	return s[:0]
}

// resizeIf is resize when the column is present, else nil.
func resizeIf[T any](s []T, m int, present bool) []T {
	if !present {
		return nil
	}
	return resize(s, m)
}
