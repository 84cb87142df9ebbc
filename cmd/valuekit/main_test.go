package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &out, &errb, args)
	return code, out.String(), errb.String()
}

func TestSummaryCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "summary", "../../testdata/cdnow_sample.csv", "--unit", "week", "--calibration-end", "1997-09-30")
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2358)
	assert.Equal(t, []string{"customer_id", "frequency", "recency", "T", "monetary_value"}, rows[0][:5])
	assert.Equal(t, []string{"1", "2", "30.428571428571427", "38.857142857142854", "22.345"}, rows[1][:5])
}

func TestSummaryCommandMappedColumns(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "orders.csv")
	require.NoError(t, os.WriteFile(in, []byte("Kunde;Datum;Betrag;Art\n007;19970101;10;kauf\n007;19970108;5;kauf\n007;19970109;2;retoure\n"), 0o644))
	out := filepath.Join(dir, "s.json")
	code, _, stderr := runCLI(t, "summary", in, "--sep", ";", "--customer", "Kunde", "--time", "Datum", "--amount", "Betrag",
		"--kind", "Art", "--kind-map", "kauf=purchase,retoure=refund", "--time-format", "20060102", "--unit", "week", "-o", out)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"customer_id":"007","frequency":1,"recency":1,"T":1.1428571428571428,"monetary_value":5`)
	assert.Contains(t, string(b), `"refunds":2,"net_revenue":13`)
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "orders.csv")
	require.NoError(t, os.WriteFile(bad, []byte("customer_id,date,amount\n1,2020-01-01,12\n2,2020-01-01,12,5x\n"), 0o644))
	badValue := filepath.Join(dir, "values.csv")
	require.NoError(t, os.WriteFile(badValue, []byte("customer_id,date,amount\n1,2020-01-01,12\n2,2020-01-01,\"12,5x\"\n"), 0o644))
	existing := filepath.Join(dir, "keep.csv")
	require.NoError(t, os.WriteFile(existing, []byte("precious"), 0o644))

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no args", nil, 2, "Commands:"},
		{"help", []string{"help"}, 0, "Commands:"},
		{"command help", []string{"summary", "--help"}, 0, "-calibration-end"},
		{"unknown command", []string{"sumary"}, 2, `unknown command "sumary"`},
		{"unknown flag", []string{"summary", "--bogus", "x.csv"}, 2, "flag provided but not defined"},
		{"no file", []string{"summary"}, 2, "want exactly one FILE"},
		{"bad unit", []string{"summary", "--unit", "fortnight", "x.csv"}, 2, "fortnight"},
		{"bad end", []string{"summary", "--end", "someday", "x.csv"}, 2, "--end"},
		{"missing file", []string{"summary", filepath.Join(dir, "nope.csv")}, 1, "no such file"},
		{"bad row", []string{"summary", badValue}, 1, `values.csv: row 3, column "amount": "12,5x" is not a number`},
		{"field count", []string{"summary", bad}, 1, "orders.csv: row 3: has 4 fields, the header has 3"},
		{"failed run keeps output", []string{"summary", badValue, "-o", existing}, 1, "is not a number"},
		{"skip bad rows", []string{"summary", badValue, "--skip-bad-rows"}, 0, "1 bad rows skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, tt.code, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
		})
	}
	b, _ := os.ReadFile(existing)
	assert.Equal(t, "precious", string(b))
}

// TestFitCommand checks that the fit command prints the published BG/NBD
// estimates on the CDNOW sample (Fader, Hardie & Lee 2005: r = 0.243,
// α = 4.414, a = 0.793, b = 2.426, LL = −9582.4).
func TestFitCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30")
	require.Equal(t, 0, code, stderr)
	var m struct {
		Model  string             `json:"model"`
		Params map[string]float64 `json:"params"`
		LL     float64            `json:"log_likelihood"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	assert.Equal(t, "bgnbd", m.Model)
	for k, want := range map[string]float64{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426} {
		assert.InDelta(t, want, m.Params[k], 0.0005, k)
	}
	assert.InDelta(t, -9582.4, m.LL, 0.05)

	// the donations summary file fits BG/BB (Fader, Hardie & Shang 2010)
	code, out, stderr = runCLI(t, "fit", "--model", "bgbb", "../../testdata/donations.csv")
	require.Equal(t, 0, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	assert.InDelta(t, 1.204, m.Params["alpha"], 0.0005)
	assert.InDelta(t, -33225.6, m.LL, 0.05)

	code, _, stderr = runCLI(t, "fit", "--model", "nope", "../../testdata/donations.csv")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--model "nope"`)
}

// TestPredictCommand scores the CDNOW sample with a saved model and checks
// the BG/NBD paper's customer (x = 2, t_x = 30.43, T = 38.86): 1.226
// expected purchases in 39 weeks, P(alive) 0.727.
func TestPredictCommand(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "bgnbd.json")
	code, _, stderr := runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30", "-o", model)
	require.Equal(t, 0, code, stderr)
	out := filepath.Join(dir, "p.csv")
	code, _, stderr = runCLI(t, "predict", "../../testdata/cdnow_sample.csv", "--model-file", model, "--unit", "week",
		"--calibration-end", "1997-09-30", "--horizon", "39", "--spend", "gg", "--intervals", "20", "-o", out)
	require.Equal(t, 0, code, stderr)
	f, err := os.Open(out)
	require.NoError(t, err)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	require.Len(t, rows, 2358)
	assert.Equal(t, []string{"customer_id", "expected_purchases", "p_alive", "clv"}, rows[0][:4])
	num := func(s string) float64 { v, err := strconv.ParseFloat(s, 64); require.NoError(t, err); return v }
	assert.Equal(t, "1", rows[1][0])
	assert.InDelta(t, 1.226, num(rows[1][1]), 0.0005)
	assert.InDelta(t, 0.727, num(rows[1][2]), 0.0005)
	assert.Equal(t, []string{"spend", "clv_lower", "clv_upper"}, rows[0][4:7])
	inside := 0
	for _, r := range rows[1:] {
		lo, v, hi := num(r[5]), num(r[3]), num(r[6])
		require.LessOrEqual(t, lo, hi, "customer %s", r[0])
		if lo <= v && v <= hi {
			inside++
		}
	}
	// With 20 draws the 90% interval is rough, but the estimate at the MLE
	// sits inside it for nearly every customer.
	assert.Greater(t, inside, 2357*8/10)

	// a hand-written summary file scores too
	sum := filepath.Join(dir, "s.csv")
	require.NoError(t, os.WriteFile(sum, []byte("customer_id,frequency,recency,T\nann,2,30.43,38.86\n"), 0o644))
	code, stdout, stderr := runCLI(t, "predict", sum, "--model-file", model, "--horizon", "39", "--spend", "20", "--intervals", "0")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "ann,1.2259")

	code, _, stderr = runCLI(t, "predict", sum, "--horizon", "39")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "exactly one of --model-file and --model")
}

func TestCohortCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "cohort", "../../testdata/cdnow_sample.csv", "--project", "3")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "retention by month cohort")
	assert.Contains(t, out, "1997-01-01   781  100.0%   15.9%")
	assert.Contains(t, out, "(* projected)")

	dir := t.TempDir()
	for _, name := range []string{"c.csv", "c.json", "c.parquet"} {
		code, _, stderr = runCLI(t, "cohort", "../../testdata/cdnow_sample.csv", "--period", "quarter", "-o", filepath.Join(dir, name))
		require.Equal(t, 0, code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "c.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "cohort,age,cohort_size,active,retention,revenue,revenue_per_customer,cumulative_revenue_per_customer,"))
	assert.Contains(t, string(b), "\n1997-01-01,0,2357,2357,1,")

	code, _, stderr = runCLI(t, "cohort", "../../testdata/cdnow_sample.csv", "--period", "fortnight")
	assert.Equal(t, 2, code, stderr)
}

// TestStdin: FILE "-" reads CSV events from standard input.
func TestStdin(t *testing.T) {
	in, err := os.ReadFile("../../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	var out, errb bytes.Buffer
	code := runIO(context.Background(), bytes.NewReader(in), &out, &errb, []string{"summary", "-", "--unit", "week", "--calibration-end", "1997-09-30"})
	require.Equal(t, 0, code, errb.String())
	_, want, _ := runCLI(t, "summary", "../../testdata/cdnow_sample.csv", "--unit", "week", "--calibration-end", "1997-09-30")
	assert.Equal(t, want, out.String())

	out.Reset()
	code = runIO(context.Background(), bytes.NewReader(in), &out, &errb, []string{"cohort", "-"})
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "1997-01-01   781  100.0%")

	code = runIO(context.Background(), strings.NewReader("customer_id,date,amount\n1,2020-01-01,x\n"), &out, &errb, []string{"summary", "-"})
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), `stdin: row 2, column "amount": "x" is not a number`)
}
