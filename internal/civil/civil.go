// Package civil is the calendar arithmetic of valuekit's day-resolution
// summaries, cohorts and generated files: days since 1970-01-01 (UTC) to
// and from proleptic Gregorian dates, in integers only, for any int64 day a
// caller can meet. The conversions are H. Hinnant's days_from_civil and
// civil_from_days ("chrono-Compatible Low-Level Date Algorithms", 2013).
package civil

// MicrosPerDay is the number of microseconds in a UTC day.
const MicrosPerDay = 86_400_000_000

// FloorDiv returns a/b rounded towards minus infinity (b > 0), so that days
// before 1970 fall in the right period.
func FloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DayOf returns the UTC day (days since 1970-01-01) holding the Unix time us
// in microseconds.
func DayOf(us int64) int64 { return FloorDiv(us, MicrosPerDay) }

// Days returns the days from 1970-01-01 to year-month-day (month 1..12) in
// the proleptic Gregorian calendar. It does not check that the date exists:
// day 0 is the last day of the month before, as in time.Date.
func Days(year, month, day int64) int64 {
	if month <= 2 {
		year--
	}
	era := FloorDiv(year, 400)
	yoe := year - era*400                  // [0, 399]
	mp := (month + 9) % 12                 // March = 0
	doy := (153*mp+2)/5 + day - 1          // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146_097 + doe - 719_468
}

// Date returns the year, month (1..12) and day of the month of the day d
// days after 1970-01-01; it is the inverse of Days.
func Date(d int64) (year, month, day int64) {
	z := d + 719_468 // days from 0000-03-01
	era := FloorDiv(z, 146_097)
	doe := z - era*146_097                                    // [0, 146096]
	yoe := (doe - doe/1_460 + doe/36_524 - doe/146_096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)                  // [0, 365], from 1 March
	mp := (5*doy + 2) / 153                                   // [0, 11], March = 0
	day = doy - (153*mp+2)/5 + 1
	year = yoe + era*400
	if mp < 10 {
		month = mp + 3
	} else {
		month = mp - 9
		year++
	}
	return year, month, day
}

// DaysIn returns the number of days of month (1..12) of year.
func DaysIn(year, month int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Valid reports whether year-month-day is a date of the calendar.
func Valid(year, month, day int64) bool {
	return month >= 1 && month <= 12 && day >= 1 && day <= DaysIn(year, month)
}

// AppendDate appends day d as YYYY-MM-DD (years 0 to 9999).
func AppendDate(b []byte, d int64) []byte {
	y, m, day := Date(d)
	return append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}
