package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cdnowFile = "../../testdata/cdnow_sample.csv"

// validate on the CDNOW sample reproduces Fader, Hardie & Lee's (2005)
// holdout check: BG/NBD predicts 1,653.4 purchase days in the 39 holdout
// weeks against 1,882 observed.
func TestValidateCommandText(t *testing.T) {
	code, out, stderr := runCLI(t, "validate", cdnowFile, "--calibration-end", "1997-09-30", "--unit", "week")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Holdout validation of the 2357 customers with a purchase by 1997-09-30")
	assert.Contains(t, out, "scored on those from 1997-10-01 to 1998-06-30 (39 weeks)")
	lines := strings.Split(out, "\n")
	row := func(prefix string) []string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return strings.Fields(l)
			}
		}
		t.Fatalf("no line starting %q in\n%s", prefix, out)
		return nil
	}
	bg := row("bgnbd ")
	assert.Equal(t, []string{"bgnbd", "r=0.2426", "alpha=4.414", "a=0.7929", "b=2.426", "-9582.4"}, bg[:6])
	assert.Equal(t, []string{"1653.4", "1882", "-12.1%"}, bg[8:11])
	assert.Equal(t, "pnbd", row("pnbd *")[0])
	assert.Equal(t, []string{"0", "1411", "0.237"}, row("0 ")[:3])
	assert.Equal(t, "7+", row("7+ ")[0])
	assert.Equal(t, []string{"78", "1998-06-30", "holdout", "28", "4339"}, row("78 ")[:5])
	assert.Contains(t, out, "Recommended: pnbd. Per-customer errors on the 39-week holdout within 1 %")
	for _, l := range lines {
		assert.LessOrEqual(t, len([]rune(l)), 120, l)
	}
}

func TestValidateCommandOutputs(t *testing.T) {
	dir := t.TempDir()
	args := []string{"validate", cdnowFile, "--calibration-end", "1997-09-30", "--unit", "week"}
	readCSV := func(path string) [][]string {
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		return rows
	}

	models := filepath.Join(dir, "models.csv")
	code, out, stderr := runCLI(t, append(args, "-o", models)...)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "recommended: pnbd:")
	rows := readCSV(models)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"model", "parameters", "log_likelihood", "aic", "bic", "customers", "holdout_predicted", "holdout_actual"}, rows[0][:8])
	assert.Equal(t, "bgnbd", rows[1][0])
	assert.Equal(t, "2357", rows[1][5])
	assert.True(t, strings.HasPrefix(rows[1][6], "1653.4"), rows[1][6])
	assert.Equal(t, "1882", rows[1][7])

	freq := filepath.Join(dir, "frequency.csv")
	code, _, stderr = runCLI(t, append(args, "--models", "bgnbd", "--table", "frequency", "-o", freq)...)
	require.Equal(t, 0, code, stderr)
	rows = readCSV(freq)
	assert.Equal(t, []string{"frequency", "customers", "actual", "bgnbd", "bgnbd_bias"}, rows[0])
	assert.Len(t, rows, 9)

	customers := filepath.Join(dir, "customers.csv")
	code, _, stderr = runCLI(t, append(args, "--models", "pnbd, bgnbd", "--table", "customers", "-o", customers)...)
	require.Equal(t, 0, code, stderr)
	rows = readCSV(customers)
	assert.Equal(t, []string{"customer_id", "frequency", "holdout_actual", "pnbd", "bgnbd"}, rows[0])
	assert.Len(t, rows, 2358)

	tracking := filepath.Join(dir, "tracking.json")
	code, _, stderr = runCLI(t, append(args, "--table", "tracking", "-o", tracking)...)
	require.Equal(t, 0, code, stderr)
	var track []map[string]any
	b, err := os.ReadFile(tracking)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &track))
	require.Len(t, track, 78)
	assert.Equal(t, "holdout", track[77]["phase"])
	assert.InDelta(t, 1653.4, track[77]["bgnbd_conditional_cumulative"], 0.05)
	assert.Nil(t, track[0]["bgnbd_conditional_cumulative"])

	all := filepath.Join(dir, "all.json")
	code, _, stderr = runCLI(t, append(args, "--table", "all", "-o", all)...)
	require.Equal(t, 0, code, stderr)
	var whole struct {
		Models      []map[string]any `json:"models"`
		Frequency   []map[string]any `json:"frequency"`
		Tracking    []map[string]any `json:"tracking"`
		Recommended string           `json:"recommended"`
		Reason      string           `json:"reason"`
	}
	b, err = os.ReadFile(all)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &whole), string(b[:200]))
	assert.Len(t, whole.Models, 3)
	assert.Len(t, whole.Frequency, 8)
	assert.Len(t, whole.Tracking, 78)
	assert.Equal(t, "pnbd", whole.Recommended)
	assert.Contains(t, whole.Reason, "holdout total decides")
}

// A summary file with holdout columns validates too, without tracking:
// the holdout length comes from --calibration-end and --end.
func TestValidateCommandSummaryFile(t *testing.T) {
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.csv")
	code, _, stderr := runCLI(t, "summary", cdnowFile, "--unit", "week", "--calibration-end", "1997-09-30", "-o", summary)
	require.Equal(t, 0, code, stderr)
	code, out, stderr := runCLI(t, "validate", summary, "--unit", "week", "--calibration-end", "1997-09-30", "--end", "1998-06-30", "--models", "bgnbd")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Holdout validation of 2357 customers over a holdout of 39 weeks.")
	assert.Contains(t, out, "1653.4")
	assert.NotContains(t, out, "Repeat purchase days per week")

	code, _, stderr = runCLI(t, "validate", summary, "--unit", "week", "--calibration-end", "1997-09-30", "--end", "1998-06-30",
		"--table", "tracking", "-o", filepath.Join(dir, "t.csv"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no tracking: it needs the events")

	plain := filepath.Join(dir, "plain.csv")
	code, _, stderr = runCLI(t, "summary", cdnowFile, "--unit", "week", "--end", "1997-09-30", "-o", plain)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runCLI(t, "validate", plain, "--unit", "week", "--calibration-end", "1997-09-30", "--end", "1998-06-30")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "has no holdout_frequency column")
}

func TestValidateCommandErrors(t *testing.T) {
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.csv")
	code, _, stderr := runCLI(t, "summary", cdnowFile, "--unit", "week", "--calibration-end", "1997-09-30", "-o", summary)
	require.Equal(t, 0, code, stderr)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no calibration end", []string{cdnowFile}, 2, "--calibration-end is required"},
		{"unknown model", []string{cdnowFile, "--calibration-end", "1997-09-30", "--models", "bgnbd,bgbb"}, 2, `--models: "bgbb" is not one of`},
		{"model twice", []string{cdnowFile, "--calibration-end", "1997-09-30", "--models", "pnbd,pnbd"}, 2, "named twice"},
		{"bad table", []string{cdnowFile, "--calibration-end", "1997-09-30", "--table", "weeks", "-o", "x.csv"}, 2, `--table "weeks"`},
		{"all needs json", []string{cdnowFile, "--calibration-end", "1997-09-30", "--table", "all", "-o", "x.csv"}, 2, "give -o FILE.json"},
		{"summary without end", []string{summary, "--calibration-end", "1997-09-30"}, 2, "give --end"},
		{"end before calibration end", []string{summary, "--calibration-end", "1997-09-30", "--end", "1997-09-01"}, 2, "is not after --calibration-end"},
		{"empty holdout", []string{cdnowFile, "--calibration-end", "1998-06-30"}, 1, "the holdout period is empty"},
		{"missing file", []string{filepath.Join(dir, "nope.csv"), "--calibration-end", "1997-09-30"}, 1, "nope.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"validate"}, tc.args...)...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Empty(t, out)
			assert.Contains(t, stderr, tc.msg)
		})
	}
}
