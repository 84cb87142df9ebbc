package segment

import "github.com/valuekit/valuekit/table"

// Table returns the portfolio as a typed table, one row per segment and the
// total last, with the columns of Records: segment text, customers and
// at_risk whole numbers, every other column float64 — whatever the values,
// so that a Parquet or JSON file of it has the same schema on every data
// set.
func (p *Portfolio) Table() *table.Table {
	rows := append(append([]PortfolioRow{}, p.Rows...), p.Total)
	str := func(name string, f func(PortfolioRow) string) table.Column {
		c := table.Column{Name: name, Kind: table.StringColumn, String: make([]string, len(rows))}
		for i, r := range rows {
			c.String[i] = f(r)
		}
		return c
	}
	num := func(name string, f func(PortfolioRow) float64) table.Column {
		c := table.Column{Name: name, Kind: table.FloatColumn, Float: make([]float64, len(rows))}
		for i, r := range rows {
			c.Float[i] = f(r)
		}
		return c
	}
	count := func(name string, f func(PortfolioRow) int) table.Column {
		c := table.Column{Name: name, Kind: table.IntColumn, Int: make([]int32, len(rows))}
		for i, r := range rows {
			c.Int[i] = int32(f(r))
		}
		return c
	}
	cols := []table.Column{
		str("segment", func(r PortfolioRow) string { return r.Segment }),
		count("customers", func(r PortfolioRow) int { return r.Customers }),
		num("customer_share", func(r PortfolioRow) float64 { return r.CustomerShare }),
		num("total_value", func(r PortfolioRow) float64 { return r.TotalValue }),
		num("mean_value", func(r PortfolioRow) float64 { return r.MeanValue }),
		num("value_share", func(r PortfolioRow) float64 { return r.ValueShare }),
	}
	if p.HasPAlive {
		cols = append(cols,
			num("mean_p_alive", func(r PortfolioRow) float64 { return r.MeanPAlive }),
			num("churn_risk", func(r PortfolioRow) float64 { return r.ChurnRisk }),
			count("at_risk", func(r PortfolioRow) int { return r.AtRisk }),
			num("value_at_risk", func(r PortfolioRow) float64 { return r.ValueAtRisk }),
			num("expected_loss", func(r PortfolioRow) float64 { return r.ExpectedLoss }))
	}
	if p.HasNextValue {
		cols = append(cols, num("expected_next", func(r PortfolioRow) float64 { return r.ExpectedNext }))
	}
	if p.Budget > 0 {
		cols = append(cols,
			num("budget", func(r PortfolioRow) float64 { return r.Budget }),
			num("budget_share", func(r PortfolioRow) float64 { return r.BudgetShare }))
	}
	return &table.Table{Columns: cols}
}

// Table returns the migration matrix as a typed table: a text column
// "from" with the earlier classes and one whole-number column of counts per
// later class.
func (m *Migration) Table() *table.Table {
	cols := []table.Column{{Name: "from", Kind: table.StringColumn, String: append([]string(nil), m.From...)}}
	for j, to := range m.To {
		c := table.Column{Name: to, Kind: table.IntColumn, Int: make([]int32, len(m.Counts))}
		for i, row := range m.Counts {
			c.Int[i] = int32(row[j])
		}
		cols = append(cols, c)
	}
	return &table.Table{Columns: cols}
}
