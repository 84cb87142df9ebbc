package rfm

import (
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cdnowRFM reads the CDNOW sample (testdata/README.md) into RFM inputs:
// days from the last purchase to 1998-06-30 (the last day of the data),
// distinct purchase days, total spend.
func cdnowRFM(t *testing.T) Data {
	f, err := os.Open("../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	type acc struct {
		last  time.Time
		days  map[time.Time]bool
		spend float64
	}
	by := map[int]*acc{}
	for _, r := range rows[1:] {
		id, err := strconv.Atoi(r[0])
		require.NoError(t, err)
		d, err := time.Parse(time.DateOnly, r[1])
		require.NoError(t, err)
		amt, err := strconv.ParseFloat(r[3], 64)
		require.NoError(t, err)
		a := by[id]
		if a == nil {
			a = &acc{days: map[time.Time]bool{}}
			by[id] = a
		}
		a.days[d] = true
		a.spend += amt
		if d.After(a.last) {
			a.last = d
		}
	}
	end := time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
	var ids []int
	for id := range by {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var d Data
	for _, id := range ids {
		a := by[id]
		d.DaysSinceLastPurchase = append(d.DaysSinceLastPurchase, end.Sub(a.last).Hours()/24)
		d.Purchases = append(d.Purchases, float64(len(a.days)))
		d.Monetary = append(d.Monetary, a.spend)
	}
	return d
}

// TestCDNOW checks RFM scores and default segments on the CDNOW sample
// against an independent Python implementation of the documented rule
// (brute-force counts of strictly worse customers, bisect on sorted values;
// the script is quoted in the package's test notes below).
func TestCDNOW(t *testing.T) {
	d := cdnowRFM(t)
	require.Equal(t, 2357, d.Len())
	s, err := Score(d, nil)
	require.NoError(t, err)
	count := func(x []uint8) []int {
		c := make([]int, 5)
		for _, v := range x {
			c[v-1]++
		}
		return c
	}
	// Expected level sizes from the Python check. F: 1,218 customers bought
	// on one day only and share F = 1; F = 2 is empty.
	assert.Equal(t, []int{482, 471, 463, 470, 471}, count(s.R))
	assert.Equal(t, []int{1218, 0, 403, 358, 378}, count(s.F))
	assert.Equal(t, []int{481, 462, 472, 471, 471}, count(s.M))

	seg, err := DefaultTable().Assign(s)
	require.NoError(t, err)
	st, err := Stats(d, s, seg)
	require.NoError(t, err)
	want := []struct {
		name  string
		n     int
		share float64
	}{
		{Champions, 413, 0.489271},
		{Loyal, 310, 0.237540},
		{PotentialLoyalist, 250, 0.069025},
		{New, 0, 0}, // the cohort's one-time buyers all bought in early 1997
		{Promising, 0, 0},
		{NeedAttention, 82, 0.020464},
		{AboutToSleep, 349, 0.040053},
		{AtRisk, 81, 0.025591},
		{CantLoseThem, 3, 0.005456},
		{Hibernating, 409, 0.052411},
		{Lost, 460, 0.060190},
	}
	require.Len(t, st, len(want))
	for i, w := range want {
		assert.Equal(t, w.name, st[i].Segment)
		assert.Equal(t, w.n, st[i].Customers, w.name)
		assert.InDelta(t, w.share, st[i].RevenueShare, 5e-7, w.name) // printed to 6 decimals
	}
	// Sanity: the best segments spend more per customer than the lost.
	assert.Greater(t, st[0].MeanMonetary, st[10].MeanMonetary)
	assert.Less(t, st[0].MeanRecency, st[10].MeanRecency)
}

// The Python check (run from the repository root):
//
//	import csv, bisect, datetime
//	from collections import defaultdict
//	end = datetime.date(1998, 6, 30)
//	days = defaultdict(set); money = defaultdict(float)
//	for row in csv.DictReader(open('testdata/cdnow_sample.csv')):
//	    d = datetime.date.fromisoformat(row['date'])
//	    days[row['customer_id']].add(d); money[row['customer_id']] += float(row['amount'])
//	ids = sorted(days, key=int)
//	rec = [(end - max(days[c])).days for c in ids]
//	freq = [len(days[c]) for c in ids]; mon = [money[c] for c in ids]
//	n, k = len(ids), 5
//	def scores(x, lower_better):
//	    s = sorted(x)
//	    return [1 + k * ((n - bisect.bisect_right(s, v)) if lower_better
//	                     else bisect.bisect_left(s, v)) // n for v in x]
//	R, F, M = scores(rec, True), scores(freq, False), scores(mon, False)
//	# segments: the DefaultTable grid applied to (R, F); counts and revenue
//	# shares per segment printed to 6 decimals.
