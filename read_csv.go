package valuekit

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// csvSource decodes CSV rows into events.
type csvSource struct {
	name string
	opts *ReadOptions
	sc   *csvScanner
	// lineBase is the number of lines before the scanner's start, for a
	// reader of a range of the file (NewCSVRangeReader).
	lineBase int
	header   []string
	srcCommon

	in *csvInput // the input, when it can be read in parts (csvsplit.go)
}

func newCSVSource(r io.Reader, name string, opts *ReadOptions, in *csvInput) (*csvSource, error) {
	comma := byte(',')
	if opts.Comma != 0 {
		if opts.Comma > 127 || opts.Comma == '"' || opts.Comma == '\n' || opts.Comma == '\r' {
			return nil, fmt.Errorf("%w: CSV separator %q (must be a single ASCII character other than quote and newline)", ErrOption, opts.Comma)
		}
		comma = byte(opts.Comma)
	}
	s := &csvSource{name: name, opts: opts, sc: newCSVScanner(r, comma), in: in}
	fields, err := s.sc.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w: the file is empty (no header row)", name, ErrEmpty)
	}
	if err != nil {
		return nil, s.scanError(err)
	}
	s.header = make([]string, len(fields))
	for i, f := range fields {
		s.header[i] = strings.TrimSpace(string(f))
	}
	col, err := resolveColumns(name, s.header, opts.Columns)
	if err != nil {
		return nil, err
	}
	s.setup(col, opts)
	return s, nil
}

func (s *csvSource) scanError(err error) error {
	if errors.Is(err, errQuote) {
		reason := err.Error()
		if s.opts.SkipBadRows {
			reason += ": the rows after a broken quote cannot be told apart, so it cannot be skipped; mend the quoting"
		}
		return &RowError{File: s.name, Row: s.sc.record + 1, Reason: reason}
	}
	return fmt.Errorf("%s: %w", s.name, err)
}

// resolveColumns finds each field's column in header.
func resolveColumns(file string, header []string, cols Columns) ([numFields]int, error) {
	var idx [numFields]int
	pos := make(map[string]int, len(header))
	dup := make(map[string]bool)
	for i, h := range header {
		k := strings.ToLower(h)
		if _, ok := pos[k]; ok {
			dup[k] = true
			continue
		}
		pos[k] = i
	}
	given := cols.names()
	for f := range numFields {
		idx[f] = -1
		if given[f] != "" {
			k := strings.ToLower(strings.TrimSpace(given[f]))
			i, ok := pos[k]
			if !ok {
				return idx, fmt.Errorf("%s: %w: %q (for %s; the header has %s)", file, ErrMissingColumn, given[f], fieldNames[f], quoteList(header))
			}
			if dup[k] {
				return idx, fmt.Errorf("%s: %w: %q appears more than once in the header", file, ErrDuplicateColumn, header[i])
			}
			idx[f] = i
			continue
		}
		for _, a := range fieldAliases[f] {
			if i, ok := pos[a]; ok {
				if dup[a] {
					return idx, fmt.Errorf("%s: %w: %q appears more than once in the header", file, ErrDuplicateColumn, header[i])
				}
				idx[f] = i
				break
			}
		}
	}
	// A column must not serve two fields (e.g. "id" found as customer and referred).
	for f := range numFields {
		for g := f + 1; g < numFields; g++ {
			if idx[f] >= 0 && idx[f] == idx[g] {
				if given[g] == "" {
					idx[g] = -1
				} else if given[f] == "" {
					idx[f] = -1
				} else {
					return idx, fmt.Errorf("%s: %w: column %q is mapped to both %s and %s", file, ErrOption, header[idx[f]], fieldNames[f], fieldNames[g])
				}
			}
		}
	}
	missing := func(f int) error {
		// A column by one of f's names may have been given to another
		// field (--amount date leaves no time column): say so.
		for _, a := range fieldAliases[f] {
			i, ok := pos[a]
			if !ok {
				continue
			}
			for g := range numFields {
				if g != f && idx[g] == i && given[g] != "" {
					return fmt.Errorf("%s: %w: no %s column: %q is mapped to %s (Columns.%s, --%s); name the %s column (Columns.%s, --%s)",
						file, ErrMissingColumn, fieldNames[f], header[i], fieldNames[g], fieldOptions[g], fieldFlags[g], fieldNames[f], fieldOptions[f], fieldFlags[f])
				}
			}
		}
		return fmt.Errorf("%s: %w: no %s column (looked for %s; the header has %s; name it with Columns.%s, --%s in the CLI)",
			file, ErrMissingColumn, fieldNames[f], quoteList(fieldAliases[f]), quoteList(header), fieldOptions[f], fieldFlags[f])
	}
	for _, f := range []int{fCustomer, fTime} {
		if idx[f] < 0 {
			return idx, missing(f)
		}
	}
	if idx[fAmount] < 0 && idx[fKind] < 0 {
		return idx, missing(fAmount)
	}
	return idx, nil
}

// quoteList quotes the names s for an error message, up to about 300
// bytes of them (a binary file read as CSV has a "header" of kilobytes).
func quoteList(s []string) string {
	var b strings.Builder
	for i, v := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		q := strconv.Quote(v)
		if b.Len()+len(q) > 300 {
			if i == 0 {
				q = strconv.Quote(strings.ToValidUTF8(v[:60], "")) + " …"
			} else {
				q = fmt.Sprintf("… (%d names in all)", len(s))
			}
			b.WriteString(q)
			break
		}
		b.WriteString(q)
	}
	return b.String()
}

// readRows reads up to limit rows (all when limit <= 0) into s.b. It reports
// io.EOF when the input is exhausted.
func (s *csvSource) readRows(limit int) error {
	var v rowValues
	for n := 0; limit <= 0 || n < limit; n++ {
		fields, err := s.sc.next()
		if err == io.EOF || err == errLimit {
			return io.EOF
		}
		if err != nil {
			// A broken quote is not skipped even with SkipBadRows: the rows
			// after it cannot be told apart (an unterminated quote takes
			// the rest of the input into one field), and skipping it lost
			// them all without a word but "1 bad row".
			return s.scanError(err)
		}
		s.rows++
		if rerr := s.decode(fields, &v); rerr != nil {
			if !s.opts.SkipBadRows {
				return rerr
			}
			s.reportBad(rerr)
			continue
		}
		s.b.append(&v)
	}
	return nil
}

func (s *csvSource) reportBad(e *RowError) {
	s.nbad++
	if s.opts.MaxBadRows <= 0 || len(s.bad) < s.opts.MaxBadRows {
		s.bad = append(s.bad, e)
	}
}

// line returns the 1-based line of the current record: counted from the
// input's start, or, in a part of a split input, from the part's first
// record (addSplit adds the lines before it).
func (s *csvSource) line() int {
	if !s.sc.noBOM { // a scanner from the input's start (parts skip the BOM check)
		return s.sc.recLine
	}
	return s.lineBase + s.sc.recLine - s.sc.firstLines
}

func (s *csvSource) rowErr(f int, value []byte, reason string) *RowError {
	return &RowError{File: s.name, Row: s.sc.record, Line: s.line(), Column: s.header[s.col[f]], Value: string(value), Reason: reason}
}

// decode parses one record's fields into v.
func (s *csvSource) decode(fields [][]byte, v *rowValues) *RowError {
	if len(fields) != len(s.header) {
		return &RowError{File: s.name, Row: s.sc.record, Line: s.line(), Err: ErrFieldCount,
			Reason: fmt.Sprintf("has %d fields, the header has %d", len(fields), len(s.header))}
	}
	*v = rowValues{referred: -1}
	id := trimSpace(fields[s.col[fCustomer]])
	if len(id) == 0 {
		return s.rowErr(fCustomer, id, "is empty (every event needs a customer id)")
	}
	c, err := s.b.dict.intern(id)
	if err != nil {
		return s.rowErr(fCustomer, id, err.Error())
	}
	v.customer = c

	tb := trimSpace(fields[s.col[fTime]])
	t, reason := s.parseTime(tb)
	if reason != "" {
		return s.rowErr(fTime, tb, reason)
	}
	v.time = t

	v.kind = Purchase
	if i := s.col[fKind]; i >= 0 {
		kb := fields[i]
		k, ok := s.kinds.lookup(kb)
		if !ok {
			return s.rowErr(fKind, kb, "is not a known kind (purchase, refund, referral, share, feedback, or a word mapped to one)")
		}
		v.kind = k
	}
	if i := s.col[fAmount]; i >= 0 {
		ab := trimSpace(fields[i])
		if len(ab) == 0 {
			if v.kind == Purchase || v.kind == Refund {
				return s.rowErr(fAmount, ab, "is empty (a "+v.kind.String()+" needs an amount)")
			}
		} else if v.amount, reason = summedValue(ab); reason != "" {
			return s.rowErr(fAmount, ab, reason)
		}
	} else if v.kind == Purchase || v.kind == Refund {
		return &RowError{File: s.name, Row: s.sc.record, Line: s.line(), Reason: "is a " + v.kind.String() + " but the file has no amount column"}
	}
	if i := s.col[fCost]; i >= 0 {
		if b := trimSpace(fields[i]); len(b) > 0 {
			if v.cost, reason = summedValue(b); reason != "" {
				return s.rowErr(fCost, b, reason)
			}
		}
	}
	if i := s.col[fQuantity]; i >= 0 {
		if b := trimSpace(fields[i]); len(b) > 0 {
			if v.quantity, reason = summedValue(b); reason != "" {
				return s.rowErr(fQuantity, b, reason)
			}
		}
	}
	if i := s.col[fReferred]; i >= 0 {
		if b := trimSpace(fields[i]); len(b) > 0 {
			if v.referred, err = s.b.dict.intern(b); err != nil {
				return s.rowErr(fReferred, b, err.Error())
			}
		}
	}
	if i := s.col[fScore]; i >= 0 {
		if b := trimSpace(fields[i]); len(b) > 0 {
			if v.score, reason = summedValue(b); reason != "" {
				return s.rowErr(fScore, b, reason)
			}
			v.hasScore = true
		}
	}
	if v.kind == Feedback && !v.hasScore {
		if s.col[fScore] < 0 {
			return &RowError{File: s.name, Row: s.sc.record, Line: s.line(), Reason: "is a feedback event but the file has no score column"}
		}
		return s.rowErr(fScore, nil, "is empty (a feedback event needs a score)")
	}
	return nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// parseNumber parses a finite decimal number: not Go's hexadecimal floats
// ("0x1p3") or digits separated by underscores ("1_000"), which
// strconv.ParseFloat takes and no export means.
func parseNumber(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(bytesString(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || goSyntax(b) {
		return 0, false
	}
	return f, true
}

// goSyntax reports whether b holds a character only Go's number syntax
// gives a meaning (a hexadecimal float, an underscore between digits).
func goSyntax(b []byte) bool {
	for _, c := range b {
		switch c {
		case '_', 'x', 'X', 'p', 'P':
			return true
		}
	}
	return false
}

// summedValue parses a value the summaries add up (an amount, cost,
// quantity or score): a finite decimal number of at most maxMicroValue in
// absolute value. It returns the reason when b is not one.
func summedValue(b []byte) (float64, string) {
	v, ok := parseNumber(b)
	switch {
	case !ok:
		return 0, numberReason(b)
	case tooLarge(v):
		return 0, tooLargeReason
	}
	return v, ""
}

func numberReason(b []byte) string {
	_, err := strconv.ParseFloat(string(b), 64)
	switch {
	case goSyntax(b):
		return "is not a number"
	case err == nil:
		return "is not a finite number"
	case errors.Is(err, strconv.ErrRange):
		return "is out of range"
	}
	return "is not a number"
}
