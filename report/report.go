package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/cohort"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/event"
)

// Auto is the model choice that lets the report pick the transaction model:
// the one the holdout validation recommends, or without a calibration end
// the one with the smallest BIC.
const Auto = "auto"

// Models are the transaction model names Options.Model accepts besides
// Auto.
var Models = []string{clv.NameBGNBD, clv.NameParetoNBD, clv.NameMBGNBD}

// Options configure Build. Summary is required; everything else is
// optional.
type Options struct {
	// Title of the report; default "Customer value report" with the file
	// name.
	Title string
	// Source describes what was read, for the data overview.
	Source Source
	// Summary is the per-customer summary of the whole observation period
	// (made without a calibration end). Predictions, segments and RFM use
	// it.
	Summary *customers.Summary
	// Calibration, if not nil, is the summary of the same customers made
	// with a calibration end (HoldoutFrequency set): the report fits the
	// models to the calibration period and scores them on the holdout
	// (analysis.Validate).
	Calibration *customers.Summary
	// Events, if not nil, are the events the summaries were made from:
	// they give the event counts of the overview, the validation's tracking
	// and the cohort views. A summary file has none.
	Events *Events
	// Discrete says Summary holds discrete-time data for BG/BB: frequency
	// x, recency t_x (the last period with a transaction) and T the number
	// of opportunities n, typically with weights (see the package doc).
	Discrete bool
	// Model is the transaction model of the predictions and segments:
	// bgnbd, pnbd, mbgnbd, or Auto ("" means Auto).
	Model string
	// Horizon of the CLV in the summary's unit; 0 means one year
	// (analysis.DefaultHorizon).
	Horizon float64
	// AnnualDiscountRate discounts future value, e.g. 0.1 for 10 % a year;
	// 0 means none.
	AnnualDiscountRate float64
	// Margin is the profit margin applied to spend in the CLV; 0 means 1
	// (CLV of revenue).
	Margin float64
	// Currency labels money ("US$"); default none.
	Currency string
	// CohortPeriod is the period of the acquisition cohorts; 0 chooses
	// weeks for data spanning under four months, quarters for data
	// spanning over six years and months otherwise.
	CohortPeriod cohort.Period
	// TopCustomers is the length of the top customers table; 0 means 20.
	TopCustomers int
	// ChartFormat is how charts are embedded: chart.SVG (default) or
	// chart.PNG.
	ChartFormat chart.Format
	// Generated is the time shown as the report's creation time; zero
	// leaves it out (reports then do not change from run to run).
	Generated time.Time
	// Report, if not nil, receives the notes and warnings of the fits, one
	// line each, as they come; they are in the report too.
	Report func(string)
}

// Source describes the input of a report.
type Source struct {
	// File is the input's name as the user knows it.
	File string
	// Rows is the number of data rows read (events, or summary rows).
	Rows int
	// SkippedRows is the number of rows skipped as bad; Skipped says why
	// for the first of them (one message each, e.g. `row 812, column
	// "amount": "12,5x" is not a number`).
	SkippedRows int
	Skipped     []string
	// Notes are further remarks about reading shown in the overview, e.g.
	// the time layout or column mapping used.
	Notes []string
}

// Events are events as plain columns of equal length, one event a row: the
// customer as a dictionary code with CustomerID giving a code's id, the
// time in Unix microseconds (UTC), the kind and the amount (a negative
// purchase amount is a refund, as in package valuekit). valuekit.Events
// gives them:
//
//	report.Events{Customer: ev.Customers(), CustomerID: ev.Dictionary().ID,
//		Time: ev.Times(), Kind: ev.Kinds(), Amount: ev.Amounts()}
type Events struct {
	Customer   []int32
	CustomerID func(code int32) string
	Time       []int64
	Kind       []event.Kind
	Amount     []float64
}

func (e *Events) check() error {
	n := len(e.Customer)
	if len(e.Time) != n || len(e.Kind) != n || len(e.Amount) != n {
		return fmt.Errorf("%w: report: event columns of different lengths: %d customers, %d times, %d kinds, %d amounts",
			event.ErrOption, n, len(e.Time), len(e.Kind), len(e.Amount))
	}
	if e.CustomerID == nil {
		return fmt.Errorf("%w: report: Events.CustomerID is nil", event.ErrOption)
	}
	return nil
}

// Report is a built report: its sections, ready for WriteHTML, and the
// results they were made from, for callers that want the numbers.
type Report struct {
	Title     string
	Generated time.Time
	// Sections in order: overview, models, validation, predictions,
	// segments, rfm, cohorts (see the Section IDs). Every section is
	// present; one that does not apply says why.
	Sections []*Section

	// Fits are the models fitted to the whole period, in the order tried.
	Fits []Fit
	// Model is the transaction model of the predictions (nil when none
	// could be fitted) and ModelReason why it was chosen.
	Model       clv.TransactionModel
	ModelReason string
	// Validation, Prediction, Tiers, Quadrant, RFM and Cohorts are the
	// results of each section; nil when the section could not compute them.
	Validation *analysis.Validation
	Prediction *analysis.Prediction
	Tiers      *analysis.Segmentation
	Quadrant   *analysis.Segmentation
	RFM        *analysis.RFMScores
	Cohorts    *cohort.Table
	// Warnings are every note and warning raised while building, also
	// shown in their sections.
	Warnings []string
}

// Fit is one model fitted to the whole period.
type Fit struct {
	// Name is the model's name (clv.NameBGNBD, …); Model the fit, nil when
	// it failed with Err.
	Name  string
	Model clv.Model
	Err   error
}

// Section IDs, in report order.
const (
	SectionOverview    = "overview"
	SectionModels      = "models"
	SectionValidation  = "validation"
	SectionPredictions = "predictions"
	SectionSegments    = "segments"
	SectionRFM         = "rfm"
	SectionCohorts     = "cohorts"
)

// SectionIDs lists the IDs of every report's sections, in order.
var SectionIDs = []string{SectionOverview, SectionModels, SectionValidation, SectionPredictions, SectionSegments, SectionRFM, SectionCohorts}

// Section is one part of the report: a title, a plain-language
// explanation of what it shows and how to read it, and its content.
type Section struct {
	ID, Title string
	// Intro explains the section, one paragraph per entry.
	Intro  []string
	Blocks []Block
}

// Block is one piece of a section's content: exactly one of its fields is
// set.
type Block struct {
	// Heading starts a sub-part of the section.
	Heading string
	// Text is a paragraph; Warning a paragraph set off as a warning (a fit
	// at a limit, something that could not be computed), Note one set off
	// as a remark.
	Text, Warning, Note string
	// Facts are label–value pairs, shown as a definition list.
	Facts []Fact
	// Table and Chart are a table and an embedded chart.
	Table *Table
	Chart *Chart
}

// Fact is one labelled value.
type Fact struct{ Label, Value string }

// Table is a table of text cells. Numeric marks the columns to align
// right.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
	Numeric []bool
	// Wide lets the table scroll sideways instead of wrapping its cells.
	Wide bool
}

// Chart is a rendered chart.
type Chart struct {
	// Title is the chart's name, used as its alternative text; Caption
	// says how to read it.
	Title, Caption string
	// Format is chart.SVG or chart.PNG and Data the rendered bytes.
	Format chart.Format
	Data   []byte
	// Width is the chart's display width in CSS pixels.
	Width int
}

// builder carries the state of one Build.
type builder struct {
	ctx  context.Context
	opts Options
	r    *Report
	unit string // the summary's unit, singular ("week")
	// spend is the spend per purchase of the predictions and segments.
	spend analysis.Spend
	// rate is the discount rate per unit of time, horizon the CLV horizon.
	rate, horizon float64
	// modelValues carries the chosen model and spend into analysis.Segment.
	modelValues *analysis.ModelValueOptions
	// noMoney says the summary has no amounts: CLV counts purchases.
	noMoney bool
	// suspicious holds the ids of customers that are probably not one
	// customer (see suspiciousCustomers).
	suspicious map[string]bool
}

// Build computes every section of the report. It fails for bad options
// (wrapping event.ErrOption) and a cancelled context; whatever cannot be
// computed from the data is said in its section instead.
func Build(ctx context.Context, opts Options) (*Report, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	title := opts.Title
	if title == "" {
		title = "Customer value report"
		if opts.Source.File != "" {
			title += ": " + opts.Source.File
		}
	}
	b := &builder{ctx: ctx, opts: opts, r: &Report{Title: title, Generated: opts.Generated}, unit: opts.Summary.Unit.String()}
	b.horizon = opts.Horizon
	if b.horizon == 0 {
		b.horizon = analysis.DefaultHorizon(opts.Summary.Unit)
	}
	if opts.AnnualDiscountRate != 0 {
		b.rate = analysis.AnnualRate(opts.AnnualDiscountRate, opts.Summary.Unit, false)
	}
	steps := []func() error{b.overview}
	if opts.Discrete {
		steps = append(steps, b.discreteModels, b.discreteValidation, b.discretePredictions, b.discreteRest)
	} else {
		steps = append(steps, b.models, b.validation, b.chooseModel, b.predictions, b.segments, b.rfm, b.cohorts)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	// Every section exists, in the documented order.
	byID := map[string]*Section{}
	for _, s := range b.r.Sections {
		byID[s.ID] = s
	}
	b.r.Sections = b.r.Sections[:0]
	for _, id := range SectionIDs {
		s, ok := byID[id]
		if !ok {
			s = &Section{ID: id, Title: id}
		}
		b.r.Sections = append(b.r.Sections, s)
	}
	return b.r, nil
}

func checkOptions(o *Options) error {
	s := o.Summary
	if s == nil {
		return fmt.Errorf("%w: report: no summary", event.ErrOption)
	}
	if s.Len() == 0 {
		return fmt.Errorf("%w: report: the summary has no customers", event.ErrOption)
	}
	if o.Model == "" {
		o.Model = Auto
	}
	if o.Model != Auto && !slices.Contains(Models, o.Model) {
		return fmt.Errorf("%w: report: model %q, want bgnbd, pnbd, mbgnbd or auto", event.ErrOption, o.Model)
	}
	if o.Calibration != nil && o.Calibration.HoldoutFrequency == nil {
		return fmt.Errorf("%w: report: the calibration summary has no holdout period (summarise it with a calibration end)", event.ErrOption)
	}
	if o.Calibration != nil && o.Discrete {
		return fmt.Errorf("%w: report: discrete-time data has no calibration summary", event.ErrOption)
	}
	if o.Events != nil {
		if err := o.Events.check(); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		name string
		v    float64
		ok   bool
	}{
		{"horizon", o.Horizon, o.Horizon >= 0},
		{"annual discount rate", o.AnnualDiscountRate, o.AnnualDiscountRate >= 0},
		{"margin", o.Margin, o.Margin >= 0 && o.Margin <= 1},
	} {
		if !c.ok || math.IsInf(c.v, 0) || math.IsNaN(c.v) {
			return fmt.Errorf("%w: report: %s %v", event.ErrOption, c.name, c.v)
		}
	}
	if o.TopCustomers < 0 {
		return fmt.Errorf("%w: report: %d top customers", event.ErrOption, o.TopCustomers)
	}
	if o.TopCustomers == 0 {
		o.TopCustomers = 20
	}
	if o.ChartFormat == "" {
		o.ChartFormat = chart.SVG
	}
	if o.ChartFormat != chart.SVG && o.ChartFormat != chart.PNG {
		return fmt.Errorf("%w: report: chart format %q, want svg or png", event.ErrOption, o.ChartFormat)
	}
	return nil
}

// section adds a new section and returns it.
func (b *builder) section(id, title string, intro ...string) *Section {
	s := &Section{ID: id, Title: title, Intro: intro}
	b.r.Sections = append(b.r.Sections, s)
	return s
}

// say records a note or warning of the analysis.
func (b *builder) say(line string) {
	b.r.Warnings = append(b.r.Warnings, line)
	if b.opts.Report != nil {
		b.opts.Report(line)
	}
}

// collect returns a report function that keeps the lines it is given (and
// passes them on to say).
func (b *builder) collect(lines *[]string) func(string) {
	return func(line string) {
		*lines = append(*lines, line)
		b.say(line)
	}
}

func (s *Section) add(bl ...Block) { s.Blocks = append(s.Blocks, bl...) }

func (s *Section) text(format string, args ...any) {
	s.add(Block{Text: fmt.Sprintf(format, args...)})
}

func (s *Section) warn(format string, args ...any) {
	s.add(Block{Warning: fmt.Sprintf(format, args...)})
}

func (s *Section) note(format string, args ...any) {
	s.add(Block{Note: fmt.Sprintf(format, args...)})
}

func (s *Section) heading(h string) { s.add(Block{Heading: h}) }

// cliHints removes the command-line advice from the analysis' notes: the
// report has no such flags.
var cliHints = strings.NewReplacer("; use --spend gg for a per-customer spend model", "", "; give --spend", "")

// notesOnly adds the notes among the lines an analysis reported, leaving
// out its warnings (which the section says in its own words).
func (s *Section) notesOnly(lines []string) {
	var notes []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "warning: ") {
			notes = append(notes, l)
		}
	}
	s.notes(notes)
}

// notes adds the lines an analysis reported, warnings set off as such.
func (s *Section) notes(lines []string) {
	for _, l := range lines {
		l = cliHints.Replace(modelNames.Replace(l))
		if len(l) > 9 && l[:9] == "warning: " {
			s.warn("%s", upperFirst(l[9:]))
		} else {
			s.note("%s", upperFirst(trimPrefix(l, "note: ")))
		}
	}
}
