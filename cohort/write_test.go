package cohort

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteCSVRoundTrip(t *testing.T) {
	tb, err := Build(handEvents(t), nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, tb))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, tb.Len()+1)
	assert.Equal(t, Columns(), recs[0])
	assert.Equal(t, []string{"cohort", "age", "cohort_size", "active", "retention", "revenue",
		"revenue_per_customer", "cumulative_revenue_per_customer"}, recs[0][:8], "the column order of issue 7")
	for i, r := range recs[1:] {
		assert.Equal(t, tb.Cohort[i].Format("2006-01-02"), r[0])
		cols := [][]float64{tb.Active, tb.Retention, tb.Revenue, tb.RevenuePerCustomer,
			tb.CumulativeRevenuePerCustomer, tb.NetRevenue, tb.NetRevenuePerCustomer,
			tb.CumulativeNetRevenuePerCustomer, tb.Surviving}
		for j, col := range cols {
			v, err := strconv.ParseFloat(r[3+j], 64)
			require.NoError(t, err)
			assert.Equal(t, col[i], v, "row %d column %s reads back exactly", i, recs[0][3+j])
		}
		assert.Equal(t, strconv.FormatBool(tb.Complete[i]), r[12])
		assert.Equal(t, "false", r[13])
	}
}

func TestWriteJSON(t *testing.T) {
	tb, err := Build(handEvents(t), &Options{End: time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	pr, err := Project(context.Background(), tb, &ProjectOptions{Periods: 2, Lapse: NoLapse})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, pr.Table))
	var rows []map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rows), buf.String())
	require.Len(t, rows, pr.Table.Len())
	for i, r := range rows {
		assert.Len(t, r, len(Columns()))
		assert.Equal(t, pr.Table.Cohort[i].Format(CohortLayout), r["cohort"])
		assert.Equal(t, float64(pr.Table.Age[i]), r["age"])
		assert.Equal(t, pr.Table.Retention[i], r["retention"])
		assert.Equal(t, pr.Table.CumulativeNetRevenuePerCustomer[i], r["cumulative_net_revenue_per_customer"])
		assert.Equal(t, pr.Table.Projected[i], r["projected"])
	}
	assert.True(t, rows[len(rows)-1]["projected"].(bool))

	var empty bytes.Buffer
	require.NoError(t, WriteJSON(&empty, &Table{}))
	assert.Equal(t, "[]\n", empty.String())
}

func TestMatrixText(t *testing.T) {
	// Default end: May 2024 is observed but incomplete (marked ~); with a
	// projection the later ages are marked *.
	tb, err := Build(handEvents(t), nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteMatrix(&buf, tb, Active))
	assert.Equal(t, `active by month cohort and age in months
cohort      size  0   1   2   3   4
2024-01-01     3  3   1   0   1   0~
2024-02-01     1  1   1   0   0~
2024-04-01     1  1   0~
2024-05-01     1  1~
(~ period not complete at the observation end)
`, buf.String())

	mx, err := NewMatrix(tb, Revenue)
	require.NoError(t, err)
	assert.Equal(t, 5, mx.Ages())
	assert.Equal(t, []float64{185, 20, 0, 30, 0}, mx.Values[0])
	assert.Equal(t, []int{3, 1, 1, 1}, mx.Sizes)

	pr, err := Project(context.Background(), tb, &ProjectOptions{Periods: 1, Lapse: NoLapse})
	require.NoError(t, err)
	buf.Reset()
	require.NoError(t, WriteMatrix(&buf, pr.Table, Retention))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 7)
	assert.Equal(t, "(* projected; ~ period not complete at the observation end)", lines[6])
	// Every cohort reaches age 5 (oldest cohort's last age 4 + 1).
	for _, l := range lines[2:6] {
		assert.True(t, strings.HasSuffix(l, "%*"), l)
	}
	for _, l := range lines {
		assert.Equal(t, strings.TrimRight(l, " "), l, "no trailing spaces")
	}

	_, err = NewMatrix(tb, Metric(0))
	assert.ErrorIs(t, err, ErrBadOption)
	assert.ErrorIs(t, WriteMatrix(&buf, tb, Metric(99)), ErrBadOption)
}

func TestMalformedTable(t *testing.T) {
	good, err := Build(handEvents(t), nil)
	require.NoError(t, err)
	clone := func() *Table {
		c := *good
		c.Age = append([]int(nil), good.Age...)
		c.CohortSize = append([]int(nil), good.CohortSize...)
		return &c
	}
	short := clone()
	short.Revenue = short.Revenue[:3]
	gap := clone()
	gap.Age[2] = 5
	empty := clone()
	empty.CohortSize[0] = 0
	for name, tb := range map[string]*Table{"short column": short, "age gap": gap, "empty cohort": empty} {
		t.Run(name, func(t *testing.T) {
			_, err := Summarize(tb)
			assert.ErrorIs(t, err, ErrBadTable)
			_, err = NewMatrix(tb, Retention)
			assert.ErrorIs(t, err, ErrBadTable)
			assert.ErrorIs(t, WriteCSV(&bytes.Buffer{}, tb), ErrBadTable)
			assert.ErrorIs(t, WriteJSON(&bytes.Buffer{}, tb), ErrBadTable)
			_, err = Project(context.Background(), tb, nil)
			assert.ErrorIs(t, err, ErrBadTable)
		})
	}
	// A table assembled by hand without the internal counts still works.
	hand := clone()
	hand.continuing = nil
	sum, err := Summarize(hand)
	require.NoError(t, err)
	assert.Equal(t, 1.0, sum[1].Churn, "no continuing counts: every active customer counts as churned")

	mx, err := NewMatrix(good, Active)
	require.NoError(t, err)
	mx.Projected = mx.Projected[:1]
	assert.ErrorIs(t, mx.WriteText(&bytes.Buffer{}), ErrBadTable)
}
