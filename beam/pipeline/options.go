package pipeline

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/segment"
)

// Options configure the pipeline. They travel to the workers inside the
// pipeline's functions, so they hold only plain values.
type Options struct {
	// Input is a file pattern (glob) of event files: CSV (plain or gzip),
	// Parquet or Arrow IPC, told apart by extension unless Format is set.
	Input  string
	Format string
	// Mapping of the files' columns, as the CLI's mapping flags.
	Columns    valuekit.Columns
	TimeLayout string
	// KindNames maps an export's words to kinds, e.g. {"order": "purchase"}.
	KindNames map[string]string
	// Comma is the CSV separator; "" means ",".
	Comma string

	// Unit of the summaries and models: day, week, month or year ("" is
	// day, the valuekit CLI's default).
	Unit string
	// End is the last day observed (YYYY-MM-DD); "" means the day of the
	// latest event in all files.
	End string
	// Margin in [0, 1] applied to revenue for profit and to spend in CLV
	// (0: none), as the CLI's --margin.
	Margin float64

	// SplitBytes: plain CSV files larger than this are cut at record starts
	// into ranges of about this size (valuekit.CSVRanges, one pass over the
	// file by one worker), read by as many workers, with the rows numbered
	// and the time layout detected as for the whole file. 0 means 256 MiB;
	// negative never cuts. Compressed, Parquet and Arrow files are read
	// whole, one worker each.
	SplitBytes int64

	// Shards is the number of customer shards (default 64): each holds the
	// customers whose id hashes to it, and is summarised and scored by one
	// worker at a time.
	Shards int

	// Model is the transaction model fitted: bgnbd (default), pnbd or
	// mbgnbd; spend comes from a Gamma-Gamma model fitted alongside.
	Model string
	// Horizon of expected purchases and CLV in Unit (0: one year).
	Horizon float64
	// DiscountRate is the discount rate of CLV per Unit; AnnualDiscount a
	// yearly rate converted to Unit (analysis.AnnualRate) instead; at most
	// one of them is set; both 0 means no discounting, as in the CLI.
	// Continuous discounts continuously, exp(-rate·t).
	DiscountRate   float64
	AnnualDiscount float64
	Continuous     bool
	// ReferralShare in [0, 1] is the share of a referred customer's CLV
	// credited to the referrer (the CLI's default is 1; 0 credits
	// nothing); ValuePerShare the value credited per share event.
	ReferralShare, ValuePerShare float64

	// Segments, when "abc", adds A/B/C tiers of CLV (A: the customers
	// making the top 80 % of the value, B the next 15 %, C the rest; the
	// thresholds are global): OUTPUT-segments-SSSSS-of-NNNNN.csv with
	// customer_id, clv, segment (valuekit segment --scheme abc --profit
	// clv's columns) and OUTPUT-tiers.json. "quadrant" adds the CLV ×
	// experience quadrant cut at the global medians (valuekit segment
	// --scheme quadrant --profit clv: customer_id, clv, experience,
	// segment) and OUTPUT-quadrant.json. "rfm" adds RFM quintile scores
	// with global cuts and the named segments (valuekit rfm's columns:
	// OUTPUT-rfm-SSSSS-of-NNNNN.csv) and OUTPUT-rfm.json. "" adds none.
	Segments string

	// Budget, Allocation and AtRisk are the portfolio's options with
	// Segments abc or quadrant (valuekit segment --portfolio's --budget,
	// --allocation and --at-risk): the budget to allocate across segments
	// (0: none), the rule (value, risk or equal; "" is value) and the
	// P(alive) below which a customer counts as likely lost (0: 0.5).
	// Other than their defaults, they need Segments abc or quadrant.
	Budget     float64
	Allocation string
	AtRisk     float64

	// Output is the prefix of the output files: OUTPUT-customers-SSSSS-of-NNNNN.csv
	// (or .parquet with OutputFormat "parquet"), OUTPUT-models.json,
	// OUTPUT-dead-letters.csv; with Segments abc or quadrant also
	// OUTPUT-portfolio.csv and OUTPUT-portfolio.json.
	Output       string
	OutputFormat string
}

// check validates o and fills defaults.
// splitBytes returns the size above which CSV files are cut, 0 for never.
func (o Options) splitBytes() int64 {
	switch {
	case o.SplitBytes < 0:
		return 0
	case o.SplitBytes == 0:
		return 256 << 20
	}
	return o.SplitBytes
}

func (o *Options) check() error {
	if o.Input == "" {
		return fmt.Errorf("%w: no input pattern", valuekit.ErrOption)
	}
	if o.Output == "" {
		return fmt.Errorf("%w: no output prefix", valuekit.ErrOption)
	}
	if o.Unit == "" {
		o.Unit = "day"
	}
	if _, err := valuekit.ParseUnit(o.Unit); err != nil {
		return err
	}
	if o.End != "" {
		if _, err := time.Parse(time.DateOnly, o.End); err != nil {
			return fmt.Errorf("%w: end %q is not a YYYY-MM-DD date", valuekit.ErrOption, o.End)
		}
	}
	if o.Shards == 0 {
		o.Shards = 64
	}
	if o.Shards < 1 || o.Shards > 1<<20 {
		return fmt.Errorf("%w: %d shards (want 1 to 1048576)", valuekit.ErrOption, o.Shards)
	}
	if o.Model == "" {
		o.Model = clv.NameBGNBD
	}
	switch o.Model {
	case clv.NameBGNBD, clv.NameParetoNBD, clv.NameMBGNBD:
	default:
		return fmt.Errorf("%w: model %q (want bgnbd, pnbd or mbgnbd)", valuekit.ErrOption, o.Model)
	}
	switch o.Segments {
	case "", "abc", "quadrant", "rfm":
	default:
		return fmt.Errorf("%w: segments %q (want abc, quadrant, rfm or nothing)", valuekit.ErrOption, o.Segments)
	}
	if !(o.Budget >= 0) || math.IsInf(o.Budget, 0) {
		return fmt.Errorf("%w: budget %v, want a finite number >= 0", valuekit.ErrOption, o.Budget)
	}
	if !(o.AtRisk >= 0 && o.AtRisk <= 1) {
		return fmt.Errorf("%w: at-risk %v, want a number in (0, 1]", valuekit.ErrOption, o.AtRisk)
	}
	if _, err := segment.ParseAllocation(o.allocation()); err != nil {
		return fmt.Errorf("allocation: %w", err)
	}
	if (o.Budget != 0 || o.allocation() != "value" || (o.AtRisk != 0 && o.AtRisk != 0.5)) && o.Segments != "abc" && o.Segments != "quadrant" {
		return fmt.Errorf("%w: budget, allocation and at-risk are the portfolio's, written with segments abc or quadrant only", valuekit.ErrOption)
	}
	switch o.Format {
	case "", "csv", "parquet", "arrow":
	default:
		return fmt.Errorf("%w: input format %q (want csv, parquet or arrow; empty: by extension)", valuekit.ErrOption, o.Format)
	}
	switch o.OutputFormat {
	case "":
		o.OutputFormat = "csv"
	case "csv", "parquet":
	default:
		return fmt.Errorf("%w: output format %q (want csv or parquet)", valuekit.ErrOption, o.OutputFormat)
	}
	if !(o.Horizon >= 0) || !(o.DiscountRate >= 0) || !(o.AnnualDiscount >= 0) {
		return fmt.Errorf("%w: horizon and discount rates must be numbers >= 0", valuekit.ErrOption)
	}
	if o.DiscountRate != 0 && o.AnnualDiscount != 0 {
		return fmt.Errorf("%w: give at most one of the discount rate per unit and the annual discount rate", valuekit.ErrOption)
	}
	if !(o.Margin >= 0 && o.Margin <= 1) {
		return fmt.Errorf("%w: margin %v, want a number in [0, 1]", valuekit.ErrOption, o.Margin)
	}
	if !(o.ReferralShare >= 0 && o.ReferralShare <= 1) {
		return fmt.Errorf("%w: referral share %v, want a number in [0, 1]", valuekit.ErrOption, o.ReferralShare)
	}
	if !(o.ValuePerShare >= 0) || math.IsInf(o.ValuePerShare, 0) {
		return fmt.Errorf("%w: value per share %v, want a finite number >= 0", valuekit.ErrOption, o.ValuePerShare)
	}
	if _, err := o.readOptions(); err != nil {
		return err
	}
	return nil
}

// allocation returns the portfolio's allocation rule name ("" is value).
func (o *Options) allocation() string {
	if o.Allocation == "" {
		return "value"
	}
	return o.Allocation
}

func (o *Options) unit() valuekit.Unit {
	u, _ := valuekit.ParseUnit(o.Unit)
	return u
}

func (o *Options) end() time.Time {
	if o.End == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.DateOnly, o.End)
	return t
}

func (o *Options) readOptions() (*valuekit.ReadOptions, error) {
	ro := &valuekit.ReadOptions{Columns: o.Columns, TimeLayout: o.TimeLayout, SkipBadRows: true, Format: o.Format}
	if len(o.KindNames) > 0 {
		ro.KindNames = map[string]valuekit.Kind{}
		for word, name := range o.KindNames {
			k, ok := valuekit.ParseKind(name)
			if !ok {
				return nil, fmt.Errorf("%w: kind %q for %q (want purchase, refund, referral, share or feedback)", valuekit.ErrOption, name, word)
			}
			ro.KindNames[strings.ToLower(word)] = k
		}
	}
	switch len([]rune(o.Comma)) {
	case 0:
	case 1:
		ro.Comma = []rune(o.Comma)[0]
	default:
		return nil, fmt.Errorf("%w: separator %q is not one character", valuekit.ErrOption, o.Comma)
	}
	return ro, nil
}

func (o *Options) summaryOptions() *valuekit.SummaryOptions {
	return &valuekit.SummaryOptions{Unit: o.unit(), End: o.end(), Margin: o.Margin}
}

func (o *Options) predictOptions() analysis.PredictOptions {
	h := o.Horizon
	if h == 0 {
		h = analysis.DefaultHorizon(o.unit())
	}
	rate := o.DiscountRate
	if o.AnnualDiscount != 0 {
		rate = analysis.AnnualRate(o.AnnualDiscount, o.unit(), o.Continuous)
	}
	return analysis.PredictOptions{
		Horizon:      h,
		DiscountRate: rate,
		Continuous:   o.Continuous,
		Margin:       o.Margin,
		// Referral and total value are computed across shards (see
		// referral.go); within a shard Predict would see only part of
		// the referred customers.
		ReferralShare: o.ReferralShare,
		ValuePerShare: o.ValuePerShare,
		Report:        func(string) {},
	}
}
