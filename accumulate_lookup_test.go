package valuekit

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CustomerSummary gives, for any customers in any order, exactly the rows
// Summary gives them, with and without a holdout period.
func TestCustomerSummary(t *testing.T) {
	f, err := os.Open("testdata/shop_events.csv")
	require.NoError(t, err)
	defer f.Close()
	ev, err := ReadCSV(f, "shop_events.csv", nil)
	require.NoError(t, err)
	for _, opts := range []*SummaryOptions{{Unit: Week}, {Unit: Day, CalibrationEnd: date("2024-03-01"), Margin: 0.3}} {
		acc, err := NewAccumulator(opts)
		require.NoError(t, err)
		require.NoError(t, acc.Add(ev))
		all, err := acc.Summary()
		require.NoError(t, err)
		pick := []int{all.Len() - 1, 0, all.Len() / 2, 0}
		ids := make([]string, len(pick))
		for k, i := range pick {
			ids[k] = all.CustomerID[i]
		}
		got, err := acc.CustomerSummary(ids...)
		require.NoError(t, err)
		assert.Equal(t, all.End, got.End)
		assert.Equal(t, all.CalibrationEnd, got.CalibrationEnd)
		at := func(c []float64, i int) float64 {
			if c == nil {
				return -1
			}
			return c[i]
		}
		for k, i := range pick {
			assert.Equal(t, all.CustomerID[i], got.CustomerID[k])
			for _, col := range [][2][]float64{{all.Frequency, got.Frequency}, {all.Recency, got.Recency}, {all.T, got.T},
				{all.MonetaryValue, got.MonetaryValue}, {all.NetRevenue, got.NetRevenue}, {all.Profit, got.Profit},
				{all.Experience, got.Experience}, {all.HoldoutFrequency, got.HoldoutFrequency}} {
				assert.Equal(t, at(col[0], i), at(col[1], k), "customer %s", ids[k])
			}
			assert.Equal(t, all.ReferredOf(i), got.ReferredOf(k))
		}
	}

	acc, err := NewAccumulator(nil)
	require.NoError(t, err)
	_, err = acc.CustomerSummary("x")
	assert.ErrorIs(t, err, ErrEmpty)
	require.NoError(t, acc.Add(ev))
	_, err = acc.CustomerSummary("no such customer")
	assert.ErrorIs(t, err, ErrUnknownCustomer)
	_, err = Summarize(context.Background(), ev, nil)
	require.NoError(t, err)
}

// SummaryAt gives the summary of an accumulator whose End was that day.
func TestSummaryAt(t *testing.T) {
	f, err := os.Open("testdata/shop_events.csv")
	require.NoError(t, err)
	defer f.Close()
	ev, err := ReadCSV(f, "shop_events.csv", nil)
	require.NoError(t, err)
	open, err := NewAccumulator(&SummaryOptions{Unit: Week})
	require.NoError(t, err)
	require.NoError(t, open.Add(ev))
	last, err := open.Summary()
	require.NoError(t, err)
	end := last.End.AddDate(0, 1, 0)
	fixed, err := NewAccumulator(&SummaryOptions{Unit: Week, End: end})
	require.NoError(t, err)
	require.NoError(t, fixed.Add(ev))
	want, err := fixed.Summary()
	require.NoError(t, err)
	got, err := open.SummaryAt(end)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	again, err := open.Summary()
	require.NoError(t, err)
	assert.Equal(t, last, again, "the accumulator keeps its own end")

	_, err = open.SummaryAt(last.End.AddDate(0, 0, -1))
	assert.ErrorIs(t, err, ErrOption)
	_, err = fixed.SummaryAt(end.AddDate(0, 0, 1))
	assert.ErrorIs(t, err, ErrOption)
	same, err := fixed.SummaryAt(end)
	require.NoError(t, err)
	assert.Equal(t, want, same)
}
