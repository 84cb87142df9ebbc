package cohort

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeriodMetricText(t *testing.T) {
	for p := Day; p <= Year; p++ {
		b, err := p.MarshalText()
		require.NoError(t, err)
		var back Period
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, p, back)
	}
	for m := Retention; m <= CumulativeNetRevenue; m++ {
		b, err := m.MarshalText()
		require.NoError(t, err)
		var back Metric
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, m, back)
	}
	_, err := Period(0).MarshalText()
	assert.ErrorIs(t, err, ErrBadOption)
	_, err = Metric(99).MarshalText()
	assert.ErrorIs(t, err, ErrBadOption)
	var p Period
	assert.ErrorIs(t, p.UnmarshalText([]byte("decade")), ErrBadOption)
	var m Metric
	assert.ErrorIs(t, m.UnmarshalText([]byte("profit")), ErrBadOption)
}
