package valuekit

import (
	"encoding/json"
	"fmt"
	"io"
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

// colKind is the value type of an output column.
type colKind int

const (
	colFloat colKind = iota
	colInt
	colTime   // Unix µs, null where the row has no purchase
	colString // string
	colList   // []string
)

// summaryColumn is one output column of a Summary.
type summaryColumn struct {
	name  string
	kind  colKind
	f     []float64
	i     []int32
	t     []int64
	s     []string
	l     [][]string
	valid func(row int) bool // nil: always valid
}

// Columns returns the names of the summary's output columns, in order:
// customer_id, frequency, recency, T, monetary_value, first_purchase,
// last_purchase, purchases, revenue, refunds, net_revenue, then cost, profit
// and quantity when present, referrals, referred, shares, experience,
// experience_count, and holdout_frequency, holdout_revenue with a
// calibration end.
func (s *Summary) Columns() []string {
	cols := s.columns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

func (s *Summary) columns() []summaryColumn {
	purchased := func(i int) bool { return s.Purchases[i] > 0 }
	cols := []summaryColumn{
		{name: "customer_id", kind: colString, s: s.CustomerID},
		{name: "frequency", kind: colFloat, f: s.Frequency},
		{name: "recency", kind: colFloat, f: s.Recency},
		{name: "T", kind: colFloat, f: s.T},
		{name: "monetary_value", kind: colFloat, f: s.MonetaryValue},
	}
	if s.FirstPurchase != nil { // nil in summaries read from files
		cols = append(cols,
			summaryColumn{name: "first_purchase", kind: colTime, t: s.FirstPurchase, valid: purchased},
			summaryColumn{name: "last_purchase", kind: colTime, t: s.LastPurchase, valid: purchased})
	}
	cols = append(cols, []summaryColumn{
		{name: "purchases", kind: colInt, i: s.Purchases},
		{name: "revenue", kind: colFloat, f: s.Revenue},
		{name: "refunds", kind: colFloat, f: s.Refunds},
		{name: "net_revenue", kind: colFloat, f: s.NetRevenue},
	}...)
	if s.Weights != nil {
		cols = append(cols, summaryColumn{name: "weights", kind: colFloat, f: s.Weights})
	}
	if s.Cost != nil {
		cols = append(cols, summaryColumn{name: "cost", kind: colFloat, f: s.Cost})
	}
	if s.Profit != nil {
		cols = append(cols, summaryColumn{name: "profit", kind: colFloat, f: s.Profit})
	}
	if s.Quantity != nil {
		cols = append(cols, summaryColumn{name: "quantity", kind: colFloat, f: s.Quantity})
	}
	cols = append(cols,
		summaryColumn{name: "referrals", kind: colInt, i: s.Referrals},
		summaryColumn{name: "referred", kind: colList, l: s.Referred},
		summaryColumn{name: "shares", kind: colInt, i: s.Shares},
		summaryColumn{name: "experience", kind: colFloat, f: s.Experience, valid: func(i int) bool { return s.ExperienceCount[i] > 0 }},
		summaryColumn{name: "experience_count", kind: colInt, i: s.ExperienceCount},
	)
	if s.HoldoutFrequency != nil {
		cols = append(cols,
			summaryColumn{name: "holdout_frequency", kind: colFloat, f: s.HoldoutFrequency},
			summaryColumn{name: "holdout_revenue", kind: colFloat, f: s.HoldoutRevenue})
	}
	return cols
}

// ReferredSeparator joins a customer's referred ids in the CSV output.
const ReferredSeparator = ";"

// appendText appends row i of c as CSV/terminal text; invalid values are
// empty.
func (c *summaryColumn) appendText(b []byte, i int) []byte {
	if c.valid != nil && !c.valid(i) {
		return b
	}
	switch c.kind {
	case colFloat:
		return strconv.AppendFloat(b, c.f[i], 'f', -1, 64)
	case colInt:
		return strconv.AppendInt(b, int64(c.i[i]), 10)
	case colTime:
		return time.UnixMicro(c.t[i]).UTC().AppendFormat(b, time.RFC3339)
	case colString:
		return append(b, c.s[i]...)
	case colList:
		return append(b, strings.Join(c.l[i], ReferredSeparator)...)
	}
	return b
}

// WriteCSV writes the summary as CSV with a header row (see Columns).
// Missing values (no purchase, no experience score) are empty fields.
func (s *Summary) WriteCSV(w io.Writer) error {
	cols := s.columns()
	var line []byte
	for j, c := range cols {
		if j > 0 {
			line = append(line, ',')
		}
		line = append(line, c.name...)
	}
	line = append(line, '\n')
	var field []byte
	for i := range s.Len() {
		for j := range cols {
			if j > 0 {
				line = append(line, ',')
			}
			field = cols[j].appendText(field[:0], i)
			line = appendCSVField(line, field)
		}
		line = append(line, '\n')
		if len(line) > 64<<10 {
			if _, err := w.Write(line); err != nil {
				return err
			}
			line = line[:0]
		}
	}
	_, err := w.Write(line)
	return err
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

// WriteJSON writes the summary as a JSON array of objects, one per customer,
// with the keys of Columns; missing values are null.
func (s *Summary) WriteJSON(w io.Writer) error {
	cols := s.columns()
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	var b []byte
	for i := range s.Len() {
		b = b[:0]
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '{')
		for j, c := range cols {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, c.name)
			b = append(b, ':')
			switch {
			case c.valid != nil && !c.valid(i):
				b = append(b, "null"...)
			case c.kind == colString || c.kind == colTime:
				v, _ := json.Marshal(string(c.appendText(nil, i)))
				b = append(b, v...)
			case c.kind == colList:
				l := c.l[i]
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

// Record returns the summary as an Arrow record: customer_id utf8, the
// measures float64 or int32, first/last purchase timestamp[us, UTC]
// (null without a purchase), referred list<utf8>, experience null without a
// score. mem nil means memory.DefaultAllocator. The record must be
// Release()'d after use.
func (s *Summary) Record(mem memory.Allocator) arrow.Record {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	cols := s.columns()
	fields := make([]arrow.Field, len(cols))
	for j, c := range cols {
		fields[j] = arrow.Field{Name: c.name, Type: arrowType(c.kind), Nullable: c.valid != nil}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	n := s.Len()
	for j, c := range cols {
		fb := b.Field(j)
		fb.Reserve(n)
		switch c.kind {
		case colFloat:
			fb := fb.(*array.Float64Builder)
			if c.valid == nil {
				fb.AppendValues(c.f, nil)
				continue
			}
			for i := range n {
				if c.valid(i) {
					fb.UnsafeAppend(c.f[i])
				} else {
					fb.AppendNull()
				}
			}
		case colInt:
			fb.(*array.Int32Builder).AppendValues(c.i, nil)
		case colTime:
			tb := fb.(*array.TimestampBuilder)
			for i := range n {
				if c.valid(i) {
					tb.Append(arrow.Timestamp(c.t[i]))
				} else {
					tb.AppendNull()
				}
			}
		case colString:
			fb.(*array.StringBuilder).AppendValues(c.s, nil)
		case colList:
			lb := fb.(*array.ListBuilder)
			vb := lb.ValueBuilder().(*array.StringBuilder)
			for i := range n {
				lb.Append(true)
				vb.AppendValues(c.l[i], nil)
			}
		}
	}
	return b.NewRecord()
}

func arrowType(k colKind) arrow.DataType {
	switch k {
	case colInt:
		return arrow.PrimitiveTypes.Int32
	case colTime:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case colString:
		return arrow.BinaryTypes.String
	case colList:
		return arrow.ListOf(arrow.BinaryTypes.String)
	}
	return arrow.PrimitiveTypes.Float64
}

// WriteParquet writes the summary as a Snappy-compressed Parquet file with
// the schema of Record.
func (s *Summary) WriteParquet(w io.Writer) error {
	rec := s.Record(nil)
	defer rec.Release()
	return writeParquetRecord(w, rec)
}

func writeParquetRecord(w io.Writer, rec arrow.Record) error {
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// WriteFile writes the summary to path as CSV, Parquet or JSON, by the
// extension (.csv, .parquet, .json). The file is written to a temporary
// name and renamed, so a failed write leaves an existing file intact.
func (s *Summary) WriteFile(path string) error {
	var write func(io.Writer) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		write = s.WriteCSV
	case ".parquet", ".pq":
		write = s.WriteParquet
	case ".json":
		write = s.WriteJSON
	default:
		return fmt.Errorf("%w: cannot tell the output format of %q (use .csv, .parquet or .json)", ErrOption, path)
	}
	return atomicfile.Write(path, write)
}
