package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMigrateCommand(t *testing.T) {
	// CDNOW A/B/C tiers at the calibration end and at the end of the data:
	// every customer of the first snapshot is in exactly one cell of a row,
	// and nobody is new (the cohort was acquired in Q1 1997).
	code, _, stderr := runCLI(t, "migrate", "../../testdata/cdnow_sample.csv", "--scheme", "abc", "--before", "1997-09-30", "-o", t.TempDir()+"/m.csv")
	require.Equal(t, 0, code, stderr)
	code, out, stderr := runCLI(t, "migrate", "../../testdata/cdnow_sample.csv", "--scheme", "abc", "--before", "1997-09-30")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5) // header, A, B, C, new
	total := 0
	for _, l := range lines[1:4] {
		for _, f := range strings.Fields(l)[1:] {
			if n, err := strconv.Atoi(f); err == nil {
				total += n
			}
		}
	}
	assert.Equal(t, 2357, total)
	assert.True(t, strings.HasPrefix(lines[4], "new "))
	assert.NotContains(t, lines[4], "1 (")

	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"migrate", "../../testdata/cdnow_sample.csv"}, "--before is required"},
		{[]string{"migrate", "../../testdata/cdnow_sample.csv", "--before", "1998-01-01", "--after", "1997-01-01"}, "is not before"},
		{[]string{"migrate", "../../testdata/cdnow_sample.csv", "--before", "1997-06-01", "--portfolio"}, "flag provided but not defined: -portfolio"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		assert.Equal(t, 2, code, stderr)
		assert.Contains(t, stderr, tc.stderr)
	}
}

func TestSeedsCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "seeds", "../../testdata/shop_events.csv", "--top", "10")
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"customer_id", "own_value", "referral_value", "total_value"}, rows[0])
	require.Len(t, rows, 11)
	prev := 1e300
	for _, r := range rows[1:] {
		own, _ := strconv.ParseFloat(r[1], 64)
		ref, _ := strconv.ParseFloat(r[2], 64)
		tot, _ := strconv.ParseFloat(r[3], 64)
		assert.InDelta(t, own+ref, tot, 1e-9, r[0])
		assert.LessOrEqual(t, tot, prev, "seeds are ordered by total value")
		prev = tot
	}
	// Halving the referral share halves every referral value.
	code, half, stderr := runCLI(t, "seeds", "../../testdata/shop_events.csv", "--top", "60", "--referral-share", "0.5")
	require.Equal(t, 0, code, stderr)
	code, full, stderr := runCLI(t, "seeds", "../../testdata/shop_events.csv", "--top", "60")
	require.Equal(t, 0, code, stderr)
	refOf := func(out string) map[string]float64 {
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err)
		m := map[string]float64{}
		for _, r := range rows[1:] {
			m[r[0]], _ = strconv.ParseFloat(r[2], 64)
		}
		return m
	}
	h, f := refOf(half), refOf(full)
	require.Len(t, f, 60)
	for id, v := range f {
		assert.InDelta(t, v/2, h[id], 1e-9, id)
	}
	code, _, stderr = runCLI(t, "seeds", "../../testdata/shop_events.csv", "--top", "-1")
	assert.Equal(t, 2, code, stderr)
}
