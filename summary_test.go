package valuekit

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
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
