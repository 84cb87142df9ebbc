package valuekit

import (
	"fmt"
	"github.com/valuekit/valuekit/internal/civil"
	"time"
)

// Times are held as Unix microseconds in UTC, the unit of the Arrow column
// timestamp[us, UTC].
const (
	microsPerSecond = int64(1e6)
	microsPerDay    = civil.MicrosPerDay
)

// autoLayouts are tried, in order, on the first non-empty time value of a
// column when no layout is given; the first that parses is used for every row.
var autoLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02",
	"2006-01-02 15:04:05",
	"20060102",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05Z07:00",
}

// timeParser parses the values of one time column with one layout. Layouts
// without a zone are read as UTC. The layouts "2006-01-02" and "20060102" have
// allocation-free fast paths.
type timeParser struct {
	layout string
	fast   int // 1: 2006-01-02, 2: 20060102, 0: time.Parse
}

func newTimeParser(layout string) timeParser {
	p := timeParser{layout: layout}
	switch layout {
	case "2006-01-02":
		p.fast = 1
	case "20060102":
		p.fast = 2
	}
	return p
}

// detectLayout returns the first automatic layout that parses s.
func detectLayout(s string) (string, bool) {
	for _, l := range autoLayouts {
		if _, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return l, true
		}
	}
	return "", false
}

// parse returns the Unix microseconds of b.
func (p *timeParser) parse(b []byte) (int64, bool) {
	switch p.fast {
	case 1:
		if len(b) == 10 && b[4] == '-' && b[7] == '-' {
			y, ok1 := digits(b[0:4])
			m, ok2 := digits(b[5:7])
			d, ok3 := digits(b[8:10])
			if ok1 && ok2 && ok3 {
				return civilMicros(y, m, d)
			}
		}
		return 0, false
	case 2:
		if len(b) == 8 {
			y, ok1 := digits(b[0:4])
			m, ok2 := digits(b[4:6])
			d, ok3 := digits(b[6:8])
			if ok1 && ok2 && ok3 {
				return civilMicros(y, m, d)
			}
		}
		return 0, false
	}
	t, err := time.ParseInLocation(p.layout, bytesString(b), time.UTC)
	if err != nil {
		return 0, false
	}
	return t.UnixMicro(), true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// civilMicros returns the Unix microseconds of midnight UTC of y-m-d, checking
// that the date exists.
func civilMicros(y, m, d int) (int64, bool) {
	if !civil.Valid(int64(y), int64(m), int64(d)) {
		return 0, false
	}
	return civil.Days(int64(y), int64(m), int64(d)) * microsPerDay, true
}

// dayOf returns the UTC calendar day (days since 1970-01-01) of Unix micros.
func dayOf(us int64) int64 { return civil.DayOf(us) }

// ParseTime parses s with layout, or with the automatic layouts (RFC 3339,
// 2006-01-02, 2006-01-02 15:04:05, 20060102, …) when layout is empty. Values
// without a zone are UTC. It is the parser used by the readers and the CLI.
func ParseTime(s, layout string) (time.Time, error) {
	if layout == "" {
		l, ok := detectLayout(s)
		if !ok {
			return time.Time{}, fmt.Errorf("%q is not a time in a recognised layout (RFC 3339, 2006-01-02, 2006-01-02 15:04:05, 20060102)", s)
		}
		layout = l
	}
	t, err := time.ParseInLocation(layout, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time in layout %q", s, layout)
	}
	return t.UTC(), nil
}
