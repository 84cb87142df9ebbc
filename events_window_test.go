package valuekit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventsWindow(t *testing.T) {
	ev, err := ReadCSV(strings.NewReader("customer_id,time,kind,amount,score\n"+
		"a,2024-01-01,purchase,10,\n"+
		"b,2024-01-15,purchase,20,\n"+
		"a,2024-02-01,feedback,,8\n"+
		"b,2024-03-01,refund,5,\n"+
		"c,2024-03-31,purchase,7,\n"), "w.csv", nil)
	require.NoError(t, err)
	day := func(s string) time.Time { return date(s) }
	for _, tc := range []struct {
		name     string
		from, to time.Time
		ids      []string
		amounts  []float64
	}{
		{"all", time.Time{}, time.Time{}, []string{"a", "b", "a", "b", "c"}, []float64{10, 20, 0, 5, 7}},
		{"from is inclusive", day("2024-01-15"), time.Time{}, []string{"b", "a", "b", "c"}, []float64{20, 0, 5, 7}},
		{"to is exclusive", time.Time{}, day("2024-03-01"), []string{"a", "b", "a"}, []float64{10, 20, 0}},
		{"inner", day("2024-01-02"), day("2024-03-02"), []string{"b", "a", "b"}, []float64{20, 0, 5}},
		{"empty", day("2025-01-01"), time.Time{}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := ev.Window(tc.from, tc.to)
			require.Equal(t, len(tc.ids), w.Len())
			var ids []string
			for i := range w.Len() {
				ids = append(ids, w.CustomerID(i))
			}
			assert.Equal(t, tc.ids, ids)
			if tc.amounts != nil {
				assert.Equal(t, tc.amounts, w.Amounts())
			}
			score, has := w.Scores()
			assert.NotNil(t, score, "the score column stays present")
			assert.Len(t, has, w.Len())
			s, err := Summarize(context.Background(), w, nil)
			if len(tc.ids) == 0 {
				require.ErrorIs(t, err, ErrEmpty)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(uniq(tc.ids)), s.Len())
		})
	}
	// The source table is untouched.
	assert.Equal(t, 5, ev.Len())
}

func uniq(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}
