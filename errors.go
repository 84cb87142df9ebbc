package valuekit

import (
	"errors"
	"fmt"

	"github.com/valuekit/valuekit/event"
)

// Sentinel errors. Every error returned for bad input wraps one of these, so
// that callers can branch with errors.Is.
var (
	// ErrBadRow is wrapped by every error about one row's value (a RowError).
	ErrBadRow = errors.New("bad row")
	// ErrMissingColumn reports that a required column is not in the file.
	ErrMissingColumn = errors.New("missing column")
	// ErrDuplicateColumn reports two columns with the same name in a header.
	ErrDuplicateColumn = event.ErrDuplicateColumn
	// ErrEmpty reports an input without a header or without any event.
	ErrEmpty = errors.New("no data")
	// ErrFieldCount reports a CSV row with fewer fields than the header.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrFormat reports an unknown file format or a file that is not of its format.
	ErrFormat = errors.New("unknown or bad file format")
	// ErrUnknownCustomer reports a customer id without events.
	ErrUnknownCustomer = errors.New("unknown customer")
	// ErrOption reports an invalid option value.
	ErrOption = event.ErrOption
)

// RowError describes one bad value. Row is 1-based and counts the header of a
// CSV file as row 1, so the first data row is row 2; for Parquet and Arrow IPC
// files, which have no header row, the first record is row 1. Column is the
// name of the column in the file, or "" when the error is about the row as a
// whole.
type RowError struct {
	File string // file name, or the name given to an io.Reader input
	Row  int    // 1-based row number
	// Line is the 1-based line of the file where the row starts (CSV; 0
	// for other formats). It differs from Row after blank lines or quoted
	// fields holding line ends, like csv.ParseError's StartLine.
	Line   int
	Column string // column name in the file
	Value  string // the offending value, as read
	Reason string // what is wrong with it, e.g. "is not a number"
	Err    error  // a more specific sentinel (e.g. ErrFieldCount), or nil
}

// Error formats the error as
//
//	orders.csv: row 812, column "amount": "12,5x" is not a number
//
// with the line added, "row 812 (line 815)", where it differs from the row.
func (e *RowError) Error() string {
	file := e.File
	if file == "" {
		file = "input"
	}
	row := fmt.Sprintf("row %d", e.Row)
	if e.Line != 0 && e.Line != e.Row {
		row = fmt.Sprintf("row %d (line %d)", e.Row, e.Line)
	}
	if e.Column == "" {
		return fmt.Sprintf("%s: %s: %s", file, row, e.Reason)
	}
	return fmt.Sprintf("%s: %s, column %q: %q %s", file, row, e.Column, e.Value, e.Reason)
}

// Unwrap returns ErrBadRow and, when set, the more specific Err.
func (e *RowError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrBadRow, e.Err}
	}
	return []error{ErrBadRow}
}
