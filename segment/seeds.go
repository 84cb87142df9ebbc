package segment

import (
	"fmt"
	"slices"
)

// Seed is one seed customer chosen by Seeds.
type Seed struct {
	Index    int     // index of the customer in the input columns
	Own      float64 // the customer's own value
	Referral float64 // the value of the customers they brought in
	Total    float64 // Own + Referral, the ranking key
}

// Seeds returns the n customers of highest total value (own + referral), for
// lookalike targeting: the audience an ad platform expands from. The result
// is ordered by total value, highest first; customers with equal totals are
// ordered by index, so the choice among ties is deterministic (the earlier
// customer wins a place at the cut-off). referral may be nil (all zero).
// Fewer than n seeds are returned when there are fewer customers.
//
// The n best are found with a bounded heap in O(len · log n) time. own and
// referral are not modified; a NaN or infinite value is an error naming its
// index, n < 0 an error.
func Seeds(own, referral []float64, n int) ([]Seed, error) {
	if n < 0 {
		return nil, optionError("seed count %d is negative", n)
	}
	if referral != nil && len(referral) != len(own) {
		return nil, lengthError("referral", len(referral), "own", len(own))
	}
	if err := checkFinite("own", own); err != nil {
		return nil, err
	}
	if referral != nil {
		if err := checkFinite("referral", referral); err != nil {
			return nil, err
		}
	}
	total := func(i int) float64 {
		if referral == nil {
			return own[i]
		}
		return own[i] + referral[i]
	}
	for i := range own {
		if t := total(i); !isFinite(t) {
			return nil, fmt.Errorf("segment: own[%d] + referral[%d] overflows: %w", i, i, ErrNotFinite)
		}
	}
	n = min(n, len(own))
	// better reports whether customer i ranks above customer j.
	better := func(i int, ti float64, j int, tj float64) bool {
		return ti > tj || (ti == tj && i < j)
	}
	// h is a min-heap (worst seed at h[0]) of the best customers so far.
	h := make([]Seed, 0, n)
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			w := l
			if r := l + 1; r < len(h) && better(h[w].Index, h[w].Total, h[r].Index, h[r].Total) {
				w = r
			}
			if !better(h[i].Index, h[i].Total, h[w].Index, h[w].Total) {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := range own {
		t := total(i)
		if len(h) < n {
			h = append(h, Seed{Index: i, Total: t})
			for c := len(h) - 1; c > 0; {
				p := (c - 1) / 2
				if !better(h[p].Index, h[p].Total, h[c].Index, h[c].Total) {
					break
				}
				h[p], h[c] = h[c], h[p]
				c = p
			}
			continue
		}
		if n > 0 && better(i, t, h[0].Index, h[0].Total) {
			h[0] = Seed{Index: i, Total: t}
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b Seed) int {
		if better(a.Index, a.Total, b.Index, b.Total) {
			return -1
		}
		return 1
	})
	for k := range h {
		h[k].Own = own[h[k].Index]
		if referral != nil {
			h[k].Referral = referral[h[k].Index]
		}
	}
	return h, nil
}
