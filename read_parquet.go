package valuekit

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
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

	fast    *pqFast // the needed columns' reader, when it can read them all
	started bool

	// src and props are the file and the properties pf reads it with, for
	// the fast path's own page readers (parquet_pages.go); src nil when
	// unknown.
	src   io.ReaderAt
	props *parquet.ReaderProperties
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
	if !p.started {
		p.started = true
		if !noFastParquet {
			p.fast = newPQFast(p)
		}
	}
	if p.fast != nil {
		return p.nextFast()
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

// nextFast reads the next batch through p.fast.
func (p *parquetIter) nextFast() bool {
	fields := make([]arrow.Field, len(p.needed))
	cols := make([]arrow.Array, len(p.needed))
	n, err := p.fast.next(min(p.batch, p.remaining), cols)
	if err != nil || n == 0 {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
		p.err = err
		if err == nil {
			p.err = fmt.Errorf("the row groups end before the %d rows the metadata gives", p.remaining)
		}
		return false
	}
	for i, need := range p.needed {
		if !need {
			fields[i] = arrow.Field{Name: p.schema.Field(i).Name, Type: arrow.Null, Nullable: true}
			cols[i] = array.NewNull(int(n))
			continue
		}
		fields[i] = p.schema.Field(i)
	}
	p.rec = array.NewRecord(arrow.NewSchema(fields, nil), cols, n)
	for _, c := range cols {
		c.Release()
	}
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
// the workers in runs of about equal rows, each run decoded by its own
// goroutine (with the row numbers its rows have in the file, known from
// the metadata). A decoded batch's rows are routed by customer — a hash of
// the id — to one accumulator per worker, each on its own goroutine, so
// that every customer's state is built once: files in time order hold
// most customers in every run, and accumulating runs apart held every
// customer twice and merged the copies. The accumulators own disjoint
// customers and are summarised side by side (summaryOfShards). A panic of the
// decoder on a corrupt file is recovered in the goroutine that met it
// (arrowSource.readRows).

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
	if !ok || it.started || it.rowGroups != nil {
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

// mix64 returns a hash of x with every bit depending on every bit of x
// (the finalizer of SplitMix64).
func mix64(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
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
// goroutines and accumulates their rows into acc and one more accumulator
// per further run, by customer (see above). It returns the accumulators,
// acc first, whose customers with events are disjoint: summaryOfShards
// summarises them without merging them (a merge of ten million customers
// takes seconds on one core).
func addParquetSplit(ctx context.Context, acc *Accumulator, src *arrowSource, runs [][]int, sopts *SummaryOptions) ([]*Accumulator, error) {
	it := src.it.(*parquetIter)
	md := it.fr.ParquetReader().MetaData()
	shards := len(runs)
	// Size each shard's id table for its share of the customers, when the
	// file's statistics bound them (parquetIDRange).
	var all []int
	for _, run := range runs {
		all = append(all, run...)
	}
	bound, least, greatest := parquetIDRange(it, src.col[fCustomer], all)
	// Integer ids in a range not much wider than the number of customers
	// (numbered customers, as databases and the generator give them) are
	// looked up in a table indexed by the id: a read in a table of 4 bytes
	// per id instead of a hash and a probe of the id table for every row.
	width := greatest - least + 1
	dense := bound > 0 && width > 0 && width <= 4*int64(bound)+1<<16 && width < math.MaxInt32
	accs := make([]*Accumulator, shards)
	accs[0] = acc
	for k := 1; k < shards; k++ {
		a, err := NewAccumulator(sopts)
		if err != nil {
			return nil, err
		}
		accs[k] = a
	}
	if bound > 0 {
		for _, a := range accs {
			a.dict.reserve(bound/shards + bound/(8*shards) + 1024)
		}
	}
	if dense {
		for _, a := range accs {
			a.dense = newDenseTable(least, uint64(width))
		}
	}
	parts := make([]*arrowSource, len(runs))
	starts := make([]int, len(runs)) // rows in the file before each part
	readers := make([]*routeReader, len(runs))
	var before int64 // rows in the row groups before the run
	for k, run := range runs {
		pit := &parquetIter{ctx: it.ctx, fr: it.fr, mem: it.mem, schema: it.schema, batch: it.batch, needed: it.needed, rowGroups: run, src: it.src, props: it.props}
		for _, g := range run {
			pit.remaining += md.RowGroup(g).NumRows()
		}
		ps := &arrowSource{name: src.name, opts: src.opts, it: pit, header: src.header}
		ps.col, ps.kinds, ps.tp, ps.tpSet = src.col, src.kinds, src.tp, src.tpSet
		ps.b.hasCost, ps.b.hasQuantity, ps.b.hasReferred, ps.b.hasScore = src.b.hasCost, src.b.hasQuantity, src.b.hasReferred, src.b.hasScore
		ps.rows = int(before) // rows are numbered in the file: the order key is the row
		starts[k] = int(before)
		before += pit.remaining
		parts[k] = ps
		readers[k] = &routeReader{
			next:    func() int64 { return int64(ps.rows) },
			release: ps.release,
			fill: func(b *routeBatch) error {
				b.at = int64(ps.rows)
				ps.b.init(b.dict)
				if b.ev != nil {
					ps.b.recycle(b.ev)
				}
				ps.lastDict = nil // the dictionary is new, whatever its address
				ps.nums = b.nums[:0:cap(b.nums)]
				err := ps.readRows(int(it.batch))
				b.ev = ps.b.events(false)
				b.nums, ps.nums = ps.nums, nil
				return err
			},
		}
	}
	if err, _ := route(ctx, accs, readers, int(it.batch), dense); err != nil {
		return nil, err
	}
	src.rows = 0
	for k, p := range parts {
		src.rows += p.rows - starts[k]
		if k > 0 {
			src.nbad += p.nbad
			for _, b := range p.bad {
				if src.opts.MaxBadRows <= 0 || len(src.bad) < src.opts.MaxBadRows {
					src.bad = append(src.bad, b)
				}
			}
		} else {
			src.bad, src.nbad = p.bad, p.nbad
		}
		parts[k] = nil // its reader's buffers
	}
	for _, a := range accs {
		a.dense = nil
	}
	return accs, nil
}

// Decoding the common columns without Arrow's record reader.
//
// pqarrow builds new Arrow arrays for every batch, which costs about half
// a kilobyte of garbage per event. Top-level columns of the types events
// use — int32/int64 (plain, date, timestamp), float/double and byte arrays
// (string, binary) — are read here instead with the Parquet column chunk
// readers into buffers reused batch after batch, and handed to the decoder
// as Arrow arrays over those buffers, so that the decoding of values is
// the same code for every format. A file with any other needed column is
// read through pqarrow.

// noFastParquet makes every file go through pqarrow, for tests;
// noPageReuse gives the fast path Arrow's page readers.
var noFastParquet, noPageReuse bool

// pqColumn is one needed column of the fast path.
type pqColumn struct {
	field  int // index in the schema
	leaf   int // Parquet leaf column
	typ    arrow.DataType
	phys   parquet.Type
	maxDef int16
	rd     file.ColumnChunkReader
	pages  chunkPages // the column's page reader, reused from row group to row group

	i64   []int64
	i32   []int32
	f64   []float64
	f32   []float32
	bytes []parquet.ByteArray
	def   []int16
	valid []byte
	offs  []int32
	data  []byte
}

// pqFast reads the needed columns of a run of row groups.
type pqFast struct {
	pf     *file.Reader
	src    io.ReaderAt // nil: page readers are Arrow's, one per column chunk
	props  *parquet.ReaderProperties
	groups []int // row groups still to read
	left   int64 // rows left in the current row group
	cols   []*pqColumn
}

// newPQFast returns the fast reader of the needed columns of p, or nil
// when a needed column is not one it reads.
func newPQFast(p *parquetIter) *pqFast {
	pf := p.fr.ParquetReader()
	groups := p.rowGroups
	if groups == nil {
		groups = make([]int, pf.NumRowGroups())
		for g := range groups {
			groups[g] = g
		}
	}
	f := &pqFast{pf: pf, groups: slices.Clone(groups), src: p.src, props: p.props}
	for i, need := range p.needed {
		if !need {
			continue
		}
		sf := p.fr.Manifest.Fields[i]
		if !sf.IsLeaf() {
			return nil
		}
		descr := pf.MetaData().Schema.Column(sf.ColIndex)
		c := &pqColumn{field: i, leaf: sf.ColIndex, typ: p.schema.Field(i).Type, phys: descr.PhysicalType(), maxDef: descr.MaxDefinitionLevel()}
		c.pages.alloc.recycle = c.phys != parquet.Types.ByteArray
		if descr.MaxRepetitionLevel() != 0 || c.maxDef > 1 || !fastType(c.phys, c.typ) {
			return nil
		}
		f.cols = append(f.cols, c)
	}
	return f
}

// fastType reports whether values of physical type phys read as Arrow type
// t without conversion.
func fastType(phys parquet.Type, t arrow.DataType) bool {
	switch phys {
	case parquet.Types.Int64:
		switch t.ID() {
		case arrow.INT64, arrow.UINT64, arrow.TIMESTAMP:
			return true
		}
	case parquet.Types.Int32:
		switch t.ID() {
		case arrow.INT32, arrow.DATE32:
			return true
		}
	case parquet.Types.Double:
		return t.ID() == arrow.FLOAT64
	case parquet.Types.Float:
		return t.ID() == arrow.FLOAT32
	case parquet.Types.ByteArray:
		switch t.ID() {
		case arrow.STRING, arrow.BINARY:
			return true
		}
	}
	return false
}

// next reads up to max rows (not across row groups) of every column into
// cols (indexed by schema field) and returns how many; 0 at the end.
func (f *pqFast) next(max int64, cols []arrow.Array) (int64, error) {
	for f.left == 0 {
		if len(f.groups) == 0 {
			return 0, nil
		}
		g := f.groups[0]
		rg := f.pf.RowGroup(g)
		f.groups = f.groups[1:]
		for _, c := range f.cols {
			ok := false
			if f.src != nil && !noPageReuse {
				rd, reused, err := c.pages.columnReader(f.pf, f.src, f.props, g, c.leaf)
				if err != nil {
					return 0, err
				}
				c.rd, ok = rd, reused
			}
			if !ok {
				rd, err := rg.Column(c.leaf)
				if err != nil {
					return 0, err
				}
				c.rd = rd
			}
		}
		f.left = rg.NumRows()
	}
	n := min(max, f.left)
	for _, c := range f.cols {
		arr, err := c.read(n)
		if err != nil {
			return 0, err
		}
		cols[c.field] = arr
	}
	f.left -= n
	return n, nil
}

// grow returns s with length n, reusing its storage when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// read reads the next n rows of the column as an array over its buffers.
func (c *pqColumn) read(n int64) (arrow.Array, error) {
	var def []int16
	if c.maxDef > 0 {
		c.def = grow(c.def, int(n))
		def = c.def
	}
	var (
		total int64
		vals  int
		err   error
		raw   []byte // the values of a fixed-width column
	)
	switch rd := c.rd.(type) {
	case *file.Int64ColumnChunkReader:
		total, vals, err = readPQBatch(rd, &c.i64, n, def, c.maxDef)
		raw = arrow.Int64Traits.CastToBytes(c.i64[:n])
	case *file.Int32ColumnChunkReader:
		total, vals, err = readPQBatch(rd, &c.i32, n, def, c.maxDef)
		raw = arrow.Int32Traits.CastToBytes(c.i32[:n])
	case *file.Float64ColumnChunkReader:
		total, vals, err = readPQBatch(rd, &c.f64, n, def, c.maxDef)
		raw = arrow.Float64Traits.CastToBytes(c.f64[:n])
	case *file.Float32ColumnChunkReader:
		total, vals, err = readPQBatch(rd, &c.f32, n, def, c.maxDef)
		raw = arrow.Float32Traits.CastToBytes(c.f32[:n])
	case *file.ByteArrayColumnChunkReader:
		total, vals, err = readPQBatch(rd, &c.bytes, n, def, c.maxDef)
	default:
		return nil, fmt.Errorf("column %d: unexpected reader %T", c.leaf, c.rd)
	}
	if err != nil {
		return nil, err
	}
	if total != n {
		return nil, fmt.Errorf("column %d has %d values in a batch of %d rows", c.leaf, total, n)
	}
	nulls := int(n) - vals
	var valid *memory.Buffer
	if nulls > 0 {
		c.valid = grow(c.valid, int(bitutil.BytesForBits(n)))
		clear(c.valid)
		for i, d := range def {
			if d == c.maxDef {
				bitutil.SetBit(c.valid, i)
			}
		}
		valid = memory.NewBufferBytes(c.valid)
	}
	var bufs []*memory.Buffer
	if c.phys == parquet.Types.ByteArray {
		c.offs = grow(c.offs, int(n)+1)
		c.data = c.data[:0]
		for i, b := range c.bytes[:n] {
			c.offs[i] = int32(len(c.data))
			c.data = append(c.data, b...)
			if len(c.data) > math.MaxInt32 {
				return nil, fmt.Errorf("column %d: more than 2 GiB of text in a batch", c.leaf)
			}
		}
		c.offs[n] = int32(len(c.data))
		bufs = []*memory.Buffer{valid, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(c.offs)), memory.NewBufferBytes(c.data)}
	} else {
		bufs = []*memory.Buffer{valid, memory.NewBufferBytes(raw)}
	}
	data := array.NewData(c.typ, int(n), bufs, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data), nil
}

// pqValue is a Parquet physical value type the fast path reads.
type pqValue interface {
	int64 | int32 | float64 | float32 | parquet.ByteArray
}

// batchReader is the ReadBatch of the Parquet column chunk reader of
// values of type T (*file.Int64ColumnChunkReader, ...).
type batchReader[T pqValue] interface {
	ReadBatch(batchSize int64, values []T, defLvls, repLvls []int16) (total int64, valuesRead int, err error)
}

// readPQBatch reads the next n rows of rd into *buf, grown to n and reused
// batch after batch, with the definition levels into def (nil for a
// required column), and spreads the values read to the rows present. It
// returns the rows and the values read.
func readPQBatch[T pqValue](rd batchReader[T], buf *[]T, n int64, def []int16, maxDef int16) (int64, int, error) {
	*buf = grow(*buf, int(n))
	total, vals, err := rd.ReadBatch(n, *buf, def, nil)
	spread(*buf, def, maxDef, vals)
	return total, vals, err
}

// spread moves the vals values read densely to the rows whose definition
// level says they are present, setting the others to zero.
func spread[T any](v []T, def []int16, maxDef int16, vals int) {
	if def == nil || vals == len(def) {
		return
	}
	j := vals - 1
	var zero T
	for i := len(def) - 1; i >= 0; i-- {
		if def[i] == maxDef {
			v[i] = v[j]
			j--
		} else {
			v[i] = zero
		}
	}
}
