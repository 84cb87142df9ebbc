package segment

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllocationText(t *testing.T) {
	for _, a := range []Allocation{ByValue, ByValueAtRisk, Equal} {
		b, err := a.MarshalText()
		require.NoError(t, err)
		var back Allocation
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, a, back)
	}
	_, err := Allocation(7).MarshalText()
	assert.ErrorIs(t, err, ErrOption)
	var a Allocation
	assert.ErrorIs(t, a.UnmarshalText([]byte("random")), ErrOption)
}
