package valuekit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A summary file carries the unit of its recency and T (a unit column), so
// that fit and predict reading it back do not take weeks for days.
func TestSummaryFileUnitRoundTrip(t *testing.T) {
	ev, err := NewEvents([]Event{
		{CustomerID: "1", Time: date("1997-01-01"), Kind: Purchase, Amount: 10},
		{CustomerID: "1", Time: date("1997-01-15"), Kind: Purchase, Amount: 20},
		{CustomerID: "2", Time: date("1997-01-08"), Kind: Purchase, Amount: 5},
	})
	require.NoError(t, err)
	s, err := Summarize(context.Background(), ev, &SummaryOptions{Unit: Week, End: date("1997-01-29")})
	require.NoError(t, err)
	assert.Equal(t, "unit", s.Columns()[len(s.Columns())-1])
	dir := t.TempDir()
	for _, ext := range []string{"csv", "parquet", "json"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(dir, "s."+ext)
			require.NoError(t, WriteTableFile(path, s.Table()))
			ok, err := IsSummaryFile(path)
			require.NoError(t, err)
			require.True(t, ok)
			got, err := ReadSummaryFile(path, Day) // the file's unit wins
			require.NoError(t, err)
			assert.Equal(t, Week, got.Unit)
			assert.False(t, got.UnitAssumed)
			assert.False(t, got.Discrete)
			assert.Equal(t, s.T, got.T)
		})
	}
}

func TestSummaryFileUnitColumn(t *testing.T) {
	tests := []struct {
		name, csv string
		unit      Unit
		assumed   bool
		discrete  bool
		err       string
	}{
		{"no unit column: assumed", "frequency,recency,T\n1,2,3\n", Day, true, false, ""},
		{"unit column", "frequency,recency,T,unit\n1,2,3,month\n0,0,1,month\n", Month, false, false, ""},
		{"empty fields allowed", "frequency,recency,T,unit\n1,2,3,year\n0,0,1,\n", Year, false, false, ""},
		{"periods: discrete", "frequency,recency,periods,weights\n0,0,6,3464\n", Day, true, true, ""},
		{"bad unit", "frequency,recency,T,unit\n1,2,3,fortnight\n", 0, false, false, `s.csv: row 2, column "unit": "fortnight" is not a unit`},
		{"mixed units", "frequency,recency,T,unit\n1,2,3,week\n1,2,3,day\n", 0, false, false, `s.csv: row 3, column "unit": "day" differs from the unit "week"`},
		{"all empty", "frequency,recency,T,unit\n1,2,3,\n", 0, false, false, `column "unit" is empty on every row`},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "s.csv")
			require.NoError(t, os.WriteFile(path, []byte(tt.csv), 0o644))
			s, err := ReadSummaryFile(path, Day)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				assert.True(t, errors.Is(err, ErrBadRow))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.unit, s.Unit)
			assert.Equal(t, tt.assumed, s.UnitAssumed)
			assert.Equal(t, tt.discrete, s.Discrete)
		})
	}
}
