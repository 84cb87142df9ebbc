package valuekit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A CSV row error names the line the row starts on, like csv.ParseError's
// StartLine, when blank lines or quoted line ends make it differ from the
// row; split reading on several cores gives the same lines.
func TestRowErrorLine(t *testing.T) {
	data := "customer_id,date,amount\n" +
		"1,2024-01-01,5\n" +
		"\n\n" + // lines 3 and 4 are blank
		"\"two\nlines\",2024-01-02,6\n" + // row 3 starts on line 5
		"3,2024-01-03,x\n" + // row 4, line 7: a bad amount
		"4,2024-01-04,7\n" +
		"5,2024-01-05,y\n" // row 6, line 9
	ev, err := ReadCSV(strings.NewReader(data), "lines.csv", &ReadOptions{SkipBadRows: true})
	require.NoError(t, err)
	require.Len(t, ev.BadRows, 2)
	assert.Equal(t, [2]int{4, 7}, [2]int{ev.BadRows[0].Row, ev.BadRows[0].Line})
	assert.Equal(t, [2]int{6, 9}, [2]int{ev.BadRows[1].Row, ev.BadRows[1].Line})
	assert.Equal(t, `lines.csv: row 4 (line 7), column "amount": "x" is not a number`, ev.BadRows[0].Error())

	// Without blank lines and quoted line ends, the message is unchanged.
	_, err = ReadCSV(strings.NewReader("customer_id,date,amount\n1,2024-01-01,z\n"), "plain.csv", nil)
	assert.EqualError(t, err, `plain.csv: row 2, column "amount": "z" is not a number`)

	// Split reading at every cut gives the same rows and lines.
	defer func(m int64) { minSplitPart = m }(minSplitPart)
	minSplitPart = 1
	ro := &ReadOptions{SkipBadRows: true, TimeLayout: "2006-01-02"}
	want := summarizeCSV(t, data, ro, 1, nil)
	require.Len(t, want.bad, 2)
	assert.Equal(t, 9, want.bad[1].Line)
	for c := 1; c < len(data); c++ {
		got := summarizeCSV(t, data, ro, 2, []int64{int64(c)})
		require.Equal(t, want, got, "cut at %d", c)
	}
}
