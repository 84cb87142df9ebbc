package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/parquet"
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
	// CounterRanges counts the ranges large CSV files were cut into.
	CounterRanges = "csv_ranges"
)

func (f *readFn) Setup() {
	f.rows = beam.NewCounter("valuekit", CounterRows)
	f.badRows = beam.NewCounter("valuekit", CounterBadRows)
	f.events = beam.NewCounter("valuekit", CounterEvents)
}

// fileRange is the unit of reading: a whole file, or a range of records of
// a plain CSV file.
type fileRange struct {
	File  fileio.ReadableFile
	Whole bool
	Range valuekit.CSVRange
}

// splitFn emits the ranges of the large plain CSV files (see
// Options.SplitBytes) and every other file whole.
type splitFn struct {
	O Options

	ranges beam.Counter
}

func (f *splitFn) Setup() { f.ranges = beam.NewCounter("valuekit", CounterRanges) }

func (f *splitFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(fileRange)) error {
	name := path.Base(file.Metadata.Path)
	every := f.O.splitBytes()
	if every == 0 || file.Metadata.Size <= every || format(name, f.O.Format) != "csv" || strings.HasSuffix(strings.ToLower(name), ".gz") {
		emit(fileRange{File: file, Whole: true})
		return nil
	}
	ro, err := f.O.readOptions()
	if err != nil {
		return err
	}
	rc, err := file.Open(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer rc.Close()
	ranges, err := valuekit.CSVRanges(rc, name, every, ro)
	if errors.Is(err, valuekit.ErrOption) {
		emit(fileRange{File: file, Whole: true}) // compressed after all: read whole
		return nil
	}
	if err != nil {
		return err
	}
	if len(ranges) == 0 { // a header alone: read whole, as any small file is
		emit(fileRange{File: file, Whole: true})
		return nil
	}
	for _, rg := range ranges {
		emit(fileRange{File: file, Range: rg})
	}
	f.ranges.Inc(ctx, int64(len(ranges)))
	return nil
}

// openRange returns readers of the file from its start (for the header)
// and from the range's start to its end.
func openRange(ctx context.Context, fr fileRange) (header, body io.ReadCloser, err error) {
	if header, err = fr.File.Open(ctx); err != nil {
		return nil, nil, err
	}
	if body, err = fr.File.Open(ctx); err != nil {
		header.Close()
		return nil, nil, err
	}
	if sk, ok := body.(io.Seeker); ok {
		_, err = sk.Seek(fr.Range.Start, io.SeekStart)
	} else { // object stores: read up to the start, as Beam's textio does
		_, err = io.CopyN(io.Discard, body, fr.Range.Start)
	}
	if err != nil {
		header.Close()
		body.Close()
		return nil, nil, err
	}
	return header, body, nil
}

func (f *readFn) ProcessElement(ctx context.Context, fr fileRange, emit func(int, *valuekit.Accumulator), dead func(string), latest func(int64)) error {
	ro, err := f.O.readOptions()
	if err != nil {
		return err
	}
	file := fr.File
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
		var er *valuekit.EventReader
		if fr.Whole {
			rc, err := file.Open(ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			defer rc.Close()
			if er, err = valuekit.NewCSVReader(rc, name, ro); err != nil {
				return err
			}
		} else {
			header, body, err := openRange(ctx, fr)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			defer header.Close()
			defer body.Close()
			var r io.Reader = body
			if fr.Range.End != math.MaxInt64 {
				r = io.LimitReader(body, fr.Range.End-fr.Range.Start)
			}
			if er, err = valuekit.NewCSVRangeReader(header, r, name, fr.Range, ro); err != nil {
				return err
			}
		}
		if bad, nbad, rows, err = r.drain(er); err != nil {
			return err
		}
	case "parquet":
		// Streamed row group by row group where the filesystem gives
		// random access (local files); read whole otherwise.
		rc, err := file.Open(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		var er *valuekit.EventReader
		if ra, ok := rc.(parquet.ReaderAtSeeker); ok {
			er, err = valuekit.NewParquetReader(ra, name, ro)
		} else {
			var data []byte
			if data, err = io.ReadAll(rc); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			er, err = valuekit.NewParquetReader(bytes.NewReader(data), name, ro)
		}
		if err != nil {
			return err
		}
		defer er.Close()
		if bad, nbad, rows, err = r.drain(er); err != nil {
			return err
		}
	default:
		data, err := file.Read(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		ev, err := valuekit.ReadIPC(bytes.NewReader(data), name, ro)
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

// router shares tables of events out to the shards' accumulators by
// customer. The shard of each customer is hashed once per distinct id (the
// readers' batches share one dictionary); each shard takes its rows with
// Accumulator.AddRows, without a copy of the events.
type router struct {
	accs   []*valuekit.Accumulator
	events int
	latest int64
	rows   [][]int32 // by shard: the rows of the current table, reused

	dict    *valuekit.Dictionary
	shardOf []int32 // by customer code of dict
}

func (r *router) add(ev *valuekit.Events) error {
	n := len(r.accs)
	if r.rows == nil {
		r.rows = make([][]int32, n)
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
	for k := range r.rows {
		r.rows[k] = r.rows[k][:0]
	}
	times := ev.Times()
	for i, c := range ev.Customers() {
		k := r.shardOf[c]
		r.rows[k] = append(r.rows[k], int32(i))
		r.latest = max(r.latest, times[i])
	}
	r.events += ev.Len()
	for k, rows := range r.rows {
		if len(rows) == 0 {
			continue
		}
		if err := r.accs[k].AddRows(ev, rows); err != nil {
			return err
		}
	}
	return nil
}

// drain routes every batch of er and returns its bad rows and the rows read.
func (r *router) drain(er *valuekit.EventReader) (bad []*valuekit.RowError, nbad, rows int, err error) {
	for er.Next() {
		if err := r.add(er.Events()); err != nil {
			return nil, 0, 0, err
		}
	}
	if err := er.Err(); err != nil {
		return nil, 0, 0, err
	}
	bad, nbad = er.BadRows()
	return bad, nbad, er.Rows(), nil
}
