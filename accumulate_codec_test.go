package valuekit

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codecAccumulators returns accumulators of the shop log (referrals,
// refunds, scores, cost) and of the CDNOW sample under several options.
func codecAccumulators(t testing.TB) []*Accumulator {
	t.Helper()
	var out []*Accumulator
	for _, file := range []string{"testdata/shop_events.csv", "testdata/cdnow_sample.csv"} {
		f, err := os.Open(file)
		require.NoError(t, err)
		ev, err := ReadCSV(f, file, nil)
		f.Close()
		require.NoError(t, err)
		for _, o := range []*SummaryOptions{nil, {Unit: Week, CalibrationEnd: date("1997-09-30"), Margin: 0.25}, {End: date("2024-03-01")}} {
			a, err := NewAccumulator(o)
			require.NoError(t, err)
			require.NoError(t, a.Add(ev))
			out = append(out, a)
		}
	}
	return out
}

// An accumulator read back from its encoding summarises, merges and
// encodes exactly as the original.
func TestAccumulatorBinaryRoundTrip(t *testing.T) {
	for k, a := range codecAccumulators(t) {
		b, err := a.MarshalBinary()
		require.NoError(t, err)
		var back Accumulator
		require.NoError(t, back.UnmarshalBinary(b), "accumulator %d", k)
		want, err := a.Summary()
		require.NoError(t, err)
		got, err := back.Summary()
		require.NoError(t, err)
		assert.Equal(t, want, got, "accumulator %d", k)
		again, err := back.MarshalBinary()
		require.NoError(t, err)
		assert.Equal(t, b, again, "the encoding is canonical")

		// Merging decoded halves is merging the originals.
		x, err := NewAccumulator(&a.opts)
		require.NoError(t, err)
		require.NoError(t, x.Merge(&back))
		require.NoError(t, x.Merge(a))
		y, err := NewAccumulator(&a.opts)
		require.NoError(t, err)
		require.NoError(t, y.Merge(a))
		require.NoError(t, y.Merge(a))
		sx, err := x.Summary()
		require.NoError(t, err)
		sy, err := y.Summary()
		require.NoError(t, err)
		assert.Equal(t, sy, sx)
	}
	// An empty accumulator round-trips too.
	e, err := NewAccumulator(nil)
	require.NoError(t, err)
	b, err := e.MarshalBinary()
	require.NoError(t, err)
	var back Accumulator
	require.NoError(t, back.UnmarshalBinary(b))
	_, err = back.Summary()
	assert.ErrorIs(t, err, ErrEmpty)
}

// Every truncation and a byte flipped anywhere give an error or a valid
// accumulator, never a panic.
func TestAccumulatorBinaryCorrupt(t *testing.T) {
	a := codecAccumulators(t)[0]
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	step := 1
	if testing.Short() {
		// -short: every 23rd byte (a prime, so the cuts and flips fall at
		// shifting offsets of the fixed-width fields); the full run tries
		// every byte.
		step = 23
	}
	for n := 0; n < len(b); n += step {
		var x Accumulator
		require.NotPanics(t, func() { err = x.UnmarshalBinary(b[:n]) }, "truncated at %d", n)
		require.Error(t, err, "truncated at %d", n)
	}
	for i := 0; i < len(b); i += step {
		c := append([]byte(nil), b...)
		c[i] ^= 0x5a
		var x Accumulator
		require.NotPanics(t, func() {
			if x.UnmarshalBinary(c) == nil {
				x.Summary()
			}
		}, "byte %d", i)
	}
	var x Accumulator
	err = x.UnmarshalBinary([]byte("not an accumulator"))
	assert.ErrorContains(t, err, "not a valuekit accumulator")
	assert.True(t, strings.HasPrefix(string(b), accMagic))
}

func FuzzAccumulatorBinary(f *testing.F) {
	for _, a := range codecAccumulators(f)[:2] {
		b, err := a.MarshalBinary()
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Accumulator
		if x.UnmarshalBinary(data) != nil {
			return
		}
		if _, err := x.Summary(); err != nil {
			return
		}
		b, err := x.MarshalBinary()
		require.NoError(t, err)
		var y Accumulator
		require.NoError(t, y.UnmarshalBinary(b))
	})
}
