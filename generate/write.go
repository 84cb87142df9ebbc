package generate

import (
	"bufio"
	"github.com/valuekit/valuekit/internal/civil"
	"io"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// sink writes blocks in order.
// sink writes blocks in order. close finishes the output on success;
// abort releases resources after a failure, writing nothing more.
type sink interface {
	write(b *block) error
	close() error
	abort()
}

// csvSink writes CSV lines.
type csvSink struct {
	w        *bufio.Writer
	feedback bool
	line     []byte
	header   bool
}

func newCSVSink(w *bufio.Writer, feedback bool) *csvSink {
	return &csvSink{w: w, feedback: feedback}
}

func (s *csvSink) write(b *block) error {
	if !s.header {
		s.header = true
		h := "customer_id,time,kind,amount,referred_id"
		if s.feedback {
			h += ",score"
		}
		if _, err := s.w.WriteString(h + "\n"); err != nil {
			return err
		}
	}
	line := s.line
	var day int64 = -1 << 62
	var date [10]byte
	for i := range b.len() {
		line = line[:0]
		line = strconv.AppendInt(line, b.customer[i], 10)
		line = append(line, ',')
		t := b.time[i]
		d, sec := floorDiv(t, 86400)
		if d != day {
			day = d
			civilDate(&date, d)
		}
		line = append(line, date[:]...)
		line = append(line, 'T', byte('0'+sec/36000), byte('0'+sec/3600%10), ':',
			byte('0'+sec%3600/600), byte('0'+sec%600/60), ':', byte('0'+sec%60/10), byte('0'+sec%10), 'Z', ',')
		line = append(line, kindNames[b.kind[i]]...)
		line = append(line, ',')
		line = appendCents(line, b.cents[i])
		line = append(line, ',')
		if r := b.referred[i]; r > 0 {
			line = strconv.AppendInt(line, r, 10)
		}
		if s.feedback {
			line = append(line, ',')
			if b.kind[i] == kFeedback {
				line = strconv.AppendFloat(line, b.score[i], 'f', -1, 64)
			}
		}
		line = append(line, '\n')
		if _, err := s.w.Write(line); err != nil {
			return err
		}
	}
	s.line = line
	return nil
}

func (s *csvSink) close() error {
	if !s.header {
		return s.write(&block{}) // no customers: the header alone
	}
	return nil
}

func (s *csvSink) abort() {}

// appendCents appends c cents as a decimal amount: 1234 → "12.34", 0 → "0".
func appendCents(b []byte, c int64) []byte {
	if c == 0 {
		return append(b, '0')
	}
	b = strconv.AppendInt(b, c/100, 10)
	r := c % 100
	return append(b, '.', byte('0'+r/10), byte('0'+r%10))
}

func floorDiv(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// civilDate writes the date of day d (days since 1970-01-01) as
// YYYY-MM-DD.
func civilDate(dst *[10]byte, d int64) { civil.AppendDate(dst[:0], d) }

// RowGroupRows is the number of rows of each Parquet row group (one Arrow
// record batch each).
const RowGroupRows = 1 << 17

// parquetSink gathers blocks into record batches of RowGroupRows rows and
// writes each as a row group.
type parquetSink struct {
	fw       *pqarrow.FileWriter
	schema   *arrow.Schema
	rb       *array.RecordBuilder
	feedback bool
	rows     int
	times    []int64
	amounts  []float64
	valid    []bool
}

var tsType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// newParquetSink writes to w, which must not be an io.Closer: the Parquet
// writer closes a closable sink.
func newParquetSink(w io.Writer, feedback bool) (*parquetSink, error) {
	fields := []arrow.Field{
		{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "time", Type: tsType},
		{Name: "kind", Type: arrow.BinaryTypes.String},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
		{Name: "referred_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}
	if feedback {
		fields = append(fields, arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	// Dictionary encoding only where values repeat. Data pages v2: with
	// v1 pages, Arrow v15's level encoder reallocates its buffer on every
	// literal run of definition levels, which made the sparse score column
	// cost more than all the others (1M customers: 7.1 s, v2: about a third).
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(RowGroupRows), parquet.WithDictionaryDefault(false), parquet.WithDataPageVersion(parquet.DataPageV2),
		parquet.WithDictionaryFor("kind", true), parquet.WithDictionaryFor("score", true))
	fw, err := pqarrow.NewFileWriter(schema, w, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return nil, err
	}
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	rb.Reserve(RowGroupRows)
	return &parquetSink{fw: fw, schema: schema, rb: rb, feedback: feedback}, nil
}

func (s *parquetSink) write(b *block) error {
	for lo := 0; lo < b.len(); {
		hi := min(b.len(), lo+RowGroupRows-s.rows)
		s.append(b, lo, hi)
		s.rows += hi - lo
		lo = hi
		if s.rows == RowGroupRows {
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *parquetSink) append(b *block, lo, hi int) {
	n := hi - lo
	s.rb.Field(0).(*array.Int64Builder).AppendValues(b.customer[lo:hi], nil)
	s.times = s.times[:0]
	for _, t := range b.time[lo:hi] {
		s.times = append(s.times, t*1e6)
	}
	tb := s.rb.Field(1).(*array.TimestampBuilder)
	tb.Reserve(n)
	for _, t := range s.times {
		tb.UnsafeAppend(arrow.Timestamp(t))
	}
	kb := s.rb.Field(2).(*array.StringBuilder)
	for _, k := range b.kind[lo:hi] {
		kb.Append(kindNames[k])
	}
	s.amounts = s.amounts[:0]
	for _, c := range b.cents[lo:hi] {
		s.amounts = append(s.amounts, float64(c)/100)
	}
	s.rb.Field(3).(*array.Float64Builder).AppendValues(s.amounts, nil)
	s.valid = s.valid[:0]
	for _, r := range b.referred[lo:hi] {
		s.valid = append(s.valid, r > 0)
	}
	s.rb.Field(4).(*array.Int64Builder).AppendValues(b.referred[lo:hi], s.valid)
	if s.feedback {
		s.valid = s.valid[:0]
		for _, k := range b.kind[lo:hi] {
			s.valid = append(s.valid, k == kFeedback)
		}
		s.rb.Field(5).(*array.Float64Builder).AppendValues(b.score[lo:hi], s.valid)
	}
}

func (s *parquetSink) flush() error {
	if s.rows == 0 {
		return nil
	}
	rec := s.rb.NewRecord()
	defer rec.Release()
	s.rows = 0
	return s.fw.Write(rec)
}

func (s *parquetSink) close() error {
	err := s.flush()
	if cerr := s.fw.Close(); err == nil {
		err = cerr
	}
	s.rb.Release()
	return err
}

func (s *parquetSink) abort() { s.rb.Release() }
