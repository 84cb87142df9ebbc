package clv

import (
	"context"
	"math/rand/v2"
	"testing"
)

func BenchmarkFitBGBBDonations(b *testing.B) {
	d := readDonations(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitBGBB(context.Background(), d, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitBGBB1M fits 1,000,000 simulated donors (6 opportunities),
// one row each; collapsing them to the 22 distinct histories is part of
// the measured time.
func BenchmarkFitBGBB1M(b *testing.B) {
	d, err := SimulateBGBB(donationsMLE, constSlice(1_000_000, 6), rand.NewPCG(1, 2))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitBGBB(context.Background(), d, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBGBBPredict(b *testing.B) {
	m := donationsMLE
	c := Customer{Frequency: 3, Recency: 5, T: 6}
	b.Run("ProbAlive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = m.ProbAlive(c)
		}
	})
	b.Run("ConditionalExpectedPurchases", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = m.ConditionalExpectedPurchases(5, c)
		}
	})
}

func BenchmarkFitSBG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitSBG(context.Background(), aliveRegular, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitBGBBWeekly fits 200,000 simulated customers observed for
// 1 to 104 weekly opportunities (cohorts joining over two years): about
// 40,000 distinct histories, each with up to 104 likelihood terms.
func BenchmarkFitBGBBWeekly(b *testing.B) {
	n := make([]float64, 200_000)
	for i := range n {
		n[i] = float64(1 + i%104)
	}
	d, err := SimulateBGBB(&BGBB{Alpha: 0.6, Beta: 3, Gamma: 0.4, Delta: 12}, n, rand.NewPCG(1, 2))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m, err := FitBGBB(context.Background(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.Info.Tuples), "tuples")
	}
}
