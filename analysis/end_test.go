package analysis

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/customers"
)

// One future-dated row moved the observation end — and so every customer's
// T — by 18 years without a word (issue 15). The end used is now named in
// a warning when it is after today or far beyond the rest of the data.
func TestEndWarnings(t *testing.T) {
	const base = `customer_id,time,kind,amount,score
a,2011-01-03,purchase,10,
a,2011-06-01,purchase,20,
b,2011-02-01,purchase,5,
b,2011-11-30,purchase,7,
c,2011-03-15,purchase,8,
`
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		extra string
		want  []string
	}{
		{"clean data", "", nil},
		{"a month later is fine", "c,2011-12-30,purchase,4,\n", nil},
		{"a 2030 row", "c,2030-01-05,purchase,4,\n", []string{
			"after today (2026-01-01): the observation end used is 2030-01-05",
			"the observation end used is 2030-01-05, the day of the last event, 6611 days after nearly every customer's last purchase (by 2011-11-30): purchases of customer c lie far beyond the rest"}},
		{"far but not future", "c,2024-05-01,purchase,4,\n", []string{"the observation end used is 2024-05-01"}},
		{"a future feedback score", "c,2026-06-01,feedback,,9\n", []string{
			"the last event is on 2026-06-01, after today",
			"an event that is not a purchase lies far beyond the rest"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := valuekit.ReadCSV(strings.NewReader(base+tt.extra), "e.csv", nil)
			require.NoError(t, err)
			s, err := valuekit.Summarize(context.Background(), ev, nil)
			require.NoError(t, err)
			got := EndWarnings(s, now)
			require.Len(t, got, len(tt.want), "%q", got)
			for i, w := range tt.want {
				assert.Contains(t, got[i], w)
				assert.Contains(t, got[i], "give --end")
			}
		})
	}
}

// TestRankedLast holds the day-count selection to a full sort, with times
// of day, dates before 1970, customers without a purchase and ties.
func TestRankedLast(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{2, 3, 17, 1000} {
		for _, spread := range []int64{1, 30, 40000} {
			s := &customers.Summary{Purchases: make([]int32, n), LastPurchase: make([]int64, n)}
			var want []int64
			for i := range n {
				if i > 1 && rng.IntN(5) == 0 {
					continue // no purchase
				}
				s.Purchases[i] = 1
				s.LastPurchase[i] = (rng.Int64N(spread)-spread/2)*86_400_000_000 + rng.Int64N(86_400_000_000)
				want = append(want, s.LastPurchase[i])
			}
			slices.Sort(want)
			for _, k := range []int{0, len(want) / 2, len(want) - 1} {
				assert.Equal(t, want[k], rankedLast(s, len(want), k), "n=%d spread=%d k=%d", n, spread, k)
			}
		}
	}
}
