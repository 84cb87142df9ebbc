package cohort_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/valuekit/valuekit/cohort"
	"github.com/valuekit/valuekit/event"
)

// shop returns a few months of events of a small shop: customer codes,
// dates, kinds and amounts.
func shop() cohort.Events {
	rows := []struct {
		c    int32
		date string
		k    event.Kind
		amt  float64
	}{
		{0, "2024-01-03", event.Purchase, 40},
		{1, "2024-01-17", event.Purchase, 25},
		{2, "2024-01-31", event.Purchase, 60},
		{2, "2024-02-01", event.Purchase, 15}, // next day, next period: age 1
		{0, "2024-02-20", event.Purchase, 30},
		{0, "2024-02-25", event.Refund, 10},
		{3, "2024-02-08", event.Purchase, 80},
		{4, "2024-02-12", event.Purchase, 20},
		{1, "2024-04-02", event.Purchase, 45}, // back after two silent months
		{3, "2024-03-09", event.Purchase, 35},
		{5, "2024-03-15", event.Feedback, 0}, // never bought: in no cohort
		{0, "2024-04-30", event.Purchase, 50},
	}
	var ev cohort.Events
	for _, r := range rows {
		t, err := time.Parse(time.DateOnly, r.date)
		if err != nil {
			log.Fatal(err)
		}
		ev.Customer = append(ev.Customer, r.c)
		ev.Time = append(ev.Time, t.UnixMicro())
		ev.Kind = append(ev.Kind, r.k)
		ev.Amount = append(ev.Amount, r.amt)
	}
	return ev
}

func ExampleBuild() {
	tb, err := cohort.Build(shop(), &cohort.Options{Period: cohort.Month})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range []cohort.Metric{cohort.Retention, cohort.CumulativeRevenue, cohort.CumulativeNetRevenue} {
		if err := cohort.WriteMatrix(os.Stdout, tb, m); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// retention by month cohort and age in months
	// cohort      size       0       1      2       3
	// 2024-01-01     3  100.0%   66.7%   0.0%   66.7%
	// 2024-02-01     2  100.0%   50.0%   0.0%
	// cumulative by month cohort and age in months
	// cohort      size      0       1       2       3
	// 2024-01-01     3  41.67   56.67   56.67   88.33
	// 2024-02-01     2  50.00   67.50   67.50
	// cumulative_net by month cohort and age in months
	// cohort      size      0       1       2       3
	// 2024-01-01     3  41.67   53.33   53.33   85.00
	// 2024-02-01     2  50.00   67.50   67.50
}

func ExampleSummarize() {
	tb, err := cohort.Build(shop(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("age  cohorts  customers  retention  churn  value")
	sum, err := cohort.Summarize(tb)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sum {
		fmt.Printf("%3d  %7d  %9d  %8.1f%%  %4.0f%%  %5.2f\n", s.Age, s.Cohorts, s.Customers,
			100*s.Retention, 100*s.Churn, s.CumulativeRevenuePerCustomer)
	}
	// Output:
	// age  cohorts  customers  retention  churn  value
	//   0        2          5     100.0%     0%  45.00
	//   1        2          5      60.0%    40%  61.00
	//   2        2          5       0.0%   100%  61.00
	//   3        1          3      66.7%     0%  88.33
}

// ExampleProject projects a yearly cohort whose survivors follow the
// "regular" segment of Fader & Hardie (2007): 1000, 631, 468, 382, 326, 289,
// 262, 241 customers buying in years 0..7.
func ExampleProject() {
	alive := []int{1000, 631, 468, 382, 326, 289, 262, 241}
	var ev cohort.Events
	c := int32(0)
	for k := range alive {
		lapsed := alive[k]
		if k+1 < len(alive) {
			lapsed -= alive[k+1]
		}
		for i := 0; i < lapsed; i++ {
			for age := 0; age <= k; age++ {
				ev.Customer = append(ev.Customer, c)
				ev.Time = append(ev.Time, time.Date(2010+age, 3, 1, 0, 0, 0, 0, time.UTC).UnixMicro())
				ev.Kind = append(ev.Kind, event.Purchase)
				ev.Amount = append(ev.Amount, 100)
			}
			c++
		}
	}
	end := time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC)
	tb, err := cohort.Build(ev, &cohort.Options{Period: cohort.Year, End: end})
	if err != nil {
		log.Fatal(err)
	}
	pr, err := cohort.Project(context.Background(), tb, &cohort.ProjectOptions{Periods: 3, Lapse: cohort.NoLapse})
	if err != nil {
		log.Fatal(err)
	}
	m := pr.Pooled.Model
	fmt.Printf("alpha %.3f  beta %.3f\n", m.Alpha, m.Beta)
	if err := cohort.WriteMatrix(os.Stdout, pr.Table, cohort.Retention); err != nil {
		log.Fatal(err)
	}
	// Output:
	// alpha 0.704  beta 1.182
	// retention by year cohort and age in years
	// cohort      size       0       1       2       3       4       5       6       7       8       9      10
	// 2010-01-01  1000  100.0%   63.1%   46.8%   38.2%   32.6%   28.9%   26.2%   24.1%   22.2%*  20.6%*  19.3%*
	// (* projected)
}

func ExampleWriteCSV() {
	tb, err := cohort.Build(shop(), &cohort.Options{Period: cohort.Quarter})
	if err != nil {
		log.Fatal(err)
	}
	if err := cohort.WriteCSV(os.Stdout, tb); err != nil {
		log.Fatal(err)
	}
	// Output:
	// cohort,age,cohort_size,active,retention,revenue,revenue_per_customer,cumulative_revenue_per_customer,net_revenue,net_revenue_per_customer,cumulative_net_revenue_per_customer,surviving,complete,projected
	// 2024-01-01,0,5,5,1,305,61,61,295,59,59,5,true,false
	// 2024-01-01,1,5,2,0.4,95,19,80,95,19,78,2,false,false
}
