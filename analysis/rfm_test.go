package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/rfm"
)

// RFM scores the customers with a purchase: d (a share only) is left out;
// recency is whole days from the last purchase day to the last day
// observed (2024-05-01); monetary is revenue, or net revenue with Net.
func TestRFMShop(t *testing.T) {
	s := shopSummary(t)
	r, err := RFM(s, RFMOptions{Bins: 3})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, r.CustomerID)
	assert.Equal(t, 1, r.LeftOut)
	assert.Equal(t, []float64{57, 112, 0}, r.Data.DaysSinceLastPurchase)
	assert.Equal(t, []float64{3, 1, 2}, r.Data.Purchases)
	assert.Equal(t, []float64{60, 50, 40}, r.Data.Monetary)
	assert.Equal(t, 3, r.Scores.Bins)
	assert.Equal(t, 5, r.Named.Bins, "segments are named on quintile scores")
	tb := r.Table()
	require.NoError(t, tb.Check())
	assert.Equal(t, []string{"customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"}, tb.Names())
	assert.Equal(t, []int32{57, 112, 0}, tb.Columns[1].Int)
	st, err := r.Stats()
	require.NoError(t, err)
	total := 0
	for _, x := range st {
		total += x.Customers
	}
	assert.Equal(t, 3, total)

	net, err := RFM(s, RFMOptions{Net: true})
	require.NoError(t, err)
	assert.Equal(t, []float64{60, 40, 40}, net.Data.Monetary)
}

func TestRFMRefuses(t *testing.T) {
	s := shopSummary(t)
	for _, bins := range []int{1, rfm.MaxBins + 1} {
		_, err := RFM(s, RFMOptions{Bins: bins})
		assert.ErrorIs(t, err, event.ErrOption, "bins %d", bins)
	}
	noDates := *s
	noDates.LastPurchase = nil
	_, err := RFM(&noDates, RFMOptions{})
	assert.ErrorIs(t, err, event.ErrOption)
	none := *s
	none.Purchases = make([]int32, s.Len())
	_, err = RFM(&none, RFMOptions{})
	assert.ErrorIs(t, err, rfm.ErrEmpty)
}
