package valuekit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// parquetIter reads the needed columns of a Parquet file in batches, in the
// calling goroutine. (pqarrow's own record reader decodes columns on
// goroutines of its own, where a panic on a corrupt file could not be
// recovered and would end the program.) Columns that are not needed are
// not read; the records hold null arrays in their place.
type parquetIter struct {
	ctx       context.Context
	fr        *pqarrow.FileReader
	mem       memory.Allocator
	schema    *arrow.Schema
	needed    []bool
	readers   []*pqarrow.ColumnReader
	batch     int64
	remaining int64
	rec       arrow.Record
	err       error
	rowGroups []int // the row groups to read; nil for all
}

func newParquetIter(fr *pqarrow.FileReader, schema *arrow.Schema, batch int, mem memory.Allocator) *parquetIter {
	return &parquetIter{ctx: context.Background(), fr: fr, mem: mem, schema: schema, batch: int64(batch),
		remaining: fr.ParquetReader().NumRows(), needed: make([]bool, schema.NumFields())}
}

func (p *parquetIter) Next() bool {
	if p.rec != nil {
		p.rec.Release()
		p.rec = nil
	}
	if p.err != nil || p.remaining <= 0 {
		return false
	}
	if p.readers == nil {
		p.readers = make([]*pqarrow.ColumnReader, len(p.needed))
		for i, need := range p.needed {
			if !need {
				continue
			}
			if p.rowGroups == nil {
				p.readers[i], p.err = p.fr.GetColumn(p.ctx, i)
			} else if f := p.fr.Manifest.Fields[i]; !f.IsLeaf() {
				p.err = fmt.Errorf("column %q is nested", f.Field.Name)
			} else {
				p.readers[i], p.err = p.fr.GetFieldReader(p.ctx, i, map[int]bool{f.ColIndex: true}, p.rowGroups)
			}
			if p.err != nil {
				return false
			}
		}
	}
	n := min(p.batch, p.remaining)
	fields := make([]arrow.Field, len(p.needed))
	cols := make([]arrow.Array, len(p.needed))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, need := range p.needed {
		if !need {
			fields[i] = arrow.Field{Name: p.schema.Field(i).Name, Type: arrow.Null, Nullable: true}
			cols[i] = array.NewNull(int(n))
			continue
		}
		fields[i] = p.schema.Field(i)
		ch, err := p.readers[i].NextBatch(n)
		if err != nil {
			p.err = err
			return false
		}
		var arr arrow.Array
		switch len(ch.Chunks()) {
		case 1:
			arr = ch.Chunk(0)
			arr.Retain()
		default:
			arr, err = array.Concatenate(ch.Chunks(), p.mem)
		}
		ch.Release()
		if err != nil {
			p.err = err
			return false
		}
		cols[i] = arr
		if int64(arr.Len()) != n {
			p.err = fmt.Errorf("column %q has %d values in a batch of %d rows", fields[i].Name, arr.Len(), n)
			return false
		}
	}
	p.rec = array.NewRecord(arrow.NewSchema(fields, nil), cols, n)
	p.remaining -= n
	return true
}

func (p *parquetIter) Record() arrow.Record { return p.rec }
func (p *parquetIter) Err() error           { return p.err }

func (p *parquetIter) Release() {
	if p.rec != nil {
		p.rec.Release()
		p.rec = nil
	}
	for _, r := range p.readers {
		if r != nil {
			r.Release()
		}
	}
	p.readers = nil
}

// Reading Parquet on several cores: the row groups are shared out between
// the workers in runs of about equal rows, each run read by its own
// goroutine into its own Accumulator (with the row numbers its rows have in
// the file, known from the metadata), and the accumulators merged. A panic
// of the decoder on a corrupt file is recovered in the goroutine that met
// it (arrowSource.readRows).

// parquetSplit returns the Arrow source of r and the runs of row groups
// for up to workers goroutines, when r has read nothing yet from a Parquet
// file with more than one row group whose time column needs no layout to
// be detected.
func (r *EventReader) parquetSplit(workers int) (*arrowSource, [][]int) {
	src, ok := r.src.(*arrowSource)
	if !ok || r.ev != nil || r.done || src.rows != 0 || src.rec != nil {
		return nil, nil
	}
	it, ok := src.it.(*parquetIter)
	if !ok || it.readers != nil || it.rowGroups != nil {
		return nil, nil
	}
	if !src.tpSet && isText(it.schema.Field(src.col[fTime]).Type) {
		return nil, nil
	}
	md := it.fr.ParquetReader().MetaData()
	groups := len(md.RowGroups)
	if groups < 2 {
		return nil, nil
	}
	total := md.NumRows
	var runs [][]int
	var run []int
	var rows int64
	for g := range groups {
		run = append(run, g)
		rows += md.RowGroup(g).NumRows()
		if rows >= int64(len(runs)+1)*total/int64(workers) && len(runs) < workers-1 {
			runs, run = append(runs, run), nil
		}
	}
	if run != nil {
		runs = append(runs, run)
	}
	if len(runs) < 2 {
		return nil, nil
	}
	return src, runs
}

// isText reports whether a column of type t holds text (parsed with a
// layout) rather than typed times.
func isText(t arrow.DataType) bool {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		return true
	}
	return false
}

// addParquetSplit reads the runs of row groups of src's file on their own
// goroutines, accumulating the first into acc.
func addParquetSplit(ctx context.Context, acc *Accumulator, src *arrowSource, runs [][]int, sopts *SummaryOptions) error {
	it := src.it.(*parquetIter)
	md := it.fr.ParquetReader().MetaData()
	type part struct {
		src   *arrowSource
		acc   *Accumulator
		start int // rows in the file before the part
		err   error
	}
	parts := make([]*part, len(runs))
	var before int64 // rows in the row groups before the run
	for k, run := range runs {
		pit := &parquetIter{ctx: it.ctx, fr: it.fr, mem: it.mem, schema: it.schema, batch: it.batch, needed: it.needed, rowGroups: run}
		for _, g := range run {
			pit.remaining += md.RowGroup(g).NumRows()
		}
		ps := &arrowSource{name: src.name, opts: src.opts, it: pit, header: src.header}
		ps.col, ps.kinds, ps.tp, ps.tpSet = src.col, src.kinds, src.tp, src.tpSet
		ps.b.init(NewDictionary())
		ps.b.hasCost, ps.b.hasQuantity, ps.b.hasReferred, ps.b.hasScore = src.b.hasCost, src.b.hasQuantity, src.b.hasReferred, src.b.hasScore
		ps.rows = int(before) // rows are numbered in the file
		start := int(before)
		before += pit.remaining
		a := acc
		if k > 0 {
			var err error
			if a, err = NewAccumulator(sopts); err != nil {
				return err
			}
		}
		parts[k] = &part{src: ps, acc: a, start: start}
	}
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer p.src.release()
			for {
				if err := ctx.Err(); err != nil {
					p.err = err
					return
				}
				err := p.src.readRows(int(it.batch))
				if ev := p.src.b.events(true); ev.Len() > 0 {
					if aerr := p.acc.Add(ev); aerr != nil && (err == nil || errors.Is(err, io.EOF)) {
						err = aerr
					}
				}
				if err != nil {
					if err != io.EOF {
						p.err = err
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	acc.own() // the first run's reader is done: merge into its dictionary, not a copy
	src.rows = 0
	for k, p := range parts {
		if p.err != nil {
			return p.err
		}
		src.rows += p.src.rows - p.start
		if k > 0 {
			src.nbad += p.src.nbad
			for _, b := range p.src.bad {
				if src.opts.MaxBadRows <= 0 || len(src.bad) < src.opts.MaxBadRows {
					src.bad = append(src.bad, b)
				}
			}
			if err := acc.Merge(p.acc); err != nil {
				return err
			}
		} else {
			src.bad, src.nbad = p.src.bad, p.src.nbad
		}
	}
	return nil
}
