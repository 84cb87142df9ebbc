package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzSummaryFlags runs the summary command with fuzzed flag values and a
// fuzzed header mapping over a small valid file: whatever the user types,
// the command must answer with exit status 0, 1 or 2 and never panic, and
// on success print a header starting with the contract columns.
func FuzzSummaryFlags(f *testing.F) {
	f.Add("customer_id", "date", "amount", "", "", "week", "", "")
	f.Add("Kunde", "Datum", "Betrag", "20060102", "kauf=purchase", "day", "1997-03-01", "1997-02-01")
	f.Add("", "", "", "1/2/2006 15:04", "a=b,c", "fortnight", "x", "2020-13-45")
	f.Fuzz(func(t *testing.T, customer, timeCol, amount, layout, kindMap, unit, end, calEnd string) {
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		header := strings.Join([]string{orDefault(customer, "customer_id"), orDefault(timeCol, "date"), orDefault(amount, "amount")}, ",")
		data := header + "\n1,1997-01-01,10\n1,1997-02-03,5\n2,1997-01-05,7\n"
		if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"summary", in, "--customer", customer, "--time", timeCol, "--amount", amount,
			"--time-format", layout, "--kind-map", kindMap, "--unit", unit, "--end", end, "--calibration-end", calEnd}
		var out, errb bytes.Buffer
		code := run(context.Background(), &out, &errb, args)
		switch code {
		case 0:
			if !strings.HasPrefix(out.String(), "customer_id,frequency,recency,T,monetary_value,") {
				t.Fatalf("success without the summary header: %q", out.String())
			}
			if strings.Contains(out.String(), "NaN") || strings.Contains(out.String(), "Inf") {
				t.Fatalf("non-finite value in output: %q", out.String())
			}
		case 1, 2:
			if errb.Len() == 0 {
				t.Fatalf("exit %d without a message", code)
			}
		default:
			t.Fatalf("exit status %d", code)
		}
	})
}

func orDefault(s, d string) string {
	if s == "" || strings.ContainsAny(s, ",\"\r\n") {
		return d
	}
	return s
}
