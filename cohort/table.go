package cohort

import (
	"fmt"
	"time"
)

// Table is the long cohort table: one row per cohort and age, sorted by
// cohort and then by age, held as plain columns of equal length so that
// writers (CSV, JSON, Arrow, Parquet) can take them as they are.
//
// Build returns observed rows only. Project returns a table that also holds
// projected rows (Projected true) for ages after each cohort's last observed
// age. A Table is not modified by any function of the package.
type Table struct {
	// Period is the calendar period of cohorts and ages.
	Period Period
	// End is the observation end: events after it were left out.
	End time.Time

	// Cohort is the first instant of the acquisition period (00:00 UTC of
	// its first day; written as 2006-01-02).
	Cohort []time.Time
	// Age is the number of periods since the acquisition period (0 for the
	// acquisition period itself).
	Age []int
	// CohortSize is the number of customers acquired in the cohort's period.
	CohortSize []int
	// Active is the number of the cohort's customers with at least one
	// purchase at this age; for a projected row, the expected number.
	Active []float64
	// Retention is Active / CohortSize.
	Retention []float64
	// Revenue is the sum of the amounts of the cohort's purchases at this
	// age (refunds not deducted).
	Revenue []float64
	// RevenuePerCustomer is Revenue / CohortSize (per original customer).
	RevenuePerCustomer []float64
	// CumulativeRevenuePerCustomer is the sum of RevenuePerCustomer over
	// ages 0..Age: the realised value curve of an average customer.
	CumulativeRevenuePerCustomer []float64
	// NetRevenue is Revenue less the refunds made by the cohort's customers
	// at this age.
	NetRevenue []float64
	// NetRevenuePerCustomer is NetRevenue / CohortSize.
	NetRevenuePerCustomer []float64
	// CumulativeNetRevenuePerCustomer is the sum of NetRevenuePerCustomer
	// over ages 0..Age.
	CumulativeNetRevenuePerCustomer []float64
	// Surviving is the number of the cohort's customers whose last purchase
	// up to the observation end is at this age or later: the observed
	// survival count that Project fits (see the package documentation). For
	// a projected row it is the expected number under the fitted model.
	Surviving []float64
	// Complete reports whether the period of this row ended by the
	// observation end. The last observed age of every cohort is incomplete
	// unless the observation end falls on the last day of that period.
	// Projected rows are not complete.
	Complete []bool
	// Projected reports whether the row is projected rather than observed.
	Projected []bool

	// continuing is the number of customers active both at this age and at
	// the age before (0 at age 0 and in projected rows); Summarize uses it
	// for the churn rate.
	continuing []float64
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Age) }

// Columns returns the names of the columns of the CSV and JSON output, in
// order.
func Columns() []string {
	return []string{
		"cohort", "age", "cohort_size", "active", "retention",
		"revenue", "revenue_per_customer", "cumulative_revenue_per_customer",
		"net_revenue", "net_revenue_per_customer", "cumulative_net_revenue_per_customer",
		"surviving", "complete", "projected",
	}
}

// CohortLayout is the date layout of the cohort column (2006-01-02).
const CohortLayout = time.DateOnly

func (t *Table) grow(n int) {
	t.Cohort = make([]time.Time, 0, n)
	t.Age = make([]int, 0, n)
	t.CohortSize = make([]int, 0, n)
	t.Active = make([]float64, 0, n)
	t.Retention = make([]float64, 0, n)
	t.Revenue = make([]float64, 0, n)
	t.RevenuePerCustomer = make([]float64, 0, n)
	t.CumulativeRevenuePerCustomer = make([]float64, 0, n)
	t.NetRevenue = make([]float64, 0, n)
	t.NetRevenuePerCustomer = make([]float64, 0, n)
	t.CumulativeNetRevenuePerCustomer = make([]float64, 0, n)
	t.Surviving = make([]float64, 0, n)
	t.Complete = make([]bool, 0, n)
	t.Projected = make([]bool, 0, n)
	t.continuing = make([]float64, 0, n)
}

// row is one row of a Table, used while assembling tables.
type row struct {
	cohort                          time.Time
	age, size                       int
	active, revenue, net, surviving float64
	cumRevenue, cumNet              float64 // cumulative per customer, including this row
	continuing                      float64
	complete, projected             bool
}

func (t *Table) append(r row) {
	n := float64(r.size)
	t.Cohort = append(t.Cohort, r.cohort)
	t.Age = append(t.Age, r.age)
	t.CohortSize = append(t.CohortSize, r.size)
	t.Active = append(t.Active, r.active)
	t.Retention = append(t.Retention, r.active/n)
	t.Revenue = append(t.Revenue, r.revenue)
	t.RevenuePerCustomer = append(t.RevenuePerCustomer, r.revenue/n)
	t.CumulativeRevenuePerCustomer = append(t.CumulativeRevenuePerCustomer, r.cumRevenue)
	t.NetRevenue = append(t.NetRevenue, r.net)
	t.NetRevenuePerCustomer = append(t.NetRevenuePerCustomer, r.net/n)
	t.CumulativeNetRevenuePerCustomer = append(t.CumulativeNetRevenuePerCustomer, r.cumNet)
	t.Surviving = append(t.Surviving, r.surviving)
	t.Complete = append(t.Complete, r.complete)
	t.Projected = append(t.Projected, r.projected)
	t.continuing = append(t.continuing, r.continuing)
}

// cohortSpans returns, for each cohort of t in order, the first row and one
// past the last row of that cohort.
func (t *Table) cohortSpans() [][2]int {
	var spans [][2]int
	for i := 0; i < len(t.Cohort); {
		j := i + 1
		for j < len(t.Cohort) && t.Cohort[j].Equal(t.Cohort[i]) {
			j++
		}
		spans = append(spans, [2]int{i, j})
		i = j
	}
	return spans
}

// check reports an error wrapping ErrBadTable unless t has the shape Build
// gives: columns of equal length, each cohort's rows together with ages
// 0, 1, 2, …, and positive cohort sizes. Tables from Build and Project always
// pass; it guards tables assembled by hand.
func (t *Table) check() error {
	n := len(t.Age)
	lens := []int{len(t.Cohort), len(t.CohortSize), len(t.Active), len(t.Retention), len(t.Revenue),
		len(t.RevenuePerCustomer), len(t.CumulativeRevenuePerCustomer), len(t.NetRevenue),
		len(t.NetRevenuePerCustomer), len(t.CumulativeNetRevenuePerCustomer), len(t.Surviving),
		len(t.Complete), len(t.Projected)}
	for _, l := range lens {
		if l != n {
			return fmt.Errorf("%w: columns of different lengths (%d ages, %v)", ErrBadTable, n, lens)
		}
	}
	if t.continuing != nil && len(t.continuing) != n {
		return fmt.Errorf("%w: columns of different lengths", ErrBadTable)
	}
	for i := 0; i < n; i++ {
		want := 0
		if i > 0 && t.Cohort[i].Equal(t.Cohort[i-1]) {
			want = t.Age[i-1] + 1
		}
		if t.Age[i] != want {
			return fmt.Errorf("%w: row %d: cohort %s age %d, want %d", ErrBadTable, i, t.Cohort[i].Format(CohortLayout), t.Age[i], want)
		}
		if t.CohortSize[i] <= 0 {
			return fmt.Errorf("%w: row %d: cohort size %d", ErrBadTable, i, t.CohortSize[i])
		}
	}
	return nil
}

// cont returns the continuing count of row i (0 when the table has none).
func (t *Table) cont(i int) float64 {
	if i < len(t.continuing) {
		return t.continuing[i]
	}
	return 0
}
