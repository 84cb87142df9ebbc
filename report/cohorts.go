package report

import (
	"fmt"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/cohort"
)

const cohortsIntro = "Customers grouped by when they first bought (their acquisition cohort), followed period by period: which share of " +
	"each cohort bought again at each age (retention) and how much revenue an average customer of the cohort has brought in so far (value)."

const cohortsHowToRead = "How to read it: in the heat map and the table, each row is a cohort and each column an age (periods since the " +
	"first purchase); age 0 is 100 % by definition. Retention that falls and then levels off is the loyal core of a cohort; a younger " +
	"cohort with higher retention than an older one at the same age was acquired better. Ages not yet complete at the end are left blank, " +
	"as their retention is understated. The value curves keep rising while a cohort keeps buying."

// maxMatrixAges bounds the age columns of the retention table.
const maxMatrixAges = 24

// cohorts builds the cohort views from the events.
func (b *builder) cohorts() error {
	sec := b.section(SectionCohorts, "Acquisition cohorts", cohortsIntro, cohortsHowToRead)
	ev := b.opts.Events
	if ev == nil {
		sec.text("Cohorts need the events with their dates; this report was made from a summary, so there are none.")
		return nil
	}
	period := b.opts.CohortPeriod
	if period == 0 {
		period = choosePeriod(ev.Time)
	}
	tb, err := cohort.Build(cohort.Events{Customer: ev.Customer, Time: ev.Time, Kind: ev.Kind, Amount: ev.Amount},
		&cohort.Options{Period: period, End: b.opts.Summary.End})
	if err != nil {
		sec.warn("The cohorts could not be formed: %v.", err)
		return nil
	}
	b.r.Cohorts = tb
	mx, err := cohort.NewMatrix(tb, cohort.Retention)
	if err != nil {
		sec.warn("The retention matrix could not be formed: %v.", err)
		return nil
	}
	sec.text("%d cohorts by %s of acquisition, %s customers in all, observed to %s.", len(mx.Cohorts), period, fmtInt(sum(mx.Sizes)), fmtDate(tb.End))
	cd := chart.CohortData{Table: tb, Currency: b.opts.Currency}
	h := chartHeight
	if n := len(mx.Cohorts); n > 12 {
		h = vg.Length(min(12, 3+0.3*float64(n))) * vg.Inch
	}
	c, err := chart.CohortRetention(cd)
	sec.add(b.chartSized(c, err, "Cohort retention", "The share of each cohort (rows, size at the left) that bought at each age (columns); darker is lower.", chartWidth, h))
	c, err = chart.CohortValue(cd)
	sec.add(b.chartBlock(c, err, "Cohort value", "The cumulative revenue per customer of each cohort by age: the realised value of an average customer."))

	ages := min(mx.Ages(), maxMatrixAges)
	head := []string{"cohort", "customers"}
	for k := range ages {
		head = append(head, fmt.Sprint(k))
	}
	t := &Table{Caption: fmt.Sprintf("Retention by cohort (rows) and age in %ss (columns)", period), Head: head, Wide: true}
	t.Numeric = make([]bool, len(head))
	for k := 1; k < len(head); k++ {
		t.Numeric[k] = true
	}
	for i, start := range mx.Cohorts {
		row := []string{cohortLabel(start, period), fmtInt(mx.Sizes[i])}
		for k := range ages {
			cell := ""
			if k < len(mx.Values[i]) {
				cell = fmtFixed(100*mx.Values[i][k], 1)
				if !mx.Complete[i][k] {
					cell += "*"
				}
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	if mx.Ages() > ages {
		t.Caption += fmt.Sprintf("; the first %d ages", ages)
	}
	t.Caption += "; percent, * = period not complete at the end"
	sec.add(Block{Table: t})
	return nil
}

// choosePeriod chooses the cohort period from the span of the events.
func choosePeriod(times []int64) cohort.Period {
	if len(times) == 0 {
		return cohort.Month
	}
	lo, hi := times[0], times[0]
	for _, t := range times {
		lo, hi = min(lo, t), max(hi, t)
	}
	days := float64(hi-lo) / 86400e6
	switch {
	case days < 120:
		return cohort.Week
	case days > 6*365:
		return cohort.Quarter
	}
	return cohort.Month
}

func cohortLabel(t time.Time, p cohort.Period) string {
	switch p {
	case cohort.Month:
		return t.Format("2006-01")
	case cohort.Year:
		return t.Format("2006")
	case cohort.Quarter:
		return fmt.Sprintf("%d Q%d", t.Year(), (int(t.Month())+2)/3)
	}
	return t.Format(time.DateOnly)
}

func sum(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}
