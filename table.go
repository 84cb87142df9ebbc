package valuekit

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/valuekit/valuekit/internal/atomicfile"
)

// ColumnKind is the value type of a Column.
type ColumnKind int

// The column kinds; each uses the Column field of the same name.
const (
	FloatColumn  ColumnKind = iota // Float []float64
	IntColumn                      // Int []int32
	TimeColumn                     // Time []int64, Unix microseconds UTC
	StringColumn                   // String []string
	ListColumn                     // List [][]string
	BoolColumn                     // Bool []bool
)

// Column is one named output column. Exactly the field of its Kind is set.
type Column struct {
	Name   string
	Kind   ColumnKind
	Float  []float64
	Int    []int32
	Time   []int64
	String []string
	List   [][]string
	Bool   []bool
	// Valid reports whether row i has a value; nil means every row has one.
	// Rows without a value are empty in CSV and null in JSON and Arrow. It
	// must only read: WriteCSV may call it from several goroutines.
	Valid func(i int) bool
}

// Len returns the number of rows of c.
func (c *Column) Len() int {
	switch c.Kind {
	case FloatColumn:
		return len(c.Float)
	case IntColumn:
		return len(c.Int)
	case TimeColumn:
		return len(c.Time)
	case StringColumn:
		return len(c.String)
	case BoolColumn:
		return len(c.Bool)
	}
	return len(c.List)
}

// Table is a set of named columns of equal length, the shape of every
// per-customer output (summaries, predictions, scores, segments). Its
// writers give CSV, JSON, Parquet and Arrow records with the same columns.
type Table struct {
	Columns []Column
}

// Len returns the number of rows (that of the first column).
func (t *Table) Len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Names returns the column names in order.
func (t *Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Check reports an error when the columns differ in length or a name
// repeats.
func (t *Table) Check() error {
	seen := map[string]bool{}
	for _, c := range t.Columns {
		if c.Len() != t.Len() {
			return fmt.Errorf("%w: column %q has %d rows, %q has %d", ErrOption, c.Name, c.Len(), t.Columns[0].Name, t.Len())
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: column %q appears twice", ErrDuplicateColumn, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// ReferredSeparator joins a customer's referred ids in the CSV output.
const ReferredSeparator = ";"

// appendText appends row i of c as CSV/terminal text; invalid values are
// empty.
func (c *Column) appendText(b []byte, i int) []byte {
	if c.Valid != nil && !c.Valid(i) {
		return b
	}
	switch c.Kind {
	case FloatColumn:
		return appendFloat(b, c.Float[i])
	case IntColumn:
		return strconv.AppendInt(b, int64(c.Int[i]), 10)
	case TimeColumn:
		return time.UnixMicro(c.Time[i]).UTC().AppendFormat(b, time.RFC3339)
	case StringColumn:
		return append(b, c.String[i]...)
	case ListColumn:
		return append(b, strings.Join(c.List[i], ReferredSeparator)...)
	case BoolColumn:
		return strconv.AppendBool(b, c.Bool[i])
	}
	return b
}

// WriteCSV writes the table as CSV with a header row. Missing values are
// empty fields; lists are joined with ReferredSeparator. Large tables are
// formatted in blocks of rows on the available cores (the Valid functions
// are then called from several goroutines) and written in order.
func (t *Table) WriteCSV(w io.Writer) error {
	return t.writeCSV(w)
}

// appendFloat appends v as strconv.AppendFloat(b, v, 'f', -1, 64) does,
// taking short cuts for the common values of summaries: whole numbers and
// amounts in cents.
func appendFloat(b []byte, v float64) []byte {
	const maxExact = 1 << 53
	if v == math.Trunc(v) && math.Abs(v) < maxExact && (v != 0 || !math.Signbit(v)) {
		return strconv.AppendInt(b, int64(v), 10)
	}
	// A number of cents n with n/100 rounding to v is written as n/100:
	// below 1e12 no other decimal of at most two places is as close to v,
	// so it is the shortest that reads back as v.
	if v != 0 && math.Abs(v) < 1e12 {
		if n := math.Round(v * 100); n/100 == v {
			c := int64(n)
			if c < 0 {
				b = append(b, '-')
				c = -c
			}
			b = strconv.AppendInt(b, c/100, 10)
			b = append(b, '.', byte('0'+c/10%10))
			if c%10 != 0 {
				b = append(b, byte('0'+c%10))
			}
			return b
		}
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// appendCSVField appends f, quoted when it holds a separator, quote, or line
// end, or starts with a space.
func appendCSVField(b, f []byte) []byte {
	need := len(f) > 0 && (f[0] == ' ' || f[0] == '\t')
	for _, c := range f {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if !need {
		return append(b, f...)
	}
	b = append(b, '"')
	for _, c := range f {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// WriteJSON writes the table as a JSON array of objects, one per row, keyed
// by column name; missing values, and NaN and ±Inf (which JSON cannot
// hold), are null.
func (t *Table) WriteJSON(w io.Writer) error {
	cols := t.Columns
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	var b []byte
	for i := range t.Len() {
		b = b[:0]
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '{')
		for j, c := range cols {
			if j > 0 {
				b = append(b, ',')
			}
			name, _ := json.Marshal(c.Name)
			b = append(b, name...)
			b = append(b, ':')
			switch {
			case c.Valid != nil && !c.Valid(i):
				b = append(b, "null"...)
			case c.Kind == FloatColumn && (math.IsNaN(c.Float[i]) || math.IsInf(c.Float[i], 0)):
				b = append(b, "null"...)
			case c.Kind == StringColumn || c.Kind == TimeColumn:
				v, _ := json.Marshal(string(c.appendText(nil, i)))
				b = append(b, v...)
			case c.Kind == ListColumn:
				l := c.List[i]
				if l == nil {
					l = []string{}
				}
				v, _ := json.Marshal(l)
				b = append(b, v...)
			default:
				b = c.appendText(b, i)
			}
		}
		b = append(b, '}')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}

// Record returns the table as an Arrow record: float64, int32,
// timestamp[us, UTC], utf8 and list<utf8> columns, null where a value is
// missing. mem nil means memory.DefaultAllocator. The record must be
// Release()'d after use.
func (t *Table) Record(mem memory.Allocator) arrow.Record {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	cols := t.Columns
	fields := make([]arrow.Field, len(cols))
	for j, c := range cols {
		fields[j] = arrow.Field{Name: c.Name, Type: arrowType(c.Kind), Nullable: c.Valid != nil}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
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

// WriteParquet writes the table as a Snappy-compressed Parquet file with
// the schema of Record, converting and writing parquetRowGroupRows rows
// (one row group) at a time, so that a large table is never held twice and
// readers can share the file out between cores by row group.
func (t *Table) WriteParquet(w io.Writer) error {
	n := t.Len()
	parquetRowGroup := int(parquetRowGroupRows)
	first := t.rows(0, min(n, parquetRowGroup)).Record(nil)
	defer first.Release()
	// No dictionary pages: per-customer figures and ids are nearly all
	// distinct, and dictionary-encoding them cost most of the write.
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(parquetRowGroupRows))
	fw, err := pqarrow.NewFileWriter(first.Schema(), w, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := fw.Write(first); err != nil {
		fw.Close()
		return err
	}
	for lo := parquetRowGroup; lo < n; lo += parquetRowGroup {
		rec := t.rows(lo, min(n, lo+parquetRowGroup)).Record(nil)
		err := fw.Write(rec)
		rec.Release()
		if err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}

// rows returns the table's rows [lo, hi) as a table sharing its slices.
func (t *Table) rows(lo, hi int) *Table {
	if lo == 0 && hi == t.Len() {
		return t
	}
	out := &Table{Columns: make([]Column, len(t.Columns))}
	for j, c := range t.Columns {
		o := Column{Name: c.Name, Kind: c.Kind}
		switch c.Kind {
		case FloatColumn:
			o.Float = c.Float[lo:hi]
		case IntColumn:
			o.Int = c.Int[lo:hi]
		case TimeColumn:
			o.Time = c.Time[lo:hi]
		case StringColumn:
			o.String = c.String[lo:hi]
		case ListColumn:
			o.List = c.List[lo:hi]
		case BoolColumn:
			o.Bool = c.Bool[lo:hi]
		}
		if valid := c.Valid; valid != nil {
			o.Valid = func(i int) bool { return valid(lo + i) }
		}
		out.Columns[j] = o
	}
	return out
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

// WriteFile writes the table to path as CSV, Parquet or JSON, by the
// extension (.csv, .parquet, .json). The file is written to a temporary
// name and renamed, so a failed write leaves an existing file intact.
func (t *Table) WriteFile(path string) error {
	var write func(io.Writer) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		write = t.WriteCSV
	case ".parquet", ".pq":
		write = t.WriteParquet
	case ".json":
		write = t.WriteJSON
	default:
		return fmt.Errorf("%w: cannot tell the output format of %q (use .csv, .parquet or .json)", ErrOption, path)
	}
	return atomicfile.Write(path, write)
}
