package valuekit

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/require"
)

// summarizeParquet summarises Parquet data with the given workers.
func summarizeParquet(t *testing.T, data []byte, ro *ReadOptions, workers int) splitResult {
	t.Helper()
	r, err := openParquet(bytes.NewReader(data), "in.parquet", ro, nil)
	require.NoError(t, err)
	defer r.Close()
	if workers > 1 {
		src, runs := r.parquetSplit(workers)
		require.NotNil(t, src)
		require.Len(t, runs, workers)
	}
	s, bad, err := SummarizeReader(context.Background(), r, &SummaryOptions{Workers: workers, End: date("2021-01-01")})
	_, nbad := r.BadRows()
	res := splitResult{s: s, bad: bad, nbad: nbad, rows: r.Rows()}
	if err != nil {
		res.err = err.Error()
		res.rows = 0
	}
	return res
}

// TestParquetSplit checks that reading runs of row groups on several
// goroutines gives the one-pass summary of the CDNOW sample, and the same
// bad rows, row numbers and errors for a file with bad values in late row
// groups.
func TestParquetSplit(t *testing.T) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	parquetRowGroupRows = 1000
	ev, err := ReadFile("testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, ev.WriteParquet(&buf))
	want := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, 1)
	require.Empty(t, want.err)
	require.Equal(t, 2357, want.s.Len())
	for workers := 2; workers <= 5; workers++ {
		require.Equal(t, want, summarizeParquet(t, buf.Bytes(), &ReadOptions{}, workers), "workers %d", workers)
	}

	// text columns with bad values in late row groups
	parquetRowGroupRows = 7
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: arrow.BinaryTypes.String},
		{Name: "date", Type: arrow.BinaryTypes.String}, {Name: "amount", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i := range 60 {
		amount, day := fmt.Sprint(i%7+1), fmt.Sprintf("2020-01-%02d", i%28+1)
		switch i {
		case 23, 41, 55:
			amount = "x"
		case 48:
			day = "2020-13-01"
		}
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprint(i % 11))
		b.Field(1).(*array.StringBuilder).Append(day)
		b.Field(2).(*array.StringBuilder).Append(amount)
	}
	rec := b.NewRecord()
	defer rec.Release()
	buf.Reset()
	require.NoError(t, writeParquetRecord(&buf, rec))
	for _, ro := range []*ReadOptions{{TimeLayout: "2006-01-02"}, {TimeLayout: "2006-01-02", SkipBadRows: true},
		{TimeLayout: "2006-01-02", SkipBadRows: true, MaxBadRows: 2, Allocator: mem}} {
		want := summarizeParquet(t, buf.Bytes(), ro, 1)
		for workers := 2; workers <= 4; workers++ {
			require.Equal(t, want, summarizeParquet(t, buf.Bytes(), ro, workers), "workers %d, %+v", workers, ro)
		}
		if ro.SkipBadRows {
			require.Equal(t, 4, want.nbad)
			require.Equal(t, 24, want.bad[0].Row)
		} else {
			require.Contains(t, want.err, "row 24")
		}
	}
}
