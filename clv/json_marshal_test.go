package clv

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// json.Marshal of a fitted model is SaveModel's JSON: covariance kept,
// LoadModel reads it back, json.Unmarshal into the same kind restores it,
// into another kind is an error.
func TestModelJSONMarshaler(t *testing.T) {
	ctx := context.Background()
	d := cdnowSummary(t)
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD, NameGammaGamma} {
		m, err := Fit(ctx, name, d, nil)
		require.NoError(t, err, name)
		b, err := json.Marshal(m)
		require.NoError(t, err, name)
		var saved bytes.Buffer
		require.NoError(t, SaveModel(&saved, m))
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, saved.Bytes()))
		assert.Equal(t, compact.String(), string(b), name)

		back, err := LoadModel(bytes.NewReader(b))
		require.NoError(t, err, name)
		assert.Equal(t, m.Params(), back.Params(), name)
		require.NotNil(t, back.FitInfo().LogCov, name)

		// Inside a caller's struct.
		wrapped, err := json.Marshal(struct{ Model Model }{m})
		require.NoError(t, err)
		assert.Contains(t, string(wrapped), `"log_cov"`)
	}
	fit, err := FitBGNBD(ctx, d, nil)
	require.NoError(t, err)
	b, err := json.Marshal(fit)
	require.NoError(t, err)
	var m BGNBD
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, fit.Params(), m.Params())
	assert.Equal(t, fit.Info.StdErrors, m.Info.StdErrors)
	var p ParetoNBD
	assert.ErrorIs(t, json.Unmarshal(b, &p), ErrBadParams)
}
