package table

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit/event"
)

// ColumnKind is the value type of a Column.
type ColumnKind int

// The column kinds; each uses the Column field of the same name.
const (
	FloatColumn  ColumnKind = iota // Float []float64
	IntColumn                      // Int []int32
	TimeColumn                     // Time []int64, Unix microseconds UTC
	StringColumn                   // String []string
	ListColumn                     // List [][]string
	BoolColumn                     // Bool []bool
)

// Column is one named output column. Exactly the field of its Kind is set.
type Column struct {
	Name   string
	Kind   ColumnKind
	Float  []float64
	Int    []int32
	Time   []int64
	String []string
	List   [][]string
	Bool   []bool
	// Valid reports whether row i has a value; nil means every row has one.
	// Rows without a value are empty in CSV and null in JSON and Arrow. It
	// must only read: WriteCSV may call it from several goroutines.
	Valid func(i int) bool
}

// Len returns the number of rows of c.
func (c *Column) Len() int {
	switch c.Kind {
	case FloatColumn:
		return len(c.Float)
	case IntColumn:
		return len(c.Int)
	case TimeColumn:
		return len(c.Time)
	case StringColumn:
		return len(c.String)
	case BoolColumn:
		return len(c.Bool)
	}
	return len(c.List)
}

// Table is a set of named columns of equal length, the shape of every
// per-customer output (summaries, predictions, scores, segments). Its
// writers give CSV, JSON, Parquet and Arrow records with the same columns.
type Table struct {
	Columns []Column
}

// Len returns the number of rows (that of the first column).
func (t *Table) Len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Names returns the column names in order.
func (t *Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Check reports an error when the columns differ in length or a name
// repeats.
func (t *Table) Check() error {
	seen := map[string]bool{}
	for _, c := range t.Columns {
		if c.Len() != t.Len() {
			return fmt.Errorf("%w: column %q has %d rows, %q has %d", event.ErrOption, c.Name, c.Len(), t.Columns[0].Name, t.Len())
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: column %q appears twice", event.ErrDuplicateColumn, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// ListSeparator joins the items of a list value (e.g. a customer's
// referred ids) in CSV and terminal text.
const ListSeparator = ";"

// appendText appends row i of c as CSV/terminal text; invalid values are
// empty.
func (c *Column) appendText(b []byte, i int) []byte {
	if c.Valid != nil && !c.Valid(i) {
		return b
	}
	switch c.Kind {
	case FloatColumn:
		return appendFloat(b, c.Float[i])
	case IntColumn:
		return strconv.AppendInt(b, int64(c.Int[i]), 10)
	case TimeColumn:
		return time.UnixMicro(c.Time[i]).UTC().AppendFormat(b, time.RFC3339)
	case StringColumn:
		return append(b, c.String[i]...)
	case ListColumn:
		return append(b, strings.Join(c.List[i], ListSeparator)...)
	case BoolColumn:
		return strconv.AppendBool(b, c.Bool[i])
	}
	return b
}

// WriteCSV writes the table as CSV with a header row. Missing values are
// empty fields; lists are joined with ListSeparator. Large tables are
// formatted in blocks of rows on the available cores (the Valid functions
// are then called from several goroutines) and written in order.
func (t *Table) WriteCSV(w io.Writer) error {
	return t.writeCSV(w)
}

// appendFloat appends v as strconv.AppendFloat(b, v, 'f', -1, 64) does,
// taking short cuts for the common values of summaries: whole numbers and
// amounts in cents.
func appendFloat(b []byte, v float64) []byte {
	const maxExact = 1 << 53
	if v == math.Trunc(v) && math.Abs(v) < maxExact && (v != 0 || !math.Signbit(v)) {
		return strconv.AppendInt(b, int64(v), 10)
	}
	// A number of cents n with n/100 rounding to v is written as n/100:
	// below 1e12 no other decimal of at most two places is as close to v,
	// so it is the shortest that reads back as v.
	if v != 0 && math.Abs(v) < 1e12 {
		if n := math.Round(v * 100); n/100 == v {
			c := int64(n)
			if c < 0 {
				b = append(b, '-')
				c = -c
			}
			b = strconv.AppendInt(b, c/100, 10)
			b = append(b, '.', byte('0'+c/10%10))
			if c%10 != 0 {
				b = append(b, byte('0'+c%10))
			}
			return b
		}
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// AppendCSVField appends f to b as one CSV field, quoted when it holds a separator, quote, or line
// end, or starts with a space.
func AppendCSVField(b, f []byte) []byte {
	need := len(f) > 0 && (f[0] == ' ' || f[0] == '\t')
	for _, c := range f {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if !need {
		return append(b, f...)
	}
	b = append(b, '"')
	for _, c := range f {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// WriteJSON writes the table as a JSON array of objects, one per row, keyed
// by column name; missing values, and NaN and ±Inf (which JSON cannot
// hold), are null.
func (t *Table) WriteJSON(w io.Writer) error {
	cols := t.Columns
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	var b []byte
	for i := range t.Len() {
		b = b[:0]
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '{')
		for j, c := range cols {
			if j > 0 {
				b = append(b, ',')
			}
			name, _ := json.Marshal(c.Name)
			b = append(b, name...)
			b = append(b, ':')
			switch {
			case c.Valid != nil && !c.Valid(i):
				b = append(b, "null"...)
			case c.Kind == FloatColumn && (math.IsNaN(c.Float[i]) || math.IsInf(c.Float[i], 0)):
				b = append(b, "null"...)
			case c.Kind == StringColumn || c.Kind == TimeColumn:
				v, _ := json.Marshal(string(c.appendText(nil, i)))
				b = append(b, v...)
			case c.Kind == ListColumn:
				l := c.List[i]
				if l == nil {
					l = []string{}
				}
				v, _ := json.Marshal(l)
				b = append(b, v...)
			default:
				b = c.appendText(b, i)
			}
		}
		b = append(b, '}')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}

// Slice returns the rows [lo, hi) of t as a table sharing t's slices
// (t itself when that is all of it).
func (t *Table) Slice(lo, hi int) *Table {
	if lo == 0 && hi == t.Len() {
		return t
	}
	out := &Table{Columns: make([]Column, len(t.Columns))}
	for j, c := range t.Columns {
		o := Column{Name: c.Name, Kind: c.Kind}
		switch c.Kind {
		case FloatColumn:
			o.Float = c.Float[lo:hi]
		case IntColumn:
			o.Int = c.Int[lo:hi]
		case TimeColumn:
			o.Time = c.Time[lo:hi]
		case StringColumn:
			o.String = c.String[lo:hi]
		case ListColumn:
			o.List = c.List[lo:hi]
		case BoolColumn:
			o.Bool = c.Bool[lo:hi]
		}
		if valid := c.Valid; valid != nil {
			o.Valid = func(i int) bool { return valid(lo + i) }
		}
		out.Columns[j] = o
	}
	return out
}
