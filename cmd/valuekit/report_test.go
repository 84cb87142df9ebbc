package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "orders.csv")
	var b strings.Builder
	b.WriteString("customer_id,date,amount\n")
	for c := 1; c <= 30; c++ {
		for k := 0; k <= c%3; k++ {
			fmt.Fprintf(&b, "c%d,2024-0%d-%02d,%d\n", c, 1+k, 1+c%28, 10+c)
		}
	}
	b.WriteString("c1,2024-13-01,5\nc2,2024-02-02,12x\n")
	require.NoError(t, os.WriteFile(bad, []byte(b.String()), 0o644))

	cases := []struct {
		name string
		args []string
		code int
		// want are texts of the HTML (or of standard error for a failure).
		want []string
	}{
		{"CDNOW sample with a holdout", []string{cdnowFile, "--calibration-end", "1997-09-30", "--currency", "US$"}, 0,
			[]string{"cdnow_sample.csv", "1,653.4", "Use Pareto/NBD", "US$", "Acquisition cohorts"}},
		{"flags after and before the file", []string{"--model", "bgnbd", cdnowFile, "--unit", "week", "--png"}, 0,
			[]string{"use BG/NBD: it was asked for", "data:image/png;base64,"}},
		{"donations: discrete-time summary file", []string{"../../testdata/donations.csv"}, 0,
			[]string{"discrete-time", "BG/BB", "11,104"}},
		{"summary file", []string{"../../testdata/cdnow_sample_summary.csv"}, 0,
			[]string{"Cohorts need the events"}},
		{"bad rows are skipped and listed", []string{bad}, 0,
			[]string{"2 bad rows", "row 62, column", "is not a number"}},
		{"bad rows fail without skipping", []string{bad, "--skip-bad-rows=false"}, 1, []string{"row 62"}},
		{"unknown model", []string{cdnowFile, "--model", "gg"}, 2, []string{`--model "gg"`}},
		{"summary file with a calibration end", []string{"../../testdata/cdnow_sample_summary.csv", "--calibration-end", "1997-09-30"}, 2,
			[]string{"summary file"}},
		{"bgbb needs a summary", []string{cdnowFile, "--model", "bgbb"}, 2, []string{"discrete-time summary file"}},
		{"bad period", []string{cdnowFile, "--period", "fortnight"}, 2, []string{"--period"}},
		{"negative horizon", []string{cdnowFile, "--horizon", "-3"}, 2, []string{"--horizon"}},
		{"no file", []string{}, 2, []string{"want exactly one FILE"}},
	}
	for k, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprintf("report%d.html", k))
			code, _, stderr := runCLI(t, append([]string{"report", "-o", out}, tc.args...)...)
			require.Equal(t, tc.code, code, stderr)
			if code != 0 {
				for _, w := range tc.want {
					assert.Contains(t, stderr, w)
				}
				assert.NoFileExists(t, out)
				return
			}
			assert.Contains(t, stderr, "wrote "+out)
			doc, err := os.ReadFile(out)
			require.NoError(t, err)
			for _, w := range tc.want {
				reportHas(t, string(doc), w)
			}
			assert.True(t, strings.HasPrefix(string(doc), "<!DOCTYPE html>"))
			assert.True(t, strings.HasSuffix(string(doc), "</html>\n"))
		})
	}
}

// Without -o the report goes to standard output.
func TestReportCommandStdout(t *testing.T) {
	code, out, stderr := runCLI(t, "report", cdnowFile)
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"))
	reportHas(t, out, `<section id="cohorts">`)
	assert.NotContains(t, stderr, "wrote")
}

// The exports of the shared reference data sets, with their mappings (see
// its README), when VALUEKIT_DATASETS names their directory: the full
// CDNOW export, the retailer's invoices with cancellations (whose fits sit
// at a model limit: said in the report, not a failure) and the donations.
func TestReportCommandDatasets(t *testing.T) {
	if testing.Short() {
		t.Skip("larger exports; not with -short")
	}
	data := os.Getenv("VALUEKIT_DATASETS")
	if data == "" {
		t.Skip("VALUEKIT_DATASETS is not set to the directory of the reference exports")
	}
	cases := []struct {
		file string
		args []string
		want []string
	}{
		{"cdnow_master.csv", []string{"--amount", "dollar_value", "--time-format", "20060102", "--calibration-end", "1997-09-30"},
			[]string{"23,570", "69,659 events", "Use Pareto/NBD"}},
		{"online_retail_invoices.csv", []string{"--customer", "customer", "--time", "invoice_time", "--time-format", "1/2/2006 15:04", "--calibration-end", "2011-06-30"},
			[]string{"4,373", "3,839 refunds", "sits at a limit of the model", "could not be fitted to the calibration period", "looks like a placeholder"}},
		{"donations.csv", nil, []string{"11,104", "BG/BB"}},
		{"cdnow_sample.csv", []string{"--calibration-end", "1997-09-30"}, []string{"1,653.4"}},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(data, tc.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("%s: %v", path, err)
			}
			out := filepath.Join(dir, tc.file+".html")
			start := time.Now()
			code, _, stderr := runCLI(t, append([]string{"report", path, "-o", out}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			t.Logf("%s: %v", tc.file, time.Since(start).Round(time.Millisecond))
			doc, err := os.ReadFile(out)
			require.NoError(t, err)
			for _, w := range tc.want {
				reportHas(t, string(doc), w)
			}
			assert.Falsef(t, strings.Contains(string(doc), "could not be drawn"), "a chart could not be drawn")
		})
	}
}

// reportHas checks that the report doc contains every text of want (without
// printing the whole document when it does not).
func reportHas(t *testing.T, doc string, want ...string) {
	t.Helper()
	for _, w := range want {
		assert.Truef(t, strings.Contains(doc, w), "the report lacks %q", w)
	}
}
