package customers

import (
	"io"

	"github.com/valuekit/valuekit/table"
)

// Parquet and Arrow records of a summary: valuekit.WriteTableParquet,
// valuekit.WriteTableFile and valuekit.TableRecord of s.Table().

// Columns returns the names of the summary's output columns, in order:
// customer_id, frequency, recency, T, monetary_value, first_purchase,
// last_purchase, purchases, revenue, refunds, net_revenue, then cost, profit
// and quantity when present, referrals, referred, shares, experience,
// experience_count, holdout_frequency, holdout_revenue with a calibration
// end, and unit (the unit of recency and T, on every row) unless the unit
// is only assumed.
func (s *Summary) Columns() []string {
	t := s.Table()
	return t.Names()
}

// Table returns the summary's output columns (see Columns) as a Table that
// shares the summary's storage.
func (s *Summary) Table() *table.Table {
	return &table.Table{Columns: s.columns()}
}

// WriteCSV writes the summary as CSV with a header row (see Columns).
// Missing values (no purchase, no experience score) are empty fields.
func (s *Summary) WriteCSV(w io.Writer) error { return s.Table().WriteCSV(w) }

// WriteJSON writes the summary as a JSON array of objects, one per customer,
// with the keys of Columns; missing values are null.
func (s *Summary) WriteJSON(w io.Writer) error { return s.Table().WriteJSON(w) }

func (s *Summary) columns() []table.Column {
	purchased := func(i int) bool { return s.Purchases[i] > 0 }
	cols := []table.Column{
		{Name: "customer_id", Kind: table.StringColumn, String: s.CustomerID},
		{Name: "frequency", Kind: table.FloatColumn, Float: s.Frequency},
		{Name: "recency", Kind: table.FloatColumn, Float: s.Recency},
		{Name: "T", Kind: table.FloatColumn, Float: s.T},
		{Name: "monetary_value", Kind: table.FloatColumn, Float: s.MonetaryValue},
	}
	if s.FirstPurchase != nil { // nil in summaries read from files
		cols = append(cols, table.Column{Name: "first_purchase", Kind: table.TimeColumn, Time: s.FirstPurchase, Valid: purchased})
	}
	if s.LastPurchase != nil {
		cols = append(cols, table.Column{Name: "last_purchase", Kind: table.TimeColumn, Time: s.LastPurchase, Valid: purchased})
	}
	cols = append(cols, table.Column{Name: "purchases", Kind: table.IntColumn, Int: s.Purchases})
	if s.Revenue != nil { // nil in summaries of the model columns only
		cols = append(cols, []table.Column{
			{Name: "revenue", Kind: table.FloatColumn, Float: s.Revenue},
			{Name: "refunds", Kind: table.FloatColumn, Float: s.Refunds},
			{Name: "net_revenue", Kind: table.FloatColumn, Float: s.NetRevenue},
		}...)
	}
	if s.Weights != nil {
		cols = append(cols, table.Column{Name: "weights", Kind: table.FloatColumn, Float: s.Weights})
	}
	if s.Cost != nil {
		cols = append(cols, table.Column{Name: "cost", Kind: table.FloatColumn, Float: s.Cost})
	}
	if s.Profit != nil {
		cols = append(cols, table.Column{Name: "profit", Kind: table.FloatColumn, Float: s.Profit})
	}
	if s.Quantity != nil {
		cols = append(cols, table.Column{Name: "quantity", Kind: table.FloatColumn, Float: s.Quantity})
	}
	// Summaries without referrals or scores leave those columns nil; the
	// output has them all the same (empty lists, no score, count 0).
	if s.Referrals != nil { // nil in summaries of the model columns only
		referred, exp, expCount := s.Referred, s.Experience, s.ExperienceCount
		if referred == nil {
			referred = make([][]string, s.Len())
		}
		if expCount == nil {
			exp, expCount = make([]float64, s.Len()), make([]int32, s.Len())
		}
		cols = append(cols,
			table.Column{Name: "referrals", Kind: table.IntColumn, Int: s.Referrals},
			table.Column{Name: "referred", Kind: table.ListColumn, List: referred},
			table.Column{Name: "shares", Kind: table.IntColumn, Int: s.Shares},
			table.Column{Name: "experience", Kind: table.FloatColumn, Float: exp, Valid: func(i int) bool { return expCount[i] > 0 }},
			table.Column{Name: "experience_count", Kind: table.IntColumn, Int: expCount},
		)
	}
	if s.HoldoutFrequency != nil {
		cols = append(cols,
			table.Column{Name: "holdout_frequency", Kind: table.FloatColumn, Float: s.HoldoutFrequency},
			table.Column{Name: "holdout_revenue", Kind: table.FloatColumn, Float: s.HoldoutRevenue})
	}
	if !s.UnitAssumed {
		// The unit of recency and T, the same on every row, so that a
		// summary file read back (fit, predict) knows it: CSV has no other
		// place for it, and one column reads the same in every format.
		unit := make([]string, s.Len())
		for i := range unit {
			unit[i] = s.Unit.String()
		}
		cols = append(cols, table.Column{Name: "unit", Kind: table.StringColumn, String: unit})
	}
	return cols
}
