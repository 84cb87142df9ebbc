package clv

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	d := cdnowSummary(t)
	ctx := context.Background()
	var fitted []Model
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD, NameGammaGamma} {
		m, err := Fit(ctx, name, d, nil)
		require.NoError(t, err, name)
		fitted = append(fitted, m)
	}
	bgbb, err := NewBGBB(1.204, 0.750, 0.657, 2.783)
	require.NoError(t, err)
	sbg, err := NewSBG(0.704, 1.182)
	require.NoError(t, err)
	fitted = append(fitted, bgbb, sbg)
	for _, m := range fitted {
		var buf bytes.Buffer
		require.NoError(t, SaveModel(&buf, m))
		got, err := LoadModel(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err, buf.String())
		assert.Equal(t, m.Name(), got.Name())
		assert.Equal(t, m.Params(), got.Params())
		if m.FitInfo() == nil {
			assert.Nil(t, got.FitInfo())
			continue
		}
		wi, gi := m.FitInfo(), got.FitInfo()
		require.NotNil(t, gi)
		assert.Equal(t, wi.LogLikelihood, gi.LogLikelihood)
		assert.Equal(t, wi.Customers, gi.Customers)
		assert.Equal(t, wi.StdErrors, gi.StdErrors)
		assert.Equal(t, wi.Lower95, gi.Lower95)
		assert.Equal(t, wi.AIC, gi.AIC)
		assert.True(t, gi.Converged)
		require.NotNil(t, gi.LogCov)
		assert.Equal(t, wi.LogCov.RawSymmetric(), gi.LogCov.RawSymmetric())
		// The saved file is stable: saving the loaded model gives the same bytes.
		var again bytes.Buffer
		require.NoError(t, SaveModel(&again, got))
		assert.Equal(t, buf.String(), again.String())
	}
}

func TestLoadParamsOnly(t *testing.T) {
	// Estimates copied from FHL (2005), as a user would type them.
	m, err := LoadModel(strings.NewReader(`{"model":"bgnbd","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}}`))
	require.NoError(t, err)
	bg, ok := m.(*BGNBD)
	require.True(t, ok)
	assert.Equal(t, BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}, *bg)
	assert.Nil(t, m.FitInfo())
	assert.InDelta(t, 0.727, bg.ProbAlive(Customer{2, 30.43, 38.86}), 0.0005)

	gg, err := LoadModel(strings.NewReader(`{"model":"gg","params":{"p":6.25,"q":3.74,"v":15.44}}`))
	require.NoError(t, err)
	assert.True(t, math.IsNaN(gg.(*GammaGamma).FreqSpendCorr))

	for name, tc := range map[string]struct {
		in   string
		want error
	}{
		"unknown model":  {`{"model":"nbd","params":{"r":1}}`, ErrUnknownModel},
		"no model":       {`{"params":{"r":1}}`, ErrUnknownModel},
		"missing param":  {`{"model":"pnbd","params":{"r":1,"alpha":2,"s":1}}`, ErrBadParams},
		"wrong param":    {`{"model":"pnbd","params":{"r":1,"alpha":2,"s":1,"b":3}}`, ErrBadParams},
		"negative":       {`{"model":"sbg","params":{"alpha":-1,"beta":2}}`, ErrBadParams},
		"unknown field":  {`{"model":"sbg","params":{"alpha":1,"beta":2},"paramz":{}}`, ErrBadParams},
		"not json":       {`model: sbg`, ErrBadParams},
		"bad std_errors": {`{"model":"sbg","params":{"alpha":1,"beta":2},"std_errors":{"alpha":0.1}}`, ErrBadParams},
		"bad log_cov":    {`{"model":"sbg","params":{"alpha":1,"beta":2},"log_cov":[[1]]}`, ErrBadParams},
	} {
		_, err := LoadModel(strings.NewReader(tc.in))
		assert.ErrorIs(t, err, tc.want, name)
	}
}

func TestFitByName(t *testing.T) {
	_, err := Fit(context.Background(), "nope", Data{}, nil)
	assert.ErrorIs(t, err, ErrUnknownModel)
	_, err = Fit(context.Background(), NameSBG, Data{}, nil)
	assert.ErrorIs(t, err, ErrBadData)
	m, err := NewModel(NameParetoNBD, []float64{0.553, 10.578, 0.606, 11.669})
	require.NoError(t, err)
	assert.Equal(t, NameParetoNBD, m.Name())
	_, err = NewModel(NameParetoNBD, []float64{1})
	assert.ErrorIs(t, err, ErrBadParams)
	assert.Len(t, ModelNames(), 6)
}
