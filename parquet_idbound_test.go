package valuekit

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParquetIDBound checks the id-table size hint from row-group
// statistics: exact for ids grouped by customer, capped by the rows where
// ranges overlap, and absent for text ids; and that the summary of a
// split read with the hint equals the one-pass summary.
func TestParquetIDBound(t *testing.T) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	parquetRowGroupRows = 10
	// write returns a Parquet file of rows (customer id, day index).
	write := func(t *testing.T, idType arrow.DataType, ids []int64) []byte {
		mem := memory.NewGoAllocator()
		schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: idType},
			{Name: "time", Type: arrow.FixedWidthTypes.Date32}, {Name: "amount", Type: arrow.PrimitiveTypes.Float64}}, nil)
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		for i, id := range ids {
			switch c := b.Field(0).(type) {
			case *array.Int64Builder:
				c.Append(id)
			case *array.Int32Builder:
				c.Append(int32(id))
			case *array.StringBuilder:
				c.Append(string(rune('a' + id%26)))
			}
			b.Field(1).(*array.Date32Builder).Append(arrow.Date32(18000 + i%50))
			b.Field(2).(*array.Float64Builder).Append(float64(1 + i%5))
		}
		rec := b.NewRecord()
		defer rec.Release()
		var buf bytes.Buffer
		require.NoError(t, writeParquetRecord(&buf, rec))
		return buf.Bytes()
	}
	bound := func(t *testing.T, data []byte) int {
		r, err := openParquet(bytes.NewReader(data), "in.parquet", &ReadOptions{}, nil)
		require.NoError(t, err)
		defer r.Close()
		src := r.src.(*arrowSource)
		it := src.it.(*parquetIter)
		groups := make([]int, it.fr.ParquetReader().NumRowGroups())
		for g := range groups {
			groups[g] = g
		}
		bound, _, _ := parquetIDRange(it, src.col[fCustomer], groups)
		return bound
	}
	var grouped, interleaved []int64
	for c := range 12 { // 12 customers, 5 rows each, in customer order
		for range 5 {
			grouped = append(grouped, int64(1000+3*c))
		}
	}
	for i := range 60 { // 7 customers in turn
		interleaved = append(interleaved, int64(i%7))
	}
	for _, tc := range []struct {
		name   string
		typ    arrow.DataType
		ids    []int64
		bound  int
		distin int
	}{
		// Groups of 10 rows hold two customers 3 apart: six disjoint
		// ranges [1000+6g, 1003+6g] of 4 ids each.
		{"grouped int64", arrow.PrimitiveTypes.Int64, grouped, 24, 12},
		{"grouped int32", arrow.PrimitiveTypes.Int32, grouped, 24, 12},
		// Every group spans [0, 6]: one range of 7 ids.
		{"interleaved", arrow.PrimitiveTypes.Int64, interleaved, 7, 7},
		{"text ids", arrow.BinaryTypes.String, grouped, 0, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := write(t, tc.typ, tc.ids)
			got := bound(t, data)
			assert.Equal(t, tc.bound, got)
			if got > 0 {
				assert.GreaterOrEqual(t, got, tc.distin)
			}
			one := summarizeParquet(t, data, &ReadOptions{}, 1)
			require.Empty(t, one.err)
			require.Equal(t, tc.distin, one.s.Len())
			for workers := 2; workers <= 3; workers++ {
				assert.Equal(t, one, summarizeParquet(t, data, &ReadOptions{}, workers), "workers %d", workers)
			}
		})
	}
}
