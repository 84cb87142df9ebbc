package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 15: a readable fit summary besides the JSON. BG/NBD on the CDNOW
// calibration period: r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4 as
// published (Fader, Hardie & Lee 2005, "Counting your customers the easy
// way").
func TestFitSummary(t *testing.T) {
	dir := t.TempDir()
	model, tbl := filepath.Join(dir, "m.json"), filepath.Join(dir, "p.csv")
	code, out, stderr := runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30",
		"--summary", "-o", model, "--table", tbl)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(out, "\n")
	require.GreaterOrEqual(t, len(lines), 7, out)
	assert.Equal(t, "bgnbd model", lines[0])
	assert.Equal(t, []string{"parameter", "estimate", "std.", "error", "95%", "interval"}, strings.Fields(lines[1]))
	for i, want := range []string{"r 0.2426", "alpha 4.414", "a 0.7929", "b 2.426"} {
		assert.True(t, strings.HasPrefix(strings.Join(strings.Fields(lines[2+i]), " "), want), lines[2+i])
		assert.Contains(t, lines[2+i], "[", "a 95%% interval")
	}
	assert.Contains(t, out, "log-likelihood -9582.4")
	assert.Contains(t, out, "n 2357")
	assert.Contains(t, out, "converged true")
	assert.NotContains(t, out, "{", "no JSON on stdout with --summary")
	b, err := os.ReadFile(model)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"bgnbd"`)

	f, err := os.Open(tbl)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5)
	assert.Equal(t, []string{"parameter", "estimate", "std_error", "lower_95", "upper_95", "log_likelihood", "n", "converged"}, rows[0])
	assert.Equal(t, "r", rows[1][0])
	assert.True(t, strings.HasPrefix(rows[1][5], "-9582.4"), rows[1][5])
	assert.Equal(t, "2357", rows[1][6])
	assert.Equal(t, "true", rows[1][7])

	// Without --summary stdout is the JSON, as before.
	code, out, stderr = runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(strings.TrimSpace(out), "{"), out)

	code, _, stderr = runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--table", "p.xlsx")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "--table")
}
