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
)

// csvRow returns the row of out (CSV with a header) whose first field is id,
// as column name → value.
func csvRow(t *testing.T, out, id string) map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	for _, r := range rows[1:] {
		if r[0] == id {
			m := map[string]string{}
			for i, h := range rows[0] {
				m[h] = r[i]
			}
			return m
		}
	}
	t.Fatalf("no row %q", id)
	return nil
}

func csvFloat(t *testing.T, row map[string]string, col string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(row[col], 64)
	require.NoError(t, err, col)
	return v
}

// The README's workflow — fit in weeks, summarise in weeks, predict from
// the summary with the saved model — predicts over one year (52 weeks):
// customer 1 expects ≈1.56 purchases, not the 6.03 of 365 weeks. The unit
// travels in the model JSON and the summary's unit column, in every summary
// format.
func TestReadmeWorkflowUnits(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "bgnbd.json")
	code, _, stderr := runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30", "-o", model)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(model)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"unit": "week"`)
	assert.Contains(t, string(b), `"end": "1997-09-30"`)

	for _, ext := range []string{"csv", "parquet", "json"} {
		t.Run(ext, func(t *testing.T) {
			summary := filepath.Join(dir, "summary."+ext)
			code, _, stderr := runCLI(t, "summary", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30", "-o", summary)
			require.Equal(t, 0, code, stderr)
			code, out, stderr := runCLI(t, "predict", summary, "--model-file", model, "--spend", "35")
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stderr, "horizon: 52 weeks")
			assert.InDelta(t, 1.5587, csvFloat(t, csvRow(t, out, "1"), "expected_purchases"), 1e-3)
		})
	}
}

func TestPredictUnits(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "bgnbd.json")
	code, _, stderr := runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30", "-o", model)
	require.Equal(t, 0, code, stderr)
	days := filepath.Join(dir, "days.csv")
	code, _, stderr = runCLI(t, "summary", "../../testdata/cdnow_sample.csv", "--end", "1997-09-30", "-o", days)
	require.Equal(t, 0, code, stderr)
	noUnit := filepath.Join(dir, "old.json") // saved before units were recorded
	require.NoError(t, os.WriteFile(noUnit, []byte(`{"model":"bgnbd","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}}`), 0o644))
	handMade := filepath.Join(dir, "hand.csv")
	require.NoError(t, os.WriteFile(handMade, []byte("ID,x,t_x,T\n1,2,30.43,38.86\n"), 0o644))
	bgbb := filepath.Join(dir, "bgbb.json")
	code, _, stderr = runCLI(t, "fit", "--model", "bgbb", "../../testdata/donations.csv", "-o", bgbb)
	require.Equal(t, 0, code, stderr)

	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   string
		id       string
		expected float64
	}{
		{"events take the model's unit", []string{"predict", "../../testdata/cdnow_sample.csv", "--end", "1997-09-30", "--model-file", model, "--spend", "35"},
			0, "horizon: 52 weeks", "1", 1.5587},
		{"explicit other unit refused", []string{"predict", "../../testdata/cdnow_sample.csv", "--unit", "day", "--model-file", model, "--spend", "35"},
			1, "rates are per week, but --unit is day", "", 0},
		{"summary in days refused", []string{"predict", days, "--model-file", model, "--spend", "35"},
			1, "the bgnbd model's rates are per week (it was fitted to data in weeks through 1997-09-30) but the data's recency and T are in days", "", 0},
		{"summary unit contradicts --unit", []string{"predict", days, "--unit", "week", "--model-file", model, "--spend", "35"},
			1, "recency and T are in days (its unit column), not weeks as --unit says", "", 0},
		{"old model file: unit assumed, said", []string{"predict", days, "--model-file", noUnit, "--spend", "35"},
			0, "records no time unit", "1", 0},
		{"hand-made summary takes the model's unit", []string{"predict", handMade, "--model-file", model, "--spend", "35"},
			0, "taking recency and T in weeks", "1", 1.5587},
		{"bgbb on donations: one period, not 365", []string{"predict", "../../testdata/donations.csv", "--model-file", bgbb, "--spend", "1"},
			0, "horizon: 1 period", "22", 0.8427},
		{"bgbb on donations without --spend: no amounts, said so", []string{"predict", "../../testdata/donations.csv", "--model-file", bgbb},
			1, "no amounts to value purchases with", "", 0},
		{"summary with zbar but no revenue: --spend gg suggested", []string{"predict", "../../testdata/cdnow_sample_summary.csv", "--model", "bgnbd"},
			1, "a summary with monetary values but no revenue column); give --spend gg", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tt.args...)
			require.Equal(t, tt.code, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
			if tt.expected != 0 {
				assert.InDelta(t, tt.expected, csvFloat(t, csvRow(t, out, tt.id), "expected_purchases"), 1e-3)
			}
		})
	}
}
