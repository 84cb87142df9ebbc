package report_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/report"
	"github.com/valuekit/valuekit/sampledata"
)

// What `valuekit report cdnow_sample.csv --calibration-end 1997-09-30` does,
// from Go: read the events, summarise them over the whole period and once
// more with the calibration end, build the report and write it.
func ExampleBuild() {
	ctx := context.Background()
	events, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	whole, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{Unit: valuekit.Week})
	if err != nil {
		log.Fatal(err)
	}
	cal, err := valuekit.Summarize(ctx, events, &valuekit.SummaryOptions{
		Unit: valuekit.Week, CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := report.Build(ctx, report.Options{
		Source:      report.Source{File: "cdnow_sample.csv", Rows: events.Rows},
		Summary:     whole,
		Calibration: cal,
		Events: &report.Events{Customer: events.Customers(), CustomerID: events.Dictionary().ID,
			Time: events.Times(), Kind: events.Kinds(), Amount: events.Amounts()},
		Currency:           "US$",
		AnnualDiscountRate: 0.1,
	})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "report-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	f, err := os.Create(filepath.Join(dir, "report.html"))
	if err != nil {
		log.Fatal(err)
	}
	if err := r.WriteHTML(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	for _, s := range r.Sections {
		fmt.Printf("%-11s %s\n", s.ID, s.Title)
	}
	fmt.Printf("BG/NBD holdout forecast: %.1f purchase days, actual %.0f\n", r.Validation.Scores[0].PredictedTotal, r.Validation.Scores[0].ActualTotal)
	fmt.Printf("predictions by %s: %s\n", r.Model.Name(), r.ModelReason)
	// Output:
	// overview    Data overview
	// models      Fitted models
	// validation  Validation on a holdout period
	// predictions Predictions
	// segments    Segment portfolio
	// rfm         RFM segments
	// cohorts     Acquisition cohorts
	// BG/NBD holdout forecast: 1653.4 purchase days, actual 1882
	// predictions by pnbd: the holdout validation recommends it (see Validation)
}
