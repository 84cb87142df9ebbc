package valuekit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rangeResult is what reading a CSV input gives: its summary, its bad rows
// and rows read, or its error.
type rangeResult struct {
	s    *Summary
	bad  []string
	rows int
	err  string
}

func badStrings(bad []*RowError) []string {
	out := make([]string, len(bad))
	for i, b := range bad {
		out[i] = fmt.Sprintf("%d/%d %s", b.Row, b.Line, b.Error())
	}
	return out
}

// readWhole reads data in one pass.
func readWhole(t *testing.T, data string, ro *ReadOptions) rangeResult {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(data), "in.csv", ro)
	if err != nil {
		return rangeResult{err: err.Error()}
	}
	s, bad, err := SummarizeReader(context.Background(), r, &SummaryOptions{Workers: 1, End: date("2021-01-01")})
	if err != nil {
		return rangeResult{err: err.Error()}
	}
	return rangeResult{s: s, bad: badStrings(bad), rows: r.Rows()}
}

// readRanges cuts data into ranges of every bytes and reads each with its
// own reader into its own accumulator, as separate machines would, then
// merges them.
func readRanges(t *testing.T, data string, every int64, ro *ReadOptions) (rangeResult, int) {
	t.Helper()
	ranges, err := CSVRanges(strings.NewReader(data), "in.csv", every, ro)
	if err != nil {
		return rangeResult{err: err.Error()}, 0
	}
	acc, err := NewAccumulator(&SummaryOptions{End: date("2021-01-01")})
	require.NoError(t, err)
	var res rangeResult
	var bad []*RowError
	nbad := 0
	for k, rg := range ranges {
		if k > 0 {
			require.Equal(t, ranges[k-1].End, rg.Start, "ranges follow each other")
		}
		end := int64(len(data))
		if rg.End != math.MaxInt64 {
			end = rg.End
		}
		r, err := NewCSVRangeReader(strings.NewReader(data), strings.NewReader(data[rg.Start:end]), "in.csv", rg, ro)
		require.NoError(t, err)
		part, err := NewAccumulator(&SummaryOptions{End: date("2021-01-01")})
		require.NoError(t, err)
		for r.Next() {
			require.NoError(t, part.Add(r.Events()))
		}
		if err := r.Err(); err != nil {
			return rangeResult{err: err.Error()}, len(ranges)
		}
		b, nb := r.BadRows()
		bad, nbad = append(bad, b...), nbad+nb
		res.rows += r.Rows()
		require.NoError(t, acc.Merge(part))
	}
	if res.s, err = acc.Summary(); err != nil {
		return rangeResult{err: err.Error()}, len(ranges)
	}
	res.s.BadRows, res.bad = nbad, badStrings(bad)
	return res, len(ranges)
}

// TestCSVRanges reads inputs in ranges of every size from 1 byte up and
// wants what one pass gives: the summary, the bad rows with their row and
// line numbers, the rows read, or the same error — quoted newlines, CRLF,
// blank lines, bare and broken quotes, and a time layout that only the
// first rows tell (a later row in another layout is bad in every range).
func TestCSVRanges(t *testing.T) {
	inputs := adversarialCSV()
	inputs["layout from the first rows"] = "customer_id,date,amount\n1,20200101,1\n2,20200102,2\n3,2020-01-03,3\n4,20200104,4\n\n5,20200105,5\n"
	inputs["empty times first"] = "customer_id,date,amount\n1,,1\n2,20200102,2\n3,2020-01-03,3\n4,20200104,4\n"
	inputs["header only"] = "customer_id,date,amount\n"
	inputs["blank lines after the header"] = "customer_id,date,amount\n\n\r\n1,2020-01-01,x\n2,2020-01-02,2\n"
	for name, data := range inputs {
		for k, ro := range []*ReadOptions{{SkipBadRows: true}, {SkipBadRows: true, TimeLayout: "2006-01-02"}, {}} {
			t.Run(fmt.Sprintf("%s/skip=%v,layout=%q", name, ro.SkipBadRows, ro.TimeLayout), func(t *testing.T) {
				want := readWhole(t, data, ro)
				// Every size; with -short every sixth, shifted per options.
				step := int64(1)
				if testing.Short() {
					step = 6
				}
				for every := 1 + int64(k)%step; every <= int64(len(data)); every += step {
					got, n := readRanges(t, data, every, ro)
					if want.err != "" && got.err != "" {
						assert.Equal(t, want.err, got.err, "every %d (%d ranges)", every, n)
						continue
					}
					require.Equal(t, want, got, "every %d (%d ranges)", every, n)
				}
			})
		}
	}
}

// TestCSVRangesCDNOW cuts the CDNOW sample (no time layout given) into 2 to
// 40 ranges.
func TestCSVRangesCDNOW(t *testing.T) {
	b, err := os.ReadFile("testdata/cdnow_sample.csv")
	require.NoError(t, err)
	data := string(b)
	ro := &ReadOptions{SkipBadRows: true}
	want := readWhole(t, data, ro)
	require.Empty(t, want.err)
	for _, parts := range []int64{1, 2, 7, 40} {
		got, n := readRanges(t, data, int64(len(data))/parts, ro)
		require.Equal(t, want, got, "%d parts", parts)
		assert.GreaterOrEqual(t, n, int(parts))
	}
	ranges, err := CSVRanges(strings.NewReader(data), "in.csv", int64(len(data))/3, ro)
	require.NoError(t, err)
	assert.Equal(t, "2006-01-02", ranges[0].TimeFormat)
}

func TestCSVRangesRefuses(t *testing.T) {
	_, err := CSVRanges(strings.NewReader("customer_id,date,amount\n"), "in.csv", 0, nil)
	assert.True(t, errors.Is(err, ErrOption), "%v", err)
	_, err = CSVRanges(strings.NewReader("\x1f\x8b\x08rest"), "in.csv.gz", 10, nil)
	require.ErrorIs(t, err, ErrOption)
	assert.Contains(t, err.Error(), "gzip-compressed")
	// A size past the end of any file: one range, not an endless loop.
	ranges, err := CSVRanges(strings.NewReader("customer_id,date,amount\n1,2020-01-01,1\n2,2020-01-02,2\n"), "in.csv", math.MaxInt64, nil)
	require.NoError(t, err)
	assert.Len(t, ranges, 1)
	_, err = NewCSVRangeReader(strings.NewReader("customer_id,date,amount\n"), strings.NewReader(""), "in.csv", CSVRange{Start: 5, End: 2, Row: 1, Line: 1}, nil)
	assert.ErrorIs(t, err, ErrOption)
}

// FuzzCSVRanges holds reading in ranges to one pass on any input.
func FuzzCSVRanges(f *testing.F) {
	for _, data := range adversarialCSV() {
		f.Add(data, int64(3))
	}
	f.Add("customer_id,date,amount\n1,20200101,1\n2,2020-01-03,3\n", int64(1))
	f.Fuzz(func(t *testing.T, data string, every int64) {
		if every <= 0 || len(data) > 4096 {
			return
		}
		ro := &ReadOptions{SkipBadRows: true}
		want := readWhole(t, data, ro)
		got, _ := readRanges(t, data, every, ro)
		if want.err != "" || got.err != "" {
			if want.err == "" || got.err == "" {
				t.Fatalf("one pass: %q; ranges: %q", want.err, got.err)
			}
			return
		}
		require.Equal(t, want, got)
	})
}

// A byte-order mark is recognised however few bytes each read returns.
func TestBOMOnShortReads(t *testing.T) {
	data := "\xEF\xBB\xBFcustomer_id,date,amount\n1,2020-01-01,1\n"
	ev, err := ReadCSV(iotest.OneByteReader(strings.NewReader(data)), "in.csv", nil)
	require.NoError(t, err)
	assert.Equal(t, "1", ev.CustomerID(0))
	ranges, err := CSVRanges(iotest.OneByteReader(strings.NewReader(data)), "in.csv", 1, nil)
	require.NoError(t, err)
	require.Len(t, ranges, 1)
	assert.Equal(t, int64(len("\xEF\xBB\xBFcustomer_id,date,amount\n")), ranges[0].Start)
}
