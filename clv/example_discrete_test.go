package clv_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/valuekit/valuekit/clv"
)

// Fit the BG/BB model to the repeat donations of the 1995 cohort of a
// non-profit (Fader, Hardie & Shang 2010): 11,104 donors summarised into 22
// patterns of (x, t_x, n) with their counts as weights.
func ExampleFitBGBB() {
	d := clv.Data{
		Frequency: []float64{0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6},
		Recency:   []float64{0, 1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 3, 4, 5, 6, 4, 5, 6, 5, 6, 6},
		T:         []float64{6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6},
		Weights: []float64{3464, 1091, 277, 129, 78, 119, 129, 613, 255, 155, 173, 234,
			322, 181, 225, 357, 240, 284, 512, 335, 728, 1203},
	}
	m, err := clv.FitBGBB(context.Background(), d, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("alpha=%.3f beta=%.3f gamma=%.3f delta=%.3f LL=%.1f\n",
		m.Alpha, m.Beta, m.Gamma, m.Delta, m.Info.LogLikelihood)

	// A donor who gave in 3 of the 6 years, last in year 5.
	c := clv.Customer{Frequency: 3, Recency: 5, T: 6}
	fmt.Printf("P(alive in year 7) = %.3f\n", m.ProbAlive(c))
	fmt.Printf("expected donations in years 7-11 = %.2f\n", m.ConditionalExpectedPurchases(5, c))
	dert, err := m.DERT(0.10, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("discounted expected residual donations at 10%% = %.2f\n", dert)

	// Calibration check: expected vs observed number of donors by number of
	// repeat donations.
	exp, obs, err := clv.ExpectedRepeatHistogram(m, d, 6)
	if err != nil {
		log.Fatal(err)
	}
	for x := range exp {
		fmt.Printf("x=%d expected %6.0f observed %6.0f\n", x, exp[x], obs[x])
	}
	// Output:
	// alpha=1.204 beta=0.750 gamma=0.657 delta=2.783 LL=-33225.6
	// P(alive in year 7) = 0.767
	// expected donations in years 7-11 = 1.80
	// discounted expected residual donations at 10% = 2.84
	// x=0 expected   3455 observed   3464
	// x=1 expected   1889 observed   1823
	// x=2 expected   1349 observed   1430
	// x=3 expected   1113 observed   1085
	// x=4 expected   1018 observed   1036
	// x=5 expected   1027 observed   1063
	// x=6 expected   1253 observed   1203
}

// Parameters copied from a paper load without a fit.
func ExampleNewBGBB() {
	m, err := clv.NewBGBB(1.204, 0.750, 0.657, 2.783)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("E[X(6)] = %.3f, P(X(6) = 0) = %.3f\n", m.ExpectedPurchases(6), m.ProbPurchases(0, 6))
	_, err = clv.NewBGBB(1, -1, 1, 1)
	fmt.Println(err)
	// Output:
	// E[X(6)] = 2.220, P(X(6) = 0) = 0.311
	// clv: bad parameters: bgbb beta = -1, want positive and finite
}

// Simulate donors from known parameters and recover them.
func ExampleSimulateBGBB() {
	truth := &clv.BGBB{Alpha: 1.2, Beta: 0.75, Gamma: 0.66, Delta: 2.8}
	n := make([]float64, 50000) // 50,000 donors, 6 opportunities each
	for i := range n {
		n[i] = 6
	}
	d, err := clv.SimulateBGBB(truth, n, rand.NewPCG(2026, 11))
	if err != nil {
		log.Fatal(err)
	}
	m, err := clv.FitBGBB(context.Background(), d, nil)
	if err != nil {
		log.Fatal(err)
	}
	for i, name := range m.Params().Names {
		fmt.Printf("%-5s true %.2f  estimate %.2f ± %.2f\n",
			name, truth.Params().Values[i], m.Params().Values[i], m.Info.StdErrors[i])
	}
	fmt.Println("distinct histories:", m.Info.Tuples)
	// Output:
	// alpha true 1.20  estimate 1.21 ± 0.03
	// beta  true 0.75  estimate 0.75 ± 0.01
	// gamma true 0.66  estimate 0.67 ± 0.02
	// delta true 2.80  estimate 2.83 ± 0.15
	// distinct histories: 22
}

// Fit the shifted-beta-geometric model to a cohort's retention (the
// "regular" segment of Fader & Hardie 2007), project it and value a
// customer's remaining lifetime.
func ExampleFitSBG() {
	alive := []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	m, err := clv.FitSBG(context.Background(), alive, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("alpha=%.3f beta=%.3f LL=%.2f\n", m.Alpha, m.Beta, m.Info.LogLikelihood)
	proj := m.ProjectAlive(1000, 12)
	fmt.Printf("projected active in year 12: %.0f\n", proj[12])
	fmt.Printf("retention year 1: %.3f, year 12: %.3f\n", m.Retention(1), m.Retention(12))

	// Value at a 10% discount rate, with $100 margin per year.
	del, _ := m.DEL(0.10)
	derl, _ := m.DERL(0.10, 4)
	fmt.Printf("new customer: %.3f discounted years, $%.2f\n", del, 100*del)
	fmt.Printf("customer renewed 4 times: %.3f discounted years, $%.2f\n", derl, 100*derl)
	// Output:
	// alpha=0.704 beta=1.182 LL=-1680.27
	// projected active in year 12: 170
	// retention year 1: 0.627, year 12: 0.945
	// new customer: 3.695 discounted years, $369.49
	// customer renewed 4 times: 5.894 discounted years, $589.41
}

// The simple estimator: purchases per year × average order value × margin
// × tenure, discounted at 10% a year.
func ExampleSimple() {
	s := clv.Simple{Margin: 0.3, DiscountRate: 0.10}
	freq := []float64{4, 12}  // orders per year
	aov := []float64{50, 20}  // average order value
	tenure := []float64{3, 5} // expected years
	v, err := s.Value(nil, freq, aov, tenure)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("fixed tenure: %.2f %.2f\n", v[0], v[1])

	// Tenure from a retention rate: 80% of customers stay each year.
	w, err := s.ValueRetention(nil, freq, aov, []float64{0.8, 0.8})
	if err != nil {
		log.Fatal(err)
	}
	years, _ := clv.ExpectedTenure(0.8)
	fmt.Printf("retention 0.8 (expected tenure %.0f years): %.2f %.2f\n", years, w[0], w[1])

	_, err = s.Value(nil, freq, []float64{50, -1}, tenure)
	fmt.Println(err)
	// Output:
	// fixed tenure: 149.21 272.94
	// retention 0.8 (expected tenure 5 years): 200.00 240.00
	// aov[1] = -1, want finite and >= 0: clv: bad data
}

// Total value: own CLV plus half the value of the customers each one
// referred, plus 2 per social share.
func ExampleReferralValue() {
	own := []float64{120, 80, 45, 60}
	refs := []clv.Referral{
		{Referrer: 0, Referred: 1},
		{Referrer: 0, Referred: 2},
		{Referrer: 3, Referred: 2}, // customer 2 was referred by 0 and 3: split
		{Referrer: 1, Referred: clv.UnknownCustomer},
	}
	tv, err := clv.ReferralValue(own, refs, 0.5, &clv.ReferralOptions{
		UnknownValue:  30, // value of a referred customer not yet in the table
		ShareCounts:   []float64{5, 0, 0, 12},
		ValuePerShare: 2,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("customer   own  referral  shares   total")
	for i := range own {
		fmt.Printf("%8d %5.1f %9.2f %7.1f %7.2f\n", i, tv.Own[i], tv.Referral[i], tv.Shares[i], tv.Total[i])
	}
	// Output:
	// customer   own  referral  shares   total
	//        0 120.0     51.25    10.0  181.25
	//        1  80.0     15.00     0.0   95.00
	//        2  45.0      0.00     0.0   45.00
	//        3  60.0     11.25    24.0   95.25
}
