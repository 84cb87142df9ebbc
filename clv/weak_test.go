package clv

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// TestWeakWarnings: a parameter whose log-scale standard error exceeds
// ln 10 is flagged (the BG/NBD fit to the online-retail export in weeks
// ran to a = 5.4e-6 ± 0.0074, b = 12288 ± 243871); the CDNOW fit, well
// identified, is not.
func TestWeakWarnings(t *testing.T) {
	m, err := FitBGNBD(context.Background(), cdnowSummary(t), nil)
	require.NoError(t, err)
	for _, w := range m.Info.Warnings {
		assert.NotContains(t, w, "weakly identified")
	}

	names := []string{"r", "alpha", "a", "b"}
	est := []float64{0.7256, 9.147, 5.373e-6, 12287.5}
	se := []float64{0.02656, 0.3888, 0.007382, 243871} // natural scale
	cov := mat.NewSymDense(4, nil)
	for i := range 4 {
		rel := se[i] / est[i] // delta method: SE(log θ) = SE(θ)/θ
		cov.SetSym(i, i, rel*rel)
	}
	w := weakWarnings(names, est, cov)
	require.Len(t, w, 2)
	assert.True(t, strings.HasPrefix(w[0], "a = 5.373e-06 is weakly identified"), w[0])
	assert.True(t, strings.HasPrefix(w[1], "b = 1.229e+04 is weakly identified"), w[1])
	assert.Nil(t, weakWarnings(names, est, nil))
}
