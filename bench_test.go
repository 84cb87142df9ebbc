package valuekit

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// syntheticCSV returns n events of the shape of a shop export — customer_id,
// date (YYYY-MM-DD), amount — for customers customers over two years, with
// a fixed seed. Rows are in time order, as exports usually are.
func syntheticCSV(n, customers int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	start := date("2022-01-01")
	days := make([]int, n)
	for i := range days {
		days[i] = rng.IntN(730)
	}
	// time order
	counts := make([]int, 730)
	for _, d := range days {
		counts[d]++
	}
	var b bytes.Buffer
	b.Grow(n * 32)
	b.WriteString("customer_id,date,amount\n")
	var line []byte
	for d, c := range counts {
		ds := start.AddDate(0, 0, d).Format(time.DateOnly)
		for range c {
			line = line[:0]
			line = strconv.AppendInt(line, int64(100000+rng.IntN(customers)), 10)
			line = append(line, ',')
			line = append(line, ds...)
			line = append(line, ',')
			line = strconv.AppendFloat(line, float64(rng.IntN(20000))/100, 'f', 2, 64)
			line = append(line, '\n')
			b.Write(line)
		}
	}
	return b.Bytes()
}

// reportCPU returns a function that reports the CPU time (user + system)
// of the process per operation since the call: on a shared machine it
// moves less with the load than the wall time.
func reportCPU(b *testing.B) func() {
	var r0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	return func() {
		var r1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		cpu := time.Duration(r1.Utime.Nano() + r1.Stime.Nano() - r0.Utime.Nano() - r0.Stime.Nano())
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
}

const (
	benchEvents    = 1_000_000
	benchCustomers = 100_000
)

func BenchmarkReadCSV(b *testing.B) {
	data := syntheticCSV(benchEvents, benchCustomers)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		ev, err := ReadCSV(bytes.NewReader(data), "bench.csv", nil)
		if err != nil || ev.Len() != benchEvents {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarizeCSV reads and summarises 1M CSV events in one streaming
// pass: memory grows with the customers, not the events.
func BenchmarkSummarizeCSV(b *testing.B) {
	data := syntheticCSV(benchEvents, benchCustomers)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := NewCSVReader(bytes.NewReader(data), "bench.csv", nil)
		if err != nil {
			b.Fatal(err)
		}
		s, _, err := SummarizeReader(context.Background(), r, &SummaryOptions{Unit: Week})
		if err != nil || s.Events != benchEvents {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummarize(b *testing.B) {
	ev, err := ReadCSV(bytes.NewReader(syntheticCSV(benchEvents, benchCustomers)), "bench.csv", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Week}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadParquet(b *testing.B) {
	ev, err := ReadCSV(bytes.NewReader(syntheticCSV(benchEvents, benchCustomers)), "bench.csv", nil)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ev.WriteParquet(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		got, err := ReadParquet(bytes.NewReader(data), "bench.parquet", nil)
		if err != nil || got.Len() != benchEvents {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarize10MCustomers summarises 10M customers with one event
// each, streaming from CSV (the "10M customers with one event each"
// case): memory grows with customers.
func BenchmarkSummarize10MCustomers(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("customer_id,date,amount\n")
	line := []byte{}
	for i := range 10_000_000 {
		line = strconv.AppendInt(line[:0], int64(i), 10)
		line = append(line, ",2024-01-01,9.99\n"...)
		buf.Write(line)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := NewCSVReader(bytes.NewReader(data), "10m.csv", nil)
		if err != nil {
			b.Fatal(err)
		}
		s, _, err := SummarizeReader(context.Background(), r, nil)
		if err != nil || s.Len() != 10_000_000 {
			b.Fatal(err)
		}
	}
}

// syntheticCustomers returns events of customers customers with about
// three purchases each, in customer order (like big.csv, the CDNOW export
// with distinct ids) or, with byTime, in time order (as exports of a sales
// log come): ids like "0000123_7", dates 20060102, amounts in cents, with a
// fixed seed.
func syntheticCustomers(customers int, byTime bool) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	b.Grow(customers * 75)
	b.WriteString("customer_id,date,cds,dollar_value\n")
	start := date("1997-01-01")
	var line []byte
	for c := range customers {
		n := 1 + rng.IntN(5)
		day := rng.IntN(90)
		for range n {
			line = fmt.Appendf(line[:0], "%07d_%d,%s,%d,%d.%02d\n", c/43, c%43,
				start.AddDate(0, 0, day).Format("20060102"), 1+rng.IntN(4), rng.IntN(100), rng.IntN(100))
			b.Write(line)
			day += rng.IntN(120)
		}
	}
	if !byTime {
		return b.Bytes()
	}
	lines := bytes.SplitAfter(b.Bytes(), []byte("\n"))
	body := lines[1 : len(lines)-1] // the header, and the empty tail after the last newline
	slices.SortStableFunc(body, func(x, y []byte) int {
		return bytes.Compare(x[bytes.IndexByte(x, ',')+1:][:8], y[bytes.IndexByte(y, ',')+1:][:8])
	})
	return bytes.Join(lines, nil)
}

var bigReadOptions = &ReadOptions{Columns: Columns{Customer: "customer_id", Time: "date", Amount: "dollar_value"}, TimeLayout: "20060102"}

// BenchmarkSummarize1MCustomers reads and summarises 1M customers (about 3M
// events) from CSV in memory, in parts on the available cores (one pass
// with -cpu 1), and reports the bytes allocated per customer.
func BenchmarkSummarize1MCustomers(b *testing.B) {
	benchSummarizeCustomers(b, 1_000_000, false, false)
}

// BenchmarkSummarize1MCustomersTimeOrder is the same with the rows in time
// order: every part of the input holds most customers.
func BenchmarkSummarize1MCustomersTimeOrder(b *testing.B) {
	benchSummarizeCustomers(b, 1_000_000, false, true)
}

// BenchmarkSummarize1MCustomersParquet is the same from Parquet (row groups
// of 512Ki rows, read in runs of row groups on the available cores).
func BenchmarkSummarize1MCustomersParquet(b *testing.B) {
	benchSummarizeCustomers(b, 1_000_000, true, false)
}

func benchSummarizeCustomers(b *testing.B, customers int, parquet, byTime bool) {
	data := syntheticCustomers(customers, byTime)
	ro := bigReadOptions
	if parquet {
		ev, err := ReadCSV(bytes.NewReader(data), "big.csv", ro)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ev.WriteParquet(&buf); err != nil {
			b.Fatal(err)
		}
		data, ro = buf.Bytes(), &ReadOptions{}
	}
	so := &SummaryOptions{End: date("1998-06-30")}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for range b.N {
		var r *EventReader
		var err error
		if parquet {
			r, err = openParquet(bytes.NewReader(data), "big.parquet", ro, nil)
		} else {
			r, err = NewCSVReader(bytes.NewReader(data), "big.csv", ro)
		}
		if err != nil {
			b.Fatal(err)
		}
		s, _, err := SummarizeReader(context.Background(), r, so)
		if err != nil || s.Len() != customers {
			b.Fatal(err, s.Len())
		}
		r.Close()
	}
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/float64(customers), "B/customer")
}
