package valuekit_test

import (
	"context"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/generate"
)

// BenchmarkSummarizeGeneratedParquet1M summarises the Parquet file that
// `valuekit generate` writes for 1M customers (the 10M run at a
// tenth: BG/NBD r=1, alpha=6, a=0.3, b=10, weekly, 2024-01-01..2025-06-30,
// about 6.7M events, int64 customer ids, many purchase days per customer),
// reading it from a file as the CLI does, and reports the bytes allocated
// per customer.
func BenchmarkSummarizeGeneratedParquet1M(b *testing.B) {
	const customers = 1_000_000
	path := filepath.Join(b.TempDir(), "g.parquet")
	model, err := generate.ParseModel("bgnbd", "r=1,alpha=6,a=0.3,b=10")
	if err != nil {
		b.Fatal(err)
	}
	spend, err := generate.ParseSpend("p=6.25,q=3.74,v=15.44")
	if err != nil {
		b.Fatal(err)
	}
	opts := &generate.Options{Customers: customers, Model: model, Spend: spend, Unit: valuekit.Week,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		ShareRate: 0.2 * 7 / 365.25, Seed: 7}
	if _, err := generate.WriteFile(context.Background(), path, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for range b.N {
		s, _, err := valuekit.SummarizeFile(context.Background(), path, nil, &valuekit.SummaryOptions{Unit: valuekit.Week})
		if err != nil || s.Len() != customers {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&ms1)
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	cpu := time.Duration(r1.Utime.Nano() + r1.Stime.Nano() - r0.Utime.Nano() - r0.Stime.Nano())
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/customers, "B/customer")
}
