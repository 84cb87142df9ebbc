package valuekit

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSortIDs checks the radix sort of customer ids against a comparison
// sort by compareIDs, on ids chosen to tie on the radix keys: numbers with
// leading zeros ("7", "07", "0", "00"), numbers beyond 19 digits, ids
// sharing long prefixes, ids that are prefixes of others, zero bytes and
// non-ASCII bytes.
func TestSortIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, id := range []string{"", "0", "00", "000", "7", "07", "007", "10", "010", "18446744073709551615",
		"18446744073709551616", "0000000000000000000000001", "99999999999999999999", "a", "ab", "ab\x00", "ab\x00\x00",
		"abcdefgh", "abcdefgh\x00", "abcdefghi", "é", "\xff", "-1", "1.5"} {
		add(id)
	}
	prefixes := []string{"", "customer-", "customer-000000000", "x", strings.Repeat("z", 17)}
	for len(ids) < 50_000 {
		switch rng.IntN(5) {
		case 0:
			add(fmt.Sprint(rng.IntN(100_000)))
		case 1:
			add(strings.Repeat("0", rng.IntN(3)) + fmt.Sprint(rng.IntN(1000)))
		case 2:
			add(prefixes[rng.IntN(len(prefixes))] + fmt.Sprint(rng.IntN(5000)))
		case 3:
			b := make([]byte, rng.IntN(20))
			for i := range b {
				b[i] = "ab\x00\xff09_"[rng.IntN(7)]
			}
			add(string(b))
		default:
			add(fmt.Sprintf("%05d_%d", rng.IntN(3000), rng.IntN(43)))
		}
	}
	for _, n := range []int{0, 1, 5, 40, 100, 1000, len(ids)} {
		sub := ids[:n]
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		want := slices.Clone(order)
		slices.SortFunc(want, func(x, y int32) int { return compareIDs(sub[x], sub[y]) })
		sortIDs(order, sub)
		require.Equal(t, want, order, "n=%d", n)
	}
}
