// Package sampledata embeds small published data sets, so that examples and
// first experiments run without any file at hand.
//
//   - CDNOW: the CDNOW 1/10th sample, 6,919 purchases by 2,357 customers who
//     first bought in the first quarter of 1997, observed 1997-01-01 to
//     1998-06-30. Columns customer_id, date (YYYY-MM-DD), cds, amount (US$).
//     Used by Fader, Hardie & Lee (2005), "Counting your customers the easy
//     way", Marketing Science 24(2), with a calibration period ending
//     1997-09-30 and time in weeks.
//   - Donations: annual repeat donations of the 1995 cohort of a US
//     non-profit (Fader, Hardie & Shang 2010, Marketing Science 29(6)):
//     columns frequency, recency, periods, weights.
package sampledata

import (
	_ "embed"
	"io"
	"strings"
)

//go:embed cdnow_sample.csv
var cdnow string

//go:embed donations.csv
var donations string

// CDNOW returns the CDNOW sample as CSV.
func CDNOW() io.Reader { return strings.NewReader(cdnow) }

// Donations returns the donations data as CSV.
func Donations() io.Reader { return strings.NewReader(donations) }
