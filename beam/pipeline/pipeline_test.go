package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
)

func TestMain(m *testing.M) {
	beam.Init()
	os.Exit(m.Run())
}

// splitSample writes the CDNOW sample as three files — plain CSV, gzip CSV
// and Parquet — plus a file with one bad row, and returns the directory.
func splitSample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("../../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.TrimRight(string(data), "\n"), "\n")
	head, rows := lines[0], lines[1:]
	third := len(rows) / 3
	require.NoError(t, os.WriteFile(filepath.Join(dir, "part-a.csv"), []byte(head+strings.Join(rows[:third], "")), 0o600))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(head + strings.Join(rows[third:2*third], "")))
	zw.Close()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "part-b.csv.gz"), gz.Bytes(), 0o600))
	ev, err := valuekit.ReadCSV(strings.NewReader(head+strings.Join(rows[2*third:], "")), "part-c", nil)
	require.NoError(t, err)
	require.NoError(t, ev.WriteFile(filepath.Join(dir, "part-c.parquet")))
	// A bad row: a dead letter, not a failure.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "part-d.csv"), []byte(head+"9999,1997-13-01,1,5.00\n"), 0o600))
	return dir
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rec, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rec
}

// The pipeline on Prism gives the models and every customer's numbers of
// the single-machine path (summarise everything, fit, analysis.Predict).
func TestPipelineMatchesOneMachine(t *testing.T) {
	in := splitSample(t)
	out := filepath.Join(t.TempDir(), "run")
	o := Options{Input: filepath.Join(in, "part-*"), Unit: "week", Shards: 5, AnnualDiscount: 0.1, Output: out}
	p, s := beam.NewPipelineWithRoot()
	_, err := Build(s, o)
	require.NoError(t, err)
	_, err = prism.Execute(context.Background(), p)
	require.NoError(t, err)

	// One machine: the whole sample, the CLI's calls.
	f, err := os.Open("../../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	ev, err := valuekit.ReadCSV(f, "cdnow_sample.csv", nil)
	f.Close()
	require.NoError(t, err)
	sum, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{Unit: valuekit.Week})
	require.NoError(t, err)
	want, err := analysis.Predict(context.Background(), sum, analysis.PredictOptions{
		ModelName: clv.NameBGNBD, Spend: analysis.Spend{Fit: true},
		Horizon: 52, DiscountRate: analysis.AnnualRate(0.1, valuekit.Week, false), Report: func(string) {},
	})
	require.NoError(t, err)

	// Models: the same parameters from the collapsed histogram.
	b, err := os.ReadFile(out + "-models.json")
	require.NoError(t, err)
	var m Models
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, 2357.0, m.Customers)
	tm, gg, err := m.load()
	require.NoError(t, err)
	got := tm.(*clv.BGNBD)
	w := want.Model.(*clv.BGNBD)
	for k, pair := range [][2]float64{{got.R, w.R}, {got.Alpha, w.Alpha}, {got.A, w.A}, {got.B, w.B},
		{gg.P, want.SpendModel.P}, {gg.Q, want.SpendModel.Q}, {gg.V, want.SpendModel.V}} {
		assert.InEpsilon(t, pair[1], pair[0], 1e-9, "parameter %d", k)
	}

	// Customers: every one exactly once, with the same numbers.
	files, err := filepath.Glob(out + "-customers-*-of-00005.csv")
	require.NoError(t, err)
	require.Len(t, files, 5)
	rows := map[string][]string{}
	var header []string
	for _, file := range files {
		rec := readCSV(t, file)
		header = rec[0]
		for _, r := range rec[1:] {
			_, dup := rows[r[0]]
			require.False(t, dup, "customer %s twice", r[0])
			rows[r[0]] = r
		}
	}
	assert.Equal(t, want.Table().Names(), header)
	require.Len(t, rows, len(want.CustomerID))
	idx := map[string]int{}
	for j, h := range header {
		idx[h] = j
	}
	for i, id := range want.CustomerID {
		r := rows[id]
		for name, v := range map[string]float64{"clv": want.CLV[i], "p_alive": want.PAlive[i], "expected_purchases": want.ExpectedPurchases[i]} {
			g, err := strconv.ParseFloat(r[idx[name]], 64)
			require.NoError(t, err)
			assert.InDelta(t, v, g, 1e-9*max(1, v), "customer %s %s", id, name)
		}
	}

	// The bad row is a dead letter naming file, row, column and value.
	dead, err := os.ReadFile(out + "-dead-letters.csv")
	require.NoError(t, err)
	assert.Contains(t, string(dead), `part-d.csv,2,date,1997-13-01,`)
}

func TestOptionsCheck(t *testing.T) {
	for _, o := range []Options{
		{Output: "x"},
		{Input: "x"},
		{Input: "x", Output: "x", Unit: "fortnight"},
		{Input: "x", Output: "x", End: "30/06/1998"},
		{Input: "x", Output: "x", Shards: -1},
		{Input: "x", Output: "x", Model: "bgbb"},
		{Input: "x", Output: "x", OutputFormat: "xlsx"},
		{Input: "x", Output: "x", Format: "tsv"},
		{Input: "x", Output: "x", Format: "CSV"},
		{Input: "x", Output: "x", KindNames: map[string]string{"order": "sale"}},
		{Input: "x", Output: "x", Comma: ";;"},
		{Input: "x", Output: "x", DiscountRate: 0.01, AnnualDiscount: 0.1},
		{Input: "x", Output: "x", DiscountRate: -0.01},
		{Input: "x", Output: "x", Margin: 1.5},
		{Input: "x", Output: "x", ReferralShare: 2},
		{Input: "x", Output: "x", ValuePerShare: -1},
	} {
		assert.ErrorIs(t, o.check(), valuekit.ErrOption, "%+v", o)
	}
}
