package segment

import (
	"io"
	"strconv"

	"github.com/valuekit/valuekit/internal/textfmt"
)

// columns returns the portfolio's column names and, for a row, the cells,
// formatted by num. Optional columns appear only when their input was given.
func (p *Portfolio) columns(num func(float64) string) ([]string, func(PortfolioRow) []string) {
	head := []string{"segment", "customers", "customer_share", "total_value", "mean_value", "value_share"}
	if p.HasPAlive {
		head = append(head, "mean_p_alive", "churn_risk", "at_risk", "value_at_risk", "expected_loss")
	}
	if p.HasNextValue {
		head = append(head, "expected_next")
	}
	if p.Budget > 0 {
		head = append(head, "budget", "budget_share")
	}
	cells := func(r PortfolioRow) []string {
		c := []string{r.Segment, strconv.Itoa(r.Customers), num(r.CustomerShare), num(r.TotalValue), num(r.MeanValue), num(r.ValueShare)}
		if p.HasPAlive {
			c = append(c, num(r.MeanPAlive), num(r.ChurnRisk), strconv.Itoa(r.AtRisk), num(r.ValueAtRisk), num(r.ExpectedLoss))
		}
		if p.HasNextValue {
			c = append(c, num(r.ExpectedNext))
		}
		if p.Budget > 0 {
			c = append(c, num(r.Budget), num(r.BudgetShare))
		}
		return c
	}
	return head, cells
}

// Records returns the portfolio as a header and one record per row, the
// total last, with numbers in full precision: ready for encoding/csv.
func (p *Portfolio) Records() [][]string {
	head, cells := p.columns(func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) })
	out := [][]string{head}
	for _, r := range p.Rows {
		out = append(out, cells(r))
	}
	return append(out, cells(p.Total))
}

// WriteText writes the portfolio as an aligned text table for people:
// shares as percentages, money with two decimals.
func (p *Portfolio) WriteText(w io.Writer) error {
	pct := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }
	money := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	head, _ := p.columns(nil)
	rows := [][]string{head}
	for _, r := range append(append([]PortfolioRow{}, p.Rows...), p.Total) {
		c := []string{r.Segment, strconv.Itoa(r.Customers), pct(r.CustomerShare), money(r.TotalValue), money(r.MeanValue), pct(r.ValueShare)}
		if p.HasPAlive {
			c = append(c, strconv.FormatFloat(r.MeanPAlive, 'f', 3, 64), pct(r.ChurnRisk), strconv.Itoa(r.AtRisk), money(r.ValueAtRisk), money(r.ExpectedLoss))
		}
		if p.HasNextValue {
			c = append(c, money(r.ExpectedNext))
		}
		if p.Budget > 0 {
			c = append(c, money(r.Budget), pct(r.BudgetShare))
		}
		rows = append(rows, c)
	}
	return textfmt.WriteAligned(w, rows)
}
