package valuekit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDictionary checks codes against a Go map for short ids (kept in the
// slots), long ids (compared through the id table), empty-looking and
// prefix-sharing ids, across many growths, and for a clone.
func TestDictionary(t *testing.T) {
	t.Parallel()
	d := NewDictionary()
	want := map[string]int32{}
	for i := range 200_000 {
		var id string
		switch i % 4 {
		case 0:
			id = fmt.Sprint(i) // short
		case 1:
			id = fmt.Sprintf("customer-%09d", i) // long
		case 2:
			id = strings.Repeat("x", i%9) + fmt.Sprint(i%7) // short, prefixes shared, repeats
		default:
			id = fmt.Sprintf("%08d", i) // exactly 8 bytes
		}
		c, err := d.intern([]byte(id))
		require.NoError(t, err)
		if w, ok := want[id]; ok {
			require.Equal(t, w, c, id)
		} else {
			require.Equal(t, int32(len(want)), c, id)
			want[id] = c
		}
	}
	require.Equal(t, len(want), d.Len())
	for id, c := range want {
		got, ok := d.Code(id)
		require.True(t, ok, id)
		require.Equal(t, c, got)
		require.Equal(t, id, d.ID(c))
	}
	for _, absent := range []string{"", "customer-", "x", "00000000x", "1234567890123"} {
		_, ok := d.Code(absent)
		_, present := want[absent]
		assert.Equal(t, present, ok, absent)
	}
	c := d.clone(1000, 1000)
	assert.Equal(t, 1000, c.Len())
	for _, id := range d.ids[:1000] {
		code, ok := c.Code(id)
		require.True(t, ok)
		assert.Equal(t, want[id], code)
	}
	_, ok := c.Code(d.ids[1000])
	assert.False(t, ok)
}
