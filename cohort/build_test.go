package cohort

import (
	"errors"
	"github.com/valuekit/valuekit/internal/civil"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuekit/valuekit/event"
)

// testEvent is one row of a hand-built test.
type testEvent struct {
	c   int32
	t   string // RFC 3339
	k   event.Kind
	amt float64
}

func events(t testing.TB, rows ...testEvent) Events {
	t.Helper()
	var ev Events
	for _, r := range rows {
		tm, err := time.Parse(time.RFC3339, r.t)
		require.NoError(t, err, r.t)
		ev.Customer = append(ev.Customer, r.c)
		ev.Time = append(ev.Time, tm.UnixMicro())
		ev.Kind = append(ev.Kind, r.k)
		ev.Amount = append(ev.Amount, r.amt)
	}
	return ev
}

const (
	buy    = event.Purchase
	refund = event.Refund
	fb     = event.Feedback
)

// handEvents covers a month-end boundary (customer 0: 31 Jan 23:00 and 1 Feb
// 00:30), two purchases in one period (1), a refund before the first purchase
// (2), a customer with only refunds and feedback (3), a cohort in the last
// observed period (4), a negative purchase read as a refund (5), a purchase
// after the observation end (6), and a return after a one-month gap (0).
// The rows are deliberately not in time order.
func handEvents(t testing.TB) Events {
	return events(t,
		testEvent{0, "2024-04-10T09:00:00Z", buy, 30},
		testEvent{0, "2024-01-31T23:00:00Z", buy, 10},
		testEvent{1, "2024-01-05T10:00:00Z", buy, 100},
		testEvent{0, "2024-02-01T00:30:00Z", buy, 20},
		testEvent{2, "2023-12-01T00:00:00Z", fb, 0},
		testEvent{0, "2024-02-15T12:00:00Z", refund, 5},
		testEvent{2, "2024-01-02T00:00:00Z", refund, 7},
		testEvent{1, "2024-01-20T10:00:00Z", buy, 50},
		testEvent{2, "2024-02-10T00:00:00Z", buy, 40},
		testEvent{3, "2024-02-10T00:00:00Z", refund, 9},
		testEvent{2, "2024-03-03T00:00:00Z", buy, 15},
		testEvent{3, "2024-03-10T00:00:00Z", fb, math.NaN()}, // feedback amounts are not read
		testEvent{4, "2024-04-30T18:00:00Z", buy, 60},
		testEvent{5, "2024-01-10T00:00:00Z", buy, 25},
		testEvent{5, "2024-03-05T00:00:00Z", buy, -8},
		testEvent{6, "2024-05-02T00:00:00Z", buy, 70},
	)
}

// wantRow is the expected content of one table row.
type wantRow struct {
	cohort                    string
	age, size                 int
	active, revenue, net, sur float64
	cumRev, cumNet            float64
	complete                  bool
}

func checkTable(t *testing.T, tb *Table, want []wantRow) {
	t.Helper()
	require.Equal(t, len(want), tb.Len())
	for i, w := range want {
		assert.Equal(t, w.cohort, tb.Cohort[i].Format(CohortLayout), "row %d cohort", i)
		assert.Equal(t, w.age, tb.Age[i], "row %d age", i)
		assert.Equal(t, w.size, tb.CohortSize[i], "row %d size", i)
		assert.Equal(t, w.active, tb.Active[i], "row %d active", i)
		assert.InDelta(t, w.active/float64(w.size), tb.Retention[i], 1e-12, "row %d retention", i)
		assert.InDelta(t, w.revenue, tb.Revenue[i], 1e-9, "row %d revenue", i)
		assert.InDelta(t, w.revenue/float64(w.size), tb.RevenuePerCustomer[i], 1e-9, "row %d revenue per customer", i)
		assert.InDelta(t, w.net, tb.NetRevenue[i], 1e-9, "row %d net", i)
		assert.InDelta(t, w.net/float64(w.size), tb.NetRevenuePerCustomer[i], 1e-9, "row %d net per customer", i)
		assert.InDelta(t, w.cumRev, tb.CumulativeRevenuePerCustomer[i], 1e-9, "row %d cumulative", i)
		assert.InDelta(t, w.cumNet, tb.CumulativeNetRevenuePerCustomer[i], 1e-9, "row %d cumulative net", i)
		assert.Equal(t, w.sur, tb.Surviving[i], "row %d surviving", i)
		assert.Equal(t, w.complete, tb.Complete[i], "row %d complete", i)
		assert.False(t, tb.Projected[i], "row %d projected", i)
	}
}

func TestBuildHandMonthly(t *testing.T) {
	ev := handEvents(t)
	end := time.Date(2024, 4, 30, 20, 0, 0, 0, time.UTC)
	// Expected cells worked out by hand from handEvents:
	// January cohort = customers 0, 1, 5 (3). Age 0: all three active,
	// revenue 10+100+50+25. Age 1 (Feb): customer 0 only, revenue 20, net
	// 20-5. Age 2 (Mar): nobody active; net -8 (customer 5's negative
	// purchase). Age 3 (Apr): customer 0 returns, 30. Last purchase ages:
	// 3, 0, 0, so surviving 3, 1, 1, 1.
	// February cohort = customer 2 (1): 40 at age 0 (the January refund is
	// before acquisition and left out), 15 at age 1, nothing at age 2.
	// March: nobody acquired, no rows. April cohort = customer 4 (60).
	// Customers 3 (no purchase) and 6 (purchase after the end) are in no cohort.
	want := []wantRow{
		{"2024-01-01", 0, 3, 3, 185, 185, 3, 185.0 / 3, 185.0 / 3, true},
		{"2024-01-01", 1, 3, 1, 20, 15, 1, 205.0 / 3, 200.0 / 3, true},
		{"2024-01-01", 2, 3, 0, 0, -8, 1, 205.0 / 3, 192.0 / 3, true},
		{"2024-01-01", 3, 3, 1, 30, 30, 1, 235.0 / 3, 222.0 / 3, true},
		{"2024-02-01", 0, 1, 1, 40, 40, 1, 40, 40, true},
		{"2024-02-01", 1, 1, 1, 15, 15, 1, 55, 55, true},
		{"2024-02-01", 2, 1, 0, 0, 0, 0, 55, 55, true},
		{"2024-04-01", 0, 1, 1, 60, 60, 1, 60, 60, true},
	}
	for _, mode := range []countMode{countAuto, countBits, countWide, countGrouped} {
		tb, err := build(ev, &Options{End: end}, mode)
		require.NoError(t, err)
		assert.Equal(t, Month, tb.Period)
		assert.True(t, tb.End.Equal(end))
		checkTable(t, tb, want)
		assert.Equal(t, []float64{0, 1, 0, 0, 0, 1, 0, 0}, tb.continuing, "mode %d", mode)
	}

	// Summary by hand from the rows above: age 1 and 2 pool the January and
	// February cohorts (4 customers); churn at age 1 = 1 - 2/4 (customers 0
	// and 2 continue out of 4 active at age 0), at age 2 = 1 - 0/2; at age
	// 3 only January is complete and nobody was active at age 2.
	tb, err := Build(ev, &Options{End: end})
	require.NoError(t, err)
	sum, err := Summarize(tb)
	require.NoError(t, err)
	require.Len(t, sum, 4)
	assert.Equal(t, AgeSummary{Age: 0, Cohorts: 3, Customers: 5, Active: 5, Retention: 1,
		RevenuePerCustomer: 285.0 / 5, CumulativeRevenuePerCustomer: 285.0 / 5,
		NetRevenuePerCustomer: 285.0 / 5, CumulativeNetRevenuePerCustomer: 285.0 / 5}, sum[0])
	assert.Equal(t, 4, sum[1].Customers)
	assert.InDelta(t, 0.5, sum[1].Retention, 1e-12)
	assert.InDelta(t, 0.5, sum[1].Churn, 1e-12)
	assert.InDelta(t, 35.0/4, sum[1].RevenuePerCustomer, 1e-12)
	assert.InDelta(t, (3*205.0/3+55)/4, sum[1].CumulativeRevenuePerCustomer, 1e-12)
	assert.InDelta(t, (3*200.0/3+55)/4, sum[1].CumulativeNetRevenuePerCustomer, 1e-12)
	assert.InDelta(t, 0, sum[2].Retention, 1e-12)
	assert.InDelta(t, 1, sum[2].Churn, 1e-12)
	assert.InDelta(t, -2.0, sum[2].NetRevenuePerCustomer, 1e-12)
	assert.Equal(t, 1, sum[3].Cohorts)
	assert.InDelta(t, 1.0/3, sum[3].Retention, 1e-12)
	assert.Zero(t, sum[3].Churn)
}

func TestBuildDefaultEnd(t *testing.T) {
	// Without an end, the last testEvent (customer 6, 2 May 00:00) ends the
	// observation: May is observed but not complete, and customer 6 forms a
	// May cohort.
	tb, err := Build(handEvents(t), nil)
	require.NoError(t, err)
	assert.True(t, tb.End.Equal(time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)))
	want := []wantRow{
		{"2024-01-01", 0, 3, 3, 185, 185, 3, 185.0 / 3, 185.0 / 3, true},
		{"2024-01-01", 1, 3, 1, 20, 15, 1, 205.0 / 3, 200.0 / 3, true},
		{"2024-01-01", 2, 3, 0, 0, -8, 1, 205.0 / 3, 192.0 / 3, true},
		{"2024-01-01", 3, 3, 1, 30, 30, 1, 235.0 / 3, 222.0 / 3, true},
		{"2024-01-01", 4, 3, 0, 0, 0, 0, 235.0 / 3, 222.0 / 3, false},
		{"2024-02-01", 0, 1, 1, 40, 40, 1, 40, 40, true},
		{"2024-02-01", 1, 1, 1, 15, 15, 1, 55, 55, true},
		{"2024-02-01", 2, 1, 0, 0, 0, 0, 55, 55, true},
		{"2024-02-01", 3, 1, 0, 0, 0, 0, 55, 55, false},
		{"2024-04-01", 0, 1, 1, 60, 60, 1, 60, 60, true},
		{"2024-04-01", 1, 1, 0, 0, 0, 0, 60, 60, false},
		{"2024-05-01", 0, 1, 1, 70, 70, 1, 70, 70, false},
	}
	checkTable(t, tb, want)
}

func TestBuildEarlyEnd(t *testing.T) {
	// Ending on 1 Feb 00:00 keeps customer 0's first February purchase out
	// (00:30 is after the end): February is the last, incomplete age and
	// every later purchase is left out.
	end := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	tb, err := Build(handEvents(t), &Options{End: end})
	require.NoError(t, err)
	checkTable(t, tb, []wantRow{
		{"2024-01-01", 0, 3, 3, 185, 185, 3, 185.0 / 3, 185.0 / 3, true},
		{"2024-01-01", 1, 3, 0, 0, 0, 0, 185.0 / 3, 185.0 / 3, false},
	})
}

func TestBuildPeriodBoundaries(t *testing.T) {
	// Each case: two purchases by one customer straddling a period boundary
	// (ages 0 and 1), and a third purchase just before the boundary's end.
	tests := []struct {
		name   string
		period Period
		times  [3]string
		cohort string
	}{
		{"day", Day, [3]string{"2024-02-28T00:00:00Z", "2024-02-28T23:59:59Z", "2024-02-29T00:00:00Z"}, "2024-02-28"},
		// 2024-01-01 is a Monday: Sunday 31 Dec 2023 is in the ISO week
		// starting Monday 25 Dec 2023.
		{"week", Week, [3]string{"2023-12-25T00:00:00Z", "2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z"}, "2023-12-25"},
		{"month", Month, [3]string{"2024-01-01T00:00:00Z", "2024-01-31T23:59:59Z", "2024-02-01T00:00:00Z"}, "2024-01-01"},
		{"quarter", Quarter, [3]string{"2024-01-15T00:00:00Z", "2024-03-31T23:59:59Z", "2024-04-01T00:00:00Z"}, "2024-01-01"},
		{"year", Year, [3]string{"2023-05-01T00:00:00Z", "2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z"}, "2023-01-01"},
		{"before 1970", Month, [3]string{"1969-12-01T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"}, "1969-12-01"},
		{"week before 1970", Week, [3]string{"1969-12-29T00:00:00Z", "1970-01-04T23:59:59Z", "1970-01-05T00:00:00Z"}, "1969-12-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := events(t,
				testEvent{0, tt.times[0], buy, 1},
				testEvent{0, tt.times[1], buy, 2},
				testEvent{0, tt.times[2], buy, 4},
			)
			tb, err := Build(ev, &Options{Period: tt.period})
			require.NoError(t, err)
			require.Equal(t, 2, tb.Len())
			assert.Equal(t, tt.cohort, tb.Cohort[0].Format(CohortLayout))
			assert.Equal(t, []int{0, 1}, tb.Age)
			assert.Equal(t, []float64{1, 1}, tb.Active)
			assert.Equal(t, []float64{3, 4}, tb.Revenue)
			// The end is 00:00 of the first day of age 1: not its last day
			// (except for daily periods).
			assert.Equal(t, []bool{true, tt.period == Day}, tb.Complete)
		})
	}
}

func TestBuildErrors(t *testing.T) {
	good := func() Events { return handEvents(t) }
	tests := []struct {
		name   string
		edit   func(*Events)
		opts   *Options
		target error
		msg    string
	}{
		{"short time", func(e *Events) { e.Time = e.Time[:3] }, nil, ErrLength, "customer 16, time 3"},
		{"short amount", func(e *Events) { e.Amount = e.Amount[:15] }, nil, ErrLength, "amount 15"},
		{"negative customer", func(e *Events) { e.Customer[4] = -2 }, nil, ErrBadEvent, "customer[4] = -2, want a customer code >= 0: cohort: bad event"},
		{"bad kind", func(e *Events) { e.Kind[7] = event.Kind(42) }, nil, ErrBadEvent,
			"kind[7] = 42, want a known kind (0 purchase, 1 refund, 2 referral, 3 share, 4 feedback): cohort: bad event"},
		{"NaN purchase", func(e *Events) { e.Amount[2] = math.NaN() }, nil, ErrBadEvent, "amount[2] = NaN, want a finite purchase amount of at most 9e12 in absolute value: cohort: bad event"},
		{"Inf purchase", func(e *Events) { e.Amount[2] = math.Inf(1) }, nil, ErrBadEvent, "amount[2] = +Inf, want a finite purchase amount"},
		// Summed in micro-units, 1e13 overflowed into a negative net revenue.
		{"huge purchase", func(e *Events) { e.Amount[2] = 1e13 }, nil, ErrBadEvent, "amount[2] = 10000000000000, want a finite purchase amount of at most 9e12"},
		{"huge negative purchase", func(e *Events) { e.Amount[2] = -1e13 }, nil, ErrBadEvent, "amount[2] = -10000000000000"},
		{"negative refund", func(e *Events) { e.Amount[5] = -5 }, nil, ErrBadEvent, "amount[5] = -5, want a finite refund amount >= 0 and at most 9e12: cohort: bad event"},
		{"huge refund", func(e *Events) { e.Amount[5] = 1e13 }, nil, ErrBadEvent, "amount[5] = 10000000000000, want a finite refund amount >= 0 and at most 9e12"},
		{"bad period", nil, &Options{Period: 9}, ErrBadOption, "cohort: invalid option: period 9"},
		{"end before purchases", nil, &Options{End: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, ErrNoPurchases, ""},
		{"only refunds", func(e *Events) {
			for i := range e.Kind {
				e.Kind[i] = refund
				e.Amount[i] = 1
			}
		}, nil, ErrNoPurchases, ""},
		{"empty", func(e *Events) { *e = Events{} }, nil, ErrNoPurchases, ""},
		{"too many daily cells", func(e *Events) {
			e.Time[0] = -1 << 62 // about 146,000 years before 1970
		}, &Options{Period: Day}, ErrTooManyCells, "use a longer period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := good()
			if tt.edit != nil {
				tt.edit(&ev)
			}
			_, err := Build(ev, tt.opts)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.target)
			assert.Contains(t, err.Error(), tt.msg)
			if errors.Is(err, ErrBadEvent) {
				var ve *event.ValueError
				assert.ErrorAs(t, err, &ve)
			}
		})
	}
}

// TestBuildValueError holds the shared vocabulary: a bad event is an
// *event.ValueError naming the column and the 0-based row, wrapping
// ErrBadEvent; a bad option matches event.ErrOption.
func TestBuildValueError(t *testing.T) {
	tests := []struct {
		edit   func(*Events)
		column string
		index  int
		value  float64
	}{
		{func(e *Events) { e.Customer[0] = -1 }, "customer", 0, -1},
		{func(e *Events) { e.Kind[15] = event.Kind(200) }, "kind", 15, 200},
		{func(e *Events) { e.Amount[3] = math.Inf(-1) }, "amount", 3, math.Inf(-1)},
	}
	for _, tt := range tests {
		ev := handEvents(t)
		tt.edit(&ev)
		_, err := Build(ev, nil)
		require.ErrorIs(t, err, ErrBadEvent)
		var ve *event.ValueError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tt.column, ve.Column)
		assert.Equal(t, tt.index, ve.Index)
		assert.Equal(t, tt.value, ve.Value)
	}
	_, err := Build(handEvents(t), &Options{Period: 9})
	assert.ErrorIs(t, err, event.ErrOption)
	_, err = ParsePeriod("fortnight")
	assert.ErrorIs(t, err, event.ErrOption)
}

func TestBuildDoesNotModifyInput(t *testing.T) {
	ev := handEvents(t)
	cp := Events{
		Customer: append([]int32(nil), ev.Customer...),
		Time:     append([]int64(nil), ev.Time...),
		Kind:     append([]event.Kind(nil), ev.Kind...),
		Amount:   append([]float64(nil), ev.Amount...),
	}
	_, err := Build(ev, &Options{Period: Week})
	require.NoError(t, err)
	assert.Equal(t, cp.Customer, ev.Customer)
	assert.Equal(t, cp.Time, ev.Time)
	assert.Equal(t, cp.Kind, ev.Kind)
	// NaN != NaN, so compare the feedback row's amount separately.
	for i := range cp.Amount {
		if math.IsNaN(cp.Amount[i]) {
			assert.True(t, math.IsNaN(ev.Amount[i]))
			continue
		}
		assert.Equal(t, cp.Amount[i], ev.Amount[i])
	}
}

func TestPeriodArithmetic(t *testing.T) {
	// Check index and startDay against package time for every day from
	// 1890 to 2110: the period holding day d starts on a day s <= d with
	// the calendar meaning of the period, and consecutive periods have
	// consecutive indices.
	from := civil.Days(1890, 1, 1)
	to := civil.Days(2110, 12, 31)
	require.Equal(t, time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC), dayTime(from))
	for _, p := range []Period{Day, Week, Month, Quarter, Year} {
		prevIdx := p.index(from - 1)
		for d := from; d <= to; d++ {
			tm := dayTime(d)
			i := p.index(d)
			s := dayTime(p.startDay(i))
			var want time.Time
			switch p {
			case Day:
				want = tm
			case Week:
				want = tm.AddDate(0, 0, -((int(tm.Weekday()) + 6) % 7))
			case Month:
				want = time.Date(tm.Year(), tm.Month(), 1, 0, 0, 0, 0, time.UTC)
			case Quarter:
				want = time.Date(tm.Year(), (tm.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
			case Year:
				want = time.Date(tm.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if !s.Equal(want) {
				t.Fatalf("%s: day %s starts %s, want %s", p, tm.Format(time.DateOnly), s.Format(time.DateOnly), want.Format(time.DateOnly))
			}
			if i != prevIdx && i != prevIdx+1 {
				t.Fatalf("%s: index jumps from %d to %d at %s", p, prevIdx, i, tm.Format(time.DateOnly))
			}
			if (i == prevIdx+1) != tm.Equal(want) {
				t.Fatalf("%s: index changes off a period start at %s", p, tm.Format(time.DateOnly))
			}
			prevIdx = i
		}
		assert.True(t, p.Start(time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)).Equal(dayTime(p.startDay(p.index(civil.Days(2024, 2, 29))))))
	}
	assert.Equal(t, int64(-1), civil.DayOf(-1))
	assert.Equal(t, int64(0), civil.DayOf(microsPerDay-1))
}

func TestParsePeriodAndMetric(t *testing.T) {
	for p := Day; p <= Year; p++ {
		got, err := ParsePeriod(" " + p.String() + " ")
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	got, err := ParsePeriod("MONTH")
	require.NoError(t, err)
	assert.Equal(t, Month, got)
	_, err = ParsePeriod("fortnight")
	assert.ErrorIs(t, err, ErrBadOption)
	assert.Equal(t, "Period(0)", Period(0).String())

	for m := Retention; m <= CumulativeNetRevenue; m++ {
		got, err := ParseMetric(m.String())
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
	for _, name := range []string{"net-revenue", " Net_Revenue ", "revenue-per-customer"} {
		_, err := ParseMetric(name)
		assert.NoError(t, err, name) // the CLI's help once spelled net_revenue so
	}
	_, err = ParseMetric("ltv")
	assert.ErrorIs(t, err, ErrBadOption)
	assert.Contains(t, err.Error(), "retention, active")
}

func TestBuildLongSpan(t *testing.T) {
	// 180 years of yearly cohorts: longer than the day table (so periods
	// are computed per testEvent) and wider than 64 ages (the general counting
	// path).
	ev := events(t,
		testEvent{0, "1850-06-01T00:00:00Z", buy, 1},
		testEvent{0, "2030-01-01T00:00:00Z", buy, 2},
		testEvent{1, "2030-12-31T23:59:59Z", buy, 4},
		testEvent{0, "2030-07-01T00:00:00Z", buy, 8},
	)
	tb, err := Build(ev, &Options{Period: Year})
	require.NoError(t, err)
	require.Equal(t, 181+1, tb.Len())
	assert.Equal(t, "1850-01-01", tb.Cohort[0].Format(CohortLayout))
	assert.Equal(t, 180, tb.Age[180])
	assert.Equal(t, 1.0, tb.Active[0])
	assert.Equal(t, 0.0, tb.Active[1])
	assert.Equal(t, 1.0, tb.Active[180])
	assert.Equal(t, 10.0, tb.Revenue[180])
	assert.Equal(t, 1.0, tb.Surviving[180])
	assert.Equal(t, "2030-01-01", tb.Cohort[181].Format(CohortLayout))
	assert.Equal(t, 4.0, tb.Revenue[181])
	// The end (the last testEvent) is on the last day of 2030.
	assert.True(t, tb.Complete[180])
	assert.True(t, tb.Complete[181])
}
