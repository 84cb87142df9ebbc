package valuekit

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
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
	for len(ids) < 70_000 { // past 1<<16: classified on several workers
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
	for _, n := range []int{0, 1, 5, 40, 100, 1000, 1 << 16, len(ids)} {
		for _, workers := range []int{1, 3} {
			sub := ids[:n]
			order := make([]int32, n)
			for i := range order {
				order[i] = int32(i)
			}
			rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
			want := slices.Clone(order)
			slices.SortFunc(want, func(x, y int32) int { return compareIDs(sub[x], sub[y]) })
			sortIDs(order, func(c int32) string { return sub[c] }, workers)
			require.Equal(t, want, order, "n=%d workers=%d", n, workers)
		}
	}
}

// TestSortIDsDense checks the placement of numbered customers (a dense
// range of numbers): alone, with text and long ids mixed in, with one
// number written twice ("7" and "007": the radix path instead), and a
// range too sparse to place.
func TestSortIDsDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, tc := range []struct {
		name  string
		ids   func() []string
		dense bool
	}{
		{"numbered", func() []string {
			ids := make([]string, 20000)
			for i := range ids {
				ids[i] = fmt.Sprint(1000 + i)
			}
			return ids
		}, true},
		{"gaps and text", func() []string {
			var ids []string
			for i := range 30000 {
				if rng.IntN(3) > 0 {
					ids = append(ids, fmt.Sprint(i))
				}
			}
			return append(ids, "a", "b7", "", "99999999999999999999999")
		}, true},
		{"a number twice", func() []string {
			ids := make([]string, 10000)
			for i := range ids {
				ids[i] = fmt.Sprint(i)
			}
			return append(ids, "007")
		}, false},
		{"sparse", func() []string {
			ids := make([]string, 10000)
			for i := range ids {
				ids[i] = fmt.Sprint(i * 3)
			}
			return ids
		}, false},
	} {
		ids := tc.ids()
		order := make([]int32, len(ids))
		for i := range order {
			order[i] = int32(i)
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		want := slices.Clone(order)
		slices.SortFunc(want, func(x, y int32) int { return compareIDs(ids[x], ids[y]) })
		sortIDs(order, func(c int32) string { return ids[c] }, 1)
		require.Equal(t, want, order, tc.name)

		var keys []sortKey
		for c, id := range ids {
			if allDigits(id) && len(trimZeros(id)) <= 19 {
				n, _ := strconv.ParseUint(trimZeros(id), 10, 64)
				keys = append(keys, sortKey{key: n, code: int32(c)})
			}
		}
		var out []int32
		require.Equal(t, tc.dense, placeDense(keys, &out), tc.name)
	}
}
