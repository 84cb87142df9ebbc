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

// Up to mid-2011 the retailer's customers show no dropout: BG/NBD and
// MBG/NBD climb a ridge towards their no-dropout limit (a → 0, b → ∞), where
// no step gains a measurable likelihood short of the limit. The fit stops
// there with a warning saying so instead of failing (as it did, with a
// gradient norm of 2.5e-7 against 1e-7) — and its log-likelihood is that of
// the limit, which Pareto/NBD reaches too (−15277.59).
func TestRetailFitOnTheRidge(t *testing.T) {
	needRetail(t)
	for _, model := range []string{"bgnbd", "mbgnbd"} {
		t.Run(model, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"fit", retailExport, "--amount", "amount", "--unit", "week", "--end", "2011-06-30", "--model", model}, retailFlags...)...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stderr, "along a ridge, as towards a limiting case of the model")
			assert.Contains(t, stdout, `"log_likelihood": -15277.59`)
		})
	}
}
