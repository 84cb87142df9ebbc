package valuekit

import (
	"encoding/binary"
	"slices"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit/internal/parallel"
)

// sortIDs sorts the codes in order by compareIDs of their ids without a
// comparison sort over all of them: ids made of at most 19 digits (after
// leading zeros) are radix-sorted by their number, other ids by their bytes,
// eight at a time; comparisons only order the few ids that tie on those
// keys (numbers written with different leading zeros) and the rare longer
// numbers.
func sortIDs(order []int32, ids func(int32) string, workers int) {
	// Classify the ids on up to workers goroutines (ids must be safe for
	// concurrent use; a few ids are not worth a goroutine): each worker takes a stretch of order and writes its numeric
	// keys and other ids at the stretch's place in keys and other, which
	// are then closed up. (Which worker classified an id does not change
	// the result: equal keys are ordered by comparison.)
	n := len(order)
	keys := make([]sortKey, n) // the numeric ids; later the others' keys
	other := make([]int32, n)
	type stretch struct {
		nkeys, nother int
		long          []int32
	}
	if n < 1<<16 {
		workers = 1
	}
	workers = max(1, workers)
	parts := make([]stretch, workers)
	classify := func(w int) {
		lo, hi := w*n/workers, (w+1)*n/workers
		p := &parts[w]
		for _, c := range order[lo:hi] {
			id := ids(c)
			if !allDigits(id) {
				other[lo+p.nother] = c
				p.nother++
				continue
			}
			t := trimZeros(id)
			if len(t) > 19 {
				p.long = append(p.long, c)
				continue
			}
			v, _ := strconv.ParseUint(t, 10, 64)
			keys[lo+p.nkeys] = sortKey{key: v, code: c}
			p.nkeys++
		}
	}
	parallel.Do(workers, classify)
	var long []int32
	nk, no := 0, 0
	for w, p := range parts {
		lo := w * n / workers
		nk += copy(keys[nk:], keys[lo:lo+p.nkeys])
		no += copy(other[no:], other[lo:lo+p.nother])
		long = append(long, p.long...)
	}
	keys, other = keys[:nk], other[:no]
	cmp := func(x, y int32) int { return compareIDs(ids(x), ids(y)) }
	out := order[:0]
	if !placeDense(keys, &out) {
		radixSort(keys, make([]sortKey, len(keys)))
		for i := 0; i < len(keys); {
			j := i + 1
			for j < len(keys) && keys[j].key == keys[i].key {
				j++
			}
			start := len(out)
			for _, k := range keys[i:j] {
				out = append(out, k.code)
			}
			if j-i > 1 {
				slices.SortFunc(out[start:], cmp)
			}
			i = j
		}
	}
	slices.SortFunc(long, cmp)
	out = append(out, long...)
	if len(other) > 0 {
		sortBytes(other, ids, 0, keys[:cap(keys)], make([]sortKey, len(other)))
	}
	copy(order[len(out):], other)
}

// placeDense appends the codes of keys to out in key order when the keys
// are distinct numbers in a range at most twice as wide as their count
// (customers numbered 1, 2, 3, …): each code is put at its number's place
// in a table of the range, which is then read in order — no sorting
// passes, and 4 bytes per number of the range instead of a second copy of
// the keys. It returns false, appending nothing, otherwise (two ids with
// one number, as 7 and 007, or a sparse range).
func placeDense(keys []sortKey, out *[]int32) bool {
	if len(keys) < 1<<12 {
		return false
	}
	lo, hi := keys[0].key, keys[0].key
	for _, k := range keys {
		lo, hi = min(lo, k.key), max(hi, k.key)
	}
	if hi-lo >= 2*uint64(len(keys)) {
		return false
	}
	slot := make([]int32, hi-lo+1) // code+1; 0 for none
	for _, k := range keys {
		j := k.key - lo
		if slot[j] != 0 {
			return false
		}
		slot[j] = k.code + 1
	}
	for _, c := range slot {
		if c != 0 {
			*out = append(*out, c-1)
		}
	}
	return true
}

type sortKey struct {
	key  uint64
	code int32
}

// radixSort sorts keys by key, least significant byte first, skipping the
// bytes in which all keys agree. scratch must be at least as long as keys.
func radixSort(keys, scratch []sortKey) {
	if len(keys) < 64 {
		slices.SortFunc(keys, func(x, y sortKey) int {
			switch {
			case x.key < y.key:
				return -1
			case x.key > y.key:
				return 1
			}
			return 0
		})
		return
	}
	var counts [8][256]int
	for _, k := range keys {
		for b := range 8 {
			counts[b][byte(k.key>>(8*b))]++
		}
	}
	src, dst := keys, scratch[:len(keys)]
	for b := range 8 {
		c := &counts[b]
		if c[byte(keys[0].key>>(8*b))] == len(keys) {
			continue // every key has the same byte here
		}
		pos := 0
		for i, n := range c {
			c[i] = pos
			pos += n
		}
		for _, k := range src {
			d := byte(k.key >> (8 * b))
			dst[c[d]] = k
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// sortBytes sorts codes by the bytes of their ids, which agree in their
// first depth bytes: it radix-sorts the next eight bytes of each (zero
// past the end) and sorts each group that ties on them by the bytes after.
// keys and scratch must be at least as long as codes.
func sortBytes(codes []int32, ids func(int32) string, depth int, keys, scratch []sortKey) {
	if len(codes) < 32 {
		slices.SortFunc(codes, func(x, y int32) int { return strings.Compare(ids(x), ids(y)) })
		return
	}
	keys = keys[:len(codes)]
	for i, c := range codes {
		keys[i] = sortKey{key: prefix8(ids(c), depth), code: c}
	}
	radixSort(keys, scratch)
	for i, k := range keys {
		codes[i] = k.code
	}
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].key == keys[i].key {
			j++
		}
		if j-i > 1 {
			// The group's ids agree in their first depth+8 bytes, zero
			// padded: those that end there are prefixes of the others.
			g := codes[i:j]
			ended := 0
			for k, c := range g {
				if len(ids(c)) <= depth+8 {
					g[ended], g[k] = g[k], g[ended]
					ended++
				}
			}
			slices.SortFunc(g[:ended], func(x, y int32) int { return len(ids(x)) - len(ids(y)) })
			sortBytes(g[ended:], ids, depth+8, keys[i:j], scratch)
		}
		i = j
	}
}

// prefix8 returns bytes depth..depth+7 of s as a big-endian number, zero
// past the end of s.
func prefix8(s string, depth int) uint64 {
	if len(s) >= depth+8 {
		return binary.BigEndian.Uint64(stringBytes(s[depth : depth+8]))
	}
	var b [8]byte
	if depth < len(s) {
		copy(b[:], s[depth:])
	}
	return binary.BigEndian.Uint64(b[:])
}
