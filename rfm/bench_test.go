package rfm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/valuekit/valuekit/segment"
)

// benchData returns n synthetic customers with a deterministic seed: recency
// in whole days (many ties), purchase counts (heavy ties at 1), lognormal
// spend; and a profit and a partly missing experience column.
func benchData(n int) (Data, []float64, segment.Column) {
	rng := rand.New(rand.NewPCG(42, 1))
	d := Data{DaysSinceLastPurchase: make([]float64, n), Purchases: make([]float64, n), Monetary: make([]float64, n)}
	profit := make([]float64, n)
	exp := segment.Column{Values: make([]float64, n), Known: make([]bool, n)}
	for i := range n {
		d.DaysSinceLastPurchase[i] = float64(rng.IntN(540))
		d.Purchases[i] = float64(1 + int(rng.ExpFloat64()*1.5))
		d.Monetary[i] = math.Round(100*d.Purchases[i]*math.Exp(3+rng.NormFloat64())) / 100
		profit[i] = 0.3*d.Monetary[i] - 5
		if rng.IntN(3) > 0 {
			exp.Known[i] = true
			exp.Values[i] = float64(rng.IntN(11))
		}
	}
	return d, profit, exp
}

func benchScoreAndClassify(b *testing.B, n int) {
	d, profit, exp := benchData(n)
	tab := DefaultTable()
	grid := segment.ProfitExperience()
	b.ResetTimer()
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		s, err := Score(d, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tab.Assign(s); err != nil {
			b.Fatal(err)
		}
		if _, err := grid.Classify(segment.Col(profit), exp); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/customer")
	// CPU time used by the process per operation: on a machine shared with
	// other work, a truer figure of the cost than the wall time (ns/op).
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkScoreAndClassify10M is the target: RFM scores, RFM
// segments and the profit × experience quadrant of 10M customers on one
// core in under 2 s. Run with
//
//	go test ./rfm -run '^$' -bench ScoreAndClassify10M -benchmem -benchtime 3x -cpu 1
func BenchmarkScoreAndClassify10M(b *testing.B) { benchScoreAndClassify(b, 10_000_000) }

func BenchmarkScoreAndClassify1M(b *testing.B) { benchScoreAndClassify(b, 1_000_000) }

func BenchmarkScore10M(b *testing.B) {
	d, _, _ := benchData(10_000_000)
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(d, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAssign10M(b *testing.B) {
	d, _, _ := benchData(10_000_000)
	s, err := Score(d, nil)
	if err != nil {
		b.Fatal(err)
	}
	tab := DefaultTable()
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tab.Assign(s); err != nil {
			b.Fatal(err)
		}
	}
}
