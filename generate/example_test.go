package generate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/generate"
)

// Simulate 20,000 BG/NBD customers over 78 weeks, then summarise and fit
// them as valuekit fit would.
func Example() {
	ctx := context.Background()
	model, err := generate.ParseModel("bgnbd", "r=1,alpha=6,a=0.3,b=10")
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "generate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "events.parquet")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 0, 7*78)
	stats, err := generate.WriteFile(ctx, path, &generate.Options{
		Customers: 20000, Model: model, Unit: valuekit.Week,
		Start: start, End: end, ReferralRate: 0.002, Seed: 5,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(stats.Customers, "customers,", stats.Purchases, "purchases,", stats.Referrals, "referrals")

	s, _, err := valuekit.SummarizeFile(ctx, path, nil,
		&valuekit.SummaryOptions{Unit: valuekit.Week, End: end.AddDate(0, 0, -1)})
	if err != nil {
		panic(err)
	}
	m, err := clv.FitBGNBD(ctx, clv.Data{Frequency: s.Frequency, Recency: s.Recency, T: s.T}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("r=%.1f alpha=%.0f a=%.1f b=%.0f\n", m.R, m.Alpha, m.A, m.B)
	// Output:
	// 20000 customers, 131666 purchases, 1427 referrals
	// r=1.0 alpha=6 a=0.3 b=10
}
