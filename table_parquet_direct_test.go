package valuekit

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWriteTableParquetDirect holds the direct Parquet writer (column
// writers fed from the columns' slices, row groups encoded on several
// goroutines) to pqarrow's bytes: every column kind but lists, with and
// without missing values, NaN and infinities, empty strings, over several
// row groups and a last partial one.
func TestWriteTableParquetDirect(t *testing.T) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ rows, group int }{{1, 1 << 19}, {10, 3}, {1000, 97}, {5000, 1 << 19}, {20000, 4096}} {
		parquetRowGroupRows = int64(tc.group)
		n := tc.rows
		tab := &Table{}
		f, fv := make([]float64, n), make([]float64, n)
		in, tm := make([]int32, n), make([]int64, n)
		str, bo := make([]string, n), make([]bool, n)
		for i := range n {
			f[i] = rng.NormFloat64() * 1e3
			fv[i] = float64(rng.IntN(10000)) / 100
			switch i % 97 {
			case 5:
				fv[i] = math.NaN()
			case 6:
				fv[i] = math.Inf(1)
			}
			in[i] = int32(rng.IntN(1 << 30))
			tm[i] = rng.Int64N(1 << 50)
			if i%7 != 0 {
				str[i] = fmt.Sprint(rng.IntN(1 << 40))
			}
			bo[i] = rng.IntN(2) == 0
		}
		valid := func(i int) bool { return i%5 != 2 }
		tab.Columns = []Column{
			{Name: "customer_id", Kind: StringColumn, String: str},
			{Name: "f", Kind: FloatColumn, Float: f},
			{Name: "fv", Kind: FloatColumn, Float: fv, Valid: valid},
			{Name: "i", Kind: IntColumn, Int: in},
			{Name: "iv", Kind: IntColumn, Int: in, Valid: valid},
			{Name: "t", Kind: TimeColumn, Time: tm},
			{Name: "tv", Kind: TimeColumn, Time: tm, Valid: valid},
			{Name: "s", Kind: StringColumn, String: str, Valid: valid},
			{Name: "b", Kind: BoolColumn, Bool: bo},
			{Name: "bv", Kind: BoolColumn, Bool: bo, Valid: valid},
		}
		var direct, viaArrow bytes.Buffer
		require.NoError(t, writeTableParquetDirect(&direct, tab))
		require.NoError(t, writeTableParquetArrow(&viaArrow, tab))
		require.Equal(t, viaArrow.Bytes(), direct.Bytes(), "%d rows, row groups of %d", tc.rows, tc.group)
	}
}
