package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, []string{"-shop", "../../testdata/shop_events.csv", "-cdnow", "../../testdata/cdnow_sample.csv", "-budget", "500"}))
	s := out.String()
	assert.Contains(t, s, "Shop: 60 customers, observed to 2024-12-31")
	assert.Contains(t, s, "CDNOW: 2357 customers, observed to 1998-06-30")
	// every RFM segment name and every quadrant appears, and the CDNOW tiers
	for _, name := range []string{"Champions", "Can't lose them", "premium", "fragile", "free-rider", "abandonable", "unknown", "mean_p_alive"} {
		assert.Contains(t, s, name)
	}
	assert.Equal(t, 2, strings.Count(s, "RFM segments"))
	// CDNOW tiers: 777 customers make 80% of revenue (checked against
	// segment.Tiers' definition in cmd/valuekit's tests)
	assert.Contains(t, s, "A              777           33.0%")
	assert.Contains(t, s, "500.00        100.0%")
}

func TestRunMissingFile(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, []string{"-shop", "nope.csv"})
	assert.ErrorContains(t, err, "nope.csv")
}
