package valuekit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/sampledata"
)

// Summarise the CDNOW sample over the calibration period of Fader, Hardie &
// Lee (2005), in weeks.
func ExampleSummarize() {
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := valuekit.Summarize(context.Background(), events, &valuekit.SummaryOptions{
		Unit:           valuekit.Week,
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Len(), "customers")
	fmt.Printf("customer %s: x=%.0f t_x=%.2f T=%.2f m=%.3f holdout=%.0f\n",
		s.CustomerID[0], s.Frequency[0], s.Recency[0], s.T[0], s.MonetaryValue[0], s.HoldoutFrequency[0])
	// Output:
	// 2357 customers
	// customer 1: x=2 t_x=30.43 T=38.86 m=22.345 holdout=1
}

// Read an export with its own column names, date layout and kind words.
func ExampleReadCSV() {
	export := `Client;Day;What;Total
007;20240105;order;30
007;20240212;return;5
007;20240301;order;20
`
	events, err := valuekit.ReadCSV(strings.NewReader(export), "export.csv", &valuekit.ReadOptions{
		Comma:      ';',
		Columns:    valuekit.Columns{Customer: "Client", Time: "Day", Kind: "What", Amount: "Total"},
		TimeLayout: "20060102",
		KindNames:  map[string]valuekit.Kind{"order": valuekit.Purchase, "return": valuekit.Refund},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range events.Len() {
		fmt.Println(events.CustomerID(i), events.Time(i).Format(time.DateOnly), events.Kinds()[i], events.Amounts()[i])
	}
	// Output:
	// 007 2024-01-05 purchase 30
	// 007 2024-02-12 refund 5
	// 007 2024-03-01 purchase 20
}

// Bad values are reported with file, row, column and value.
func ExampleRowError() {
	_, err := valuekit.ReadCSV(strings.NewReader("customer_id,date,amount\n1,2024-01-05,12\n2,2024-01-06,\"12,5x\"\n"), "orders.csv", nil)
	fmt.Println(err)
	var re *valuekit.RowError
	if errors.As(err, &re) {
		fmt.Println(re.Row, re.Column, errors.Is(err, valuekit.ErrBadRow))
	}
	// Output:
	// orders.csv: row 3, column "amount": "12,5x" is not a number
	// 3 amount true
}

// Accumulators built on separate chunks merge into the one-pass summary.
func ExampleAccumulator_Merge() {
	events, _ := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	opts := &valuekit.SummaryOptions{Unit: valuekit.Week}
	half := events.Len() / 2
	a, _ := valuekit.NewAccumulator(opts)
	b, _ := valuekit.NewAccumulator(opts)
	_ = a.Add(events.Slice(0, half)) // e.g. on one goroutine or machine
	_ = b.Add(events.Slice(half, events.Len()))
	_ = a.Merge(b)
	s, _ := a.Summary()
	fmt.Println(s.Len(), s.Events)
	// Output:
	// 2357 6919
}

// Summarise one quarter's activity only: the customers active in it, their
// purchases and revenue inside it.
func ExampleEvents_Window() {
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	q := events.Window(time.Date(1998, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(1998, 7, 1, 0, 0, 0, 0, time.UTC))
	s, err := valuekit.Summarize(context.Background(), q, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Len(), "events of", s.Len(), "customers in Q2 1998")
	// Output: 513 events of 300 customers in Q2 1998
}

// Read one CSV file on several machines: cut it at record starts into
// ranges of about 40 KiB, read each range on its own (here in turn) into
// an accumulator, and merge. Row numbers, errors and the time layout are
// those of the whole file.
func ExampleCSVRanges() {
	data, _ := io.ReadAll(sampledata.CDNOW())
	ranges, _ := valuekit.CSVRanges(bytes.NewReader(data), "cdnow_sample.csv", 40<<10, nil)
	opts := &valuekit.SummaryOptions{Unit: valuekit.Week}
	total, _ := valuekit.NewAccumulator(opts)
	for _, rg := range ranges {
		end := min(rg.End, int64(len(data)))
		r, _ := valuekit.NewCSVRangeReader(bytes.NewReader(data), bytes.NewReader(data[rg.Start:end]), "cdnow_sample.csv", rg, nil)
		part, _ := valuekit.NewAccumulator(opts) // e.g. on another machine
		for r.Next() {
			_ = part.Add(r.Events())
		}
		_ = total.Merge(part)
	}
	s, _ := total.Summary()
	fmt.Println(len(ranges), "ranges, first rows", ranges[0].Row+1, ranges[1].Row+1, "layout", ranges[0].TimeFormat)
	fmt.Println(s.Len(), s.Events)
	// Output:
	// 4 ranges, first rows 2 1797 layout 2006-01-02
	// 2357 6919
}

// Share a table's events out by customer to several accumulators without
// copying them: each takes its rows.
func ExampleAccumulator_AddRows() {
	events, _ := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	opts := &valuekit.SummaryOptions{Unit: valuekit.Week}
	even, _ := valuekit.NewAccumulator(opts)
	odd, _ := valuekit.NewAccumulator(opts)
	var evenRows, oddRows []int32
	for i := range events.Len() {
		if id := events.CustomerID(i); (id[len(id)-1]-'0')%2 == 0 {
			evenRows = append(evenRows, int32(i))
		} else {
			oddRows = append(oddRows, int32(i))
		}
	}
	_ = even.AddRows(events, evenRows)
	_ = odd.AddRows(events, oddRows)
	e, _ := even.Summary()
	o, _ := odd.Summary()
	fmt.Println(e.Len(), o.Len(), e.Len()+o.Len())
	// Output:
	// 1178 1179 2357
}
