package main

import (
	"encoding/csv"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// predictColumn runs predict and returns the named column by customer id.
func predictColumn(t *testing.T, col string, args ...string) map[string]float64 {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"predict"}, args...)...)
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	j := -1
	for k, h := range rows[0] {
		if h == col {
			j = k
		}
	}
	require.GreaterOrEqual(t, j, 0, "no column %s in %v", col, rows[0])
	m := map[string]float64{}
	for _, r := range rows[1:] {
		if r[j] != "" {
			m[r[0]], err = strconv.ParseFloat(r[j], 64)
			require.NoError(t, err)
		}
	}
	return m
}

// Issue 15: --horizon inf gives the infinite-horizon discounted value where
// the model has one. Checked against a long finite horizon (15,000 weeks at
// 15 % a year: the tail beyond is e^(−40) of the value); the finite sum
// discounts each week's purchases at the week's end, e^(−δ/2) ≈ 0.13 % below
// the continuous DERT.
func TestPredictHorizonInf(t *testing.T) {
	model := filepath.Join(t.TempDir(), "pnbd.json")
	code, _, stderr := runCLI(t, "fit", "--model", "pnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "--end", "1997-09-30", "-o", model)
	require.Equal(t, 0, code, stderr)
	common := []string{"../../testdata/cdnow_sample.csv", "--model-file", model, "--end", "1997-09-30", "--annual-discount-rate", "0.15", "--continuous", "--intervals", "0"}
	inf := predictColumn(t, "clv", append(common, "--horizon", "inf")...)
	dert := predictColumn(t, "expected_purchases", append(common, "--horizon", "inf")...)
	long := predictColumn(t, "clv", append(common, "--horizon", "15000")...)
	require.Len(t, inf, 2357)
	delta := math.Log(1.15) / 52
	for _, id := range []string{"1", "2", "100", "1000", "2357"} {
		assert.InEpsilon(t, long[id]*math.Exp(delta/2), inf[id], 2e-4, id)
		assert.Greater(t, inf[id], long[id]*0.99, id)
	}
	// Customer 1 (x 2, t_x 30.43, T 38.86): about 6.5 discounted purchases,
	// as the published estimates give (clv.ExampleParetoNBD_DERT: 6.50).
	assert.InDelta(t, 6.5, dert["1"], 0.1)

	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"--model", "pnbd", "--horizon", "inf"}, "needs a discount rate > 0"},
		{[]string{"--model", "bgnbd", "--horizon", "inf", "--annual-discount-rate", "0.1"}, "the bgnbd model has no infinite-horizon"},
		{[]string{"--model", "mbgnbd", "--horizon", "Inf", "--annual-discount-rate", "0.1"}, "the mbgnbd model has no infinite-horizon"},
		{[]string{"--model", "pnbd", "--horizon", "-inf"}, "want a positive number"},
	} {
		code, _, stderr := runCLI(t, append([]string{"predict", "../../testdata/cdnow_sample.csv", "--unit", "week"}, tc.args...)...)
		assert.Equal(t, 2, code, stderr)
		assert.Contains(t, stderr, tc.stderr)
	}
	bg := filepath.Join(t.TempDir(), "bgnbd.json")
	code, _, stderr = runCLI(t, "fit", "--model", "bgnbd", "../../testdata/cdnow_sample.csv", "--unit", "week", "-o", bg)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runCLI(t, "predict", "../../testdata/cdnow_sample.csv", "--model-file", bg, "--horizon", "inf", "--annual-discount-rate", "0.1")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "holds a bgnbd model, which has no infinite-horizon")
}
