package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/clv"
)

// Issue 15: a new customer's E[X(t)] and P(X(t)=k), and one customer's
// P(alive) history, from the CLI.
func TestExpectAndHistory(t *testing.T) {
	model := filepath.Join(t.TempDir(), "bg.json")
	code, _, stderr := runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30", "-o", model)
	require.Equal(t, 0, code, stderr)
	m, err := loadTransactionModel(model)
	require.NoError(t, err)

	code, out, stderr := runCLI(t, "expect", "--model-file", model, "--t", "39,78", "--k", "2")
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"t", "expected_purchases", "p_0", "p_1", "p_2"}, rows[0])
	require.Len(t, rows, 3)
	for _, r := range rows[1:] {
		tv, _ := strconv.ParseFloat(r[0], 64)
		e, _ := strconv.ParseFloat(r[1], 64)
		assert.InEpsilon(t, m.ExpectedPurchases(tv), e, 1e-12)
		for k := 0; k <= 2; k++ {
			p, _ := strconv.ParseFloat(r[2+k], 64)
			assert.InEpsilon(t, m.ProbPurchases(k, tv), p, 1e-12)
		}
	}

	// Customer 1 of CDNOW: purchases 1997-01-01, 01-18, 08-02; at the
	// calibration end P(alive) 0.727, as Fader, Hardie & Lee (2005) report.
	code, out, stderr = runCLI(t, "history", "../../testdata/cdnow_sample.csv", "--id", "1", "--model-file", model, "--end", "1997-09-30")
	require.Equal(t, 0, code, stderr)
	rows, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"date", "t", "frequency", "recency", "T", "p_alive"}, rows[0])
	require.Len(t, rows, 5)
	var dates, freq []string
	for _, r := range rows[1:] {
		dates, freq = append(dates, r[0]), append(freq, r[2])
	}
	assert.Equal(t, []string{"1997-01-01", "1997-01-18", "1997-08-02", "1997-09-30"}, dates)
	assert.Equal(t, []string{"0", "1", "2", "2"}, freq)
	last, _ := strconv.ParseFloat(rows[4][5], 64)
	assert.InDelta(t, 0.727, last, 0.0005)
	want := m.ProbAlive(clv.Customer{Frequency: 2, Recency: 30.428571428571427, T: 38.857142857142854})
	assert.InEpsilon(t, want, last, 1e-12)

	// --step adds rows every 13 weeks.
	code, out, stderr = runCLI(t, "history", "../../testdata/cdnow_sample.csv", "--id", "1", "--model-file", model, "--end", "1997-09-30", "--step", "13")
	require.Equal(t, 0, code, stderr)
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1+4+2) // + t = 13, 26 (39 is after the end)

	bgbb := filepath.Join(filepath.Dir(model), "bgbb.json")
	code, _, stderr = runCLI(t, "fit", "--model", "bgbb", "../../testdata/donations.csv", "-o", bgbb)
	require.Equal(t, 0, code, stderr)
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"expect", "--t", "52"}, 2, "--model-file is required"},
		{[]string{"expect", "--model-file", model}, 2, "--t is required"},
		{[]string{"expect", "--model-file", model, "--t", "-1"}, 2, "is not a number ≥ 0"},
		{[]string{"expect", "--model-file", model, "--t", "52", "-o", "x.xlsx"}, 2, "Excel"},
		{[]string{"history", "../../testdata/cdnow_sample.csv", "--model-file", model}, 2, "--id is required"},
		{[]string{"history", "../../testdata/cdnow_sample.csv", "--id", "1"}, 2, "--model-file is required"},
		{[]string{"history", "../../testdata/cdnow_sample.csv", "--id", "nobody", "--model-file", model}, 1, `no customer "nobody" in the file`},
		{[]string{"history", "../../testdata/cdnow_sample.csv", "--id", "1", "--model-file", model, "--end", "1996-12-31"}, 1, `customer "1" has no purchase up to 1996-12-31`},
		{[]string{"expect", "--model-file", bgbb, "--t", "2.5"}, 2, "a bgbb model counts whole transaction opportunities"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		assert.Equal(t, tc.code, code, stderr)
		assert.Contains(t, stderr, tc.stderr)
	}
}

// A calibration end after the data is said, not silently moved.
func TestCalibrationEndAfterData(t *testing.T) {
	code, _, stderr := runCLI(t, "fit", "../../testdata/cdnow_sample.csv", "--calibration-end", "1999-01-01", "--model", "bgnbd")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "--calibration-end 1999-01-01 is after the last day observed, 1998-06-30")
	code, _, stderr = runCLI(t, "fit", "../../testdata/cdnow_sample.csv", "--calibration-end", "1997-09-30", "--model", "bgnbd")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "is after the last day observed")
}

// An output that is the input file — by name or through a link — is refused
// before anything is written: `summary v.csv -o v.csv` replaced the events
// with their summary.
func TestOutputIsNotTheInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "v.csv")
	data, err := os.ReadFile("../../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(in, data, 0o644))
	link := filepath.Join(dir, "link.csv")
	require.NoError(t, os.Symlink(in, link))
	model := filepath.Join(dir, "m.json")
	code, _, stderr := runCLI(t, "fit", in, "--model", "bgnbd", "-o", model)
	require.Equal(t, 0, code, stderr)
	for _, args := range [][]string{
		{"summary", in, "-o", in},
		{"predict", in, "--model", "bgnbd", "-o", link},
		{"predict", in, "--model-file", model, "-o", model},
		{"fit", in, "--model", "bgnbd", "-o", in},
		{"rfm", in, "-o", link},
		{"segment", in, "-o", in},
		{"cohort", in, "-o", in},
		{"history", in, "--id", "1", "--model-file", model, "-o", in},
		{"validate", in, "--calibration-end", "1997-09-30", "-o", in},
		{"report", in, "-o", link},
	} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, "writing it would destroy the input", args)
	}
	after, err := os.ReadFile(in)
	require.NoError(t, err)
	assert.Equal(t, data, after)
}

// An output in a directory that is not there is refused before the work,
// naming the file asked for (it failed after the fit, naming a temporary
// file).
func TestOutputDirectoryMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nodir")
	for _, args := range [][]string{
		{"predict", "../../testdata/cdnow_sample.csv", "--model", "bgnbd", "-o", filepath.Join(dir, "p.csv")},
		{"fit", "../../testdata/cdnow_sample.csv", "--model", "bgnbd", "-o", filepath.Join(dir, "m.json")},
		{"summary", "../../testdata/cdnow_sample.csv", "-o", filepath.Join(dir, "s.parquet")},
	} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, "there is no directory", args)
		assert.NotContains(t, stderr, ".tmp-", args)
	}
}

// An end before every event gives an empty output with a warning (it was
// a bare header with exit 0), and a file without rows names itself.
func TestEmptyOutputsSaid(t *testing.T) {
	code, out, stderr := runCLI(t, "summary", "../../testdata/cdnow_sample.csv", "--end", "1990-01-01")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 1, strings.Count(out, "\n"), "the header alone")
	assert.Contains(t, stderr, "warning: no customer has an event up to 1990-01-01 (6919 events come after it)")
	headerOnly := filepath.Join(t.TempDir(), "h.csv")
	require.NoError(t, os.WriteFile(headerOnly, []byte("customer_id,date,amount\n"), 0o644))
	code, _, stderr = runCLI(t, "summary", headerOnly)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "h.csv: no data: no events to summarise")
}

// Options the reader would refuse are usage errors (exit 2) before any
// reading; a broken model file is a data error (exit 1), not a usage one.
func TestOptionErrorsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"summary", "../../testdata/cdnow_sample.csv", "--format", "xml"},
		{"summary", "../../testdata/cdnow_sample.csv", "--sep", `"`},
		{"summary", "../../testdata/cdnow_sample.csv", "--calibration-end", "1998-01-01", "--end", "1997-06-01"},
	} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
	broken := filepath.Join(t.TempDir(), "m.json")
	require.NoError(t, os.WriteFile(broken, []byte(`{"model":"bgnbd","params":{"r":`), 0o644))
	code, _, stderr := runCLI(t, "predict", "../../testdata/cdnow_sample.csv", "--model-file", broken)
	assert.Equal(t, 1, code, stderr)
}
