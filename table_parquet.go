package valuekit

import (
	"io"
	"runtime"
	"sync"
	"unsafe"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/metadata"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// noDirectParquet makes WriteTableParquet go through pqarrow, for tests.
var noDirectParquet bool

// tableWriterProps are the Parquet properties tables are written with:
// Snappy, row groups of parquetRowGroupRows rows, and no dictionary
// pages — per-customer figures and ids are nearly all distinct, and
// dictionary-encoding them cost most of the write.
func tableWriterProps() *parquet.WriterProperties {
	return parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(parquetRowGroupRows))
}

func hasListColumn(t *Table) bool {
	for _, c := range t.Columns {
		if c.Kind == ListColumn {
			return true
		}
	}
	return false
}

// writeTableParquetDirect writes t as writeTableParquetArrow does — the
// same schema (pqarrow's conversion of TableRecord's), properties, row
// groups, pages and bytes — from the columns' own slices with the Parquet
// column writers: no Arrow record is built per row group, and the columns
// of a row group are encoded and compressed on the available cores (the
// row group is buffered, then written out in column order).
func writeTableParquetDirect(w io.Writer, t *Table) error {
	props := tableWriterProps()
	sc, err := pqarrow.ToParquet(tableSchema(t), props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	// An empty key-value list, as pqarrow writes one.
	fw := file.NewParquetWriter(w, sc.Root(), file.WithWriterProps(props), file.WithWriteMetadata(make(metadata.KeyValueMetadata, 0)))
	n, group := t.Len(), int(parquetRowGroupRows)
	workers := min(runtime.GOMAXPROCS(0), len(t.Columns))
	scratch := make([]columnScratch, workers)
	for lo := 0; lo < n; lo += group {
		hi := min(n, lo+group)
		rgw := fw.AppendBufferedRowGroup()
		errs := make([]error, len(t.Columns))
		var wg sync.WaitGroup
		jobs := make(chan int, len(t.Columns))
		for j := range t.Columns {
			jobs <- j
		}
		close(jobs)
		for k := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					cw, err := rgw.Column(j)
					if err == nil {
						err = scratch[k].write(cw, &t.Columns[j], lo, hi)
					}
					errs[j] = err
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				rgw.Close()
				fw.Close()
				return err
			}
		}
		if err := rgw.Close(); err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}

// columnScratch holds one worker's buffers for the present values and
// definition levels of a nullable column.
type columnScratch struct {
	def   []int16
	f64   []float64
	i32   []int32
	i64   []int64
	bools []bool
	bytes []parquet.ByteArray
}

// write writes rows lo..hi-1 of c with cw.
func (s *columnScratch) write(cw file.ColumnChunkWriter, c *Column, lo, hi int) error {
	var def []int16
	present := func(i int) bool { return true }
	if c.Valid != nil {
		s.def = grow(s.def, hi-lo)
		def = s.def
		present = func(i int) bool { return c.Valid(i) }
		for i := lo; i < hi; i++ {
			def[i-lo] = 0
			if c.Valid(i) {
				def[i-lo] = 1
			}
		}
	}
	var err error
	switch c.Kind {
	case FloatColumn:
		err = writeValues(cw.(*file.Float64ColumnChunkWriter), &s.f64, c.Float[lo:hi], def)
	case IntColumn:
		err = writeValues(cw.(*file.Int32ColumnChunkWriter), &s.i32, c.Int[lo:hi], def)
	case TimeColumn:
		err = writeValues(cw.(*file.Int64ColumnChunkWriter), &s.i64, c.Time[lo:hi], def)
	case BoolColumn:
		err = writeValues(cw.(*file.BooleanColumnChunkWriter), &s.bools, c.Bool[lo:hi], def)
	case StringColumn:
		s.bytes = s.bytes[:0]
		nonEmpty := false // a non-empty value
		for i := lo; i < hi; i++ {
			if present(i) {
				s.bytes = append(s.bytes, stringByteArray(c.String[i]))
				nonEmpty = nonEmpty || c.String[i] != ""
			}
		}
		if !nonEmpty {
			// As pqarrow writes a row group of empty strings (an Arrow
			// array without a value buffer): nil values, no min and max.
			clear(s.bytes)
		}
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(s.bytes, def, nil)
	}
	return err
}

// writeValues writes v, rows with definition levels def (nil: all
// present), with a fixed-width column writer: the present values only,
// gathered in buf.
func writeValues[T any, W interface {
	WriteBatch([]T, []int16, []int16) (int64, error)
}](w W, buf *[]T, v []T, def []int16) error {
	if def != nil {
		v = compact(buf, v, def)
	}
	_, err := w.WriteBatch(v, def, nil)
	return err
}

// compact returns the values of v whose definition level is 1, in buf.
func compact[T any](buf *[]T, v []T, def []int16) []T {
	out := (*buf)[:0]
	for i, d := range def {
		if d == 1 {
			out = append(out, v[i])
		}
	}
	*buf = out
	return out
}

// emptyValue is the bytes of an empty string: not nil, which the column
// writer's statistics would leave out of the minimum and maximum.
var emptyValue = []byte{}

// stringByteArray returns the bytes of v, without copying.
func stringByteArray(v string) parquet.ByteArray {
	if v == "" {
		return emptyValue
	}
	return unsafe.Slice(unsafe.StringData(v), len(v))
}
