package clv

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// cdnowSummary reads ../testdata/cdnow_sample_summary.csv (CDNOW 1/10th
// sample summarised for the 39-week calibration period, as distributed with
// Fader, Hardie & Lee (2005); see /testdata/README.md) into Data, with
// Monetary = zbar.
func cdnowSummary(t testing.TB) Data {
	t.Helper()
	f, err := os.Open("../testdata/cdnow_sample_summary.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"ID", "x", "t_x", "T", "zbar"}, rows[0])
	var d Data
	for _, row := range rows[1:] {
		v := make([]float64, 4)
		for j := range v {
			v[j], err = strconv.ParseFloat(row[j+1], 64)
			require.NoError(t, err)
		}
		d.Frequency = append(d.Frequency, v[0])
		d.Recency = append(d.Recency, v[1])
		d.T = append(d.T, v[2])
		d.Monetary = append(d.Monetary, v[3])
	}
	require.Len(t, d.Frequency, 2357)
	return d
}
