package clv

import (
	"context"
	"testing"
)

// BenchmarkForecast1M: a year of daily-discounted CLV (365 steps), expected
// purchases, P(alive) and the default sigma-point intervals for 1M
// customers in whole days (benchCustomers: about 27k distinct histories),
// under the CDNOW BG/NBD and Pareto/NBD fits rescaled to days. Reports the
// cost per customer and per distinct history.
func BenchmarkForecast1M(b *testing.B) {
	for _, tc := range []struct {
		name   string
		pareto bool
	}{{"bgnbd", false}, {"pnbd", true}} {
		for _, intervals := range []bool{false, true} {
			name := tc.name
			if intervals {
				name += "/intervals"
			}
			b.Run(name, func(b *testing.B) {
				d := benchCustomers(b, 1_000_000, tc.pareto)
				var m TransactionModel
				var err error
				if tc.pareto {
					m, err = FitParetoNBD(context.Background(), d, nil)
				} else {
					m, err = FitBGNBD(context.Background(), d, nil)
				}
				if err != nil {
					b.Fatal(err)
				}
				g, err := groupHistories(d)
				if err != nil {
					b.Fatal(err)
				}
				opts := CLVOptions{Horizon: 365, DiscountRate: RatePerUnit(0.1, 365.25), SpendPerPurchase: 35}
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if _, err := NewForecast(context.Background(), m, d, opts, &ForecastOptions{Intervals: intervals}); err != nil {
						b.Fatal(err)
					}
				}
				per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
				b.ReportMetric(per/float64(d.Len()), "ns/customer")
				b.ReportMetric(per/float64(g.len()), "ns/history")
				b.ReportMetric(float64(g.len()), "histories")
			})
		}
	}
}
