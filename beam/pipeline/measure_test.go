package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
)

// TestMeasureShuffle reports what crosses each shuffle, per customer, for
// the event file named by VALUEKIT_MEASURE (weekly units, 64 shards):
// the encoded shard accumulators, the referral pairs and credits, the
// scored columns, and the fit's histogram. docs/distributed.md quotes it:
//
//	VALUEKIT_MEASURE=/tmp/g10m.csv go test ./pipeline -run TestMeasureShuffle -v
func TestMeasureShuffle(t *testing.T) {
	path := os.Getenv("VALUEKIT_MEASURE")
	if path == "" {
		t.Skip("set VALUEKIT_MEASURE to an event file")
	}
	ctx := context.Background()
	o := Options{Input: path, Output: "unused", Unit: "week", ReferralShare: 1}
	require.NoError(t, o.check())
	ro, err := o.readOptions()
	require.NoError(t, err)
	ev, err := valuekit.ReadFile(path, ro)
	require.NoError(t, err)

	accs := make([]*valuekit.Accumulator, o.Shards)
	for k := range accs {
		accs[k], err = valuekit.NewAccumulator(o.summaryOptions())
		require.NoError(t, err)
	}
	start := time.Now()
	r := &router{accs: accs}
	require.NoError(t, r.add(ev))
	routed := time.Since(start)

	var accBytes, customers int
	var h Histogram
	var pairs []Pair
	var pairBatches []Pairs
	summaries := make([]*valuekit.Summary, len(accs))
	end := time.UnixMicro(r.latest).UTC()
	for k, a := range accs {
		b, err := a.MarshalBinary()
		require.NoError(t, err)
		accBytes += len(b)
		summaries[k], err = a.SummaryAt(end)
		require.NoError(t, err)
		customers += summaries[k].Len()
		hk, err := histogramOf(summaries[k])
		require.NoError(t, err)
		h = mergeHistogramsFn{}.MergeAccumulators(h, hk)
		pb := newBatches[Pair](len(accs))
		pairsOf(summaries[k], func(p Pair) {
			pairs = append(pairs, p)
			pb.add(shardOf(p.Referred, len(accs)), p)
		})
		pb.emit(func(_ int, list []Pair) { pairBatches = append(pairBatches, Pairs{List: list}) })
	}
	models, err := fit(ctx, o.Model, h)
	require.NoError(t, err)
	mj, err := json.Marshal(models)
	require.NoError(t, err)
	_, tm, gg, err := loadModels(string(mj))
	require.NoError(t, err)

	// Pairs by the referred customer's shard, then scoring and credits.
	byShard := make([][]Pair, len(accs))
	for _, p := range pairs {
		k := shardOf(p.Referred, len(accs))
		byShard[k] = append(byShard[k], p)
	}
	var scoredBytes, creditBytes, pairBytes, nCredits int
	creditEnc, pairEnc, scoredEnc := beam.NewElementEncoder(reflect.TypeOf(Credits{})), beam.NewElementEncoder(reflect.TypeOf(Pairs{})), beam.NewElementEncoder(reflect.TypeOf(Scored{}))
	var buf bytes.Buffer
	for _, b := range pairBatches {
		buf.Reset()
		require.NoError(t, pairEnc.Encode(b, &buf))
		pairBytes += buf.Len()
	}
	for k, s := range summaries {
		p, err := predict(ctx, s, o, tm, gg)
		require.NoError(t, err)
		list := byShard[k]
		cb := newBatches[Credit](len(accs))
		credits(s.CustomerID, p.CLV, iter(list), o.ReferralShare, func(c Credit) {
			cb.add(shardOf(c.Referrer, len(accs)), c)
			nCredits++
		})
		cb.emit(func(_ int, list []Credit) {
			buf.Reset()
			require.NoError(t, creditEnc.Encode(Credits{List: list}, &buf))
			creditBytes += buf.Len()
		})
		buf.Reset()
		require.NoError(t, scoredEnc.Encode(Scored{CustomerID: p.CustomerID, Scored: p.Scored, ExpectedPurchases: p.ExpectedPurchases,
			PAlive: p.PAlive, CLV: p.CLV, Spend: p.Spend, Shares: s.Shares}, &buf))
		scoredBytes += buf.Len()
	}
	buf.Reset()
	require.NoError(t, beam.NewElementEncoder(reflect.TypeOf(Histogram{})).Encode(h, &buf))

	perCustomer := func(n int) float64 { return float64(n) / float64(customers) }
	t.Logf("%d events, %d customers, %d shards; routing and accumulating %v (%.0f ns/event)", ev.Len(), customers, len(accs), routed, float64(routed.Nanoseconds())/float64(ev.Len()))
	t.Logf("shard accumulators: %d bytes, %.1f per customer", accBytes, perCustomer(accBytes))
	t.Logf("referral pairs: %d in %d batches, %d bytes (%.1f per customer, %.1f per pair); credits: %d, %d bytes (%.1f per customer)",
		len(pairs), len(pairBatches), pairBytes, perCustomer(pairBytes), float64(pairBytes)/float64(len(pairs)), nCredits, creditBytes, perCustomer(creditBytes))
	t.Logf("scored columns: %d bytes, %.1f per customer", scoredBytes, perCustomer(scoredBytes))
	t.Logf("fit histogram: %d distinct (x, t_x, T), %d distinct (x, m), %d bytes encoded", len(h.Histories), len(h.Spend), buf.Len())
}

// iter returns a Beam-style iterator over list.
func iter[T any](list []T) func(*T) bool {
	return func(v *T) bool {
		if len(list) == 0 {
			return false
		}
		*v, list = list[0], list[1:]
		return true
	}
}
