package table

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

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
	for i := range n { // formatted without floatTexts
		for j := range tab.Columns {
			if j > 0 {
				want = append(want, ',')
			}
			want = AppendCSVField(want, tab.Columns[j].appendText(nil, i))
		}
		want = append(want, '\n')
	}
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

// TestFloatTexts checks the remembered texts of float values against
// appendFloat: values that repeat, that collide in the table, that are too
// long to keep, whole numbers, cents, −0, NaN and ±Inf.
func TestFloatTexts(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	pool := []float64{0.1, 1.0 / 3, -2.5e-7, 1e-300, 123456789.123456789, math.Copysign(0, -1), 0, 7, -3,
		math.NaN(), math.Inf(1), math.Inf(-1), 19.99, 1e21 + 0.5, math.SmallestNonzeroFloat64}
	for range 3000 {
		pool = append(pool, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(12)-6)))
	}
	var ft floatTexts
	for i := range 200_000 {
		v := pool[rng.IntN(len(pool))]
		if i%7 == 0 {
			v = rng.Float64() // mostly new values, evicting others
		}
		got := ft.appendFloat([]byte("x"), v)
		require.Equal(t, string(appendFloat([]byte("x"), v)), string(got), "%v (bits %x)", v, math.Float64bits(v))
	}
}
