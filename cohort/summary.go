package cohort

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
)

// AgeSummary holds the figures of one age across all cohorts.
type AgeSummary struct {
	// Age is the number of periods since acquisition.
	Age int
	// Cohorts is the number of cohorts whose period at this age is
	// complete; only those enter the figures below.
	Cohorts int
	// Customers is the sum of those cohorts' sizes.
	Customers int
	// Active is the number of their customers active at this age.
	Active float64
	// Retention is Active / Customers: the average of the cohorts'
	// retention at this age weighted by cohort size.
	Retention float64
	// Churn is the period-over-period churn rate: of the customers active
	// at the previous age (in the same cohorts), the share not active at
	// this age. It is 0 at age 0 and when no customer was active at the
	// previous age.
	Churn float64
	// RevenuePerCustomer is the cohorts' revenue at this age divided by
	// Customers.
	RevenuePerCustomer float64
	// CumulativeRevenuePerCustomer is the average of the cohorts'
	// cumulative revenue per customer at this age, weighted by cohort size.
	CumulativeRevenuePerCustomer float64
	// NetRevenuePerCustomer and CumulativeNetRevenuePerCustomer are the
	// same figures for net revenue.
	NetRevenuePerCustomer           float64
	CumulativeNetRevenuePerCustomer float64
}

// Summarize returns the figures by age across the cohorts of t, from age 0 to
// the largest age complete in some cohort. Only observed, complete rows are
// used: the last, partial period of a cohort and projected rows would bias
// the averages. The error wraps ErrBadTable for a table not made by Build or
// Project.
func Summarize(t *Table) ([]AgeSummary, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	var out []AgeSummary
	var prevActive []float64 // per cohort span: active at the previous age
	spans := t.cohortSpans()
	prevActive = make([]float64, len(spans))
	for age := 0; ; age++ {
		s := AgeSummary{Age: age}
		var cont, prev float64
		for ci, sp := range spans {
			i := sp[0] + age
			if i >= sp[1] || t.Age[i] != age || t.Projected[i] || !t.Complete[i] {
				continue
			}
			n := float64(t.CohortSize[i])
			s.Cohorts++
			s.Customers += t.CohortSize[i]
			s.Active += t.Active[i]
			s.RevenuePerCustomer += t.Revenue[i]
			s.NetRevenuePerCustomer += t.NetRevenue[i]
			s.CumulativeRevenuePerCustomer += t.CumulativeRevenuePerCustomer[i] * n
			s.CumulativeNetRevenuePerCustomer += t.CumulativeNetRevenuePerCustomer[i] * n
			if age > 0 {
				cont += t.cont(i)
				prev += prevActive[ci]
			}
			prevActive[ci] = t.Active[i]
		}
		if s.Cohorts == 0 {
			return out, nil
		}
		n := float64(s.Customers)
		s.Retention = s.Active / n
		s.RevenuePerCustomer /= n
		s.NetRevenuePerCustomer /= n
		s.CumulativeRevenuePerCustomer /= n
		s.CumulativeNetRevenuePerCustomer /= n
		if prev > 0 {
			s.Churn = 1 - cont/prev
		}
		out = append(out, s)
	}
}

// WriteSummary writes the figures of Summarize as an aligned text table:
// age, cohorts, customers, active, retention (%), churn (%), revenue per
// customer and cumulative revenue per customer.
func WriteSummary(w io.Writer, s []AgeSummary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "age\tcohorts\tcustomers\tactive\tretention\tchurn\trevenue/customer\tcumulative/customer\t")
	for _, a := range s {
		churn := "-"
		if a.Age > 0 {
			churn = strconv.FormatFloat(100*a.Churn, 'f', 1, 64) + "%"
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.0f\t%.1f%%\t%s\t%.2f\t%.2f\t\n", a.Age, a.Cohorts, a.Customers,
			a.Active, 100*a.Retention, churn, a.RevenuePerCustomer, a.CumulativeRevenuePerCustomer)
	}
	return tw.Flush()
}
