package valuekit

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSummaryTotals: for random event logs with bad rows mixed in, nothing
// is lost — rows read = events summarised + events after the end + rows
// reported bad — and the money in the summary adds up to the money in the
// events, exactly.
func TestSummaryTotals(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kinds := []string{"purchase", "refund", "referral", "share", "feedback", "Purchase", "bogus"}
	for trial := range 30 {
		var b bytes.Buffer
		b.WriteString("customer_id,time,kind,amount,referred_id,score\n")
		n := 1 + rng.IntN(400)
		wantBad := 0
		var purchases, refunds int64 // micro-units
		for range n {
			c := rng.IntN(30)
			day := 1 + rng.IntN(28)
			kind := kinds[rng.IntN(len(kinds))]
			amount := float64(rng.IntN(100000)-10000) / 100
			score := ""
			if kind == "feedback" {
				score = fmt.Sprint(rng.IntN(11))
			}
			ref := ""
			if kind == "referral" {
				ref = fmt.Sprint("c", rng.IntN(40))
			}
			amt := fmt.Sprint(amount)
			if rng.IntN(25) == 0 {
				amt = "12,5x" // a bad row
			}
			fmt.Fprintf(&b, "c%d,2024-%02d-%02d,%s,%s,%s,%s\n", c, 1+rng.IntN(3), day, kind, fmt.Sprintf("%q", amt), ref, score)
			switch {
			case amt == "12,5x" || kind == "bogus":
				wantBad++
			case kind == "purchase" || kind == "Purchase":
				if amount < 0 {
					refunds += toMicro(-amount)
				} else {
					purchases += toMicro(amount)
				}
			case kind == "refund":
				refunds += toMicro(math.Abs(amount))
			}
		}
		end := date("2024-03-15")
		ev, err := ReadCSV(&b, "p.csv", &ReadOptions{SkipBadRows: true})
		require.NoError(t, err)
		require.Equal(t, n, ev.Rows)
		require.Equal(t, wantBad, ev.BadRowCount)
		require.Equal(t, n, ev.Len()+ev.BadRowCount)
		if ev.Len() == 0 {
			continue
		}
		s, err := Summarize(context.Background(), ev, &SummaryOptions{End: end, CalibrationEnd: date("2024-02-10")})
		require.NoError(t, err)
		require.Equal(t, ev.Len(), s.Events+s.AfterEnd, "trial %d", trial)
		// money up to the end, recomputed from the events
		var inP, inR, sumP, sumR int64
		for i := range ev.Len() {
			if dayOf(ev.Times()[i]) > dayOf(end.UnixMicro()) {
				continue
			}
			switch ev.Kinds()[i] {
			case Purchase:
				inP += toMicro(ev.Amounts()[i])
			case Refund:
				inR += toMicro(ev.Amounts()[i])
			}
		}
		calEnd := dayOf(date("2024-02-10").UnixMicro())
		var inCalR int64
		for i := range ev.Len() {
			if ev.Kinds()[i] == Refund && dayOf(ev.Times()[i]) <= calEnd {
				inCalR += toMicro(ev.Amounts()[i])
			}
		}
		for i := range s.Len() {
			sumP += toMicro(s.Revenue[i]) + toMicro(s.HoldoutRevenue[i])
			sumR += toMicro(s.Refunds[i])
			assert.Equal(t, toMicro(s.Revenue[i])-toMicro(s.Refunds[i]), toMicro(s.NetRevenue[i]))
			assert.GreaterOrEqual(t, s.T[i], s.Recency[i])
		}
		assert.Equal(t, inP, sumP, "trial %d: purchases", trial)
		assert.Equal(t, inCalR, sumR, "trial %d: calibration refunds", trial)
		assert.LessOrEqual(t, inP, purchases)
		assert.LessOrEqual(t, inR, refunds)
	}
}
