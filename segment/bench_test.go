package segment

import (
	"math"
	"math/rand/v2"
	"testing"
)

func benchColumns(n int) (profit []float64, exp Column) {
	rng := rand.New(rand.NewPCG(42, 2))
	profit = make([]float64, n)
	exp = Column{Values: make([]float64, n), Known: make([]bool, n)}
	for i := range n {
		profit[i] = math.Round(100*math.Exp(3+rng.NormFloat64())) / 100
		if rng.IntN(3) > 0 {
			exp.Known[i] = true
			exp.Values[i] = float64(rng.IntN(11))
		}
	}
	return profit, exp
}

// BenchmarkClassifyQuadrant10M: go test ./segment -run '^$' -bench Quadrant10M -benchmem -benchtime 3x -cpu 1
func BenchmarkClassifyQuadrant10M(b *testing.B) {
	profit, exp := benchColumns(10_000_000)
	g := ProfitExperience()
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Classify(Col(profit), exp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTiers10M(b *testing.B) {
	profit, _ := benchColumns(10_000_000)
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Tiers(profit, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeeds10M(b *testing.B) {
	profit, exp := benchColumns(10_000_000)
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Seeds(profit, exp.Values, 10_000); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPortfolio10M(b *testing.B) {
	profit, exp := benchColumns(10_000_000)
	c, err := ProfitExperience().Classify(Col(profit), exp)
	if err != nil {
		b.Fatal(err)
	}
	p := make([]float64, len(profit))
	for i := range p {
		p[i] = float64(i%100) / 100
	}
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPortfolio(c.Assignment, profit, &PortfolioOptions{PAlive: p, Budget: 1e6, Allocation: ByValueAtRisk}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOrderStatistics10M(b *testing.B) {
	profit, _ := benchColumns(10_000_000)
	ranks := []int{2_000_000, 4_000_000, 6_000_000, 8_000_000}
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OrderStatistics(profit, ranks); err != nil {
			b.Fatal(err)
		}
	}
}
