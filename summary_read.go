package valuekit

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

var summaryKeyColumns = []string{"frequency", "recency"}

// summaryAliases maps the BTYD literature's column names to the summary's.
var summaryAliases = map[string]string{
	"x": "frequency", "t_x": "recency", "tx": "recency", "zbar": "monetary_value", "m_x": "monetary_value",
	"monetary": "monetary_value", "id": "customer_id", "n": "periods", "weight": "weights", "count": "weights",
}

// summaryName returns the summary column a header name stands for.
func summaryName(h string) string {
	k := strings.ToLower(strings.TrimSpace(h))
	if a, ok := summaryAliases[k]; ok {
		return a
	}
	return k
}

// IsSummaryFile reports whether the file at path is a CSV, Parquet or JSON
// file whose columns are those of a summary — frequency, recency and T (or
// periods) — rather than of events. Anything but a regular file (a pipe)
// is not: it could not be read again.
func IsSummaryFile(path string) (bool, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		// A pipe or a FIFO: its header cannot be read here without taking
		// it from the reader of the events (nor a directory's).
		return false, nil
	}
	var names []string
	switch summaryFormat(path) {
	case "parquet":
		n, err := parquetColumnNames(path)
		if err != nil {
			return false, nil
		}
		names = n
	case "json":
		f, err := os.Open(path)
		if err != nil {
			return false, err
		}
		defer f.Close()
		if names, err = jsonFirstKeys(f); err != nil {
			return false, nil
		}
	case "csv":
		f, err := os.Open(path)
		if err != nil {
			return false, err
		}
		defer f.Close()
		fields, err := newCSVScanner(f, ',').next()
		if err != nil {
			return false, nil
		}
		for _, h := range fields {
			names = append(names, string(h))
		}
	default:
		return false, nil
	}
	has := map[string]bool{}
	for _, h := range names {
		has[summaryName(h)] = true
	}
	return has["frequency"] && has["recency"] && (has["t"] || has["periods"]), nil
}

// ReadSummaryFile reads a summary written by valuekit summary (CSV,
// Parquet or JSON, by extension), or a hand-made CSV one. It needs the columns frequency, recency
// and T (or periods, for discrete-time data such as BG/BB's), also accepted
// under the literature's names x, t_x, T, zbar, ID, n; it reads
// customer_id (default: the row number), monetary_value, weights (a count of
// identical customers per row) and any other column of Summary.Columns that
// is present. The unit of recency and T is the file's unit column (which
// valuekit summary writes: one unit on every row); a file without one gets
// unit, with Summary.UnitAssumed set so that callers can say so. A file
// with a periods column instead of T is a discrete-time summary
// (Summary.Discrete).
func ReadSummaryFile(path string, unit Unit) (*Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	name := filepath.Base(path)
	switch summaryFormat(path) {
	case "parquet":
		return readSummaryParquet(f, name, unit)
	case "json":
		return readSummaryJSON(f, name, unit)
	}
	return ReadSummaryCSV(f, name, unit)
}

// ReadSummaryCSV is ReadSummaryFile for an io.Reader; name is used in errors.
func ReadSummaryCSV(r io.Reader, name string, unit Unit) (*Summary, error) {
	sc := newCSVScanner(r, ',')
	return parseSummary(sc.next, name, unit)
}

// parseSummary reads a summary from rows of text fields, the first the
// header; next returns io.EOF after the last.
func parseSummary(next func() ([][]byte, error), name string, unit Unit) (*Summary, error) {
	fields, err := next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w: the file is empty (no header row)", name, ErrEmpty)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	header := make([]string, len(fields))
	pos := map[string]int{}
	for i, h := range fields {
		header[i] = strings.TrimSpace(string(h))
		k := summaryName(header[i])
		if _, dup := pos[k]; dup {
			return nil, fmt.Errorf("%s: %w: %q appears more than once in the header", name, ErrDuplicateColumn, header[i])
		}
		pos[k] = i
	}
	tcol := "t"
	if _, ok := pos["t"]; !ok {
		tcol = "periods"
	}
	if _, ok := pos[tcol]; !ok {
		tcol = "T"
	}
	for _, c := range append(summaryKeyColumns, tcol) {
		if _, ok := pos[strings.ToLower(c)]; !ok {
			return nil, fmt.Errorf("%s: %w: no %q column (a summary needs frequency, recency and T or periods; the header has %s)",
				name, ErrMissingColumn, c, quoteList(header))
		}
	}
	col := func(n string) int {
		if i, ok := pos[n]; ok {
			return i
		}
		return -1
	}
	s := &Summary{Unit: unit, UnitAssumed: true, Discrete: tcol == "periods"}
	unitCol, unitText := col("unit"), ""
	var hasWeights, hasMonetary bool
	floats := []struct {
		name string
		dst  *[]float64
	}{
		{"frequency", &s.Frequency}, {"recency", &s.Recency}, {strings.ToLower(tcol), &s.T},
		{"monetary_value", &s.MonetaryValue}, {"weights", &s.Weights},
		{"revenue", &s.Revenue}, {"refunds", &s.Refunds}, {"net_revenue", &s.NetRevenue},
		{"profit", &s.Profit}, {"experience", &s.Experience},
		{"holdout_frequency", &s.HoldoutFrequency}, {"holdout_revenue", &s.HoldoutRevenue},
	}
	ints := []struct {
		name string
		dst  *[]int32
	}{{"purchases", &s.Purchases}, {"referrals", &s.Referrals}, {"shares", &s.Shares}, {"experience_count", &s.ExperienceCount}}
	_, hasWeights = pos["weights"]
	_, hasMonetary = pos["monetary_value"]
	idCol, refCol := col("customer_id"), col("referred")
	row := 1
	for {
		fields, err := next()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return nil, &RowError{File: name, Row: row, Reason: err.Error()}
		}
		if len(fields) != len(header) {
			return nil, &RowError{File: name, Row: row, Err: ErrFieldCount, Reason: fmt.Sprintf("has %d fields, the header has %d", len(fields), len(header))}
		}
		id := strconv.Itoa(row - 1)
		if idCol >= 0 {
			id = string(trimSpace(fields[idCol]))
		}
		s.CustomerID = append(s.CustomerID, id)
		for _, fc := range floats {
			i := col(fc.name)
			if i < 0 {
				continue
			}
			b := trimSpace(fields[i])
			v := 0.0
			if len(b) > 0 {
				var ok bool
				if v, ok = parseNumber(b); !ok {
					return nil, &RowError{File: name, Row: row, Column: header[i], Value: string(b), Reason: numberReason(b)}
				}
			} else if fc.name == "frequency" || fc.name == "recency" || fc.name == strings.ToLower(tcol) {
				return nil, &RowError{File: name, Row: row, Column: header[i], Reason: "is empty"}
			}
			*fc.dst = append(*fc.dst, v)
		}
		for _, ic := range ints {
			i := col(ic.name)
			if i < 0 {
				continue
			}
			b := trimSpace(fields[i])
			v := int64(0)
			if len(b) > 0 {
				if v, err = strconv.ParseInt(string(b), 10, 32); err != nil || v < 0 {
					return nil, &RowError{File: name, Row: row, Column: header[i], Value: string(b), Reason: "is not a non-negative whole number"}
				}
			}
			*ic.dst = append(*ic.dst, int32(v))
		}
		if unitCol >= 0 {
			if err := readSummaryUnit(s, fields[unitCol], &unitText, name, row, header[unitCol]); err != nil {
				return nil, err
			}
		}
		if refCol >= 0 {
			var refs []string
			if b := trimSpace(fields[refCol]); len(b) > 0 {
				refs = strings.Split(string(b), ReferredSeparator)
			}
			s.Referred = append(s.Referred, refs)
		}
		n := len(s.CustomerID) - 1
		x, tx, T := s.Frequency[n], s.Recency[n], s.T[n]
		bad := func(c, why string, v float64) error {
			return &RowError{File: name, Row: row, Column: c, Value: strconv.FormatFloat(v, 'g', -1, 64), Reason: why}
		}
		switch {
		case x < 0 || x != math.Trunc(x):
			return nil, bad(header[pos["frequency"]], "is not a non-negative whole number", x)
		case tx < 0:
			return nil, bad(header[pos["recency"]], "is negative", tx)
		case T < tx:
			return nil, bad(header[pos[strings.ToLower(tcol)]], fmt.Sprintf("is less than recency %g", tx), T)
		case hasWeights && s.Weights[n] < 0:
			return nil, bad(header[pos["weights"]], "is negative", s.Weights[n])
		case hasMonetary && x > 0 && s.MonetaryValue[n] < 0:
			return nil, bad(header[pos["monetary_value"]], "is negative", s.MonetaryValue[n])
		}
	}
	if len(s.CustomerID) == 0 {
		return nil, fmt.Errorf("%s: %w: the summary has no rows", name, ErrEmpty)
	}
	n := len(s.CustomerID)
	if unitText == "" && unitCol >= 0 {
		return nil, fmt.Errorf("%s: %w: column %q is empty on every row (want day, week, month or year)", name, ErrBadRow, header[unitCol])
	}
	fill := func(p *[]float64) {
		if *p == nil {
			*p = make([]float64, n)
		}
	}
	fill(&s.MonetaryValue)
	fill(&s.Revenue)
	fill(&s.Refunds)
	fill(&s.NetRevenue)
	fill(&s.Experience)
	for _, p := range []*[]int32{&s.Purchases, &s.Referrals, &s.Shares, &s.ExperienceCount} {
		if *p == nil {
			*p = make([]int32, n)
			if p == &s.Purchases {
				for i := range *p {
					(*p)[i] = int32(s.Frequency[i]) + 1 // at least the first purchase
				}
			}
		}
	}
	if s.Referred == nil {
		s.Referred = make([][]string, n)
	}
	return s, nil
}

// readSummaryUnit reads one row's unit field: every row of a file must name the
// same unit (empty fields are allowed); the first one sets s.Unit.
func readSummaryUnit(s *Summary, field []byte, seen *string, name string, row int, column string) error {
	b := string(trimSpace(field))
	switch {
	case b == "" || b == *seen:
		return nil
	case *seen != "":
		return &RowError{File: name, Row: row, Column: column, Value: b,
			Reason: fmt.Sprintf("differs from the unit %q of the rows above: a summary has one unit", *seen)}
	}
	u, err := ParseUnit(b)
	if err != nil {
		return &RowError{File: name, Row: row, Column: column, Value: b, Reason: "is not a unit (want day, week, month or year)"}
	}
	*seen, s.Unit, s.UnitAssumed = b, u, false
	return nil
}
