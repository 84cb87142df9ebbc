package event

import (
	"fmt"
	"strings"
)

// Unit is the unit in which a summary expresses time (recency, T).
type Unit int

// The time units. A month is a twelfth of a year of 365.25 days
// (30.4375 days), so that twelve months make a year whatever the calendar.
const (
	Day   Unit = iota // 1 day
	Week              // 7 days
	Month             // 365.25/12 days
	Year              // 365.25 days
)

// Days returns the length of u in days.
func (u Unit) Days() float64 {
	switch u {
	case Week:
		return 7
	case Month:
		return 365.25 / 12
	case Year:
		return 365.25
	}
	return 1
}

// String returns "day", "week", "month" or "year".
func (u Unit) String() string {
	switch u {
	case Day:
		return "day"
	case Week:
		return "week"
	case Month:
		return "month"
	case Year:
		return "year"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// ParseUnit parses "day", "week", "month" or "year" (also plural, any case,
// or the letters d, w, m, y).
func ParseUnit(s string) (Unit, error) {
	switch strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "s") {
	case "day", "d":
		return Day, nil
	case "week", "w":
		return Week, nil
	case "month", "m":
		return Month, nil
	case "year", "y":
		return Year, nil
	}
	return 0, fmt.Errorf("%w: unit %q (want day, week, month or year)", ErrOption, s)
}
