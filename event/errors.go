package event

import (
	"errors"
	"math"
	"strconv"
)

// ErrOption reports an invalid option value (an unknown unit name, …). The
// root package's valuekit.ErrOption is this same value, as are
// segment.ErrOption, rfm.ErrOption, cohort.ErrBadOption and
// generate.ErrOption, so errors.Is matches any of them; clv.ErrBadParams
// wraps it.
var ErrOption = errors.New("invalid option")

// ErrDuplicateColumn reports two columns with the same name, in a file's
// header or in an output table. The root package's
// valuekit.ErrDuplicateColumn is this same value.
var ErrDuplicateColumn = errors.New("duplicate column")

// ValueError reports a bad value in a per-customer or per-event slice and
// where it is. It is the positioned error of the packages that compute on
// plain slices (segment, rfm, cohort, clv); errors about a row of an input
// file are the root package's valuekit.RowError instead.
//
// Err is the package's sentinel (segment.ErrNotFinite, clv.ErrBadData,
// cohort.ErrBadEvent, …), so errors.Is(err, sentinel) holds, and
// errors.As(err, &ve) with ve a *ValueError gives the column and index.
type ValueError struct {
	Column string  // name of the slice, e.g. "frequency" or "amount"
	Index  int     // 0-based index of the value in the slice
	Value  float64 // the offending value (an integer code converted)
	Reason string  // what is wrong or wanted, read after a comma, e.g. "want a whole number >= 0"; may be empty
	Err    error   // the sentinel it wraps; may be nil
}

// Error formats the error as
//
//	experience[812] = NaN: value is not finite
//	frequency[3] = 2.5, want a whole number >= 0: clv: bad data
//
// leaving out the reason or the sentinel when it is empty. Values from
// 1e-4 to 1e21 in magnitude are written without an exponent (1234567.5, not
// 1.2345675e+06), others as the shortest %g.
func (e *ValueError) Error() string {
	col := e.Column
	if col == "" {
		col = "value"
	}
	b := make([]byte, 0, 64)
	b = append(b, col...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(e.Index), 10)
	b = append(b, "] = "...)
	b = appendValue(b, e.Value)
	if e.Reason != "" {
		b = append(b, ", "...)
		b = append(b, e.Reason...)
	}
	if e.Err != nil {
		b = append(b, ": "...)
		b = append(b, e.Err.Error()...)
	}
	return string(b)
}

// Unwrap returns Err.
func (e *ValueError) Unwrap() error { return e.Err }

// appendValue appends v as %v would, except that magnitudes in [1e-4, 1e21)
// are written in plain decimal.
func appendValue(b []byte, v float64) []byte {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case a == 0 || (a >= 1e-4 && a < 1e21):
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
