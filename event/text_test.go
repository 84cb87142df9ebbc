package event

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTextRoundTrip(t *testing.T) {
	type doc struct {
		Kinds []Kind `json:"kinds"`
		Unit  Unit   `json:"unit"`
	}
	in := doc{Kinds: []Kind{Purchase, Refund, Referral, Share, Feedback}, Unit: Month}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"kinds":["purchase","refund","referral","share","feedback"],"unit":"month"}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	for _, u := range []Unit{Day, Week, Month, Year} {
		b, err := u.MarshalText()
		require.NoError(t, err)
		var back Unit
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, u, back)
	}
}

func TestTextErrors(t *testing.T) {
	_, err := Kind(NumKinds).MarshalText()
	assert.ErrorIs(t, err, ErrOption)
	_, err = Unit(9).MarshalText()
	assert.ErrorIs(t, err, ErrOption)
	var k Kind
	assert.ErrorIs(t, k.UnmarshalText([]byte("gift")), ErrOption)
	var u Unit
	assert.ErrorIs(t, u.UnmarshalText([]byte("fortnight")), ErrOption)
	var d struct{ K Kind }
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"K":"nope"}`), &d), ErrOption)
}
