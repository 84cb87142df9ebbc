package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunShop(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, []string{"-data", "../../testdata/shop_events.csv", "-seeds", "5"}))
	s := out.String()
	assert.Contains(t, s, "60 customers, observed to 2024-12-31")
	assert.Contains(t, s, "referral value")
	for _, class := range []string{"champions", "affluents", "advocates", "misers", "total"} {
		assert.Contains(t, s, class)
	}
	assert.Contains(t, s, "The 5 seed customers")
	// The top seed brought customers in: own + referral = total.
	assert.Contains(t, s, "C038")
}

func TestRunErrors(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, []string{"-data", "../../testdata/cdnow_sample.csv"})
	assert.ErrorContains(t, err, "no referral events")
	assert.Error(t, run(&out, []string{"-data", "missing.csv"}))
	assert.Error(t, run(&out, []string{"-share", "x"}))
}
