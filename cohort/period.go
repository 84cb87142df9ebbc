package cohort

import (
	"fmt"
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
	return 0, fmt.Errorf("%w: unknown period %q (want day, week, month, quarter or year)", ErrBadOption, s)
}

const (
	microsPerDay = 86_400_000_000
	secondsDay   = 86_400
)

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// dayOf returns the number of days since 1970-01-01 of the UTC day holding the
// Unix time us (microseconds).
func dayOf(us int64) int64 { return floorDiv(us, microsPerDay) }

// civil returns the proleptic Gregorian year and month (1..12) of the day that
// is z days after 1970-01-01. It is the days-to-civil algorithm of
// Hinnant ("chrono-Compatible Low-Level Date Algorithms"), integer only.
func civil(z int64) (year int64, month int64) {
	z += 719_468 // days from 0000-03-01 to 1970-01-01
	era := floorDiv(z, 146_097)
	doe := z - era*146_097                                    // [0, 146096]
	yoe := (doe - doe/1_460 + doe/36_524 - doe/146_096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)                  // [0, 365], from 1 March
	mp := (5*doy + 2) / 153                                   // [0, 11], March = 0
	year = yoe + era*400
	if mp < 10 {
		month = mp + 3
	} else {
		month = mp - 9
		year++
	}
	return year, month
}

// daysFromCivil is the inverse of civil: the days since 1970-01-01 of the
// given year, month (1..12) and day of the month.
func daysFromCivil(year, month, day int64) int64 {
	if month <= 2 {
		year--
	}
	era := floorDiv(year, 400)
	yoe := year - era*400
	mp := (month + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146_097 + doe - 719_468
}

// index returns the number of the period holding day d (days since
// 1970-01-01). Consecutive periods have consecutive numbers, so the age of a
// customer is a difference of two indices.
func (p Period) index(d int64) int64 {
	switch p {
	case Day:
		return d
	case Week:
		// 1970-01-01 is a Thursday; day -3 (1969-12-29) is a Monday.
		return floorDiv(d+3, 7)
	case Month:
		y, m := civil(d)
		return y*12 + m - 1
	case Quarter:
		y, m := civil(d)
		return y*4 + (m-1)/3
	default: // Year
		y, _ := civil(d)
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
		y := floorDiv(i, 12)
		return daysFromCivil(y, i-12*y+1, 1)
	case Quarter:
		y := floorDiv(i, 4)
		return daysFromCivil(y, 3*(i-4*y)+1, 1)
	default: // Year
		return daysFromCivil(i, 1, 1)
	}
}

// Start returns the first instant (00:00 UTC of its first day) of the period
// of kind p that holds t.
func (p Period) Start(t time.Time) time.Time {
	if !p.valid() {
		p = Month
	}
	d := dayOf(t.UnixMicro())
	return dayTime(p.startDay(p.index(d)))
}

func dayTime(d int64) time.Time { return time.Unix(d*secondsDay, 0).UTC() }
