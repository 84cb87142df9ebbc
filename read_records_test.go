package valuekit

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordsOf builds Arrow records of (customer, date text, amount) rows,
// split into records of per rows.
func recordsOf(t *testing.T, mem memory.Allocator, ids, dates []string, amounts []float64, per int) (*arrow.Schema, []arrow.Record) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "customer_id", Type: arrow.BinaryTypes.String},
		{Name: "date", Type: arrow.BinaryTypes.String},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	var recs []arrow.Record
	for lo := 0; lo < len(ids); lo += per {
		hi := min(len(ids), lo+per)
		b := array.NewRecordBuilder(mem, schema)
		b.Field(0).(*array.StringBuilder).AppendValues(ids[lo:hi], nil)
		b.Field(1).(*array.StringBuilder).AppendValues(dates[lo:hi], nil)
		b.Field(2).(*array.Float64Builder).AppendValues(amounts[lo:hi], nil)
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return schema, recs
}

// Arrow records read as the same events as the CSV of the same rows, with
// rows numbered across records in errors, and every Arrow buffer released.
func TestReadRecords(t *testing.T) {
	ids := []string{"a", "b", "a", "c", "b"}
	dates := []string{"2024-01-01", "2024-01-02", "2024-02-01", "2024-02-03", "2024-03-01"}
	amounts := []float64{10, 20, -5, 7.5, 12}
	var csv strings.Builder
	csv.WriteString("customer_id,date,amount\n")
	for i := range ids {
		csv.WriteString(ids[i] + "," + dates[i] + "," + strconv.FormatFloat(amounts[i], 'f', -1, 64) + "\n")
	}
	want, err := ReadCSV(strings.NewReader(csv.String()), "x.csv", nil)
	require.NoError(t, err)

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema, recs := recordsOf(t, mem, ids, dates, amounts, 2)
	rr, err := array.NewRecordReader(schema, recs)
	require.NoError(t, err)
	for _, r := range recs {
		r.Release()
	}
	got, err := ReadRecords(rr, "records", nil)
	require.NoError(t, err)
	rr.Release()
	assert.Equal(t, want.Len(), got.Len())
	assert.Equal(t, want.Times(), got.Times())
	assert.Equal(t, want.Kinds(), got.Kinds())
	assert.Equal(t, want.Amounts(), got.Amounts())
	for i := range want.Len() {
		assert.Equal(t, want.CustomerID(i), got.CustomerID(i))
	}

	// A bad value in the second record is row 4 of the input.
	bad := slices.Clone(dates)
	bad[3] = "someday"
	schema, recs = recordsOf(t, mem, ids, bad, amounts, 2)
	rr, err = array.NewRecordReader(schema, recs)
	require.NoError(t, err)
	for _, r := range recs {
		r.Release()
	}
	_, err = ReadRecords(rr, "records", nil)
	rr.Release()
	var re *RowError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, RowError{File: "records", Row: 4, Column: "date", Value: "someday", Reason: re.Reason}, *re)
	assert.ErrorIs(t, err, ErrBadRow)

	// A missing column is refused before reading.
	schema, recs = recordsOf(t, mem, ids, dates, amounts, 5)
	rr, err = array.NewRecordReader(schema, recs)
	require.NoError(t, err)
	recs[0].Release()
	_, err = ReadRecords(rr, "records", &ReadOptions{Columns: Columns{Amount: "price"}})
	rr.Release()
	assert.ErrorIs(t, err, ErrMissingColumn)

	_, err = ReadRecords(nil, "records", nil)
	assert.ErrorIs(t, err, ErrOption)
}
