package valuekit

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	whole := TableRecord(tab, nil)
	defer whole.Release()
	for _, size := range []int{1000, 999} {
		var parts []arrow.Record
		for lo := 0; lo < n; lo += size {
			parts = append(parts, TableRecord(tab.Slice(lo, min(n, lo+size)), nil))
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
	require.NoError(t, WriteTableParquet(&b, tab))
}
