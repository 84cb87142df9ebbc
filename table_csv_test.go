package valuekit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The CSV of a table too large for one block is formatted on several
// goroutines: byte for byte what one goroutine writes.
func TestWriteCSVBlocks(t *testing.T) {
	n := 3*csvBlockRows + 17
	ids, f, in := make([]string, n), make([]float64, n), make([]int32, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c,%d", i) // quoted
		f[i] = math.Sqrt(float64(i))
		in[i] = int32(i % 7)
	}
	tab := &Table{Columns: []Column{
		{Name: "id", Kind: StringColumn, String: ids},
		{Name: "f", Kind: FloatColumn, Float: f, Valid: func(i int) bool { return i%5 != 0 }},
		{Name: "n", Kind: IntColumn, Int: in},
	}}
	var got bytes.Buffer
	require.NoError(t, tab.WriteCSV(&got))
	want := []byte("id,f,n\n")
	want = tab.appendCSVRows(want, 0, n)
	assert.Equal(t, string(want), got.String())

	// A failing writer stops the write with its error.
	fail := errors.New("disk full")
	assert.ErrorIs(t, tab.WriteCSV(&failAfter{n: 2, err: fail}), fail)
}

type failAfter struct {
	n   int
	err error
}

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, w.err
	}
	w.n--
	return len(p), nil
}

// Parquet is written a row group at a time; what reads back is the table,
// nulls included, for every column kind (a time column without a validity
// function included).
func TestWriteParquetRowGroups(t *testing.T) {
	n := 3000
	ids, f, in, tm, ok := make([]string, n), make([]float64, n), make([]int32, n), make([]int64, n), make([]bool, n)
	for i := range n {
		ids[i] = fmt.Sprint(i)
		f[i], in[i], tm[i], ok[i] = float64(i)/3, int32(i), int64(i)*1e6, i%2 == 0
	}
	odd := func(i int) bool { return i%3 != 1 }
	tab := &Table{Columns: []Column{
		{Name: "id", Kind: StringColumn, String: ids},
		{Name: "f", Kind: FloatColumn, Float: f, Valid: odd},
		{Name: "n", Kind: IntColumn, Int: in, Valid: odd},
		{Name: "t", Kind: TimeColumn, Time: tm},
		{Name: "b", Kind: BoolColumn, Bool: ok, Valid: odd},
	}}
	whole := tab.Record(nil)
	defer whole.Release()
	for _, size := range []int{1000, 999} {
		var parts []arrow.Record
		for lo := 0; lo < n; lo += size {
			parts = append(parts, tab.rows(lo, min(n, lo+size)).Record(nil))
		}
		joined := array.NewTableFromRecords(whole.Schema(), parts)
		for j := range whole.NumCols() {
			got := array.NewChunkedSlice(joined.Column(int(j)).Data(), 0, int64(n))
			for k, c := range got.Chunks() {
				off := k * size
				want := array.NewSlice(whole.Column(int(j)), int64(off), int64(off+c.Len()))
				assert.True(t, array.Equal(want, c), "column %d chunk %d", j, k)
				want.Release()
			}
			got.Release()
		}
		joined.Release()
		for _, p := range parts {
			p.Release()
		}
	}
	assert.Equal(t, 1000, whole.Column(2).NullN(), "int nulls kept")
	var b bytes.Buffer
	require.NoError(t, tab.WriteParquet(&b))
}

// JSON output is valid JSON whatever the values: NaN and ±Inf are null,
// names with quotes or control characters are escaped.
func TestWriteJSONValid(t *testing.T) {
	tab := &Table{Columns: []Column{
		{Name: "id\"\x01é", Kind: StringColumn, String: []string{"a\x00", "b"}},
		{Name: "f", Kind: FloatColumn, Float: []float64{math.NaN(), math.Inf(-1)}},
		{Name: "g", Kind: FloatColumn, Float: []float64{1.5, math.Inf(1)}},
	}}
	var b bytes.Buffer
	require.NoError(t, tab.WriteJSON(&b))
	var rows []map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &rows), b.String())
	require.Len(t, rows, 2)
	assert.Nil(t, rows[0]["f"])
	assert.Nil(t, rows[1]["g"])
	assert.Equal(t, 1.5, rows[0]["g"])
	assert.Equal(t, "a\x00", rows[0]["id\"\x01é"])
}
