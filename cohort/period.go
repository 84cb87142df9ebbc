package cohort

import (
	"fmt"
	"github.com/valuekit/valuekit/internal/civil"
	"strings"
	"time"
)

// Period is the calendar period by which customers are grouped into cohorts
// and by which their ages are counted. All periods are calendar periods in
// UTC. The zero value means Month where an option takes a Period.
type Period uint8

// The periods. Weeks are ISO 8601 weeks: they start on Monday 00:00 UTC, and a
// week that spans a year boundary is one period.
const (
	Day Period = iota + 1
	Week
	Month
	Quarter
	Year
)

var periodNames = [...]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter", Year: "year"}

// String returns the lower-case name of p ("day", "week", "month", "quarter",
// "year").
func (p Period) String() string {
	if p.valid() {
		return periodNames[p]
	}
	return fmt.Sprintf("Period(%d)", uint8(p))
}

func (p Period) valid() bool { return p >= Day && p <= Year }

// ParsePeriod returns the period named s ("day", "week", "month", "quarter" or
// "year"), matched case-insensitively and ignoring surrounding space.
func ParsePeriod(s string) (Period, error) {
	t := strings.TrimSpace(s)
	for p := Day; p <= Year; p++ {
		if strings.EqualFold(t, periodNames[p]) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("cohort: %w: unknown period %q (want day, week, month, quarter or year)", ErrBadOption, s)
}

const (
	microsPerDay = civil.MicrosPerDay
	secondsDay   = 86_400
)

// index returns the number of the period holding day d (days since
// 1970-01-01). Consecutive periods have consecutive numbers, so the age of a
// customer is a difference of two indices.
func (p Period) index(d int64) int64 {
	switch p {
	case Day:
		return d
	case Week:
		// 1970-01-01 is a Thursday; day -3 (1969-12-29) is a Monday.
		return civil.FloorDiv(d+3, 7)
	case Month:
		y, m, _ := civil.Date(d)
		return y*12 + m - 1
	case Quarter:
		y, m, _ := civil.Date(d)
		return y*4 + (m-1)/3
	default: // Year
		y, _, _ := civil.Date(d)
		return y
	}
}

// startDay returns the first day (days since 1970-01-01) of period number i.
func (p Period) startDay(i int64) int64 {
	switch p {
	case Day:
		return i
	case Week:
		return 7*i - 3
	case Month:
		y := civil.FloorDiv(i, 12)
		return civil.Days(y, i-12*y+1, 1)
	case Quarter:
		y := civil.FloorDiv(i, 4)
		return civil.Days(y, 3*(i-4*y)+1, 1)
	default: // Year
		return civil.Days(i, 1, 1)
	}
}

// Start returns the first instant (00:00 UTC of its first day) of the period
// of kind p that holds t.
func (p Period) Start(t time.Time) time.Time {
	if !p.valid() {
		p = Month
	}
	d := civil.DayOf(t.UnixMicro())
	return dayTime(p.startDay(p.index(d)))
}

func dayTime(d int64) time.Time { return time.Unix(d*secondsDay, 0).UTC() }
