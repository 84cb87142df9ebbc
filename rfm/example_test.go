package rfm_test

import (
	"fmt"
	"os"

	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/segment"
)

// ten customers: days since their last purchase, number of purchases and
// money spent.
var data = rfm.Data{
	DaysSinceLastPurchase: []float64{0, 5, 10, 20, 40, 60, 90, 120, 200, 400},
	Purchases:             []float64{5, 2, 1, 5, 1, 2, 1, 1, 1, 1},
	Monetary:              []float64{500, 90, 30, 300, 20, 80, 10, 60, 40, 5},
}

func ExampleScore() {
	s, err := rfm.Score(data, nil) // quintile scores
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("R", s.R)
	fmt.Println("F", s.F) // six one-time buyers tie at F = 1
	fmt.Println("M", s.M)
	fmt.Println("recency cuts (days):", s.RecencyCuts)
	// Output:
	// R [5 5 4 4 3 3 2 2 1 1]
	// F [5 4 1 5 1 4 1 1 1 1]
	// M [5 4 2 5 2 4 1 3 3 1]
	// recency cuts (days): [10 40 90 200]
}

// Fixed cut points instead of quantiles: R = 5 for a purchase less than 30
// days ago, R = 1 for 365 days or more.
func ExampleScore_fixedCuts() {
	s, err := rfm.Score(data, &rfm.Options{
		RecencyCuts:   []float64{30, 90, 180, 365},
		FrequencyCuts: []float64{1, 2, 4, 8},
		MonetaryCuts:  []float64{25, 50, 100, 250},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("R", s.R)
	fmt.Println("F", s.F)
	fmt.Println("M", s.M)
	// Output:
	// R [5 5 5 5 4 4 3 3 2 1]
	// F [4 2 1 4 1 2 1 1 1 1]
	// M [5 3 2 5 1 3 1 3 2 1]
}

func ExampleTable_Assign() {
	s, err := rfm.Score(data, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	seg, err := rfm.DefaultTable().Assign(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range seg.Class {
		fmt.Printf("R%d F%d M%d  %s\n", s.R[i], s.F[i], s.M[i], seg.Name(i))
	}
	// Output:
	// R5 F5 M5  Champions
	// R5 F4 M4  Champions
	// R4 F1 M2  Promising
	// R4 F5 M5  Loyal
	// R3 F1 M2  About to sleep
	// R3 F4 M4  Loyal
	// R2 F1 M1  Hibernating
	// R2 F1 M3  Hibernating
	// R1 F1 M3  Lost
	// R1 F1 M1  Lost
}

// A table of one's own: three segments and a catch-all.
func ExampleTable_Assign_custom() {
	s, err := rfm.Score(data, &rfm.Options{Bins: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	tab := rfm.Table{
		Rules: []rfm.Rule{
			{Name: "best", R: rfm.Is(3), M: rfm.Is(3)},
			{Name: "slipping", R: rfm.Is(1), F: rfm.Between(2, 3)},
			{Name: "gone", R: rfm.Is(1)},
		},
		Otherwise: "others",
	}
	seg, err := tab.Assign(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(seg.Names, seg.Counts())
	// Output:
	// [best slipping gone others] [2 0 4 4]
}

// Segment statistics, and the same segments fed to segment.NewPortfolio.
func ExampleStats() {
	s, err := rfm.Score(data, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	seg, err := rfm.DefaultTable().Assign(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	stats, err := rfm.Stats(data, s, seg)
	if err != nil {
		fmt.Println(err)
		return
	}
	var nonEmpty []rfm.SegmentStats
	for _, x := range stats {
		if x.Customers > 0 {
			nonEmpty = append(nonEmpty, x)
		}
	}
	if err := rfm.WriteStats(os.Stdout, nonEmpty); err != nil {
		fmt.Println(err)
	}
	p, err := segment.NewPortfolio(seg, data.Monetary, &segment.PortfolioOptions{Budget: 1000})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("budget for Champions: %.2f\n", p.Rows[0].Budget)
	// Output:
	// segment         customers  share  revenue  revenue_share  mean_r  mean_f  mean_m  recency_days  frequency  monetary
	// Champions               2  20.0%   590.00          52.0%    5.00    4.50    4.50           2.5       3.50    295.00
	// Loyal                   2  20.0%   380.00          33.5%    3.50    4.50    4.50          40.0       3.50    190.00
	// Promising               1  10.0%    30.00           2.6%    4.00    1.00    2.00          10.0       1.00     30.00
	// About to sleep          1  10.0%    20.00           1.8%    3.00    1.00    2.00          40.0       1.00     20.00
	// Hibernating             2  20.0%    70.00           6.2%    2.00    1.00    2.00         105.0       1.00     35.00
	// Lost                    2  20.0%    45.00           4.0%    1.00    1.00    2.00         300.0       1.00     22.50
	// budget for Champions: 519.82
}
