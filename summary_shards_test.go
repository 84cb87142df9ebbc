package valuekit

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSummaryOfShards checks that the summary of accumulators with disjoint
// customers, built without merging them, is the summary of the merged
// accumulator — including columns only some shards have events for (cost,
// quantity, scores, referrals: a shard without costs must still give
// profit = net revenue − 0, not the margin's profit) and customers known
// to a shard only as referred (left out there, a row where they have
// events).
func TestSummaryOfShards(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	day := func(d int) time.Time { return date("2024-01-01").AddDate(0, 0, d) }
	type trial struct {
		opts      *SummaryOptions
		customers int
	}
	trials := []trial{
		{&SummaryOptions{Unit: Week, Margin: 0.3}, 300},
		{&SummaryOptions{Unit: Day, CalibrationEnd: day(200), End: day(300)}, 300},
		{&SummaryOptions{Unit: Week, ModelColumns: true}, 300},
		{&SummaryOptions{Unit: Week, Workers: 2}, 300},
	}
	if !testing.Short() {
		// Enough customers for the rows to be filled, and the ids
		// classified for sorting, on several goroutines.
		trials = append(trials, trial{&SummaryOptions{Unit: Week, Workers: 3, Margin: 0.2}, 140_000})
	}
	for _, tr := range trials {
		opts := tr.opts
		const shards = 3
		var rows [shards][]Event
		for c := range tr.customers {
			k := c % shards
			id := fmt.Sprint(c * 7)
			if c%5 == 0 {
				id = fmt.Sprintf("c-%03d", c)
			}
			for range 1 + rng.IntN(6) {
				e := Event{CustomerID: id, Time: day(rng.IntN(320)), Kind: Purchase, Amount: float64(1 + rng.IntN(900)/10)}
				switch {
				case k == 0 && rng.IntN(3) == 0:
					e.Cost = e.Amount / 3
				case k == 1 && rng.IntN(3) == 0:
					e.Quantity = float64(1 + rng.IntN(4))
				}
				rows[k] = append(rows[k], e)
			}
			if k == 2 && c%4 == 0 {
				// Refers a customer of another shard (a row there) or a
				// customer with no events at all (no row anywhere).
				ref := fmt.Sprint((c + 1) * 7)
				if c%8 == 0 {
					ref = "nobody-" + id
				}
				rows[k] = append(rows[k], Event{CustomerID: id, Time: day(rng.IntN(300)), Kind: Referral, ReferredID: ref})
			}
			if k == 1 && c%2 == 0 {
				s := float64(rng.IntN(10))
				rows[k] = append(rows[k], Event{CustomerID: id, Time: day(rng.IntN(300)), Kind: Feedback, Score: &s})
			}
		}
		accs := make([]*Accumulator, shards)
		merged, err := NewAccumulator(opts)
		require.NoError(t, err)
		for k := range accs {
			ev, err := NewEvents(rows[k])
			require.NoError(t, err)
			accs[k], err = NewAccumulator(opts)
			require.NoError(t, err)
			require.NoError(t, accs[k].Add(ev))
			require.NoError(t, merged.Add(ev))
		}
		want, err := merged.Summary()
		require.NoError(t, err)
		got, err := summaryOfShards(accs)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%+v", opts)
		if !opts.ModelColumns && opts.Margin > 0 {
			require.NotNil(t, got.Cost)
			require.NotNil(t, got.Quantity)
			require.NotNil(t, got.Referred)
			require.NotNil(t, got.Experience)
		}
	}
}
