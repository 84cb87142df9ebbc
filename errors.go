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
	// ErrOption reports an invalid option value.
	ErrOption = event.ErrOption
)

// RowError describes one bad value. Row is 1-based and counts the header of a
// CSV file as row 1, so the first data row is row 2; for Parquet and Arrow IPC
// files, which have no header row, the first record is row 1. Column is the
// name of the column in the file, or "" when the error is about the row as a
// whole.
type RowError struct {
	File   string // file name, or the name given to an io.Reader input
	Row    int    // 1-based row number
	Column string // column name in the file
	Value  string // the offending value, as read
	Reason string // what is wrong with it, e.g. "is not a number"
	Err    error  // a more specific sentinel (e.g. ErrFieldCount), or nil
}

// Error formats the error as
//
//	orders.csv: row 812, column "amount": "12,5x" is not a number
func (e *RowError) Error() string {
	file := e.File
	if file == "" {
		file = "input"
	}
	if e.Column == "" {
		return fmt.Sprintf("%s: row %d: %s", file, e.Row, e.Reason)
	}
	return fmt.Sprintf("%s: row %d, column %q: %q %s", file, e.Row, e.Column, e.Value, e.Reason)
}

// Unwrap returns ErrBadRow and, when set, the more specific Err.
func (e *RowError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrBadRow, e.Err}
	}
	return []error{ErrBadRow}
}
