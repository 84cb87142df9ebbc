package valuekit

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"github.com/stretchr/testify/require"
)

// TestParquetFastPath reads files with columns of every type the readers
// accept, with nulls, several row groups and pages, dictionary and plain
// encodings, v1 and v2 data pages, through the fast column reader and
// through pqarrow, and requires the same events, bad rows and errors.
func TestParquetFastPath(t *testing.T) {
	const n = 3000
	mem := memory.NewGoAllocator()
	valid := func(i int) bool { return i%7 != 3 }
	type col struct {
		field arrow.Field
		fill  func(b array.Builder, i int)
	}
	ids := []col{
		{arrow.Field{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64}, func(b array.Builder, i int) { b.(*array.Int64Builder).Append(int64(i % 97)) }},
		{arrow.Field{Name: "customer_id", Type: arrow.PrimitiveTypes.Int32}, func(b array.Builder, i int) { b.(*array.Int32Builder).Append(int32(i % 97)) }},
		{arrow.Field{Name: "customer_id", Type: arrow.PrimitiveTypes.Int16}, func(b array.Builder, i int) { b.(*array.Int16Builder).Append(int16(i % 97)) }},
		{arrow.Field{Name: "customer_id", Type: arrow.PrimitiveTypes.Uint32}, func(b array.Builder, i int) { b.(*array.Uint32Builder).Append(uint32(i%97) + 3e9) }},
		{arrow.Field{Name: "customer_id", Type: arrow.PrimitiveTypes.Uint64}, func(b array.Builder, i int) { b.(*array.Uint64Builder).Append(uint64(i%97) + 1<<63) }},
		{arrow.Field{Name: "customer_id", Type: arrow.BinaryTypes.String, Nullable: true}, func(b array.Builder, i int) {
			if i%500 == 499 {
				b.AppendNull() // a bad row
				return
			}
			b.(*array.StringBuilder).Append(fmt.Sprintf("c-%d-%s", i%97, "long-enough-to-be-long"[:i%20]))
		}},
		{arrow.Field{Name: "customer_id", Type: arrow.BinaryTypes.Binary}, func(b array.Builder, i int) { b.(*array.BinaryBuilder).Append([]byte(fmt.Sprint(i % 97))) }},
	}
	day := date("2020-01-01").Unix()
	times := []col{
		{arrow.Field{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}}, func(b array.Builder, i int) {
			b.(*array.TimestampBuilder).Append(arrow.Timestamp((day + int64(i)*3600) * 1e6))
		}},
		{arrow.Field{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Millisecond}}, func(b array.Builder, i int) {
			b.(*array.TimestampBuilder).Append(arrow.Timestamp((day + int64(i)*3600) * 1e3))
		}},
		{arrow.Field{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, Nullable: true}, func(b array.Builder, i int) {
			if i == 1234 {
				b.AppendNull()
				return
			}
			b.(*array.TimestampBuilder).Append(arrow.Timestamp((day + int64(i)*3600) * 1e9))
		}},
		{arrow.Field{Name: "time", Type: arrow.FixedWidthTypes.Date32}, func(b array.Builder, i int) { b.(*array.Date32Builder).Append(arrow.Date32(day/86400 + int64(i/10))) }},
		{arrow.Field{Name: "time", Type: arrow.BinaryTypes.String}, func(b array.Builder, i int) {
			b.(*array.StringBuilder).Append(date("2020-01-01").AddDate(0, 0, i/10).Format("2006-01-02"))
		}},
	}
	rest := []col{
		{arrow.Field{Name: "kind", Type: arrow.BinaryTypes.String}, func(b array.Builder, i int) {
			b.(*array.StringBuilder).Append([]string{"purchase", "purchase", "refund", "share", "referral", "feedback"}[i%6])
		}},
		{arrow.Field{Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, func(b array.Builder, i int) {
			if !valid(i) && i%6 > 2 {
				b.AppendNull()
				return
			}
			b.(*array.Float64Builder).Append(float64(i%1000) / 4)
		}},
		{arrow.Field{Name: "cost", Type: arrow.PrimitiveTypes.Float32, Nullable: true}, func(b array.Builder, i int) {
			if !valid(i) {
				b.AppendNull()
				return
			}
			b.(*array.Float32Builder).Append(float32(i%100) / 8)
		}},
		{arrow.Field{Name: "quantity", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, func(b array.Builder, i int) {
			if !valid(i) {
				b.AppendNull()
				return
			}
			b.(*array.Int32Builder).Append(int32(i % 5))
		}},
		{arrow.Field{Name: "referred_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, func(b array.Builder, i int) {
			if i%6 != 4 {
				b.AppendNull()
				return
			}
			b.(*array.Int64Builder).Append(int64(i%89 + 1000))
		}},
		{arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, func(b array.Builder, i int) {
			if i%6 != 5 && i%11 != 0 {
				b.AppendNull()
				return
			}
			b.(*array.Float64Builder).Append(float64(i % 10))
		}},
		{arrow.Field{Name: "unused", Type: arrow.FixedWidthTypes.Boolean}, func(b array.Builder, i int) { b.(*array.BooleanBuilder).Append(i%2 == 0) }},
	}
	for k := range max(len(ids), len(times)) {
		cols := append([]col{ids[k%len(ids)], times[k%len(times)]}, rest...)
		fields := make([]arrow.Field, len(cols))
		for i, c := range cols {
			fields[i] = c.field
		}
		rb := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
		for i := range n {
			for j, c := range cols {
				c.fill(rb.Field(j), i)
			}
		}
		rec := rb.NewRecord()
		rb.Release()
		for _, props := range [][]parquet.WriterProperty{
			{parquet.WithMaxRowGroupLength(1000), parquet.WithDataPageSize(2000)},
			{parquet.WithMaxRowGroupLength(700), parquet.WithDictionaryDefault(false), parquet.WithDataPageVersion(parquet.DataPageV2), parquet.WithCompression(compress.Codecs.Snappy)},
			{parquet.WithMaxRowGroupLength(n)},
		} {
			var buf bytes.Buffer
			fw, err := pqarrow.NewFileWriter(rec.Schema(), &buf, parquet.NewWriterProperties(props...), pqarrow.DefaultWriterProps())
			require.NoError(t, err)
			require.NoError(t, fw.Write(rec))
			require.NoError(t, fw.Close())
			name := fmt.Sprintf("%s/%s", fields[0].Type, fields[1].Type)
			for _, skip := range []bool{false, true} {
				opts := &ReadOptions{SkipBadRows: skip, BatchSize: 256}
				read := func(slow bool) (*Events, error) {
					noFastParquet = slow
					defer func() { noFastParquet = false }()
					return ReadParquet(bytes.NewReader(buf.Bytes()), "x.parquet", opts)
				}
				want, werr := read(true)
				got, gerr := read(false)
				if werr != nil {
					require.EqualError(t, gerr, werr.Error(), name)
					continue
				}
				require.NoError(t, gerr, name)
				require.Equal(t, want.dict.idList(), got.dict.idList(), name)
				want.dict, got.dict = nil, nil
				require.Equal(t, want, got, name)
				require.Greater(t, got.Len(), n/2, name)
			}
		}
		rec.Release()
	}
}
