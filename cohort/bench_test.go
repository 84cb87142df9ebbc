package cohort

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/valuekit/valuekit/event"
)

// syntheticEvents returns n events of the given number of customers over
// three years (2021-2023): each customer has an acquisition day and buys at
// random times after it; about 5% of the events are refunds and 2% feedback.
// The data are deterministic (seeded).
func syntheticEvents(n, customers int) Events {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	span := int64(3 * 365 * microsPerDay)
	acq := make([]int64, customers)
	for c := range acq {
		acq[c] = start + rng.Int64N(span)
	}
	ev := Events{
		Customer: make([]int32, n),
		Time:     make([]int64, n),
		Kind:     make([]event.Kind, n),
		Amount:   make([]float64, n),
	}
	for i := 0; i < n; i++ {
		c := rng.IntN(customers)
		ev.Customer[i] = int32(c)
		ev.Time[i] = acq[c] + rng.Int64N(start+span-acq[c]+1)
		switch r := rng.IntN(100); {
		case r < 5:
			ev.Kind[i] = event.Refund
		case r < 7:
			ev.Kind[i] = event.Feedback
		default:
			ev.Kind[i] = event.Purchase
		}
		ev.Amount[i] = float64(rng.IntN(20000)) / 100
	}
	return ev
}

// BenchmarkBuildMonthly10M builds a monthly cohort table (36 cohorts) from
// 10 million events of 1 million customers. Target: under 1 s on one core:
//
//	go test -run '^$' -bench BuildMonthly10M -benchmem -cpu 1 -benchtime 5x ./cohort
func BenchmarkBuildMonthly10M(b *testing.B) {
	ev := syntheticEvents(10_000_000, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(ev, &Options{Period: Month}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildWeekly10M is the same data in weekly cohorts (157 weeks,
// beyond the one-word fast path, so the multi-word bit sets are used).
func BenchmarkBuildWeekly10M(b *testing.B) {
	ev := syntheticEvents(10_000_000, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(ev, &Options{Period: Week}); err != nil {
			b.Fatal(err)
		}
	}
}
