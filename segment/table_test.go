package segment

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/table"
)

// checkAgainstRecords holds a typed table to the text records it replaces:
// the same header, the same cells, and the declared kinds.
func checkAgainstRecords(t *testing.T, tb *table.Table, records [][]string, kinds map[string]table.ColumnKind) {
	t.Helper()
	require.NoError(t, tb.Check())
	require.Equal(t, records[0], tb.Names())
	require.Equal(t, len(records)-1, tb.Len())
	for j, c := range tb.Columns {
		want, ok := kinds[c.Name]
		if !ok {
			want = table.FloatColumn
		}
		assert.Equal(t, want, c.Kind, c.Name)
		for i := range tb.Len() {
			cell := records[i+1][j]
			switch c.Kind {
			case table.StringColumn:
				assert.Equal(t, cell, c.String[i])
			case table.IntColumn:
				assert.Equal(t, cell, strconv.Itoa(int(c.Int[i])))
			case table.FloatColumn:
				v, err := strconv.ParseFloat(cell, 64)
				require.NoError(t, err)
				assert.Equal(t, v, c.Float[i], "%s row %d", c.Name, i)
			}
		}
	}
}

func TestPortfolioTable(t *testing.T) {
	a := Assignment{Names: []string{"a", "b", "c"}, Class: []int32{0, 0, 1, 1, 1}}
	value := []float64{100, 50, 30, 20, -10} // whole numbers: still float columns
	for _, opts := range []*PortfolioOptions{
		nil,
		{PAlive: []float64{0.9, 0.4, 0.2, 1, 0.5}, NextValue: []float64{10, 5, 1, 2, 0}, Budget: 1000, Allocation: ByValueAtRisk},
	} {
		p, err := NewPortfolio(a, value, opts)
		require.NoError(t, err)
		checkAgainstRecords(t, p.Table(), p.Records(), map[string]table.ColumnKind{
			"segment": table.StringColumn, "customers": table.IntColumn, "at_risk": table.IntColumn})
	}
}

func TestMigrationTable(t *testing.T) {
	before := Snapshot{IDs: []string{"c1", "c2"}, Assignment: Assignment{Names: []string{"A", "B"}, Class: []int32{0, 1}}}
	after := Snapshot{IDs: []string{"c2", "c3"}, Assignment: Assignment{Names: []string{"A", "B"}, Class: []int32{0, 1}}}
	m, err := Migrate(before, after)
	require.NoError(t, err)
	kinds := map[string]table.ColumnKind{"from": table.StringColumn}
	for _, to := range m.To {
		kinds[to] = table.IntColumn
	}
	checkAgainstRecords(t, m.Table(), m.Records(), kinds)
}
