package table

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
