package valuekit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

// Reading one CSV file on many machines.
//
// CSVRanges reads a file once, splitting records without decoding their
// values, and cuts it at record starts into ranges of about a given size;
// each range records how many records and lines precede it and the time
// layout the file's first rows give, so that NewCSVRangeReader, on any
// machine, reads exactly the records of one range with the row and line
// numbers and the layout a reader of the whole file would use — the same
// events and the same errors. Quoted fields may hold newlines: the cuts
// follow the records, not the lines.

// CSVRange is a run of whole records of a CSV file: the bytes from Start up
// to End (math.MaxInt64 for the end of the file).
type CSVRange struct {
	Start, End int64
	// Row is the number of records before the range, the header included,
	// and Line the number of lines: the range's first record is row Row+1.
	Row, Line int
	// TimeFormat is the time layout detected on the file's first rows ("" when
	// ReadOptions.TimeLayout was given or no row has a readable time), and
	// TimeFormatRow the row whose time told it: a range that starts before
	// that row detects the layout on its own rows, as a reader of the whole
	// file does; the others read with it.
	TimeFormat    string
	TimeFormatRow int
}

// CSVRanges reads the plain (not compressed) CSV file r and returns its
// ranges of about every bytes each, in order, the first starting after the
// header. name is used in error messages. A broken quote ends the cutting:
// the last range then runs to the end of the file, and its reader reports
// the quote. The options are those the ranges will be read with.
func CSVRanges(r io.Reader, name string, every int64, opts *ReadOptions) ([]CSVRange, error) {
	if every <= 0 {
		return nil, fmt.Errorf("%w: range size %d (want > 0)", ErrOption, every)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return nil, fmt.Errorf("%w: %s is gzip-compressed: it can only be read whole", ErrOption, name)
	}
	o := *optsOrZero(opts)
	o.SkipBadRows = true // bad rows are the range readers' to report
	src, err := newCSVSource(br, name, &o, nil)
	if err != nil {
		return nil, err
	}
	sc := src.sc
	var ranges []CSVRange
	// Every cut is where the scanner stops at its limit: at a record start,
	// past the blank lines before it, whose lines are then counted.
	sc.limit = sc.offset()
	var v rowValues
	detected := 0 // the row whose time told the layout
	for {
		fields, err := sc.next1()
		switch {
		case errors.Is(err, errLimit):
			if k := len(ranges); k > 0 {
				ranges[k-1].End = sc.recStart
			}
			ranges = append(ranges, CSVRange{Start: sc.recStart, End: math.MaxInt64, Row: sc.record, Line: sc.lines})
			sc.limit = math.MaxInt64
			if every < math.MaxInt64-sc.recStart {
				sc.limit = sc.recStart + every
			}
			continue
		case err != nil: // the end, or a broken quote: the rest is one range
			if src.tpSet && (opts == nil || opts.TimeLayout == "") {
				for k := range ranges {
					ranges[k].TimeFormat, ranges[k].TimeFormatRow = src.tp.layout, detected
				}
			}
			if err == io.EOF || errors.Is(err, errQuote) {
				return ranges, nil
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !src.tpSet && len(fields) == len(src.header) {
			src.decode(fields, &v) // detects the layout on the first readable time
			if src.tpSet {
				detected = sc.record
			}
		}
	}
}

// NewCSVRangeReader returns a reader of the events of range rg of a CSV
// file (from CSVRanges, with the same options): header reads the file from
// its start (only the header line is read) and body from rg.Start (e.g. the
// file opened again and sought, or with rg.Start bytes discarded). Rows and
// lines are numbered as in the whole file, and the time layout is
// rg.TimeFormat (from rg.TimeFormatRow on) unless opts give one.
func NewCSVRangeReader(header, body io.Reader, name string, rg CSVRange, opts *ReadOptions) (*EventReader, error) {
	if rg.Start < 0 || rg.End < rg.Start || rg.Row < 1 || rg.Line < rg.Row {
		return nil, fmt.Errorf("%w: %s: CSV range %+v", ErrOption, name, rg)
	}
	o := *optsOrZero(opts)
	if o.TimeLayout == "" && rg.Row+1 >= rg.TimeFormatRow {
		o.TimeLayout = rg.TimeFormat
	}
	src, err := newCSVSource(bufio.NewReaderSize(header, 4<<10), name, &o, nil)
	if err != nil {
		return nil, err
	}
	sc := newCSVScanner(body, src.sc.comma)
	sc.off, sc.limit, sc.noBOM, sc.record = rg.Start, rg.End, true, rg.Row
	src.sc, src.lineBase = sc, rg.Line
	return newEventReader(src, &o, nil), nil
}
