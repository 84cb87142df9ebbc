package valuekit

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// checkEvents fails the test when a successfully read table breaks an
// invariant: non-finite numbers, invalid kinds, negative refunds, or rows
// lost (rows read = events + bad rows).
func checkEvents(t *testing.T, ev *Events) {
	t.Helper()
	if ev.Rows != ev.Len()+ev.BadRowCount {
		t.Fatalf("rows read %d != events %d + bad rows %d", ev.Rows, ev.Len(), ev.BadRowCount)
	}
	for i := range ev.Len() {
		if a := ev.amount[i]; math.IsNaN(a) || math.IsInf(a, 0) {
			t.Fatalf("row %d: amount %v", i, a)
		}
		if !ev.kind[i].Valid() {
			t.Fatalf("row %d: kind %v", i, ev.kind[i])
		}
		if ev.kind[i] == Refund && ev.amount[i] < 0 {
			t.Fatalf("row %d: negative refund", i)
		}
	}
}

func checkSummary(t *testing.T, s *Summary) {
	t.Helper()
	for _, col := range [][]float64{s.Frequency, s.Recency, s.T, s.MonetaryValue, s.Revenue, s.Refunds, s.NetRevenue, s.Experience} {
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("customer %q: non-finite summary value %v", s.CustomerID[i], v)
			}
		}
	}
	for i := range s.Len() {
		if s.Recency[i] > s.T[i] || s.Recency[i] < 0 {
			t.Fatalf("customer %q: recency %v, T %v", s.CustomerID[i], s.Recency[i], s.T[i])
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"customer_id,date,amount\n1,2020-01-01,10\n",
		"customer_id,time,kind,amount,cost,quantity,referred_id,score\n" +
			"a,2020-01-01T10:00:00Z,purchase,10,4,1,,\nb,2020-01-02T00:00:00Z,referral,0,0,0,a,\n" +
			"a,2020-01-03T00:00:00Z,feedback,0,0,0,,7.5\na,2020-01-04T00:00:00Z,refund,3,0,0,,\n",
		"\xEF\xBB\xBFcustomer,date,value\r\n\"x,\"\"y\"\"\",20200101,1\r\n",
		"customer_id,date,amount\n1,2020-01-01,NaN\n2,2020-13-01,1\n",
		"customer_id,date,amount\n\"1,2020-01-01,1\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	if b, err := os.ReadFile("testdata/cdnow_sample.csv"); err == nil {
		f.Add(b[:2000], false)
	}
	f.Fuzz(func(t *testing.T, data []byte, skip bool) {
		ev, err := ReadCSV(bytes.NewReader(data), "fuzz.csv", &ReadOptions{SkipBadRows: skip})
		if err != nil {
			return
		}
		checkEvents(t, ev)
		if ev.Len() == 0 {
			return
		}
		s, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Week})
		if err != nil {
			return // e.g. an amount too large to sum exactly
		}
		checkSummary(t, s)
		// What was read writes back and reads again to the same table.
		var buf bytes.Buffer
		if err := ev.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(&buf, "back.csv", nil)
		if err != nil {
			t.Fatalf("re-reading written events: %v\n%s", err, buf.String())
		}
		if back.Len() != ev.Len() {
			t.Fatalf("round trip: %d events, want %d", back.Len(), ev.Len())
		}
		for i := range ev.Len() {
			if back.CustomerID(i) != ev.CustomerID(i) || back.time[i] != ev.time[i] || back.kind[i] != ev.kind[i] || back.amount[i] != ev.amount[i] {
				t.Fatalf("round trip row %d differs", i)
			}
		}
	})
}

// fuzzBinary fuzzes a binary reader with seeds written from small tables.
func fuzzBinary(f *testing.F, write func(*Events, *bytes.Buffer) error, read func([]byte) (*Events, error)) {
	score := 3.0
	for _, rows := range [][]Event{
		{{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 1}},
		{{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 1, Cost: 0.5, Quantity: 2},
			{CustomerID: "b", Time: date("2020-01-02"), Kind: Referral, ReferredID: "a"},
			{CustomerID: "b", Time: date("2020-01-03"), Kind: Feedback, Score: &score}},
	} {
		ev, err := NewEvents(rows)
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := write(ev, &buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := read(data)
		if err != nil {
			return
		}
		checkEvents(t, ev)
		if ev.Len() > 0 {
			if s, err := Summarize(context.Background(), ev, nil); err == nil {
				checkSummary(t, s)
			}
		}
	})
}

func FuzzReadParquet(f *testing.F) {
	fuzzBinary(f, func(ev *Events, b *bytes.Buffer) error { return ev.WriteParquet(b) },
		func(data []byte) (*Events, error) { return ReadParquet(bytes.NewReader(data), "fuzz.parquet", nil) })
}

// FuzzReadIPC fuzzes the IPC stream and (seeded below) file formats.
func FuzzReadIPC(f *testing.F) {
	score := 1.5
	ev, err := NewEvents([]Event{
		{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 1, Quantity: 2},
		{CustomerID: "b", Time: date("2020-01-02"), Kind: Feedback, Score: &score},
	})
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "seed.arrow")
	if err := ev.WriteFile(path); err != nil {
		f.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(file)
	fuzzBinary(f, func(ev *Events, b *bytes.Buffer) error { return ev.WriteIPC(b) },
		func(data []byte) (*Events, error) { return ReadIPC(bytes.NewReader(data), "fuzz.arrow", nil) })
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2020-01-02", "20200102", "2020-01-02 03:04:05", "2020-01-02T03:04:05Z", "2020-02-30", "0000-01-01", "99991231", "12/1/2010 8:26"} {
		f.Add(s, "")
		f.Add(s, "20060102")
		f.Add(s, "2006-01-02")
		f.Add(s, "1/2/2006 15:04")
	}
	f.Fuzz(func(t *testing.T, s, layout string) {
		got, err := ParseTime(s, layout)
		if err != nil {
			return
		}
		// The allocation-free fast paths agree with time.Parse.
		if layout == "2006-01-02" || layout == "20060102" {
			p := newTimeParser(layout)
			if us, ok := p.parse([]byte(s)); !ok || us != got.UnixMicro() {
				t.Fatalf("fast path for %q with %q: %v %v, time.Parse %v", s, layout, us, ok, got)
			}
		}
	})
}

func FuzzReadSummaryCSV(f *testing.F) {
	f.Add([]byte("customer_id,frequency,recency,T,monetary_value\na,2,30.43,38.86,22.35\nb,0,0,38.86,0\n"))
	f.Add([]byte("frequency,recency,periods,weights\n0,0,6,3464\n1,1,6,1091\n"))
	f.Add([]byte("ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSummaryCSV(bytes.NewReader(data), "fuzz.csv", Week)
		if err != nil {
			return
		}
		checkSummary(t, s)
		for i := range s.Len() {
			if s.Frequency[i] < 0 || s.Frequency[i] != math.Trunc(s.Frequency[i]) {
				t.Fatalf("row %d: frequency %v", i, s.Frequency[i])
			}
		}
	})
}
