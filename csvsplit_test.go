package valuekit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// splitResult is everything SummarizeReader tells about an input.
type splitResult struct {
	s    *Summary
	bad  []*RowError
	nbad int
	rows int
	err  string
}

// summarizeCSV summarises data read from a bytes.Reader (which can be cut)
// with the given workers and, when not nil, cuts.
func summarizeCSV(t *testing.T, data string, ro *ReadOptions, workers int, cuts []int64) splitResult {
	t.Helper()
	testCuts = cuts
	defer func() { testCuts = nil }()
	r, err := NewCSVReader(strings.NewReader(data), "in.csv", ro)
	if err != nil {
		return splitResult{err: err.Error()}
	}
	if workers > 1 {
		require.NotNil(t, r.splittable())
	}
	s, bad, err := SummarizeReader(context.Background(), r, &SummaryOptions{Workers: workers, End: date("2021-01-01")})
	_, nbad := r.BadRows()
	res := splitResult{s: s, bad: bad, nbad: nbad, rows: r.Rows()}
	if err != nil {
		res.err = err.Error()
		res.rows = 0 // not reported on errors
	}
	return res
}

// TestSplitCDNOW checks that parsing the CDNOW sample in parts, cut at
// equal sizes (2 to 7 parts) and at random places, gives the one-pass
// summary.
func TestSplitCDNOW(t *testing.T) {
	data, err := os.ReadFile("testdata/cdnow_sample.csv")
	require.NoError(t, err)
	defer func(m int64) { minSplitPart = m }(minSplitPart)
	minSplitPart = 1
	ro := &ReadOptions{}
	want := summarizeCSV(t, string(data), ro, 1, nil)
	require.Empty(t, want.err)
	require.Equal(t, 2357, want.s.Len())
	for workers := 2; workers <= 7; workers++ {
		got := summarizeCSV(t, string(data), ro, workers, nil)
		require.Equal(t, want, got, "workers %d", workers)
	}
	rng := rand.New(rand.NewPCG(1, 9))
	for range 20 {
		cuts := randomCuts(rng, len(data), 1+rng.IntN(6))
		got := summarizeCSV(t, string(data), ro, 2, cuts)
		require.Equal(t, want, got, "cuts %v", cuts)
	}
	// through SummarizeFile, on a file
	s, _, err := SummarizeFile(context.Background(), "testdata/cdnow_sample.csv", nil, &SummaryOptions{Workers: 3, End: date("2021-01-01")})
	require.NoError(t, err)
	require.Equal(t, want.s, s)
}

func randomCuts(rng *rand.Rand, n, k int) []int64 {
	cuts := make([]int64, k)
	for i := range cuts {
		cuts[i] = 1 + rng.Int64N(int64(n))
	}
	slices.Sort(cuts)
	return cuts
}

// adversarialCSV returns inputs whose records a line-by-line reader would
// cut wrong: quoted newlines (some holding lines that parse as records),
// CRLF, a BOM and blank lines, bare quotes, bad rows and broken quotes late
// in the file.
func adversarialCSV() map[string]string {
	lookalike := "\"x\n7,2020-01-02,5\n8,2020-01-03,6\n\"" // a quoted id holding lines that parse as records
	return map[string]string{
		"quoted newlines": "customer_id,date,amount\n1,2020-01-01,1\n" + lookalike + ",2020-01-04,2\n2,2020-01-05,3\n" +
			"\"a\n\nb\",2020-02-01,4\n\"\"\"q\"\"\n\",2020-02-02,5\n3,2020-02-03,6\n" + lookalike + ",2020-03-01,1.5\n4,2020-03-02,7",
		"crlf bom blank": "\xEF\xBB\xBFcustomer_id,date,amount\r\n\r\n1,2020-01-01,1\r\n\r\n\r\n\"a\r\nb\",2020-01-02,2\r\n2,2020-01-03,3\r\n\n" +
			"\"c\"\"d\",2020-01-04,4\r\n\r\n",
		"bare quotes": "customer_id,date,amount\nab\"c,2020-01-01,1\n\"d,e\",2020-01-02,2\nf\"\",2020-01-03,3\n\"\n\",2020-01-04,4\ng,2020-01-05,5\n",
		"bad rows late": "customer_id,date,amount\n1,2020-01-01,1\n2,2020-01-02,2\n\"x\ny\",2020-01-03,3\n3,2020-01-04,4\n4,2020-01-05,x\n" +
			"5,2020-01-06\n6,2020-13-01,6\n7,2020-01-07,7\n\"8\",,8\n9,2020-01-08,9\n",
		"broken quote late":  "customer_id,date,amount\n1,2020-01-01,1\n2,2020-01-02,2\n3,2020-01-03,3\n\"4\"x,2020-01-04,4\n5,2020-01-05,5\n6,2020-01-06,6\n",
		"unterminated quote": "customer_id,date,amount\n1,2020-01-01,1\n2,2020-01-02,2\n\"3,2020-01-03,3\n4,2020-01-04,4\n",
		"no final newline":   "customer_id,date,amount\n1,2020-01-01,1\n\"2\n\",2020-01-02,2",
	}
}

// TestSplitAdversarial cuts hostile inputs at every byte, and at random
// pairs of places, and checks that the summary, the bad rows (with their row
// numbers), the counts and the errors are those of one pass. The inputs have
// quoted fields holding newlines and lines that look like records, CRLF
// line ends, a byte-order mark, blank lines, bare quotes inside unquoted
// fields, bad rows late in the input, and broken quotes.
func TestSplitAdversarial(t *testing.T) {
	inputs := adversarialCSV()
	rng := rand.New(rand.NewPCG(2, 4))
	for name, data := range inputs {
		// Without a layout, the first batch is read before cutting the rest,
		// to learn it: batches of 1 and 2 rows let the cuts fall early.
		for k, ro := range []*ReadOptions{{BatchSize: 1}, {SkipBadRows: true, BatchSize: 2}, {SkipBadRows: true, MaxBadRows: 2, BatchSize: 1},
			{TimeLayout: "2006-01-02", SkipBadRows: true}, {TimeLayout: "2006-01-02"}} {
			t.Run(fmt.Sprintf("%s/skip=%v,max=%d,layout=%q,batch=%d", name, ro.SkipBadRows, ro.MaxBadRows, ro.TimeLayout, ro.BatchSize), func(t *testing.T) {
				want := summarizeCSV(t, data, ro, 1, nil)
				rereads := splitRereads
				// Every byte is a cut; with -short, every fifth byte shifted
				// per options (the five options together still cut at every
				// byte of each input), and fewer random cuts.
				step, random := 1, 50
				if testing.Short() {
					step, random = 5, 6
				}
				for c := 1 + k%step; c < len(data); c += step {
					got := summarizeCSV(t, data, ro, 2, []int64{int64(c)})
					require.Equal(t, want, got, "cut at %d (%q|%q)", c, data[max(0, c-5):c], data[c:min(len(data), c+5)])
				}
				for range random {
					cuts := randomCuts(rng, len(data), 2+rng.IntN(3))
					got := summarizeCSV(t, data, ro, 2, cuts)
					require.Equal(t, want, got, "cuts %v", cuts)
				}
				if strings.Contains(data, "\"x\n7") {
					require.Greater(t, splitRereads, rereads, "no cut fell inside a quoted field")
				}
			})
		}
	}
}
