package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGenerateThenFit generates BG/NBD customers with the command and fits
// them back with valuekit fit, no mapping flags, in both formats: each
// parameter within 2 standard errors of the truth (seed 5 is one where all
// are; see generate.TestRecovery).
func TestGenerateThenFit(t *testing.T) {
	n := "20000"
	if testing.Short() {
		n = "8000"
	}
	dir := t.TempDir()
	truth := map[string]float64{"r": 1, "alpha": 6, "a": 0.3, "b": 10}
	for _, name := range []string{"g.parquet", "g.csv"} {
		out := filepath.Join(dir, name)
		code, _, stderr := runCLI(t, "generate", "--customers", n, "--model", "bgnbd", "--params", "r=1,alpha=6,a=0.3,b=10",
			"--unit", "week", "--start", "2024-01-01", "--end", "2025-06-29", "--referral-rate", "0.002", "--feedback",
			"--seed", "5", "-o", out)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, n+" customers")

		code, stdout, stderr := runCLI(t, "fit", out, "--model", "bgnbd", "--unit", "week", "--end", "2025-06-29")
		require.Equal(t, 0, code, stderr)
		var m struct {
			Params    map[string]float64 `json:"params"`
			StdErrors map[string]float64 `json:"std_errors"`
			Customers float64            `json:"customers"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &m))
		assert.Equal(t, n, strconv.FormatFloat(m.Customers, 'f', -1, 64))
		for k, want := range truth {
			assert.InDelta(t, want, m.Params[k], 2*m.StdErrors[k], "%s: %s", name, k)
		}
	}

	// Same flags, same bytes.
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	for _, p := range []string{a, b} {
		code, _, stderr := runCLI(t, "generate", "--customers", "3000", "--params", "r=1,alpha=6,s=0.5,beta=20", "--model", "pnbd",
			"--spend", "p=6,q=4,v=15", "--seed", "9", "-o", p)
		require.Equal(t, 0, code, stderr)
	}
	ba, err := os.ReadFile(a)
	require.NoError(t, err)
	bb, err := os.ReadFile(b)
	require.NoError(t, err)
	assert.Equal(t, ba, bb)
}

func TestGenerateUsageErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "g.csv")
	base := []string{"generate", "--customers", "10", "-o", out}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no params", base, "--params: required"},
		{"unknown param", append(base, "--params", "r=1,alpha=6,a=0.3,b=10,z=1"), `--params "r=1,alpha=6,a=0.3,b=10,z=1": generate: invalid option: unknown parameter "z"`},
		{"missing param", append(base, "--params", "r=1,alpha=6,a=0.3"), `missing parameter "b"`},
		{"non-positive", append(base, "--params", "r=1,alpha=-6,a=0.3,b=10"), `alpha = "-6", want a positive number`},
		{"pnbd names", append(base, "--model", "pnbd", "--params", "r=1,alpha=6,a=0.3,b=10"), `unknown parameter "a"`},
		{"bad model", append(base, "--model", "sbg", "--params", "r=1"), `--model "sbg"`},
		{"bad spend", append(base, "--params", "r=1,alpha=6,a=0.3,b=10", "--spend", "p=1,q=0,v=1"), `--spend "p=1,q=0,v=1"`},
		{"no customers", []string{"generate", "--params", "r=1,alpha=6,a=0.3,b=10", "-o", out}, "--customers 0"},
		{"bad unit", append(base, "--params", "r=1,alpha=6,a=0.3,b=10", "--unit", "fortnight"), "--unit"},
		{"end before start", append(base, "--params", "r=1,alpha=6,a=0.3,b=10", "--start", "2024-02-01", "--end", "2024-01-01"), "--end 2024-01-01"},
		{"negative rate", append(base, "--params", "r=1,alpha=6,a=0.3,b=10", "--referral-rate", "-1"), "--referral-rate -1"},
		{"no output", []string{"generate", "--customers", "10", "--params", "r=1,alpha=6,a=0.3,b=10"}, "-o: required"},
		{"bad output", []string{"generate", "--customers", "10", "--params", "r=1,alpha=6,a=0.3,b=10", "-o", "x.json"}, `-o "x.json"`},
		{"stray argument", append(base, "--params", "r=1,alpha=6,a=0.3,b=10", "extra"), `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
		})
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no output written on a usage error")
}
