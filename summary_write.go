package valuekit

import (
	"io"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Columns returns the names of the summary's output columns, in order:
// customer_id, frequency, recency, T, monetary_value, first_purchase,
// last_purchase, purchases, revenue, refunds, net_revenue, then cost, profit
// and quantity when present, referrals, referred, shares, experience,
// experience_count, and holdout_frequency, holdout_revenue with a
// calibration end.
func (s *Summary) Columns() []string {
	t := s.Table()
	return t.Names()
}

// Table returns the summary's output columns (see Columns) as a Table that
// shares the summary's storage.
func (s *Summary) Table() *Table {
	return &Table{Columns: s.columns()}
}

// WriteCSV writes the summary as CSV with a header row (see Columns).
// Missing values (no purchase, no experience score) are empty fields.
func (s *Summary) WriteCSV(w io.Writer) error { return s.Table().WriteCSV(w) }

// WriteJSON writes the summary as a JSON array of objects, one per customer,
// with the keys of Columns; missing values are null.
func (s *Summary) WriteJSON(w io.Writer) error { return s.Table().WriteJSON(w) }

// WriteParquet writes the summary as a Snappy-compressed Parquet file.
func (s *Summary) WriteParquet(w io.Writer) error { return WriteTableParquet(w, s.Table()) }

// WriteFile writes the summary to path as CSV, Parquet or JSON by extension
// (.csv, .parquet, .json), atomically: a failed write leaves an existing
// file intact.
func (s *Summary) WriteFile(path string) error { return WriteTableFile(path, s.Table()) }

// Record returns the summary as an Arrow record: customer_id utf8, the
// measures float64 or int32, first/last purchase timestamp[us, UTC] (null
// without a purchase), referred list<utf8>, experience null without a score.
// mem nil means memory.DefaultAllocator. The record must be Release()'d
// after use.
func (s *Summary) Record(mem memory.Allocator) arrow.Record { return TableRecord(s.Table(), mem) }

func (s *Summary) columns() []Column {
	purchased := func(i int) bool { return s.Purchases[i] > 0 }
	cols := []Column{
		{Name: "customer_id", Kind: StringColumn, String: s.CustomerID},
		{Name: "frequency", Kind: FloatColumn, Float: s.Frequency},
		{Name: "recency", Kind: FloatColumn, Float: s.Recency},
		{Name: "T", Kind: FloatColumn, Float: s.T},
		{Name: "monetary_value", Kind: FloatColumn, Float: s.MonetaryValue},
	}
	if s.FirstPurchase != nil { // nil in summaries read from files
		cols = append(cols,
			Column{Name: "first_purchase", Kind: TimeColumn, Time: s.FirstPurchase, Valid: purchased},
			Column{Name: "last_purchase", Kind: TimeColumn, Time: s.LastPurchase, Valid: purchased})
	}
	cols = append(cols, []Column{
		{Name: "purchases", Kind: IntColumn, Int: s.Purchases},
		{Name: "revenue", Kind: FloatColumn, Float: s.Revenue},
		{Name: "refunds", Kind: FloatColumn, Float: s.Refunds},
		{Name: "net_revenue", Kind: FloatColumn, Float: s.NetRevenue},
	}...)
	if s.Weights != nil {
		cols = append(cols, Column{Name: "weights", Kind: FloatColumn, Float: s.Weights})
	}
	if s.Cost != nil {
		cols = append(cols, Column{Name: "cost", Kind: FloatColumn, Float: s.Cost})
	}
	if s.Profit != nil {
		cols = append(cols, Column{Name: "profit", Kind: FloatColumn, Float: s.Profit})
	}
	if s.Quantity != nil {
		cols = append(cols, Column{Name: "quantity", Kind: FloatColumn, Float: s.Quantity})
	}
	cols = append(cols,
		Column{Name: "referrals", Kind: IntColumn, Int: s.Referrals},
		Column{Name: "referred", Kind: ListColumn, List: s.Referred},
		Column{Name: "shares", Kind: IntColumn, Int: s.Shares},
		Column{Name: "experience", Kind: FloatColumn, Float: s.Experience, Valid: func(i int) bool { return s.ExperienceCount[i] > 0 }},
		Column{Name: "experience_count", Kind: IntColumn, Int: s.ExperienceCount},
	)
	if s.HoldoutFrequency != nil {
		cols = append(cols,
			Column{Name: "holdout_frequency", Kind: FloatColumn, Float: s.HoldoutFrequency},
			Column{Name: "holdout_revenue", Kind: FloatColumn, Float: s.HoldoutRevenue})
	}
	return cols
}
