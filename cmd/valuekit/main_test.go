package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
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
