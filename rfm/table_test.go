package rfm

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultTableByHand(t *testing.T) {
	s, err := Score(handData, nil)
	require.NoError(t, err)
	a, err := DefaultTable().Assign(s)
	require.NoError(t, err)
	assert.Equal(t, []string{Champions, Loyal, PotentialLoyalist, New, Promising, NeedAttention,
		AboutToSleep, AtRisk, CantLoseThem, Hibernating, Lost}, a.Names)
	want := []string{
		Champions,    // R5 F5
		Champions,    // R5 F4
		Promising,    // R4 F1
		Loyal,        // R4 F5
		AboutToSleep, // R3 F1
		Loyal,        // R3 F4
		Hibernating,  // R2 F1
		Hibernating,  // R2 F1
		Lost,         // R1 F1
		Lost,         // R1 F1
	}
	for i, w := range want {
		assert.Equal(t, w, a.Name(i), "customer %d", i)
	}

	st, err := Stats(handData, s, a)
	require.NoError(t, err)
	require.Len(t, st, 11)
	c := st[0]
	assert.Equal(t, Champions, c.Segment)
	assert.Equal(t, 2, c.Customers)
	assert.InDelta(t, 0.2, c.CustomerShare, 1e-12)
	assert.InDelta(t, 590, c.Revenue, 1e-12)
	assert.InDelta(t, 590.0/1135, c.RevenueShare, 1e-12)
	assert.InDelta(t, 5, c.MeanR, 1e-12)
	assert.InDelta(t, 4.5, c.MeanF, 1e-12)
	assert.InDelta(t, 4.5, c.MeanM, 1e-12)
	assert.InDelta(t, 2.5, c.MeanRecency, 1e-12)
	assert.InDelta(t, 3.5, c.MeanFrequency, 1e-12)
	assert.InDelta(t, 295, c.MeanMonetary, 1e-12)
	assert.Equal(t, SegmentStats{Segment: New}, st[3]) // empty: zeros
	var sum float64
	for _, x := range st {
		sum += x.RevenueShare
	}
	assert.InDelta(t, 1, sum, 1e-12)
	var buf bytes.Buffer
	require.NoError(t, WriteStats(&buf, st))
	assert.Contains(t, buf.String(), "Can't lose them")
	rec := StatsRecords(st)
	require.Len(t, rec, 12)
	assert.Equal(t, []string{"Champions", "2", "0.2", "590", strconv.FormatFloat(590.0/1135, 'g', -1, 64), "5", "4.5", "4.5", "2.5", "3.5", "295"}, rec[1])
}

// TestDefaultTablePartition: every one of the 125 score combinations has
// exactly one default rule (no overlap, no gap).
func TestDefaultTablePartition(t *testing.T) {
	tab := DefaultTable()
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			for m := 1; m <= 5; m++ {
				n := 0
				for _, rule := range tab.Rules {
					if rule.R.has(r) && rule.F.has(f) && rule.M.has(m) {
						n++
					}
				}
				require.Equal(t, 1, n, "R=%d F=%d M=%d", r, f, m)
			}
		}
	}
}

func TestCustomTable(t *testing.T) {
	s := &Scores{Bins: 3, R: u8(3, 3, 1, 2), F: u8(3, 1, 1, 2), M: u8(3, 1, 2, 2)}
	tab := Table{
		Rules: []Rule{
			{Name: "best", R: Is(3), F: Is(3), M: Between(2, 3)},
			{Name: "fresh", R: Is(3)},
			{Name: "gone", R: Is(1), M: Between(1, 2)},
		},
		Otherwise: "other",
	}
	a, err := tab.Assign(s)
	require.NoError(t, err)
	assert.Equal(t, []string{"best", "fresh", "gone", "other"}, a.Names)
	assert.Equal(t, []int32{0, 1, 2, 3}, a.Class)

	// Without Otherwise the gap is an error naming a combination.
	tab.Otherwise = ""
	_, err = tab.Assign(s)
	require.ErrorIs(t, err, ErrOption)
	assert.ErrorContains(t, err, "R=1 F=1 M=3")

	for _, bad := range []Table{
		{Rules: []Rule{{Name: "", R: Is(1)}}, Otherwise: "x"},
		{Rules: []Rule{{Name: "a", R: Is(4)}}, Otherwise: "x"},
		{Rules: []Rule{{Name: "a", F: Between(2, 1)}}, Otherwise: "x"},
		{Rules: []Rule{{Name: "a", R: Is(1)}}, Otherwise: "a"},
	} {
		_, err := bad.Assign(s)
		assert.ErrorIs(t, err, ErrOption, "%+v", bad)
	}
	// The default table needs five bins.
	_, err = DefaultTable().Assign(s)
	assert.ErrorIs(t, err, ErrOption)
}

func TestAssignProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	n := 5000
	d := Data{DaysSinceLastPurchase: make([]float64, n), Purchases: make([]float64, n), Monetary: make([]float64, n)}
	for i := range n {
		d.DaysSinceLastPurchase[i] = float64(rng.IntN(365))
		d.Purchases[i] = float64(1 + rng.IntN(8))
		d.Monetary[i] = float64(rng.IntN(1000))
	}
	s, err := Score(d, nil)
	require.NoError(t, err)
	a, err := DefaultTable().Assign(s)
	require.NoError(t, err)
	require.NoError(t, a.Validate())
	total := 0
	for _, c := range a.Counts() {
		total += c
	}
	assert.Equal(t, n, total)
	// Equal (R, F, M) scores → equal segment.
	seen := map[[3]uint8]int32{}
	for i := range n {
		key := [3]uint8{s.R[i], s.F[i], s.M[i]}
		if c, ok := seen[key]; ok {
			require.Equal(t, c, a.Class[i])
		}
		seen[key] = a.Class[i]
	}
	st, err := Stats(d, s, a)
	require.NoError(t, err)
	var cs, rs float64
	for _, x := range st {
		cs += x.CustomerShare
		rs += x.RevenueShare
	}
	assert.InDelta(t, 1, cs, 1e-12)
	assert.InDelta(t, 1, rs, 1e-12)
}

func TestSummarizeErrors(t *testing.T) {
	s, err := Score(handData, nil)
	require.NoError(t, err)
	a, err := DefaultTable().Assign(s)
	require.NoError(t, err)
	short := a
	short.Class = a.Class[:3]
	_, err = Stats(handData, s, short)
	assert.ErrorIs(t, err, ErrLength)
	bad := a
	bad.Class = append([]int32{}, a.Class...)
	bad.Class[0] = 99
	_, err = Stats(handData, s, bad)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestStatsTable(t *testing.T) {
	s, err := Score(handData, nil)
	require.NoError(t, err)
	a, err := DefaultTable().Assign(s)
	require.NoError(t, err)
	st, err := Stats(handData, s, a)
	require.NoError(t, err)
	tb := StatsTable(st)
	rec := StatsRecords(st)
	require.NoError(t, tb.Check())
	require.Equal(t, rec[0], tb.Names())
	require.Equal(t, len(rec)-1, tb.Len())
	for j, c := range tb.Columns {
		for i := range tb.Len() {
			switch j {
			case 0:
				assert.Equal(t, rec[i+1][0], c.String[i])
			case 1:
				assert.Equal(t, rec[i+1][1], strconv.Itoa(int(c.Int[i])))
			default:
				v, err := strconv.ParseFloat(rec[i+1][j], 64)
				require.NoError(t, err)
				assert.Equal(t, v, c.Float[i], c.Name)
			}
		}
	}
}
