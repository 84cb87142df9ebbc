package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// retailExport is the shared UCI Online Retail invoice export (see
// /work/shared/datasets/README.md); tests on it are skipped where it is
// not available.
const retailExport = "/work/shared/datasets/online_retail_invoices.csv"

var retailFlags = []string{"--customer", "customer", "--time", "invoice_time", "--time-format", "1/2/2006 15:04"}

func needRetail(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(retailExport); err != nil {
		t.Skip("the shared retailer export is not available")
	}
}

// Every command that values customers with a model uses the same default
// spend: revenue per purchase day, 945.17 on the retailer export (per
// purchase event it would be 728.76, 23 % low, as the models count days).
func TestRetailDefaultSpendEverywhere(t *testing.T) {
	needRetail(t)
	tests := []struct {
		name string
		args []string
	}{
		{"predict", []string{"predict", retailExport, "--model", "bgnbd", "--intervals", "0"}},
		{"segment", []string{"segment", retailExport, "--scheme", "abc", "--profit", "clv", "--model", "bgnbd"}},
		{"seeds", []string{"seeds", retailExport, "--profit", "clv", "--model", "bgnbd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append(tt.args, retailFlags...)...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stderr, "spend per purchase: 945.17 (the mean amount per purchase day")
		})
	}
}
