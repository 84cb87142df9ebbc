package valuekit

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
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

// TestParquetSplitRouted checks the routing of rows by customer across
// the split's accumulators on events of every kind — refunds, referrals
// naming customers whose own events another accumulator takes, shares,
// feedback scores, cost and quantity — in time order, so that every run
// of row groups holds most customers: the summary of 2 to 4 workers is
// the one-pass summary, column for column.
func TestParquetSplitRouted(t *testing.T) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	parquetRowGroupRows = 997
	rng := rand.New(rand.NewPCG(5, 9))
	const n = 12000
	var c EventColumns
	start := date("2020-01-01").UnixMicro()
	for i := range n {
		id := fmt.Sprint(rng.IntN(1500))
		kind := Kind(Purchase)
		amount := float64(rng.IntN(9000)) / 100
		referred := ""
		score, has := 0.0, false
		switch r := rng.IntN(20); {
		case r == 0:
			kind = Refund
		case r == 1:
			kind, amount = Referral, 0
			referred = fmt.Sprint(rng.IntN(1700)) // some refer customers with no events of their own
		case r == 2:
			kind, amount = Share, 0
		case r == 3:
			kind, amount = Feedback, 0
			score, has = float64(rng.IntN(11)), true
		}
		c.CustomerID = append(c.CustomerID, id)
		c.Time = append(c.Time, start+int64(i)*3_600_000_000) // an event an hour, in time order
		c.Kind = append(c.Kind, kind)
		c.Amount = append(c.Amount, amount)
		c.Cost = append(c.Cost, amount/3)
		c.Quantity = append(c.Quantity, float64(1+rng.IntN(3)))
		c.ReferredID = append(c.ReferredID, referred)
		c.Score = append(c.Score, score)
		c.HasScore = append(c.HasScore, has)
	}
	ev, err := NewEventsFromColumns(c)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, ev.WriteParquet(&buf))
	want := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, 1)
	require.Empty(t, want.err)
	require.NotNil(t, want.s.Referred)
	require.NotNil(t, want.s.Experience)
	for workers := 2; workers <= 4; workers++ {
		require.Equal(t, want, summarizeParquet(t, buf.Bytes(), &ReadOptions{}, workers), "workers %d", workers)
	}

	// The same events with int64 customer ids (text referred ids), which
	// the split looks up in a dense table by value: the same summary.
	schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond}}, {Name: "kind", Type: arrow.BinaryTypes.String},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64}, {Name: "cost", Type: arrow.PrimitiveTypes.Float64},
		{Name: "quantity", Type: arrow.PrimitiveTypes.Float64}, {Name: "referred_id", Type: arrow.BinaryTypes.String},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range n {
		id, err := strconv.ParseInt(c.CustomerID[i], 10, 64)
		require.NoError(t, err)
		b.Field(0).(*array.Int64Builder).Append(id)
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(c.Time[i]))
		b.Field(2).(*array.StringBuilder).Append(c.Kind[i].String())
		b.Field(3).(*array.Float64Builder).Append(c.Amount[i])
		b.Field(4).(*array.Float64Builder).Append(c.Cost[i])
		b.Field(5).(*array.Float64Builder).Append(c.Quantity[i])
		b.Field(6).(*array.StringBuilder).Append(c.ReferredID[i])
		if c.HasScore[i] {
			b.Field(7).(*array.Float64Builder).Append(c.Score[i])
		} else {
			b.Field(7).(*array.Float64Builder).AppendNull()
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	buf.Reset()
	require.NoError(t, writeParquetRecord(&buf, rec))
	wantInt := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, 1)
	require.Empty(t, wantInt.err)
	require.Equal(t, want.s, wantInt.s)
	for workers := 2; workers <= 4; workers++ {
		require.Equal(t, wantInt, summarizeParquet(t, buf.Bytes(), &ReadOptions{}, workers), "int ids, workers %d", workers)
	}
}

// FuzzParquetSplit reads Parquet files of several row groups — int64 and
// text ids, every event kind — in one pass and split on 2 and 3 workers
// (routed batches, dense id tables, page readers reused across row
// groups): where a read succeeds, the others do too and give the same
// summary; no read panics.
func FuzzParquetSplit(f *testing.F) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	parquetRowGroupRows = 5
	score := 4.0
	rows := []Event{
		{CustomerID: "1", Time: date("2020-01-01"), Kind: Purchase, Amount: 1},
		{CustomerID: "2", Time: date("2020-01-02"), Kind: Purchase, Amount: 2.5},
		{CustomerID: "1", Time: date("2020-01-03"), Kind: Referral, ReferredID: "3"},
		{CustomerID: "3", Time: date("2020-01-04"), Kind: Purchase, Amount: 4},
		{CustomerID: "2", Time: date("2020-01-05"), Kind: Refund, Amount: 1},
		{CustomerID: "4", Time: date("2020-01-06"), Kind: Feedback, Score: &score},
		{CustomerID: "1", Time: date("2020-01-07"), Kind: Purchase, Amount: 3},
		{CustomerID: "5", Time: date("2020-01-08"), Kind: Share},
		{CustomerID: "2", Time: date("2020-01-09"), Kind: Purchase, Amount: 7},
		{CustomerID: "3", Time: date("2020-01-10"), Kind: Purchase, Amount: 1},
		{CustomerID: "6", Time: date("2020-01-11"), Kind: Purchase, Amount: 9},
		{CustomerID: "1", Time: date("2020-01-12"), Kind: Purchase, Amount: 2},
	}
	ev, err := NewEvents(rows)
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ev.WriteParquet(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	// int64 ids
	schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond}}, {Name: "amount", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range 23 {
		b.Field(0).(*array.Int64Builder).Append(int64(i%7 + 100))
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(date("2021-01-01").UnixMicro() + int64(i)*86_400_000_000))
		b.Field(2).(*array.Float64Builder).Append(float64(i%5) + 0.25)
	}
	rec := b.NewRecord()
	defer rec.Release()
	buf.Reset()
	if err := writeParquetRecord(&buf, rec); err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	f.Fuzz(func(t *testing.T, data []byte) {
		summarize := func(workers int) (*Summary, error) {
			r, err := openParquet(bytes.NewReader(data), "fuzz.parquet", &ReadOptions{}, nil)
			if err != nil {
				return nil, err
			}
			defer r.Close()
			s, _, err := SummarizeReader(context.Background(), r, &SummaryOptions{Workers: workers, End: date("2022-01-01")})
			return s, err
		}
		one, err := summarize(1)
		for _, w := range []int{2, 3} {
			s, werr := summarize(w)
			if (err == nil) != (werr == nil) {
				t.Fatalf("one pass: %v; %d workers: %v", err, w, werr)
			}
			if err == nil {
				require.Equal(t, one, s, "%d workers", w)
			}
		}
	})
}

// TestParquetSplitAmountError checks that the split reports the error a
// single pass meets first when amounts too large to sum lie in several
// places: the earliest, whichever reader meets it.
func TestParquetSplitAmountError(t *testing.T) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	parquetRowGroupRows = 10
	schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: arrow.BinaryTypes.String},
		{Name: "date", Type: arrow.BinaryTypes.String}, {Name: "amount", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range 40 {
		amount := float64(i%7 + 1)
		if i == 12 || i == 33 {
			amount = 1e13
		}
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprint("c", i%9))
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("2020-01-%02d", i%28+1))
		b.Field(2).(*array.Float64Builder).Append(amount)
	}
	rec := b.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	require.NoError(t, writeParquetRecord(&buf, rec))
	ro := &ReadOptions{TimeLayout: "2006-01-02"}
	want := summarizeParquet(t, buf.Bytes(), ro, 1)
	require.Contains(t, want.err, `row 13, column "amount": "1e+13" is too large to sum exactly`)
	for workers := 2; workers <= 4; workers++ {
		got := summarizeParquet(t, buf.Bytes(), ro, workers).err
		require.Equal(t, want.err, got, "workers %d", workers)
	}
}
