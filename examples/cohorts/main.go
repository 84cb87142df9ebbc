// Command cohorts prints the monthly retention matrix of the CDNOW sample
// and a projection of retention and cumulative value with the
// shifted-beta-geometric model. Run it from the module root:
//
//	go run ./examples/cohorts
//	go run ./examples/cohorts -period quarter -project 4 -data other.csv
//
// The data file is a CSV with the columns customer_id, date (YYYY-MM-DD)
// and amount (other columns are ignored); every row is a purchase.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/cohort"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cohorts:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("cohorts", flag.ContinueOnError)
	data := fs.String("data", "testdata/cdnow_sample.csv", "purchases CSV (customer_id,date,amount)")
	periodName := fs.String("period", "month", "cohort period: day, week, month, quarter or year")
	project := fs.Int("project", 6, "periods to project beyond the observed ages")
	if err := fs.Parse(args); err != nil {
		return err
	}
	period, err := cohort.ParsePeriod(*periodName)
	if err != nil {
		return fmt.Errorf("-period: %w", err)
	}
	ev, err := readPurchases(*data)
	if err != nil {
		return err
	}

	tb, err := cohort.Build(ev, &cohort.Options{Period: period})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d purchases, observed to %s\n\n", ev.Len(), tb.End.Format(time.DateOnly))
	if err := cohort.WriteMatrix(w, tb, cohort.Retention); err != nil {
		return err
	}

	pr, err := cohort.Project(context.Background(), tb, &cohort.ProjectOptions{Periods: *project})
	if err != nil {
		return err
	}
	m := pr.Pooled.Model
	fmt.Fprintf(w, "\nsBG fitted to the pooled survival of %d ages: alpha %.3f, beta %.3f\n",
		len(pr.Pooled.Alive), m.Alpha, m.Beta)
	fmt.Fprintf(w, "%.1f%% of surviving customers buy in a %s, spending %.2f on average\n\n",
		100*pr.ActiveRate, period, pr.RevenuePerActive)
	if err := cohort.WriteMatrix(w, pr.Table, cohort.Retention); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return cohort.WriteMatrix(w, pr.Table, cohort.CumulativeRevenue)
}

// readPurchases reads customer_id, date and amount from a CSV file,
// dictionary-encoding the customer ids.
func readPurchases(path string) (cohort.Events, error) {
	var ev cohort.Events
	f, err := os.Open(path)
	if err != nil {
		return ev, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return ev, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, name := range header {
		col[name] = i
	}
	for _, name := range []string{"customer_id", "date", "amount"} {
		if _, ok := col[name]; !ok {
			return ev, fmt.Errorf("%s: no column %q", path, name)
		}
	}
	codes := map[string]int32{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ev, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		id := rec[col["customer_id"]]
		code, ok := codes[id]
		if !ok {
			code = int32(len(codes))
			codes[id] = code
		}
		d, err := time.Parse(time.DateOnly, rec[col["date"]])
		if err != nil {
			return ev, fmt.Errorf("%s: row %d, column \"date\": %q is not a YYYY-MM-DD date", path, line, rec[col["date"]])
		}
		amt, err := strconv.ParseFloat(rec[col["amount"]], 64)
		if err != nil {
			return ev, fmt.Errorf("%s: row %d, column \"amount\": %q is not a number", path, line, rec[col["amount"]])
		}
		ev.Customer = append(ev.Customer, code)
		ev.Time = append(ev.Time, d.UnixMicro())
		ev.Kind = append(ev.Kind, valuekit.Purchase)
		ev.Amount = append(ev.Amount, amt)
	}
	return ev, nil
}
