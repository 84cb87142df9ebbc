package valuekit

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/valuekit/valuekit/internal/atomicfile"
	"github.com/valuekit/valuekit/table"
)

// Table is table.Table, the shape of every per-customer output; its CSV and
// JSON writers are in package table, its Arrow and Parquet writers here
// (TableRecord, WriteTableParquet, WriteTableFile).
type Table = table.Table

// Column is table.Column, one named output column.
type Column = table.Column

// ColumnKind is table.ColumnKind, the value type of a Column.
type ColumnKind = table.ColumnKind

// The column kinds (see package table).
const (
	FloatColumn  = table.FloatColumn
	IntColumn    = table.IntColumn
	TimeColumn   = table.TimeColumn
	StringColumn = table.StringColumn
	ListColumn   = table.ListColumn
	BoolColumn   = table.BoolColumn
)

// ReferredSeparator joins a customer's referred ids in the CSV output
// (table.ListSeparator).
const ReferredSeparator = table.ListSeparator

// TableRecord returns t as an Arrow record: float64, int32,
// timestamp[us, UTC], utf8 and list<utf8> columns, null where a value is
// missing. mem nil means memory.DefaultAllocator. The record must be
// Release()'d after use.
func TableRecord(t *Table, mem memory.Allocator) arrow.Record {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	cols := t.Columns
	b := array.NewRecordBuilder(mem, tableSchema(t))
	defer b.Release()
	n := t.Len()
	for j, c := range cols {
		fb := b.Field(j)
		fb.Reserve(n)
		switch c.Kind {
		case FloatColumn:
			fb := fb.(*array.Float64Builder)
			if c.Valid == nil {
				fb.AppendValues(c.Float, nil)
				continue
			}
			for i := range n {
				if c.Valid(i) {
					fb.UnsafeAppend(c.Float[i])
				} else {
					fb.AppendNull()
				}
			}
		case IntColumn:
			fb.(*array.Int32Builder).AppendValues(c.Int, validMask(c.Valid, n))
		case TimeColumn:
			tb := fb.(*array.TimestampBuilder)
			for i := range n {
				if c.Valid == nil || c.Valid(i) {
					tb.Append(arrow.Timestamp(c.Time[i]))
				} else {
					tb.AppendNull()
				}
			}
		case StringColumn:
			fb.(*array.StringBuilder).AppendValues(c.String, validMask(c.Valid, n))
		case BoolColumn:
			fb.(*array.BooleanBuilder).AppendValues(c.Bool, validMask(c.Valid, n))
		case ListColumn:
			lb := fb.(*array.ListBuilder)
			vb := lb.ValueBuilder().(*array.StringBuilder)
			for i := range n {
				lb.Append(true)
				vb.AppendValues(c.List[i], nil)
			}
		}
	}
	return b.NewRecord()
}

// validMask returns valid as a mask for Arrow's AppendValues, nil (all
// valid) when valid is nil.
func validMask(valid func(int) bool, n int) []bool {
	if valid == nil {
		return nil
	}
	m := make([]bool, n)
	for i := range m {
		m[i] = valid(i)
	}
	return m
}

// tableSchema returns the Arrow schema of TableRecord(t).
func tableSchema(t *Table) *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for j, c := range t.Columns {
		fields[j] = arrow.Field{Name: c.Name, Type: arrowType(c.Kind), Nullable: c.Valid != nil}
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(k ColumnKind) arrow.DataType {
	switch k {
	case IntColumn:
		return arrow.PrimitiveTypes.Int32
	case TimeColumn:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case StringColumn:
		return arrow.BinaryTypes.String
	case ListColumn:
		return arrow.ListOf(arrow.BinaryTypes.String)
	case BoolColumn:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.PrimitiveTypes.Float64
}

// WriteTableParquet writes t as a Snappy-compressed Parquet file with
// the schema of Record, converting and writing parquetRowGroupRows rows
// (one row group) at a time, so that a large table is never held twice and
// readers can share the file out between cores by row group.
func WriteTableParquet(w io.Writer, t *Table) error {
	if t.Len() > 0 && !noDirectParquet && !hasListColumn(t) {
		return writeTableParquetDirect(w, t)
	}
	return writeTableParquetArrow(w, t)
}

// writeTableParquetArrow is WriteTableParquet through pqarrow, record by
// record: the path of list columns (and of empty tables).
func writeTableParquetArrow(w io.Writer, t *Table) error {
	n := t.Len()
	parquetRowGroup := int(parquetRowGroupRows)
	first := TableRecord(t.Slice(0, min(n, parquetRowGroup)), nil)
	defer first.Release()
	fw, err := pqarrow.NewFileWriter(first.Schema(), w, tableWriterProps(), pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := fw.Write(first); err != nil {
		fw.Close()
		return err
	}
	for lo := parquetRowGroup; lo < n; lo += parquetRowGroup {
		rec := TableRecord(t.Slice(lo, min(n, lo+parquetRowGroup)), nil)
		err := fw.Write(rec)
		rec.Release()
		if err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}

// parquetRowGroupRows is the most rows of a row group written; a variable
// for tests.
var parquetRowGroupRows int64 = 1 << 19

func writeParquetRecord(w io.Writer, rec arrow.Record) error {
	// Row groups of 512Ki rows let readers share a large file out between
	// cores by row group.
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(parquetRowGroupRows))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// WriteTableFile writes t to path as CSV, Parquet or JSON, by the
// extension (.csv, .parquet, .json). The file is written to a temporary
// name and renamed, so a failed write leaves an existing file intact.
func WriteTableFile(path string, t *Table) error {
	var write func(io.Writer) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		write = t.WriteCSV
	case ".parquet", ".pq":
		write = func(w io.Writer) error { return WriteTableParquet(w, t) }
	case ".json":
		write = t.WriteJSON
	default:
		return fmt.Errorf("%w: cannot tell the output format of %q (use .csv, .parquet or .json)", ErrOption, path)
	}
	return atomicfile.Write(path, write)
}
