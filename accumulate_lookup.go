package valuekit

import (
	"fmt"
	"math"
	"time"
)

// endDay returns the last day the summary covers: the end option, or the
// latest event day.
func (a *Accumulator) endDay() (int64, error) {
	if a.end != math.MaxInt64 {
		return a.end, nil
	}
	if a.maxDay == math.MinInt64 {
		return 0, fmt.Errorf("%w: no events to summarise", ErrEmpty)
	}
	return a.maxDay, nil
}

// newSummaryAt returns an empty summary of n rows observed to endDay, with
// the calibration day, the unit in days and whether there is a holdout
// period, for fillRows.
func (a *Accumulator) newSummaryAt(n int, endDay int64) (s *Summary, calDay int64, unit float64, holdout bool) {
	calDay = min(a.calEnd, endDay)
	holdout = a.calEnd != math.MaxInt64
	s = newSummary(n, a, holdout)
	s.Unit = a.opts.Unit
	s.End = time.UnixMicro(endDay * microsPerDay).UTC()
	if holdout {
		s.CalibrationEnd = time.UnixMicro(calDay * microsPerDay).UTC()
	}
	s.Events, s.AfterEnd = a.events, a.afterEnd
	return s, calDay, a.opts.Unit.Days(), holdout
}

// CustomerSummary returns the summary rows of the given customers, in the
// given order, as Summary would give them (the same end, so the same T), at
// a cost that does not grow with the number of customers: what a service
// answering for one customer at a time needs. An id without an event in
// the accumulator is an error wrapping ErrUnknownCustomer.
func (a *Accumulator) CustomerSummary(ids ...string) (*Summary, error) {
	endDay, err := a.endDay()
	if err != nil {
		return nil, err
	}
	order := make([]int32, len(ids))
	for i, id := range ids {
		c, ok := a.dict.Code(id)
		if !ok || int(c) >= a.n || !a.cust(c).seen {
			return nil, fmt.Errorf("%w: %q", ErrUnknownCustomer, id)
		}
		order[i] = c
	}
	s, calDay, unit, holdout := a.newSummaryAt(len(order), endDay)
	a.fillRows(s, order, 0, len(order), calDay, unit, holdout)
	return s, nil
}

// SummaryAt returns the summary observed to the day of end, which must not
// be before the latest event added: the summary the accumulator would give
// had SummaryOptions.End been end from the start. It lets pieces of one
// customer base, accumulated apart (a distributed pipeline's shards), be
// summarised to one common end. An accumulator with an End option gives
// only that end.
func (a *Accumulator) SummaryAt(end time.Time) (*Summary, error) {
	day := dayOf(end.UnixMicro())
	switch {
	case a.end != math.MaxInt64 && day != a.end:
		return nil, fmt.Errorf("%w: summary end %s differs from the accumulator's end %s", ErrOption, end.Format(time.DateOnly), a.opts.End.Format(time.DateOnly))
	case a.maxDay != math.MinInt64 && day < a.maxDay:
		return nil, fmt.Errorf("%w: summary end %s is before the latest event (%s)", ErrOption, end.Format(time.DateOnly), time.UnixMicro(a.maxDay*microsPerDay).UTC().Format(time.DateOnly))
	}
	saved := a.end
	a.end = day
	defer func() { a.end = saved }()
	return a.Summary()
}
