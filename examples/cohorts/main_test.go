package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunCDNOW(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, []string{"-data", "../../testdata/cdnow_sample.csv", "-project", "3"}))
	s := out.String()
	assert.Contains(t, s, "6919 purchases, observed to 1998-06-30")
	// The January 1997 cohort of the CDNOW sample: 781 customers, 15.9%
	// active in February (checked cell by cell in package cohort's tests).
	assert.Contains(t, s, "1997-01-01   781  100.0%   15.9%")
	assert.Contains(t, s, "(* projected)")
	assert.Equal(t, 2, strings.Count(s, "(* projected)"))
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("customer_id,date,amount\n1,2024-01-01,5\n2,2024-13-01,5\n"), 0o600))
	var out bytes.Buffer
	err := run(&out, []string{"-data", bad})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `row 3, column "date": "2024-13-01"`)

	err = run(&out, []string{"-data", bad, "-period", "fortnight"})
	assert.ErrorContains(t, err, "-period")
	err = run(&out, []string{"-data", filepath.Join(dir, "missing.csv")})
	assert.Error(t, err)
}
