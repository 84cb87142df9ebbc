package valuekit

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The columnar constructor gives the table NewEvents gives for the same
// rows, copies its input (a negative purchase becomes a refund in the
// table, not in the caller's slice), and validates like the readers.
func TestNewEventsFromColumns(t *testing.T) {
	score := 8.0
	rows := []Event{
		{CustomerID: "a", Time: date("2024-01-01"), Kind: Purchase, Amount: 10, Cost: 4},
		{CustomerID: "b", Time: date("2024-01-02"), Kind: Referral, ReferredID: "c"},
		{CustomerID: "a", Time: date("2024-01-03"), Kind: Purchase, Amount: -3},
		{CustomerID: "c", Time: date("2024-01-04"), Kind: Feedback, Score: &score},
	}
	want, err := NewEvents(rows)
	require.NoError(t, err)
	cols := EventColumns{
		CustomerID: []string{"a", "b", "a", "c"},
		Time:       []int64{date("2024-01-01").UnixMicro(), date("2024-01-02").UnixMicro(), date("2024-01-03").UnixMicro(), date("2024-01-04").UnixMicro()},
		Kind:       []Kind{Purchase, Referral, Purchase, Feedback},
		Amount:     []float64{10, 0, -3, 0},
		Cost:       []float64{4, 0, 0, 0},
		ReferredID: []string{"", "c", "", ""},
		Score:      []float64{0, 0, 0, 8},
		HasScore:   []bool{false, false, false, true},
	}
	amounts := slices.Clone(cols.Amount)
	got, err := NewEventsFromColumns(cols)
	require.NoError(t, err)
	assert.Equal(t, amounts, cols.Amount, "input not modified")
	assert.Equal(t, want.Times(), got.Times())
	assert.Equal(t, want.Kinds(), got.Kinds())
	assert.Equal(t, want.Amounts(), got.Amounts())
	assert.Equal(t, want.Costs(), got.Costs())
	assert.Equal(t, want.Referred(), got.Referred())
	ws, wh := want.Scores()
	gs, gh := got.Scores()
	assert.Equal(t, ws, gs)
	assert.Equal(t, wh, gh)
	assert.Nil(t, got.Quantities())
	assert.Equal(t, Refund, got.Kinds()[2])
	assert.Equal(t, 3.0, got.Amounts()[2])

	// Optional columns default: every event a purchase without money.
	min, err := NewEventsFromColumns(EventColumns{CustomerID: []string{"x"}, Time: []int64{0}})
	require.NoError(t, err)
	assert.Equal(t, []Kind{Purchase}, min.Kinds())
	assert.Equal(t, []float64{0}, min.Amounts())
}

func TestNewEventsFromColumnsErrors(t *testing.T) {
	ok := func() EventColumns {
		return EventColumns{CustomerID: []string{"a", "b"}, Time: []int64{0, 1}, Amount: []float64{1, 2}}
	}
	tests := []struct {
		name   string
		edit   func(*EventColumns)
		row    int
		column string
	}{
		{"short time", func(c *EventColumns) { c.Time = c.Time[:1] }, 0, ""},
		{"short amount", func(c *EventColumns) { c.Amount = []float64{1} }, 0, ""},
		{"has score without score", func(c *EventColumns) { c.HasScore = []bool{true, true} }, 0, ""},
		{"empty id", func(c *EventColumns) { c.CustomerID[1] = "" }, 2, "customer_id"},
		{"time out of range", func(c *EventColumns) { c.Time[0] = math.MaxInt64 }, 1, "time"},
		{"unknown kind", func(c *EventColumns) { c.Kind = []Kind{Purchase, Kind(99)} }, 2, "kind"},
		{"NaN amount", func(c *EventColumns) { c.Amount[1] = math.NaN() }, 2, "amount"},
		{"infinite cost", func(c *EventColumns) { c.Cost = []float64{0, math.Inf(1)} }, 2, "cost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok()
			tt.edit(&c)
			_, err := NewEventsFromColumns(c)
			require.Error(t, err)
			if tt.row == 0 {
				assert.ErrorIs(t, err, ErrOption)
				return
			}
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.row, re.Row)
			assert.Equal(t, tt.column, re.Column)
		})
	}
}
