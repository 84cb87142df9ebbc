package segment_test

import (
	"fmt"
	"os"

	"github.com/valuekit/valuekit/segment"
)

// Eight customers placed by profit and mean feedback score; two never left
// feedback and go to "unknown".
func ExampleProfitExperience() {
	profit := []float64{820, 15, 640, 40, 510, 95, 700, 30}
	score := segment.Column{
		Values: []float64{9, 8, 3, 2, 4, 9, 0, 0},
		Known:  []bool{true, true, true, true, true, true, false, false},
	}
	c, err := segment.ProfitExperience().Classify(segment.Col(profit), score)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("cuts: profit %v, experience %v\n", c.XCuts, c.YCuts)
	for i := range profit {
		fmt.Printf("customer %d: %s\n", i, c.Name(i))
	}
	// Output:
	// cuts: profit [95], experience [4]
	// customer 0: premium
	// customer 1: free-rider
	// customer 2: fragile
	// customer 3: abandonable
	// customer 4: fragile
	// customer 5: free-rider
	// customer 6: unknown
	// customer 7: unknown
}

// A nine-box grid: value in three levels (bottom 50%, next 40%, top 10%)
// by experience cut at a fixed score of 7.
func ExampleGrid() {
	g := segment.Grid{
		X: segment.Axis{Name: "clv", Cuts: []segment.Cut{segment.AtMedian(), segment.AtQuantile(0.9)}},
		Y: segment.Axis{Name: "nps", Cuts: []segment.Cut{segment.AtValue(7)}},
		Cells: [][]string{
			{"low value", "low value"},
			{"mid, unhappy", "mid, happy"},
			{"top, unhappy", "top, happy"},
		},
	}
	clv := []float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}
	nps := []float64{9, 3, 8, 10, 6, 8, 2, 9, 7, 10}
	c, err := g.Classify(segment.Col(clv), segment.Col(nps))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Names)
	fmt.Println(c.Counts())
	// Output:
	// [top, happy top, unhappy mid, happy mid, unhappy low value unknown]
	// [1 0 2 2 5 0]
}

func ExampleTiers() {
	value := []float64{5, 0, 50, 2, 10, -4, 30, 3}
	t, err := segment.Tiers(value, nil) // A = top 80%, B = next 15%, C = rest
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, v := range value {
		fmt.Printf("%5.0f %s\n", v, t.Name(i))
	}
	fmt.Println("thresholds:", t.Thresholds)
	// Output:
	//     5 B
	//     0 C
	//    50 A
	//     2 C
	//    10 B
	//    -4 C
	//    30 A
	//     3 C
	// thresholds: [30 5]
}

func ExampleSeeds() {
	ids := []string{"ann", "bob", "cat", "dan", "eve"}
	own := []float64{120, 300, 80, 300, 10}
	referral := []float64{200, 0, 20, 0, 500}
	seeds, err := segment.Seeds(own, referral, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range seeds {
		fmt.Printf("%s own %.0f + referral %.0f = %.0f\n", ids[s.Index], s.Own, s.Referral, s.Total)
	}
	// Output:
	// eve own 10 + referral 500 = 510
	// ann own 120 + referral 200 = 320
	// bob own 300 + referral 0 = 300
}

func ExampleNewPortfolio() {
	a := segment.Assignment{
		Names: []string{"premium", "fragile", "free-rider", "abandonable"},
		Class: []int32{0, 0, 1, 1, 2, 3, 3, 3},
	}
	clv := []float64{900, 700, 800, 400, 60, 20, 10, 5}
	pAlive := []float64{0.95, 0.9, 0.3, 0.45, 0.8, 0.2, 0.6, 0.1}
	p, err := segment.NewPortfolio(a, clv, &segment.PortfolioOptions{
		PAlive:     pAlive,
		Budget:     10000,
		Allocation: segment.ByValueAtRisk,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := p.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// segment      customers  customer_share  total_value  mean_value  value_share  mean_p_alive  churn_risk  at_risk  value_at_risk  expected_loss    budget  budget_share
	// premium              2           25.0%      1600.00      800.00        55.3%         0.925        7.5%        0           0.00         115.00      0.00          0.0%
	// fragile              2           25.0%      1200.00      600.00        41.5%         0.375       62.5%        2        1200.00         780.00   9795.92         98.0%
	// free-rider           1           12.5%        60.00       60.00         2.1%         0.800       20.0%        0           0.00          12.00      0.00          0.0%
	// abandonable          3           37.5%        35.00       11.67         1.2%         0.300       70.0%        2          25.00          24.50    204.08          2.0%
	// total                8          100.0%      2895.00      361.88       100.0%         0.537       46.2%        4        1225.00         931.50  10000.00        100.0%
}

func ExampleMigrate() {
	last := segment.Snapshot{
		IDs:        []string{"a", "b", "c", "d"},
		Assignment: segment.Assignment{Names: []string{"A", "B", "C"}, Class: []int32{0, 1, 2, 2}},
	}
	now := segment.Snapshot{
		IDs:        []string{"a", "b", "c", "e"},
		Assignment: segment.Assignment{Names: []string{"A", "B", "C"}, Class: []int32{1, 0, 0, 2}},
	}
	m, err := segment.Migrate(last, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// from \ to           A           B           C       gone
	// A            0 (0.0%)  1 (100.0%)    0 (0.0%)   0 (0.0%)
	// B          1 (100.0%)    0 (0.0%)    0 (0.0%)   0 (0.0%)
	// C           1 (50.0%)    0 (0.0%)    0 (0.0%)  1 (50.0%)
	// new          0 (0.0%)    0 (0.0%)  1 (100.0%)   0 (0.0%)
}

// Which way customers moved between two quarters' A/B/C tiers: up, down, or
// gone (no activity in the later quarter).
func ExampleMigration_Moves() {
	tiers := []string{"A", "B", "C"}
	q1 := segment.Snapshot{IDs: []string{"ann", "bob", "cy", "dee"}, Assignment: segment.Assignment{Names: tiers, Class: []int32{0, 1, 2, 1}}}
	q2 := segment.Snapshot{IDs: []string{"ann", "bob", "cy", "eve"}, Assignment: segment.Assignment{Names: tiers, Class: []int32{1, 1, 0, 2}}}
	m, err := segment.Migrate(q1, q2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Moves(segment.Ranks("abc", tiers)))
	// Output: 1 moved up, 1 stayed, 1 slipped to a worse segment, 1 gone, 1 new
}
