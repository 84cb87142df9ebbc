package cohort

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
)

// fields returns row i of t as text, in the order of Columns.
func (t *Table) fields(dst []string, i int) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return append(dst[:0],
		t.Cohort[i].Format(CohortLayout),
		strconv.Itoa(t.Age[i]),
		strconv.Itoa(t.CohortSize[i]),
		f(t.Active[i]),
		f(t.Retention[i]),
		f(t.Revenue[i]),
		f(t.RevenuePerCustomer[i]),
		f(t.CumulativeRevenuePerCustomer[i]),
		f(t.NetRevenue[i]),
		f(t.NetRevenuePerCustomer[i]),
		f(t.CumulativeNetRevenuePerCustomer[i]),
		f(t.Surviving[i]),
		strconv.FormatBool(t.Complete[i]),
		strconv.FormatBool(t.Projected[i]),
	)
}

// WriteCSV writes t as CSV: a header with the names of Columns, then a row
// per table row. Numbers are written in full precision (shortest
// representation that reads back exactly); the cohort as 2006-01-02.
//
// The error wraps ErrBadTable for a table not made by Build or Project.
func WriteCSV(w io.Writer, t *Table) error {
	if err := t.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns()); err != nil {
		return err
	}
	rec := make([]string, 0, len(Columns()))
	for i := 0; i < t.Len(); i++ {
		rec = t.fields(rec, i)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes t as a JSON array with one object per row, keyed by the
// names of Columns: the cohort as a "2006-01-02" string, numbers as JSON
// numbers, complete and projected as booleans.
//
// The error wraps ErrBadTable for a table not made by Build or Project.
func WriteJSON(w io.Writer, t *Table) error {
	if err := t.check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	cols := Columns()
	rec := make([]string, 0, len(cols))
	bw.WriteByte('[')
	for i := 0; i < t.Len(); i++ {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n{")
		rec = t.fields(rec, i)
		for j, v := range rec {
			if j > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(strconv.Quote(cols[j]))
			bw.WriteByte(':')
			if j == 0 {
				bw.WriteString(strconv.Quote(v))
			} else {
				bw.WriteString(v)
			}
		}
		bw.WriteByte('}')
	}
	if t.Len() > 0 {
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
