package valuekit

import (
	"bytes"
	"context"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shuffled returns the rows of ev in a random order, as a new table with a
// new dictionary built in that order.
func shuffled(t *testing.T, ev *Events, rng *rand.Rand) *Events {
	t.Helper()
	rows := make([]Event, ev.Len())
	for i := range rows {
		rows[i] = Event{CustomerID: ev.CustomerID(i), Time: ev.Time(i), Kind: ev.kinds()[i], Amount: ev.Amounts()[i]}
		if ev.quantity != nil {
			rows[i].Quantity = ev.quantity[i]
		}
		if ev.referred != nil && ev.referred[i] >= 0 {
			rows[i].ReferredID = ev.dict.ID(ev.referred[i])
		}
		if ev.score != nil && ev.hasScore[i] {
			s := ev.score[i]
			rows[i].Score = &s
		}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	out, err := NewEvents(rows)
	require.NoError(t, err)
	return out
}

func (e *Events) kinds() []Kind { return e.kind }

// TestMergeIsOnePass checks that summarising shuffled chunks separately and
// merging the accumulators gives exactly the summary of one pass.
func TestMergeIsOnePass(t *testing.T) {
	ev, err := ReadFile("testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	opts := &SummaryOptions{Unit: Week, CalibrationEnd: date("1997-09-30"), End: date("1998-06-30"), Margin: 0.3}
	want, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: opts.Unit, CalibrationEnd: opts.CalibrationEnd, End: opts.End, Margin: opts.Margin, Workers: 1})
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 5 {
		sh := shuffled(t, ev, rng)
		chunks := 1 + trial*3
		var accs []*Accumulator
		for c := range chunks {
			a, err := NewAccumulator(opts)
			require.NoError(t, err)
			lo, hi := c*sh.Len()/chunks, (c+1)*sh.Len()/chunks
			require.NoError(t, a.Add(sh.Slice(lo, hi)))
			accs = append(accs, a)
		}
		// merge in a random order
		rng.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
		for _, b := range accs[1:] {
			require.NoError(t, accs[0].Merge(b))
		}
		got, err := accs[0].Summary()
		require.NoError(t, err)
		assert.Equal(t, want, got, "trial %d with %d chunks", trial, chunks)
	}
}

func TestSummaryKindsAndEdges(t *testing.T) {
	s7, s9 := 7.0, 9.0
	d := func(s string) time.Time { return date(s) }
	ev, err := NewEvents([]Event{
		{CustomerID: "a", Time: d("2020-01-01"), Kind: Purchase, Amount: 10, Cost: 6},
		{CustomerID: "a", Time: d("2020-01-01").Add(5 * time.Hour), Kind: Purchase, Amount: 5, Cost: 3}, // same day: one period
		{CustomerID: "a", Time: d("2020-01-08"), Kind: Purchase, Amount: 20, Cost: 12},
		{CustomerID: "a", Time: d("2020-01-09"), Kind: Purchase, Amount: -4}, // negative purchase = refund
		{CustomerID: "a", Time: d("2020-01-10"), Kind: Referral, ReferredID: "c"},
		{CustomerID: "a", Time: d("2020-01-10"), Kind: Referral, ReferredID: "b"},
		{CustomerID: "a", Time: d("2020-01-11"), Kind: Share},
		{CustomerID: "a", Time: d("2020-01-12"), Kind: Feedback, Score: &s7},
		{CustomerID: "a", Time: d("2020-01-12"), Kind: Feedback, Score: &s9},
		{CustomerID: "b", Time: d("2020-01-15"), Kind: Purchase, Amount: 8, Cost: 2},
		{CustomerID: "a", Time: d("2020-01-20"), Kind: Purchase, Amount: 30, Cost: 10}, // holdout
		{CustomerID: "z", Time: d("2020-01-22"), Kind: Refund, Amount: 3},              // only a refund, holdout
		{CustomerID: "b", Time: d("2020-02-01"), Kind: Purchase, Amount: 1},            // after the end: left out
	})
	require.NoError(t, err)
	s, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Day, End: d("2020-01-29"), CalibrationEnd: d("2020-01-15")})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "z"}, s.CustomerID)
	assert.Equal(t, 12, s.Events)
	assert.Equal(t, 1, s.AfterEnd)
	// a: purchase days 01-01 (15) and 01-08 (20) in calibration
	assert.Equal(t, []float64{1, 0, 0}, s.Frequency)
	assert.Equal(t, []float64{7, 0, 0}, s.Recency)
	assert.Equal(t, []float64{14, 0, 0}, s.T)
	assert.Equal(t, []float64{20, 0, 0}, s.MonetaryValue)
	assert.Equal(t, []int32{3, 1, 0}, s.Purchases)
	assert.Equal(t, []float64{35, 8, 0}, s.Revenue)
	assert.Equal(t, []float64{4, 0, 0}, s.Refunds)
	assert.Equal(t, []float64{31, 8, 0}, s.NetRevenue)
	assert.Equal(t, []float64{21, 2, 0}, s.Cost)
	assert.Equal(t, []float64{10, 6, 0}, s.Profit)
	assert.Equal(t, []int32{2, 0, 0}, s.Referrals)
	assert.Equal(t, [][]string{{"b", "c"}, nil, nil}, s.Referred)
	assert.Equal(t, []int32{1, 0, 0}, s.Shares)
	assert.Equal(t, []float64{8, 0, 0}, s.Experience)
	assert.Equal(t, []int32{2, 0, 0}, s.ExperienceCount)
	assert.Equal(t, []float64{1, 0, 0}, s.HoldoutFrequency)
	assert.Equal(t, []float64{30, 0, 0}, s.HoldoutRevenue)
	_, ok := s.FirstPurchaseTime(2)
	assert.False(t, ok)
	first, ok := s.FirstPurchaseTime(0)
	assert.True(t, ok)
	assert.Equal(t, d("2020-01-01"), first)

	_, err = NewAccumulator(&SummaryOptions{End: d("2020-01-01"), CalibrationEnd: d("2020-02-01")})
	assert.ErrorIs(t, err, ErrOption)
	_, err = NewAccumulator(&SummaryOptions{Margin: 2})
	assert.ErrorIs(t, err, ErrOption)
}

// TestSummarizeCancel checks that a cancelled summary returns the context's
// error and leaves no goroutine behind.
func TestSummarizeCancel(t *testing.T) {
	// Summarize uses a goroutine per 2^17 events: 400,000 events give it 3
	// workers; -short's 270,000 still give it 2 (and a merge).
	n := 400_000
	if testing.Short() {
		n = 270_000
	}
	ev, err := ReadCSV(bytes.NewReader(syntheticCSV(n, 10_000)), "x.csv", nil)
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Summarize(ctx, ev, &SummaryOptions{Workers: 4})
	assert.ErrorIs(t, err, context.Canceled)
	assert.LessOrEqual(t, waitGoroutines(before), before, "goroutines left behind")

	// with several workers the result equals one pass
	one, err := Summarize(context.Background(), ev, &SummaryOptions{Workers: 1})
	require.NoError(t, err)
	four, err := Summarize(context.Background(), ev, &SummaryOptions{Workers: 4})
	require.NoError(t, err)
	assert.Equal(t, one, four)
}

// TestSummarizeReaderPipelined: streaming summaries, read on a second
// goroutine in many small batches (dictionary snapshots) or on one, equal
// the in-memory summary.
func TestSummarizeReaderPipelined(t *testing.T) {
	// -short: 100,000 events, still 100 small batches and two of 2^16.
	n := 200_000
	if testing.Short() {
		n = 100_000
	}
	data := syntheticCSV(n, 5_000)
	ev, err := ReadCSV(bytes.NewReader(data), "x.csv", nil)
	require.NoError(t, err)
	opts := SummaryOptions{Unit: Week, CalibrationEnd: date("2023-06-30")}
	want, err := Summarize(context.Background(), ev, &opts)
	require.NoError(t, err)
	for _, workers := range []int{0, 1} {
		for _, batch := range []int{1000, 1 << 16} {
			r, err := NewCSVReader(bytes.NewReader(data), "x.csv", &ReadOptions{BatchSize: batch})
			require.NoError(t, err)
			o := opts
			o.Workers = workers
			got, _, err := SummarizeReader(context.Background(), r, &o)
			require.NoError(t, err)
			assert.Equal(t, want, got, "workers %d, batch %d", workers, batch)
		}
	}
	// A cancelled streaming summary stops its reader goroutine.
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := NewCSVReader(bytes.NewReader(data), "x.csv", &ReadOptions{BatchSize: 1000})
	require.NoError(t, err)
	_, _, err = SummarizeReader(ctx, r, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.LessOrEqual(t, waitGoroutines(before), before, "goroutines left behind")
}

// waitGoroutines waits up to 2 s for the number of goroutines to fall to n
// and returns the last count.
func waitGoroutines(n int) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		got := runtime.NumGoroutine()
		if got <= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestMergeSeparateDictionaries merges accumulators built from tables read
// separately (each with its own dictionary, as on different machines): the
// receiving accumulator stops sharing its first table's dictionary and the
// result equals one pass over all events.
func TestMergeSeparateDictionaries(t *testing.T) {
	a1 := "customer_id,date,amount\nx,2020-01-01,1\ny,2020-01-02,2\nx,2020-01-05,3\n"
	a2 := "customer_id,date,amount\nz,2020-01-03,4\nx,2020-01-09,5\ny,2020-01-02,6\n"
	ev1, err := ReadCSV(strings.NewReader(a1), "1.csv", nil)
	require.NoError(t, err)
	ev2, err := ReadCSV(strings.NewReader(a2), "2.csv", nil)
	require.NoError(t, err)
	all, err := ReadCSV(strings.NewReader(a1+a2[len("customer_id,date,amount\n"):]), "all.csv", nil)
	require.NoError(t, err)
	want, err := Summarize(context.Background(), all, nil)
	require.NoError(t, err)

	acc1, err := NewAccumulator(nil)
	require.NoError(t, err)
	require.NoError(t, acc1.Add(ev1))
	acc2, err := NewAccumulator(nil)
	require.NoError(t, err)
	require.NoError(t, acc2.Add(ev2))
	require.NoError(t, acc1.Merge(acc2))
	got, err := acc1.Summary()
	require.NoError(t, err)
	assert.Equal(t, want, got)
	// The first table's dictionary was not changed by the merge.
	assert.Equal(t, 2, ev1.Dictionary().Len())
	// And adding a table with yet another dictionary afterwards works too.
	ev3, err := ReadCSV(strings.NewReader("customer_id,date,amount\nw,2020-01-04,7\n"), "3.csv", nil)
	require.NoError(t, err)
	require.NoError(t, acc1.Add(ev3))
	got, err = acc1.Summary()
	require.NoError(t, err)
	assert.Equal(t, []string{"w", "x", "y", "z"}, got.CustomerID)
	assert.Equal(t, []float64{7, 9, 8, 4}, got.Revenue)
}

// A batch with an amount too large to sum exactly is refused whole: the
// accumulator, its customers included, is as before the call.
func TestAddAllOrNothing(t *testing.T) {
	good, err := ReadCSV(strings.NewReader("customer_id,time,amount\na,2024-01-01,10\nb,2024-01-02,20\n"), "good.csv", nil)
	require.NoError(t, err)
	// (Built by hand: the readers refuse such an amount in the row.)
	bad, err := NewEvents([]Event{{CustomerID: "a", Time: date("2024-01-03"), Amount: 5},
		{CustomerID: "c", Time: date("2024-01-04"), Amount: 7}, {CustomerID: "d", Time: date("2024-01-05"), Amount: 2e13}})
	require.NoError(t, err)
	acc, err := NewAccumulator(nil)
	require.NoError(t, err)
	require.NoError(t, acc.Add(good))
	before, err := acc.Summary()
	require.NoError(t, err)
	err = acc.Add(bad)
	require.ErrorIs(t, err, ErrBadRow)
	assert.Contains(t, err.Error(), `event 3 of customer "d"`)
	after, err := acc.Summary()
	require.NoError(t, err)
	assert.Equal(t, before, after)
}
