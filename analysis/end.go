package analysis

import (
	"fmt"
	"slices"
	"time"

	"github.com/valuekit/valuekit/customers"
)

// EndWarnings checks the end of a summary whose end was not given — the day
// of the last event — and returns warnings, one line each, when it looks
// wrong: after now (a future-dated row), or far beyond the rest of the
// data. One mistyped year (a 2030 row in a 2011 export) moves the end for
// everyone: every customer's T grows by the gap, so their P(alive) and CLV
// fall. A far end is one more than the data's own span (first purchase to
// the last purchase of all but the latest 1 % of customers), and at least
// a year, after that last purchase. Each warning names the end used and
// says how to set another (--end).
func EndWarnings(s *customers.Summary, now time.Time) []string {
	if s.End.IsZero() || s.LastPurchase == nil {
		return nil
	}
	end := s.End.UTC()
	endDay := end.Format(time.DateOnly)
	var out []string
	today := now.UTC().Truncate(24 * time.Hour)
	if end.After(today) {
		out = append(out, fmt.Sprintf("warning: the last event is on %s, after today (%s): the observation end used is %s, so T runs to it for every customer; "+
			"fix the row's date or give --end YYYY-MM-DD (later events are left out)", endDay, today.Format(time.DateOnly), endDay))
	}
	n, first := 0, int64(0)
	for i, p := range s.Purchases {
		if p == 0 {
			continue
		}
		if n == 0 || s.FirstPurchase[i] < first {
			first = s.FirstPurchase[i]
		}
		n++
	}
	if n < 2 {
		return out
	}
	ref := rankedLast(s, n, n-1-max(1, n/100))
	span := time.Duration(ref-first) * time.Microsecond
	limit := max(span, 365*24*time.Hour)
	gap := end.Sub(time.UnixMicro(ref).UTC())
	if gap <= limit {
		return out
	}
	cut := ref + limit.Microseconds()
	var far []int
	for i, p := range s.Purchases {
		if p > 0 && s.LastPurchase[i] > cut {
			far = append(far, i)
		}
	}
	who := "an event that is not a purchase lies"
	if len(far) > 0 {
		who = fmt.Sprintf("purchases of %d customers (%s) lie", len(far), exampleIDs(s, far, 5))
		if len(far) == 1 {
			who = fmt.Sprintf("purchases of customer %s lie", exampleIDs(s, far, 1))
		}
	}
	out = append(out, fmt.Sprintf("warning: the observation end used is %s, the day of the last event, %.0f days after nearly every customer's last purchase (by %s): "+
		"%s far beyond the rest, and T runs to %s for every customer; fix those dates or give --end YYYY-MM-DD (later events are left out)",
		endDay, gap.Hours()/24, time.UnixMicro(ref).UTC().Format(time.DateOnly), who, endDay))
	return out
}

// rankedLast returns the k-th smallest (0-based) last purchase of the n
// customers with a purchase in s. The times are counted by day first and
// only the day holding rank k is sorted: no copy of every time and no full
// sort (10 million customers: a few megabytes, not 470 MB and a second).
func rankedLast(s *customers.Summary, n, k int) int64 {
	const day = int64(24 * time.Hour / time.Microsecond)
	lo, hi := int64(0), int64(0)
	seen := false
	for i, p := range s.Purchases {
		if p == 0 {
			continue
		}
		d := floorDiv(s.LastPurchase[i], day)
		if !seen || d < lo {
			lo = d
		}
		if !seen || d > hi {
			hi = d
		}
		seen = true
	}
	if hi-lo >= 1<<22 { // dates more than 11,000 years apart: sort them all
		last := make([]int64, 0, n)
		for i, p := range s.Purchases {
			if p > 0 {
				last = append(last, s.LastPurchase[i])
			}
		}
		slices.Sort(last)
		return last[k]
	}
	counts := make([]int32, hi-lo+1)
	for i, p := range s.Purchases {
		if p > 0 {
			counts[floorDiv(s.LastPurchase[i], day)-lo]++
		}
	}
	d, before := 0, 0
	for ; before+int(counts[d]) <= k; d++ {
		before += int(counts[d])
	}
	var same []int64
	for i, p := range s.Purchases {
		if p > 0 && floorDiv(s.LastPurchase[i], day)-lo == int64(d) {
			same = append(same, s.LastPurchase[i])
		}
	}
	slices.Sort(same)
	return same[k-before]
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
