package clv

import (
	"context"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// Benchmarks at limiting parameters (issue 12). The retailer export of
// testdata/online_retail_days.csv (UCI Online Retail, see
// testdata/README.md) drives Pareto/NBD to its NBD limit and BG/NBD and
// MBG/NBD to extreme, weakly identified a and b. Run with
//
//	go test ./clv/ -run '^$' -bench 'Retail|LimitSweep' -benchmem -count 5

// retailWeeks reads testdata/online_retail_days.csv into Data in weeks
// (days/7, as `valuekit summary --unit week` writes them).
func retailWeeks(tb testing.TB) Data {
	tb.Helper()
	f, err := os.Open("testdata/online_retail_days.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var d Data
	for _, row := range rows[1:] {
		var v [3]float64
		for j := range v {
			if v[j], err = strconv.ParseFloat(row[j], 64); err != nil {
				tb.Fatal(err)
			}
		}
		d.Frequency = append(d.Frequency, v[0])
		d.Recency = append(d.Recency, v[1]/7)
		d.T = append(d.T, v[2]/7)
	}
	if d.Len() != 4340 {
		tb.Fatalf("%d customers, want 4340", d.Len())
	}
	return d
}

// retailModels are the maximum-likelihood estimates on retailWeeks, as
// FitParetoNBD, FitBGNBD and FitMBGNBD found them before issue 12 (the
// Pareto/NBD at s ≈ 1e-7, β ≈ 3.8e6: the NBD limit).
var retailModels = []TransactionModel{
	&ParetoNBD{R: 0.7966451622853945, Alpha: 9.35089456165698, S: 9.459231445416954e-8, Beta: 3755251.1485549794},
	&BGNBD{R: 0.7953975312503726, Alpha: 9.316803329328799, A: 0.004463226804892479, B: 6.054530740467143},
	&MBGNBD{R: 0.7964452135032996, Alpha: 9.337524361656381, A: 0.003154190797333649, B: 11.443965252217797},
}

func BenchmarkRetailFit(b *testing.B) {
	d := retailWeeks(b)
	for _, m := range retailModels {
		b.Run(m.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f, err := Fit(context.Background(), m.Name(), d, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(f.FitInfo().Evaluations), "evals")
			}
		})
	}
}

// retailPredict computes, for every customer, the conditional expected
// purchases in the next 52 weeks, P(alive) and the conditional curve on a
// 52-point weekly grid (what discounted CLV asks for).
func retailPredict(m TransactionModel, d Data, ts, curve []float64) float64 {
	cv := m.(curver)
	s := 0.0
	for i := 0; i < d.Len(); i++ {
		c := d.Customer(i)
		s += m.ConditionalExpectedPurchases(52, c) + m.ProbAlive(c)
		cv.conditionalCurve(curve, ts, c)
		s += curve[len(curve)-1]
	}
	return s
}

func weeklyGrid() []float64 {
	ts := make([]float64, 52)
	for k := range ts {
		ts[k] = float64(k + 1)
	}
	return ts
}

func BenchmarkRetailPredict(b *testing.B) {
	d := retailWeeks(b)
	ts := weeklyGrid()
	curve := make([]float64, len(ts))
	for _, m := range retailModels {
		b.Run(m.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if s := retailPredict(m, d, ts, curve); math.IsNaN(s) {
					b.Fatal("NaN")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d.Len()), "ns/customer")
		})
	}
}

// BenchmarkRetailPredictDraws predicts the retailer's customers under 10
// parameter draws from the fitted BG/NBD and MBG/NBD (as prediction
// intervals do): the draws put a and b anywhere in about [1e-5, 1e4].
func BenchmarkRetailPredictDraws(b *testing.B) {
	d := retailWeeks(b)
	ts := weeklyGrid()
	curve := make([]float64, len(ts))
	for _, name := range []string{NameBGNBD, NameMBGNBD} {
		b.Run(name, func(b *testing.B) {
			f, err := Fit(context.Background(), name, d, nil)
			if err != nil {
				b.Fatal(err)
			}
			draws, err := DrawModels(f, 10, rand.NewPCG(12, 1))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, dm := range draws {
					if s := retailPredict(dm.(TransactionModel), d, ts, curve); math.IsNaN(s) {
						b.Fatalf("%v: NaN", dm)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d.Len()*len(draws)), "ns/customer")
		})
	}
}

// limitSweepModels returns the three continuous models at extreme
// parameters: a, b ∈ {1e-4, 1e-2, 1, 1e2, 1e4} (BG/NBD, MBG/NBD) and
// s ∈ {1e-8, 1e-4, 1, 1e2}, β ∈ {1e-4, 1, 1e4, 1e8} (Pareto/NBD), with r
// and α ∈ {1e-2, 1, 1e2}.
func limitSweepModels() []TransactionModel {
	var out []TransactionModel
	rs := []float64{1e-2, 1, 1e2}
	ab := []float64{1e-4, 1e-2, 1, 1e2, 1e4}
	for _, r := range rs {
		for _, alpha := range rs {
			for _, a := range ab {
				for _, b := range ab {
					out = append(out, &BGNBD{R: r, Alpha: alpha, A: a, B: b}, &MBGNBD{R: r, Alpha: alpha, A: a, B: b})
				}
			}
			for _, s := range []float64{1e-8, 1e-4, 1, 1e2} {
				for _, beta := range []float64{1e-4, 1, 1e4, 1e8} {
					out = append(out, &ParetoNBD{R: r, Alpha: alpha, S: s, Beta: beta})
				}
			}
		}
	}
	return out
}

// limitSweepCustomers are histories in weeks like the retailer's, plus a
// heavy buyer.
var limitSweepCustomers = []Customer{{0, 0, 52}, {1, 10, 52}, {6, 52.1, 52.4}, {30, 20, 53}, {276, 53, 53.3}}

// BenchmarkLimitSweep reports the mean and the largest time of one
// ConditionalExpectedPurchases + ProbAlive call, and of one 52-point
// conditionalCurve, over limitSweepModels × limitSweepCustomers.
func BenchmarkLimitSweep(b *testing.B) {
	models := limitSweepModels()
	ts := weeklyGrid()
	curve := make([]float64, len(ts))
	for _, kind := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
		b.Run(kind, func(b *testing.B) {
			var worstCall, worstCurve time.Duration
			var worstAt string
			calls := 0
			for i := 0; i < b.N; i++ {
				for _, m := range models {
					if m.Name() != kind {
						continue
					}
					cv := m.(curver)
					for _, c := range limitSweepCustomers {
						t0 := time.Now()
						_ = m.ConditionalExpectedPurchases(52, c) + m.ProbAlive(c)
						t1 := time.Now()
						cv.conditionalCurve(curve, ts, c)
						t2 := time.Now()
						if d := t1.Sub(t0); d > worstCall {
							worstCall, worstAt = d, m.(interface{ String() string }).String()
						}
						worstCurve = max(worstCurve, t2.Sub(t1))
						calls++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(calls), "ns/customer")
			b.ReportMetric(float64(worstCall.Nanoseconds()), "max-ns/call")
			b.ReportMetric(float64(worstCurve.Nanoseconds()), "max-ns/curve")
			b.Logf("slowest call at %s", worstAt)
		})
	}
}
