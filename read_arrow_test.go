package valuekit

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportFile writes one record as Parquet and as an Arrow IPC stream, the
// way other tools export events: their own column types and names.
func exportFile(t *testing.T, rec arrow.Record) (pq, stream []byte) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, writeParquetRecord(&b, rec))
	pq = append([]byte(nil), b.Bytes()...)
	b.Reset()
	w := ipc.NewWriter(&b, ipc.WithSchema(rec.Schema()))
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Close())
	return pq, b.Bytes()
}

// TestArrowColumnTypes reads exports whose columns have other types than
// valuekit's own: integer ids, string or date32 or timestamp[s] times,
// float32 or string amounts, string kinds, nulls.
func TestArrowColumnTypes(t *testing.T) {
	mem := memory.NewGoAllocator()
	day := func(s string) int64 { return date(s).Unix() }
	cases := []struct {
		name   string
		fields []arrow.Field
		build  func(b *array.RecordBuilder)
	}{
		{"int ids, string dates, float32 amounts", []arrow.Field{
			{Name: "client", Type: arrow.PrimitiveTypes.Int64},
			{Name: "date", Type: arrow.BinaryTypes.String},
			{Name: "value", Type: arrow.PrimitiveTypes.Float32},
		}, func(b *array.RecordBuilder) {
			b.Field(0).(*array.Int64Builder).AppendValues([]int64{7, 7, 8}, nil)
			b.Field(1).(*array.StringBuilder).AppendValues([]string{"2020-01-01", "2020-01-08", "2020-01-02"}, nil)
			b.Field(2).(*array.Float32Builder).AppendValues([]float32{10, 5.5, 2}, nil)
		}},
		{"string ids, date32, string amounts and kinds", []arrow.Field{
			{Name: "customer_id", Type: arrow.BinaryTypes.String},
			{Name: "time", Type: arrow.FixedWidthTypes.Date32},
			{Name: "kind", Type: arrow.BinaryTypes.String},
			{Name: "amount", Type: arrow.BinaryTypes.String, Nullable: true},
		}, func(b *array.RecordBuilder) {
			b.Field(0).(*array.StringBuilder).AppendValues([]string{"7", "7", "8"}, nil)
			b.Field(1).(*array.Date32Builder).AppendValues([]arrow.Date32{arrow.Date32(day("2020-01-01") / 86400), arrow.Date32(day("2020-01-08") / 86400), arrow.Date32(day("2020-01-02") / 86400)}, nil)
			b.Field(2).(*array.StringBuilder).AppendValues([]string{"Purchase", "purchase", "PURCHASE"}, nil)
			b.Field(3).(*array.StringBuilder).AppendValues([]string{"10", "5.5", "2"}, nil)
		}},
		{"timestamp[s] times", []arrow.Field{
			{Name: "customer_id", Type: arrow.PrimitiveTypes.Int32},
			{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}},
			{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
		}, func(b *array.RecordBuilder) {
			b.Field(0).(*array.Int32Builder).AppendValues([]int32{7, 7, 8}, nil)
			b.Field(1).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{arrow.Timestamp(day("2020-01-01")), arrow.Timestamp(day("2020-01-08")), arrow.Timestamp(day("2020-01-02"))}, nil)
			b.Field(2).(*array.Float64Builder).AppendValues([]float64{10, 5.5, 2}, nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := array.NewRecordBuilder(mem, arrow.NewSchema(tc.fields, nil))
			defer b.Release()
			tc.build(b)
			rec := b.NewRecord()
			defer rec.Release()
			pq, stream := exportFile(t, rec)
			opts := &ReadOptions{Columns: Columns{Time: tc.fields[1].Name}}
			for name, read := range map[string]func() (*Events, error){
				"parquet": func() (*Events, error) { return ReadParquet(bytes.NewReader(pq), "x.parquet", opts) },
				"ipc":     func() (*Events, error) { return ReadIPC(bytes.NewReader(stream), "x.arrow", opts) },
			} {
				ev, err := read()
				require.NoError(t, err, name)
				require.Equal(t, 3, ev.Len(), name)
				assert.Equal(t, []string{"7", "7", "8"}, []string{ev.CustomerID(0), ev.CustomerID(1), ev.CustomerID(2)}, name)
				assert.Equal(t, []float64{10, 5.5, 2}, ev.Amounts(), name)
				assert.Equal(t, "2020-01-08", ev.Time(1).Format("2006-01-02"), name)
				s, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Week})
				require.NoError(t, err)
				assert.Equal(t, []float64{1, 0}, s.Frequency, name)
				assert.Equal(t, []float64{5.5, 0}, s.MonetaryValue, name)
			}
		})
	}
}

// TestArrowBadValues: bad values in Parquet files are reported with row,
// column and value like CSV ones (rows count from 1: no header row).
func TestArrowBadValues(t *testing.T) {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "customer_id", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "date", Type: arrow.BinaryTypes.String},
		{Name: "amount", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	build := func(ids []string, valid []bool, dates, amounts []string) []byte {
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		b.Field(0).(*array.StringBuilder).AppendValues(ids, valid)
		b.Field(1).(*array.StringBuilder).AppendValues(dates, nil)
		b.Field(2).(*array.StringBuilder).AppendValues(amounts, nil)
		rec := b.NewRecord()
		defer rec.Release()
		pq, _ := exportFile(t, rec)
		return pq
	}
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"bad amount", build([]string{"1", "2"}, nil, []string{"2020-01-01", "2020-01-02"}, []string{"1", "12,5x"}),
			`x.parquet: row 2, column "amount": "12,5x" is not a number`},
		{"bad date", build([]string{"1", "2"}, nil, []string{"2020-01-01", "2020-02-30"}, []string{"1", "2"}),
			`x.parquet: row 2, column "date": "2020-02-30" is not a time in layout "2006-01-02"`},
		{"null id", build([]string{"1", ""}, []bool{true, false}, []string{"2020-01-01", "2020-01-02"}, []string{"1", "2"}),
			`x.parquet: row 2, column "customer_id": "" is empty (every event needs a customer id)`},
		{"not parquet", []byte("customer_id,date,amount\n"), ""},
	} {
		_, err := ReadParquet(bytes.NewReader(tc.data), "x.parquet", nil)
		require.Error(t, err, tc.name)
		if tc.msg == "" {
			assert.ErrorIs(t, err, ErrFormat)
			continue
		}
		assert.EqualError(t, err, tc.msg, tc.name)
		var re *RowError
		assert.True(t, errors.As(err, &re))
	}
	// A column of a type that cannot hold the field is refused up front.
	b := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{
		{Name: "customer_id", Type: arrow.BinaryTypes.String},
		{Name: "date", Type: arrow.PrimitiveTypes.Float64},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
	}, nil))
	b.Field(0).(*array.StringBuilder).Append("1")
	b.Field(1).(*array.Float64Builder).Append(1)
	b.Field(2).(*array.Float64Builder).Append(1)
	rec := b.NewRecord()
	b.Release()
	pq, _ := exportFile(t, rec)
	rec.Release()
	_, err := ReadParquet(bytes.NewReader(pq), "x.parquet", nil)
	assert.EqualError(t, err, `x.parquet: unknown or bad file format: column "date" has type float64, which cannot hold time`)
}
