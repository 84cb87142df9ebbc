package cohort

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Metric selects the column of a Table that a Matrix shows.
type Metric uint8

// The metrics.
const (
	Retention            Metric = iota + 1 // Table.Retention
	Active                                 // Table.Active
	Surviving                              // Table.Surviving
	Revenue                                // Table.Revenue
	RevenuePerCustomer                     // Table.RevenuePerCustomer
	CumulativeRevenue                      // Table.CumulativeRevenuePerCustomer
	NetRevenue                             // Table.NetRevenue
	CumulativeNetRevenue                   // Table.CumulativeNetRevenuePerCustomer
)

var metricNames = [...]string{
	Retention: "retention", Active: "active", Surviving: "surviving",
	Revenue: "revenue", RevenuePerCustomer: "revenue_per_customer",
	CumulativeRevenue: "cumulative", NetRevenue: "net_revenue",
	CumulativeNetRevenue: "cumulative_net",
}

// String returns the name of m as accepted by ParseMetric.
func (m Metric) String() string {
	if m.valid() {
		return metricNames[m]
	}
	return fmt.Sprintf("Metric(%d)", uint8(m))
}

func (m Metric) valid() bool { return m >= Retention && m <= CumulativeNetRevenue }

// ParseMetric returns the metric named s: "retention", "active",
// "surviving", "revenue", "revenue_per_customer", "cumulative" (cumulative
// revenue per customer), "net_revenue" or "cumulative_net", matched
// case-insensitively and with "-" for "_" ("net-revenue").
func ParseMetric(s string) (Metric, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "-", "_")
	for m := Retention; m <= CumulativeNetRevenue; m++ {
		if strings.EqualFold(t, metricNames[m]) {
			return m, nil
		}
	}
	return 0, fmt.Errorf("cohort: %w: unknown metric %q (want one of %s)", ErrBadOption, s,
		strings.Join(metricNames[Retention:], ", "))
}

func (m Metric) column(t *Table) []float64 {
	switch m {
	case Retention:
		return t.Retention
	case Active:
		return t.Active
	case Surviving:
		return t.Surviving
	case Revenue:
		return t.Revenue
	case RevenuePerCustomer:
		return t.RevenuePerCustomer
	case CumulativeRevenue:
		return t.CumulativeRevenuePerCustomer
	case NetRevenue:
		return t.NetRevenue
	default:
		return t.CumulativeNetRevenuePerCustomer
	}
}

// Matrix is one metric of a Table in wide form: a row per cohort and a
// column per age. Rows are ragged: younger cohorts have fewer ages.
type Matrix struct {
	Metric  Metric
	Period  Period
	Cohorts []time.Time // first instant of each cohort's period
	Sizes   []int       // cohort sizes
	// Values[i][k] is the metric of cohort i at age k; Projected[i][k] and
	// Complete[i][k] are the row's flags.
	Values    [][]float64
	Projected [][]bool
	Complete  [][]bool
}

// NewMatrix returns metric m of t in wide form. It fails for an unknown
// metric (ErrBadOption) and a table not made by Build or Project
// (ErrBadTable).
func NewMatrix(t *Table, m Metric) (*Matrix, error) {
	if !m.valid() {
		return nil, fmt.Errorf("cohort: %w: metric %d", ErrBadOption, uint8(m))
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	col := m.column(t)
	mx := &Matrix{Metric: m, Period: t.Period}
	for _, sp := range t.cohortSpans() {
		i, j := sp[0], sp[1]
		mx.Cohorts = append(mx.Cohorts, t.Cohort[i])
		mx.Sizes = append(mx.Sizes, t.CohortSize[i])
		mx.Values = append(mx.Values, append([]float64(nil), col[i:j]...))
		mx.Projected = append(mx.Projected, append([]bool(nil), t.Projected[i:j]...))
		mx.Complete = append(mx.Complete, append([]bool(nil), t.Complete[i:j]...))
	}
	return mx, nil
}

// Ages returns the number of age columns (the longest row).
func (mx *Matrix) Ages() int {
	n := 0
	for _, v := range mx.Values {
		n = max(n, len(v))
	}
	return n
}

func (mx *Matrix) format(v float64) string {
	switch mx.Metric {
	case Retention:
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	case Active, Surviving:
		return strconv.FormatFloat(v, 'f', 0, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// WriteText writes the matrix as an aligned text table: a title, a header of
// ages, and a row per cohort with its start date and size. A projected cell
// is followed by "*", the cell of a period not complete at the observation
// end by "~"; a legend says so when such cells are present.
//
// The error wraps ErrBadTable when the slices of mx differ in length.
func (mx *Matrix) WriteText(w io.Writer) error {
	n := len(mx.Values)
	if len(mx.Cohorts) != n || len(mx.Sizes) != n || len(mx.Projected) != n || len(mx.Complete) != n {
		return fmt.Errorf("%w: matrix with %d rows of values, %d cohorts, %d sizes", ErrBadTable, n, len(mx.Cohorts), len(mx.Sizes))
	}
	for i, v := range mx.Values {
		if len(mx.Projected[i]) != len(v) || len(mx.Complete[i]) != len(v) {
			return fmt.Errorf("%w: matrix row %d: flags and values differ in length", ErrBadTable, i)
		}
	}
	ages := mx.Ages()
	cells := make([][]string, len(mx.Values))
	widths := make([]int, ages)
	for k := range widths {
		widths[k] = len(strconv.Itoa(k))
	}
	var anyProjected, anyPartial bool
	for i, vals := range mx.Values {
		cells[i] = make([]string, len(vals))
		for k, v := range vals {
			s := mx.format(v)
			switch {
			case mx.Projected[i][k]:
				s += "*"
				anyProjected = true
			case !mx.Complete[i][k]:
				s += "~"
				anyPartial = true
			default:
				s += " "
			}
			cells[i][k] = s
			widths[k] = max(widths[k], len(s))
		}
	}
	sizeWidth := len("size")
	for _, n := range mx.Sizes {
		sizeWidth = max(sizeWidth, len(strconv.Itoa(n)))
	}

	bw := bufio.NewWriter(w)
	var line strings.Builder
	flush := func() {
		bw.WriteString(strings.TrimRight(line.String(), " "))
		bw.WriteByte('\n')
		line.Reset()
	}
	fmt.Fprintf(bw, "%s by %s cohort and age in %ss\n", mx.Metric, mx.Period, mx.Period)
	fmt.Fprintf(&line, "%-10s  %*s", "cohort", sizeWidth, "size")
	for k := 0; k < ages; k++ {
		fmt.Fprintf(&line, "  %*s", widths[k], strconv.Itoa(k)+" ")
	}
	flush()
	for i, row := range cells {
		fmt.Fprintf(&line, "%-10s  %*d", mx.Cohorts[i].Format(CohortLayout), sizeWidth, mx.Sizes[i])
		for k, s := range row {
			fmt.Fprintf(&line, "  %*s", widths[k], s)
		}
		flush()
	}
	if anyProjected || anyPartial {
		var legend []string
		if anyProjected {
			legend = append(legend, "* projected")
		}
		if anyPartial {
			legend = append(legend, "~ period not complete at the observation end")
		}
		fmt.Fprintf(bw, "(%s)\n", strings.Join(legend, "; "))
	}
	return bw.Flush()
}

// WriteMatrix writes metric m of t as an aligned text matrix (see
// Matrix.WriteText).
func WriteMatrix(w io.Writer, t *Table, m Metric) error {
	mx, err := NewMatrix(t, m)
	if err != nil {
		return err
	}
	return mx.WriteText(w)
}
