package valuekit

import (
	"context"
	"fmt"

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
			if p.readers[i], p.err = p.fr.GetColumn(p.ctx, i); p.err != nil {
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
