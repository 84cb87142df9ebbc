package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
)

// inputFlags are the flags every command that reads events shares: the
// column mapping, the time layout and the summary options.
type inputFlags struct {
	customer, time, kind, amount, cost, quantity, referred, score string
	timeFormat, kindMap, format, sep                              string
	unit, end, calibrationEnd                                     string
	margin                                                        float64
	skipBad, quiet                                                bool
	unitSet                                                       bool // --unit was given
	// modelColumns summarises events into the columns a model fit reads
	// only (valuekit.SummaryOptions.ModelColumns): set by fit.
	modelColumns bool
}

// unitFlag is --unit, remembering whether it was given: a summary file or
// a model that records its unit is not overridden by the default.
type unitFlag struct {
	s   *string
	set *bool
}

func (u unitFlag) String() string {
	if u.s == nil {
		return ""
	}
	return *u.s
}

func (u unitFlag) Set(v string) error {
	if _, err := valuekit.ParseUnit(v); err != nil {
		return err
	}
	*u.s, *u.set = v, true
	return nil
}

// timeFormatFlag is --time-format, a Go layout. A strftime layout such as
// %Y-%m-%d (Python, R, SQL) is refused as it is parsed, with its Go
// translation.
type timeFormatFlag struct{ p *string }

func (t timeFormatFlag) String() string {
	if t.p == nil {
		return ""
	}
	return *t.p
}

func (t timeFormatFlag) Set(v string) error {
	if strings.Contains(v, "%") {
		if g, ok := goLayout(v); ok {
			return fmt.Errorf("%q is a strftime layout; valuekit takes Go layouts, written with the reference time Mon Jan 2 15:04:05 2006: give --time-format '%s'", v, g)
		}
		return fmt.Errorf("%q looks like a strftime layout; valuekit takes Go layouts, written with the reference time Mon Jan 2 15:04:05 2006, e.g. 2006-01-02 for %%Y-%%m-%%d", v)
	}
	*t.p = v
	return nil
}

// strftimeToGo maps strftime directives to Go layout elements.
var strftimeToGo = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03", 'M': "04", 'S': "05",
	'p': "PM", 'b': "Jan", 'h': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'j': "002",
	'z': "-0700", 'Z': "MST", 'f': "000000", 'F': "2006-01-02", 'T': "15:04:05", 'D': "01/02/06", '%': "%",
}

// goLayout translates a strftime layout into a Go layout, and false when it
// has a directive without a Go equivalent.
func goLayout(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			return "", false
		}
		i++
		g, ok := strftimeToGo[s[i]]
		if !ok {
			return "", false
		}
		b.WriteString(g)
	}
	return b.String(), true
}

// marginFlag is --margin, checked as it is parsed (a usage error before
// any work): a margin in (0, 1]. Not giving it means no margin — values
// are revenue, margin 1 — so an explicit 0, which would value everything
// at 0 and used to be taken as 1, is refused.
type marginFlag struct{ p *float64 }

func (m marginFlag) String() string {
	if m.p == nil || *m.p == 0 {
		return ""
	}
	return strconv.FormatFloat(*m.p, 'g', -1, 64)
}

func (m marginFlag) Set(v string) error {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(x > 0 && x <= 1) {
		return fmt.Errorf("want a margin in (0, 1], e.g. 0.3 for 30 %%; leave --margin out to value revenue (margin 1)")
	}
	*m.p = x
	return nil
}

func addInputFlags(fs *flag.FlagSet) *inputFlags {
	f := &inputFlags{}
	fs.StringVar(&f.customer, "customer", "", "column holding the customer id (default: customer_id or a common alias)")
	fs.StringVar(&f.time, "time", "", "column holding the event time (default: time, date or a common alias)")
	fs.StringVar(&f.kind, "kind", "", "column holding the event kind (default: kind; without one every row is a purchase)")
	fs.StringVar(&f.amount, "amount", "", "column holding the amount (default: amount or a common alias)")
	fs.StringVar(&f.cost, "cost", "", "column holding the cost, for profit (default: cost)")
	fs.StringVar(&f.quantity, "quantity", "", "column holding the quantity (default: quantity)")
	fs.StringVar(&f.referred, "referred", "", "column holding the referred customer of a referral (default: referred_id)")
	fs.StringVar(&f.score, "score", "", "column holding the feedback score (default: score)")
	fs.Var(timeFormatFlag{&f.timeFormat}, "time-format", "Go `layout` of the time column, e.g. 20060102 or '1/2/2006 15:04' (default: detect RFC 3339, 2006-01-02, 2006-01-02 15:04:05, 20060102); times with a zone are taken in UTC, and days are UTC days")
	fs.StringVar(&f.kindMap, "kind-map", "", "translate the export's kind words, e.g. 'order=purchase,return=refund,invite=referral'")
	fs.StringVar(&f.format, "format", "", "input format: csv, parquet or arrow (default: parquet or arrow by extension or by the first bytes, csv otherwise)")
	fs.StringVar(&f.sep, "sep", "", "CSV field separator (default ',' or tab for .tsv)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bars (they are drawn only when standard error is a terminal)")
	fs.BoolVar(&f.skipBad, "skip-bad-rows", false, "skip rows with bad values and report them on stderr instead of failing (a broken CSV quote still fails: the rows after it cannot be told apart)")
	f.unit = "day"
	fs.Var(unitFlag{&f.unit, &f.unitSet}, "unit", "time `unit` of recency and T: day, week, month (1/12 year) or year; when not given, a summary file's or a saved model's unit, else day")
	fs.StringVar(&f.end, "end", "", "last day observed, YYYY-MM-DD (default: the day of the last event); later events are left out")
	fs.StringVar(&f.calibrationEnd, "calibration-end", "", "last day of the calibration period, YYYY-MM-DD; later purchases go to holdout columns")
	fs.Var(marginFlag{&f.margin}, "margin", "profit `margin` in (0,1]: the profit column's share of net revenue when there is no cost column, and the share of spend a CLV counts (default: none: no profit column, CLV of revenue)")
	return f
}

// options turns the flags into reader and summary options.
func (f *inputFlags) options() (*valuekit.ReadOptions, *valuekit.SummaryOptions, error) {
	ro := &valuekit.ReadOptions{
		Columns: valuekit.Columns{Customer: f.customer, Time: f.time, Kind: f.kind, Amount: f.amount,
			Cost: f.cost, Quantity: f.quantity, ReferredID: f.referred, Score: f.score},
		TimeLayout:  f.timeFormat,
		SkipBadRows: f.skipBad,
		MaxBadRows:  1000,
		Format:      f.format,
	}
	if f.sep != "" {
		s := f.sep
		if s == `\t` || s == "tab" {
			s = "\t"
		}
		if r := []rune(s); len(r) != 1 || r[0] > 127 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
			return nil, nil, usagef("--sep %q: want a single ASCII character other than quote and newline", f.sep)
		}
		ro.Comma = []rune(s)[0]
	}
	switch f.format {
	case "", "csv", "parquet", "arrow":
	default:
		return nil, nil, usagef("--format %q: want csv, parquet or arrow", f.format)
	}
	if f.kindMap != "" {
		ro.KindNames = map[string]valuekit.Kind{}
		for _, pair := range strings.Split(f.kindMap, ",") {
			word, kind, ok := strings.Cut(pair, "=")
			k, known := valuekit.ParseKind(kind)
			if !ok || !known || strings.TrimSpace(word) == "" {
				return nil, nil, usagef("--kind-map: %q is not WORD=KIND with KIND one of purchase, refund, referral, share, feedback", pair)
			}
			ro.KindNames[strings.TrimSpace(word)] = k
		}
	}
	unit, err := valuekit.ParseUnit(f.unit)
	if err != nil {
		return nil, nil, usagef("--unit: %v", err)
	}
	so := &valuekit.SummaryOptions{Unit: unit, Margin: f.margin, ModelColumns: f.modelColumns}
	if so.End, err = parseDay("--end", f.end); err != nil {
		return nil, nil, err
	}
	if so.CalibrationEnd, err = parseDay("--calibration-end", f.calibrationEnd); err != nil {
		return nil, nil, err
	}
	if f.margin < 0 || f.margin > 1 {
		return nil, nil, usagef("--margin %v: want a number in [0, 1]", f.margin)
	}
	if !so.End.IsZero() && !so.CalibrationEnd.IsZero() && so.CalibrationEnd.After(so.End) {
		return nil, nil, usagef("--end %s is not after --calibration-end %s", so.End.Format(time.DateOnly), so.CalibrationEnd.Format(time.DateOnly))
	}
	return ro, so, nil
}

func parseDay(flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := valuekit.ParseTime(s, "")
	if err != nil {
		return time.Time{}, usagef("%s: %v", flagName, err)
	}
	return t, nil
}

// summarize reads FILE and summarises it, streaming, reporting skipped bad
// rows on stderr.
func (f *inputFlags) summarize(ctx context.Context, e *env, path string) (*valuekit.Summary, error) {
	ro, so, err := f.options()
	if err != nil {
		return nil, err
	}
	var s *valuekit.Summary
	var bad []*valuekit.RowError
	if path == "-" {
		var r *valuekit.EventReader
		if r, err = valuekit.NewCSVReader(e.stdin, "stdin", ro); err != nil {
			return nil, err
		}
		s, bad, err = valuekit.SummarizeReader(ctx, r, so)
	} else {
		b := e.newBar(f.quiet, "reading", 0, true, "")
		ro.Progress = func(read, size int64) { b.set(read, size) }
		s, bad, err = valuekit.SummarizeFile(ctx, path, ro, so)
		b.done()
	}
	if err != nil {
		return nil, f.sepHint(path, err)
	}
	reportBadRows(e, bad, s.BadRows)
	if s.Len() == 0 {
		e.report(fmt.Sprintf("warning: no customer has an event up to %s (%d events come after it): the output is empty",
			s.End.Format(time.DateOnly), s.AfterEnd))
	}
	if !so.CalibrationEnd.IsZero() && s.CalibrationEnd.Before(dayOf(so.CalibrationEnd.UnixMicro())) {
		e.report(fmt.Sprintf("note: --calibration-end %s is after the last day observed, %s: the calibration period ends there and there is no holdout period",
			so.CalibrationEnd.Format(time.DateOnly), s.End.Format(time.DateOnly)))
	}
	if f.end == "" {
		for _, w := range analysis.EndWarnings(s, time.Now()) {
			e.report(w)
		}
	}
	return s, nil
}

// reportBadRows lists skipped bad rows on stderr.
func reportBadRows(e *env, bad []*valuekit.RowError, nbad int) {
	for _, b := range bad {
		fmt.Fprintf(e.stderr, "skipped: %v\n", b)
	}
	if nbad > len(bad) {
		fmt.Fprintf(e.stderr, "skipped %d more bad rows\n", nbad-len(bad))
	}
	if nbad > 0 {
		fmt.Fprintf(e.stderr, "%d bad rows skipped\n", nbad)
	}
}

// readEvents reads the events of FILE, or CSV events from standard input
// when FILE is "-".
func readEvents(ctx context.Context, e *env, path string, ro *valuekit.ReadOptions) (*valuekit.Events, error) {
	if path == "-" {
		return valuekit.ReadCSV(e.stdin, "stdin", ro)
	}
	ev, err := valuekit.ReadFileContext(ctx, path, ro)
	if err != nil && ro.Comma == 0 {
		return nil, (&inputFlags{}).sepHint(path, err)
	}
	return ev, err
}

// sepHint adds a hint to a read error of a CSV file read with the default
// separator whose header line holds semicolons (or tabs) and no comma: the
// usual export of a spreadsheet set to a European locale.
func (f *inputFlags) sepHint(path string, err error) error {
	if f.sep != "" || path == "-" || !(errors.Is(err, valuekit.ErrMissingColumn) || errors.Is(err, valuekit.ErrFieldCount) || errors.Is(err, valuekit.ErrBadRow)) {
		return err
	}
	r, oerr := os.Open(path)
	if oerr != nil {
		return err
	}
	defer r.Close()
	line, _ := bufio.NewReader(io.LimitReader(r, 1<<16)).ReadString('\n')
	if strings.Contains(line, ",") {
		return err
	}
	switch {
	case strings.Contains(line, ";"):
		return fmt.Errorf("%w\nhint: the header line is separated by semicolons: give --sep ';'", err)
	case strings.Contains(line, "\t"):
		return fmt.Errorf("%w\nhint: the header line is separated by tabs: give --sep tab", err)
	}
	return err
}

// parseArgs parses args with fs, allowing flags after the file name, and
// returns the one positional argument.
func parseArgs(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return "", err
			}
			return "", usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != 1 {
		return "", usagef("want exactly one FILE argument, got %d", len(pos))
	}
	switch strings.ToLower(filepath.Ext(pos[0])) {
	case ".xlsx", ".xlsm", ".xls", ".ods", ".numbers":
		return "", usagef("%s is a spreadsheet workbook, which valuekit does not read: save the sheet as CSV (in Excel: File › Save As › CSV UTF-8) and give that file", pos[0])
	}
	return pos[0], nil
}

func newFlagSet(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: valuekit %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}
