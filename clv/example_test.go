package clv_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit/clv"
)

// cdnow reads the CDNOW calibration summary (x, t_x, T in weeks, zbar).
func cdnow() clv.Data {
	f, err := os.Open("../testdata/cdnow_sample_summary.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	var d clv.Data
	for _, r := range rows[1:] {
		v := make([]float64, 4)
		for j := range v {
			if v[j], err = strconv.ParseFloat(r[j+1], 64); err != nil {
				log.Fatal(err)
			}
		}
		d.Frequency = append(d.Frequency, v[0])
		d.Recency = append(d.Recency, v[1])
		d.T = append(d.T, v[2])
		d.Monetary = append(d.Monetary, v[3])
	}
	return d
}

func ExampleFitBGNBD() {
	m, err := clv.FitBGNBD(context.Background(), cdnow(), nil)
	if err != nil {
		log.Fatal(err)
	}
	p := m.Params()
	for i, name := range p.Names {
		fmt.Printf("%-5s %.3f (SE %.3f)\n", name, p.Values[i], m.Info.StdErrors[i])
	}
	fmt.Printf("LL %.1f\n", m.Info.LogLikelihood)
	// The customer discussed by Fader, Hardie & Lee (2005).
	c := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	fmt.Printf("P(alive) %.3f, next 39 weeks %.3f\n", m.ProbAlive(c), m.ConditionalExpectedPurchases(39, c))
	// Output:
	// r     0.243 (SE 0.013)
	// alpha 4.414 (SE 0.378)
	// a     0.793 (SE 0.186)
	// b     2.426 (SE 0.705)
	// LL -9582.4
	// P(alive) 0.727, next 39 weeks 1.226
}

func ExampleFitParetoNBD() {
	m, err := clv.FitParetoNBD(context.Background(), cdnow(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("r %.3f alpha %.2f s %.3f beta %.1f LL %.1f\n", m.R, m.Alpha, m.S, m.Beta, m.Info.LogLikelihood)
	c := clv.Customer{Frequency: 26, Recency: 30.86, T: 31}
	fmt.Printf("P(alive) %.4f, next 52 weeks %.2f\n", m.ProbAlive(c), m.ConditionalExpectedPurchases(52, c))
	// Output:
	// r 0.553 alpha 10.58 s 0.606 beta 11.7 LL -9595.0
	// P(alive) 0.9979, next 52 weeks 25.46
}

func ExampleFitMBGNBD() {
	m, err := clv.FitMBGNBD(context.Background(), cdnow(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("r %.3f alpha %.3f a %.3f b %.3f\n", m.R, m.Alpha, m.A, m.B)
	// Unlike BG/NBD, a customer without repeat purchases may have left.
	fmt.Printf("P(alive | no repeat purchase in 38.86 weeks) %.3f\n", m.ProbAlive(clv.Customer{T: 38.86}))
	// Output:
	// r 0.525 alpha 6.183 a 0.891 b 1.614
	// P(alive | no repeat purchase in 38.86 weeks) 0.390
}

func ExampleFitGammaGamma() {
	d := cdnow()
	gg, err := clv.FitGammaGamma(context.Background(), d, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("p %.2f q %.2f v %.2f, frequency-spend correlation %.2f\n", gg.P, gg.Q, gg.V, gg.FreqSpendCorr)
	for i := 0; i < 3; i++ {
		fmt.Printf("customer %d: x=%.0f mean $%.2f -> expected $%.2f per purchase\n",
			i+1, d.Frequency[i], d.Monetary[i], gg.ConditionalExpectedSpend(d.Frequency[i], d.Monetary[i]))
	}
	// Output:
	// p 6.25 q 3.74 v 15.45, frequency-spend correlation 0.11
	// customer 1: x=2 mean $22.35 -> expected $24.66 per purchase
	// customer 2: x=1 mean $11.77 -> expected $18.91 per purchase
	// customer 3: x=0 mean $0.00 -> expected $35.17 per purchase
}

func ExampleCLVBatch() {
	// Models built from published estimates (weeks).
	m, _ := clv.NewParetoNBD(0.553, 10.578, 0.606, 11.669)
	gg, _ := clv.NewGammaGamma(6.25, 3.74, 15.44)
	d := clv.Data{
		Frequency: []float64{2, 0, 7},
		Recency:   []float64{30.43, 0, 29.43},
		T:         []float64{38.86, 38.86, 38.86},
		Monetary:  []float64{22.35, 0, 73.74},
	}
	opts := clv.CLVOptions{
		Horizon:      52,                                        // one year, in weeks
		DiscountRate: clv.RatePerUnit(0.10, 52),                 // 10% a year, per week
		Margin:       0.3,                                       // 30% of revenue is profit
		Spend:        gg,                                        // spend per purchase from Gamma-Gamma
		Refunds:      &clv.Refunds{Ratio: []float64{0, 0, 1.5}}, // customer 3 returned 1.5× their purchases
	}
	dst := make([]float64, d.Len())
	if err := clv.CLVBatch(context.Background(), dst, m, d, opts); err != nil {
		log.Fatal(err)
	}
	for i, v := range dst {
		fmt.Printf("customer %d: $%.2f\n", i+1, v)
	}
	// Output:
	// customer 1: $4.91
	// customer 2: $0.23
	// customer 3: $-29.78
}

func ExampleLoadModel() {
	// Estimates copied from a paper: only "model" and "params" are needed.
	m, err := clv.LoadModel(strings.NewReader(`{"model":"bgnbd","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}}`))
	if err != nil {
		log.Fatal(err)
	}
	tm := m.(clv.TransactionModel)
	fmt.Printf("%s: E[X(78)] = %.3f\n", tm.Name(), tm.ExpectedPurchases(78))
	if err := clv.SaveModel(os.Stdout, m); err != nil {
		log.Fatal(err)
	}
	// Output:
	// bgnbd: E[X(78)] = 1.861
	// {
	//   "model": "bgnbd",
	//   "params": {
	//     "a": 0.793,
	//     "alpha": 4.414,
	//     "b": 2.426,
	//     "r": 0.243
	//   }
	// }
}

func ExampleCompare() {
	d := cdnow()
	ctx := context.Background()
	bg, _ := clv.FitBGNBD(ctx, d, nil)
	pn, _ := clv.FitParetoNBD(ctx, d, nil)
	mb, _ := clv.FitMBGNBD(ctx, d, nil)
	tab, err := clv.Compare(bg, pn, mb)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range tab {
		fmt.Printf("%-6s LL %.1f AIC %.1f (Δ %.1f) BIC %.1f\n", c.Name, c.LogLikelihood, c.AIC, c.DeltaAIC, c.BIC)
	}
	// Output:
	// bgnbd  LL -9582.4 AIC 19172.9 (Δ 0.6) BIC 19195.9
	// pnbd   LL -9595.0 AIC 19197.9 (Δ 25.7) BIC 19221.0
	// mbgnbd LL -9582.1 AIC 19172.3 (Δ 0.0) BIC 19195.3
}

func ExampleExpectedRepeatHistogram() {
	d := cdnow()
	m, _ := clv.FitBGNBD(context.Background(), d, nil)
	exp, obs, err := clv.ExpectedRepeatHistogram(m, d, 4) // bins 0..3 and 4+
	if err != nil {
		log.Fatal(err)
	}
	for k := range exp {
		label := strconv.Itoa(k)
		if k == len(exp)-1 {
			label += "+"
		}
		fmt.Printf("%-2s expected %6.1f observed %4.0f\n", label, exp[k], obs[k])
	}
	// Output:
	// 0  expected 1407.7 observed 1411
	// 1  expected  460.3 observed  439
	// 2  expected  192.5 observed  214
	// 3  expected  101.2 observed  100
	// 4+ expected  195.4 observed  193
}

func ExampleExpectedPurchasesInterval() {
	d := cdnow()
	ctx := context.Background()
	m, _ := clv.FitBGNBD(ctx, d, nil)
	first := clv.Data{Frequency: d.Frequency[:3], Recency: d.Recency[:3], T: d.T[:3]}
	lo, hi := make([]float64, 3), make([]float64, 3)
	opts := clv.IntervalOptions{Draws: 1000, Level: 0.9, Src: rand.NewPCG(1, 2)}
	if err := clv.ExpectedPurchasesInterval(ctx, lo, hi, m, first, 39, opts); err != nil {
		log.Fatal(err)
	}
	for i := range lo {
		fmt.Printf("customer %d: %.2f [%.2f, %.2f]\n", i+1, m.ConditionalExpectedPurchases(39, first.Customer(i)), lo[i], hi[i])
	}
	// Output:
	// customer 1: 1.23 [1.15, 1.31]
	// customer 2: 0.20 [0.17, 0.24]
	// customer 3: 0.19 [0.18, 0.21]
}

func ExampleSimulateBGNBD() {
	truth, _ := clv.NewBGNBD(0.5, 6, 0.8, 2.5)
	T := make([]float64, 20000)
	for i := range T {
		T[i] = 26 + float64(i%27) // weeks
	}
	d, err := clv.SimulateBGNBD(truth, T, rand.NewPCG(1, 2))
	if err != nil {
		log.Fatal(err)
	}
	m, err := clv.FitBGNBD(context.Background(), d, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("r %.2f alpha %.1f a %.1f b %.1f from %d distinct rows\n", m.R, m.Alpha, m.A, m.B, m.Info.Tuples)
	// Output:
	// r 0.49 alpha 5.8 a 0.9 b 2.9 from 12599 distinct rows
}

// The infinite-horizon discounted expected purchases (DERT) of CDNOW
// customer 1 under the Pareto/NBD estimates of Fader, Hardie & Lee (2005),
// at 15 % a year (δ = ln(1.15)/52 per week), and the same via the generic
// entry point with the annual rate converted per week.
func ExampleParetoNBD_DERT() {
	m := &clv.ParetoNBD{R: 0.5533, Alpha: 10.5776, S: 0.6061, Beta: 11.6650}
	c := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	v, err := m.DERT(math.Log(1.15)/52, c)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err := clv.DiscountedResidualPurchases(m, clv.RatePerUnit(0.15, 52), false, c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("DERT %.2f, %.2f\n", v, w)
	// Output: DERT 6.50, 6.50
}
