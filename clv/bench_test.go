package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// benchCustomers simulates n customers in integer days from a model with
// the CDNOW estimates rescaled to days: a cohort acquired over 90 days and
// observed until a common date, so T ∈ [273, 362] days; t_x is floored to
// whole days, as a daily summary would record it.
func benchCustomers(b *testing.B, n int, pareto bool) Data {
	b.Helper()
	T := make([]float64, n)
	for i := range T {
		T[i] = float64(273 + i%90)
	}
	var d Data
	var err error
	src := rand.NewPCG(20260101, 1)
	if pareto {
		d, err = SimulateParetoNBD(&ParetoNBD{R: 0.553, Alpha: 10.578 * 7, S: 0.606, Beta: 11.669 * 7}, T, src)
	} else {
		d, err = SimulateBGNBD(&BGNBD{R: 0.243, Alpha: 4.414 * 7, A: 0.793, B: 2.426}, T, src)
	}
	if err != nil {
		b.Fatal(err)
	}
	for i := range d.Recency {
		d.Recency[i] = math.Floor(d.Recency[i])
	}
	return d
}

func BenchmarkFitBGNBD1M(b *testing.B) {
	d := benchCustomers(b, 1_000_000, false)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := FitBGNBD(context.Background(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.Info.Tuples), "tuples")
		b.ReportMetric(float64(m.Info.Evaluations), "evals")
	}
}

func BenchmarkFitParetoNBD1M(b *testing.B) {
	d := benchCustomers(b, 1_000_000, true)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := FitParetoNBD(context.Background(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.Info.Tuples), "tuples")
		b.ReportMetric(float64(m.Info.Evaluations), "evals")
	}
}

func BenchmarkFitGammaGamma1M(b *testing.B) {
	freq := make([]float64, 1_000_000)
	for i := range freq {
		freq[i] = float64(1 + i%15)
	}
	mon, err := SimulateGammaGamma(&GammaGamma{P: 6.25, Q: 3.74, V: 15.44}, freq, rand.NewPCG(7, 7))
	if err != nil {
		b.Fatal(err)
	}
	for i := range mon {
		mon[i] = math.Round(mon[i]*100) / 100 // amounts in cents
	}
	d := Data{Frequency: freq, Monetary: mon}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := FitGammaGamma(context.Background(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.Info.Tuples), "tuples")
		b.ReportMetric(float64(m.Info.Evaluations), "evals")
	}
}

// benchPredict measures one customer's prediction, cycling through the
// CDNOW customers.
func benchPredict(b *testing.B, f func(c Customer) float64) {
	d := cdnowSummary(b)
	cs := make([]Customer, d.Len())
	for i := range cs {
		cs[i] = d.Customer(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += f(cs[i%len(cs)])
	}
	if math.IsNaN(s) {
		b.Fatal("NaN prediction")
	}
}

func BenchmarkPredictBGNBDConditional(b *testing.B) {
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	benchPredict(b, func(c Customer) float64 { return m.ConditionalExpectedPurchases(39, c) })
}

func BenchmarkPredictBGNBDProbAlive(b *testing.B) {
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	benchPredict(b, m.ProbAlive)
}

func BenchmarkPredictParetoNBDConditional(b *testing.B) {
	m := &ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	benchPredict(b, func(c Customer) float64 { return m.ConditionalExpectedPurchases(39, c) })
}

func BenchmarkPredictParetoNBDProbAlive(b *testing.B) {
	m := &ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	benchPredict(b, m.ProbAlive)
}

func BenchmarkPredictMBGNBDConditional(b *testing.B) {
	m := &MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614}
	benchPredict(b, func(c Customer) float64 { return m.ConditionalExpectedPurchases(39, c) })
}

func BenchmarkCLVBatchParetoNBD(b *testing.B) {
	d := cdnowSummary(b)
	m := &ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	opts := CLVOptions{Horizon: 52, DiscountRate: RatePerUnit(0.1, 52), Spend: &GammaGamma{P: 6.25, Q: 3.74, V: 15.44}}
	dst := make([]float64, d.Len())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := CLVBatch(context.Background(), dst, m, d, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d.Len()), "ns/customer")
}
