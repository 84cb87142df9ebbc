// Quickstart reads the embedded CDNOW sample, summarises every customer's
// purchases over the calibration period used in the BTYD literature
// (1997-01-01 to 1997-09-30, time in weeks) and prints the first rows of
// the per-customer summary.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"text/tabwriter"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/sampledata"
)

func main() {
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	calEnd := time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	s, err := valuekit.Summarize(context.Background(), events, &valuekit.SummaryOptions{
		Unit:           valuekit.Week,
		CalibrationEnd: calEnd,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d events, %d customers; calibration period to %s, holdout to %s, time in weeks\n\n",
		events.Len(), s.Len(), s.CalibrationEnd.Format(time.DateOnly), s.End.Format(time.DateOnly))

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "customer\tfrequency\trecency\tT\tmonetary value\trevenue\tholdout purchases\tholdout revenue\t")
	for i := range min(15, s.Len()) {
		fmt.Fprintf(w, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%.2f\t\n", s.CustomerID[i], s.Frequency[i], s.Recency[i],
			s.T[i], s.MonetaryValue[i], s.Revenue[i], s.HoldoutFrequency[i], s.HoldoutRevenue[i])
	}
	w.Flush()

	var repeaters int
	var revenue, holdout float64
	for i := range s.Len() {
		if s.Frequency[i] > 0 {
			repeaters++
		}
		revenue += s.Revenue[i]
		holdout += s.HoldoutRevenue[i]
	}
	fmt.Printf("\n… %d more customers. %d of %d made a repeat purchase in the calibration period;\n", s.Len()-15, repeaters, s.Len())
	fmt.Printf("revenue $%.2f in calibration, $%.2f in holdout.\n", revenue, holdout)
}
