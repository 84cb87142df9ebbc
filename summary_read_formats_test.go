package valuekit

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A summary written as CSV, Parquet or JSON reads back the same: the
// files `valuekit summary -o` writes feed `fit` and `predict` in every
// format (the CDNOW sample with a holdout, and a shop with refunds,
// referrals and feedback).
func TestSummaryRoundTripFormats(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, in := range []struct {
		file string
		opts *SummaryOptions
	}{
		{"testdata/cdnow_sample.csv", &SummaryOptions{Unit: Week, CalibrationEnd: mustDate(t, "1997-09-30")}},
		{"testdata/shop_events.csv", nil},
	} {
		ev, err := ReadFile(in.file, nil)
		require.NoError(t, err)
		s, err := Summarize(ctx, ev, in.opts)
		require.NoError(t, err)
		base := filepath.Join(dir, strings.TrimSuffix(filepath.Base(in.file), ".csv"))
		require.NoError(t, WriteTableFile(base+".csv", s.Table()))
		want, err := ReadSummaryFile(base+".csv", s.Unit)
		require.NoError(t, err)
		for _, ext := range []string{".parquet", ".json"} {
			path := base + "_s" + ext
			require.NoError(t, WriteTableFile(path, s.Table()))
			is, err := IsSummaryFile(path)
			require.NoError(t, err)
			assert.True(t, is, path)
			got, err := ReadSummaryFile(path, s.Unit)
			require.NoError(t, err, path)
			assert.Equal(t, want, got, path)
		}
		// An event file is not a summary in any format.
		require.NoError(t, ev.WriteFile(base+"_events.parquet"))
		is, err := IsSummaryFile(base + "_events.parquet")
		require.NoError(t, err)
		assert.False(t, is)

		// Parquet and Arrow files named otherwise are known by their first
		// bytes (they were read as CSV, with kilobytes of binary "header").
		dat := base + "_s.dat"
		require.NoError(t, os.Rename(base+"_s.parquet", dat))
		is, err = IsSummaryFile(dat)
		require.NoError(t, err)
		assert.True(t, is, dat)
		got, err := ReadSummaryFile(dat, s.Unit)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		for _, ext := range []string{".parquet", ".arrow"} {
			require.NoError(t, ev.WriteFile(base+"_events"+ext))
			require.NoError(t, os.Rename(base+"_events"+ext, base+"_events.bin"))
			back, err := ReadFile(base+"_events.bin", nil)
			require.NoError(t, err, ext)
			assert.Equal(t, ev.Len(), back.Len(), ext)
		}
	}
}

// A binary file read as CSV names its first few "columns", not kilobytes.
func TestQuoteListShort(t *testing.T) {
	long := strings.Repeat("\x00\xff", 1000)
	assert.Equal(t, `"`+strings.Repeat(`\x00`, 60)+`" …`, quoteList([]string{strings.Repeat("\x00", 1000)}))
	assert.LessOrEqual(t, len(quoteList([]string{"a", long})), 320)
	assert.Contains(t, quoteList([]string{"a", long}), `"a", … (2 names in all)`)
	names := make([]string, 100)
	for i := range names {
		names[i] = "column_name"
	}
	assert.LessOrEqual(t, len(quoteList(names)), 330)
	assert.Equal(t, `"a", "b"`, quoteList([]string{"a", "b"}))
}

func TestSummaryJSONErrors(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"not an array":  `{"frequency": 1}`,
		"unknown key":   `[{"frequency": 1, "recency": 2, "T": 3}, {"frequency": 1, "recency": 2, "T": 3, "x2": 1}]`,
		"bad value":     `[{"frequency": "a", "recency": 2, "T": 3}]`,
		"recency > T":   `[{"frequency": 1, "recency": 4, "T": 3}]`,
		"missing T":     `[{"frequency": 1, "recency": 2}]`,
		"not an object": `[1, 2]`,
	} {
		path := filepath.Join(dir, "s.json")
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
		_, err := ReadSummaryFile(path, Day)
		assert.Error(t, err, name)
		assert.Contains(t, err.Error(), "s.json", name)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

// FuzzReadSummaryJSON: any input gives a summary or an error, never a panic.
func FuzzReadSummaryJSON(f *testing.F) {
	f.Add([]byte(`[{"customer_id":"a","frequency":1,"recency":2,"T":3,"referred":["b"]}]`))
	f.Add([]byte(`[{"frequency":null,"recency":2,"T":3}]`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := readSummaryJSON(bytes.NewReader(b), "f.json", Day)
		if err == nil {
			require.NotZero(t, s.Len())
		}
	})
}

// A Parquet file named .csv is read as Parquet (events and summaries), a
// truncated gzip says so, and a number beyond float64 is out of range.
func TestFormatByContentAndMessages(t *testing.T) {
	dir := t.TempDir()
	ev, err := ReadFile("testdata/shop_events.csv", nil)
	require.NoError(t, err)
	pq := filepath.Join(dir, "events.csv")
	require.NoError(t, ev.WriteFile(filepath.Join(dir, "e.parquet")))
	require.NoError(t, os.Rename(filepath.Join(dir, "e.parquet"), pq))
	back, err := ReadFile(pq, nil)
	require.NoError(t, err)
	assert.Equal(t, ev.Len(), back.Len())

	data, err := os.ReadFile("testdata/cdnow_sample.csv")
	require.NoError(t, err)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err = zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	cut := filepath.Join(dir, "cut.csv.gz")
	require.NoError(t, os.WriteFile(cut, gz.Bytes()[:gz.Len()/2], 0o644))
	_, err = ReadFile(cut, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cut.csv.gz: gzip: unexpected EOF (is the file cut short?)")

	_, err = ReadCSV(strings.NewReader("customer_id,date,amount\na,2024-01-01,1e309\n"), "r.csv", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"1e309" is out of range`)
}
