package valuekit

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSummaryCDNOW checks the summary of the CDNOW sample against the
// published calibration summary (Fader, Hardie & Lee 2005; the file
// testdata/cdnow_sample_summary.csv, values rounded to 2 decimals).
func TestSummaryCDNOW(t *testing.T) {
	ev, err := ReadFile("testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	require.Equal(t, 6919, ev.Len())
	for _, workers := range []int{1, 2, 3} {
		s, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Week, CalibrationEnd: date("1997-09-30"), Workers: workers})
		require.NoError(t, err)
		f, err := os.Open("testdata/cdnow_sample_summary.csv")
		require.NoError(t, err)
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		require.NoError(t, err)
		rows = rows[1:]
		require.Equal(t, len(rows), s.Len())
		for i, r := range rows {
			require.Equal(t, r[0], s.CustomerID[i])
			x, _ := strconv.ParseFloat(r[1], 64)
			tx, _ := strconv.ParseFloat(r[2], 64)
			T, _ := strconv.ParseFloat(r[3], 64)
			zbar, _ := strconv.ParseFloat(r[4], 64)
			require.Equal(t, x, s.Frequency[i], "customer %s x", r[0])
			require.InDelta(t, tx, s.Recency[i], 0.005+1e-9, "customer %s t_x", r[0])
			require.InDelta(t, T, s.T[i], 0.005+1e-9, "customer %s T", r[0])
			require.InDelta(t, zbar, s.MonetaryValue[i], 0.005+1e-9, "customer %s zbar", r[0])
		}
	}
}

func TestSummaryFileRoundTrip(t *testing.T) {
	ev, err := ReadFile("testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	s, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Week, CalibrationEnd: date("1997-09-30")})
	require.NoError(t, err)
	path := t.TempDir() + "/s.csv"
	require.NoError(t, WriteTableFile(path, s.Table()))
	ok, err := IsSummaryFile(path)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = IsSummaryFile("testdata/cdnow_sample.csv")
	require.NoError(t, err)
	require.False(t, ok)
	back, err := ReadSummaryFile(path, Week)
	require.NoError(t, err)
	require.Equal(t, s.CustomerID, back.CustomerID)
	require.Equal(t, s.Frequency, back.Frequency)
	require.Equal(t, s.Recency, back.Recency)
	require.Equal(t, s.T, back.T)
	require.Equal(t, s.MonetaryValue, back.MonetaryValue)
	require.Equal(t, s.HoldoutRevenue, back.HoldoutRevenue)

	// discrete-time data with weights (BG/BB donations)
	d, err := ReadSummaryFile("testdata/donations.csv", Year)
	require.NoError(t, err)
	require.Len(t, d.Weights, 22)
	require.Equal(t, 6.0, d.T[0])

	for _, tc := range []struct{ in, msg string }{
		{"frequency,recency,T\n1,2,1\n", `s.csv: row 2, column "T": "1" is less than recency 2`},
		{"frequency,recency,T\n1.5,2,3\n", `s.csv: row 2, column "frequency": "1.5" is not a non-negative whole number`},
		{"frequency,recency\n1,2\n", `s.csv: missing column: no "T" column (a summary needs frequency, recency and T or periods; the header has "frequency", "recency")`},
		{"frequency,recency,T\n1,x,3\n", `s.csv: row 2, column "recency": "x" is not a number`},
	} {
		_, err := ReadSummaryCSV(strings.NewReader(tc.in), "s.csv", Week)
		require.Error(t, err)
		require.Equal(t, tc.msg, err.Error())
	}
}
