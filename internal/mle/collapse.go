package mle

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"

	"github.com/valuekit/valuekit/internal/parallel"
)

// MaxCollapseCols is the largest number of columns Collapse accepts (three
// keeps a hash-table slot at 32 bytes, half a cache line).
const MaxCollapseCols = 3

// Tuples are the distinct rows of a set of columns with summed weights.
type Tuples struct {
	// Cols[j][i] is column j of distinct row i, rows in order of first
	// appearance.
	Cols [][]float64
	// Weights[i] is the sum of the weights of the rows equal to row i.
	Weights []float64
	// Total is the sum of all weights.
	Total float64
}

// Len returns the number of distinct rows.
func (t Tuples) Len() int { return len(t.Weights) }

// Collapse merges identical rows of cols (all of equal length, at most
// MaxCollapseCols columns) into weighted rows. weights nil means 1 per row;
// rows with zero weight are dropped. Values must be finite and weights
// finite and non-negative; the caller validates the model's own
// constraints. The inputs are not modified.
func Collapse(weights []float64, cols ...[]float64) (Tuples, error) {
	if len(cols) == 0 || len(cols) > MaxCollapseCols {
		return Tuples{}, fmt.Errorf("mle: Collapse needs 1..%d columns, got %d", MaxCollapseCols, len(cols))
	}
	n := len(cols[0])
	for j, c := range cols {
		if len(c) != n {
			return Tuples{}, fmt.Errorf("mle: column %d has %d rows, column 0 has %d", j, len(c), n)
		}
	}
	if weights != nil && len(weights) != n {
		return Tuples{}, fmt.Errorf("mle: %d weights for %d rows", len(weights), n)
	}
	if n >= partitionMinRows {
		return collapsePartitioned(weights, cols, n)
	}
	return collapseSimple(weights, cols, n)
}

// collapseSimple is Collapse with one hash table, for fewer rows.
func collapseSimple(weights []float64, cols [][]float64, n int) (Tuples, error) {
	out := Tuples{Cols: make([][]float64, len(cols))}
	tab := newTupleTable(len(cols))
	var k [MaxCollapseCols]float64
	ncol := len(cols)
	c0 := cols[0]
	var c1, c2 []float64
	if ncol > 1 {
		c1 = cols[1][:n]
	}
	if ncol > 2 {
		c2 = cols[2][:n]
	}
	for i := 0; i < n; i++ {
		w := 1.0
		if weights != nil {
			w = weights[i]
			if !(w >= 0) || math.IsInf(w, 0) {
				return Tuples{}, fmt.Errorf("mle: row %d: weight %v, want finite and >= 0", i, w)
			}
			if w == 0 {
				continue
			}
		}
		// v − v is 0 for finite v and NaN for ±Inf and NaN; v + 0 folds −0
		// into +0 so that both hash alike.
		k[0] = c0[i] + 0
		if ncol > 1 {
			k[1] = c1[i] + 0
			if ncol > 2 {
				k[2] = c2[i] + 0
			}
		}
		if k[0]-k[0] != 0 || k[1]-k[1] != 0 || k[2]-k[2] != 0 {
			for j, c := range cols {
				if v := c[i]; math.IsNaN(v) || math.IsInf(v, 0) {
					return Tuples{}, fmt.Errorf("mle: row %d column %d: value %v, want finite", i, j, v)
				}
			}
		}
		tab.add(&out, &k, w)
		out.Total += w
	}
	// Weights in order of first appearance: one lookup per distinct row.
	out.Weights = make([]float64, len(out.Cols[0]))
	for i := range out.Weights {
		for j := 0; j < ncol; j++ {
			k[j] = out.Cols[j][i]
		}
		out.Weights[i] = tab.slots[tab.find(&k)].w
	}
	return out, nil
}

// partitionMinRows is the number of rows from which Collapse partitions
// the rows by hash before counting them (see collapsePartitioned).
const partitionMinRows = 1 << 16

// partitionBits gives 2^partitionBits partitions (16 measured fastest for
// a million rows with 200,000 distinct: 48 ms, against 53 ms with 64).
const partitionBits = 4

// collapsePartitioned is Collapse for many rows. A single hash table of
// hundreds of thousands of distinct rows is several megabytes, so nearly
// every row costs a cache miss. Instead the rows are first distributed by
// the top bits of their hash into 16 partitions (a stable scatter of keys,
// weights and row numbers, written sequentially per partition), and each
// partition is then counted with a table small enough for the L2 cache.
// The first row of each distinct key is recorded, so that the result keeps
// the order of first appearance, and every key's weight is summed in row
// order as in the simple path: the output is identical.
func collapsePartitioned(weights []float64, cols [][]float64, n int) (Tuples, error) {
	const P = 1 << partitionBits
	ncol := len(cols)
	// Weights first, serially, so that the total is summed in row order.
	total := float64(n)
	if weights != nil {
		total = 0
		for i, w := range weights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return Tuples{}, fmt.Errorf("mle: row %d: weight %v, want finite and >= 0", i, w)
			}
			total += w
		}
	}
	// Hash pass and stable scatter, each over up to two contiguous chunks
	// of rows on their own goroutines; chunk c's rows of partition p go
	// after chunk c−1's, so every partition keeps the row order.
	workers := min(2, runtime.GOMAXPROCS(0))
	parts := make([]uint8, n)
	var count [2][P + 1]int // count[c][P]: rows of weight 0, dropped
	var errs [2]error
	bounds := [3]int{0, n / workers, n}
	if workers == 1 {
		bounds[1] = n
	}
	// Columns beyond ncol read as a column of zeros (the unused key parts).
	c0, c1, c2 := cols[0], make([]float64, 0), make([]float64, 0)
	if ncol > 1 {
		c1 = cols[1]
	}
	if ncol > 2 {
		c2 = cols[2]
	}
	hashPass := func(c int) {
		var k [MaxCollapseCols]float64
		hashT := &tupleTable{ncol: ncol}
		cnt := &count[c]
		for i := bounds[c]; i < bounds[c+1]; i++ {
			if weights != nil && weights[i] == 0 {
				parts[i] = P
				cnt[P]++
				continue
			}
			k[0] = c0[i] + 0
			if ncol > 1 {
				k[1] = c1[i] + 0
				if ncol > 2 {
					k[2] = c2[i] + 0
				}
			}
			if k[0]-k[0] != 0 || k[1]-k[1] != 0 || k[2]-k[2] != 0 {
				for j, col := range cols {
					if v := col[i]; v-v != 0 {
						errs[c] = fmt.Errorf("mle: row %d column %d: value %v, want finite", i, j, v)
						return
					}
				}
			}
			p := uint8(hashT.hash(&k) >> (64 - partitionBits))
			parts[i] = p
			cnt[p]++
		}
	}
	parallel.Do(workers, hashPass)
	for _, err := range errs {
		if err != nil {
			return Tuples{}, err
		}
	}
	var start [P + 1]int
	for p := 1; p <= P; p++ {
		start[p] = start[p-1] + count[0][p-1] + count[1][p-1]
	}
	kept := start[P]
	keys := make([]float64, kept*ncol)
	rows := make([]int32, kept)
	var ws []float64
	if weights != nil {
		ws = make([]float64, kept)
	}
	scatter := func(c int) {
		var next [P]int
		for p := range next {
			next[p] = start[p]
			if c == 1 {
				next[p] += count[0][p]
			}
		}
		for i := bounds[c]; i < bounds[c+1]; i++ {
			p := parts[i]
			if p == P {
				continue
			}
			at := next[p]
			next[p]++
			b := at * ncol
			keys[b] = c0[i] + 0
			if ncol > 1 {
				keys[b+1] = c1[i] + 0
				if ncol > 2 {
					keys[b+2] = c2[i] + 0
				}
			}
			rows[at] = int32(i)
			if ws != nil {
				ws[at] = weights[i]
			}
		}
	}
	parallel.Do(workers, scatter)
	// Count each partition. A distinct key is kept where it first occurs
	// in keys (position at); its summed weight goes to sum[at] and its
	// first row points back to at.
	sum := ws
	if sum == nil {
		sum = make([]float64, kept)
	}
	firstOf := make([]int32, n) // at+1 of the key first seen at this row, 0 if none
	// Partitions are independent (own table, disjoint writes to sum and
	// firstOf), so up to two goroutines share them out, partition p going
	// to worker p mod workers; every goroutine has returned before the
	// result is assembled.
	var found [2]int
	work := func(wk int) {
		var k [MaxCollapseCols]float64
		tab := newTupleTable(ncol)
		var firsts []int
		for p := wk; p < P; p += workers {
			if start[p+1] == start[p] {
				continue
			}
			clear(tab.slots)
			tab.used = 0
			firsts = firsts[:0]
			for at := start[p]; at < start[p+1]; at++ {
				loadKey(&k, keys, at, ncol)
				w := 1.0
				if ws != nil {
					w = ws[at]
				}
				if tab.addLocal(&k, w) {
					firsts = append(firsts, at)
				}
			}
			for _, at := range firsts {
				loadKey(&k, keys, at, ncol)
				sum[at] = tab.slots[tab.find(&k)].w
				firstOf[rows[at]] = int32(at + 1)
			}
			found[wk] += len(firsts)
		}
	}
	parallel.Do(workers, work)
	distinct := found[0] + found[1]
	out := Tuples{Cols: make([][]float64, ncol), Weights: make([]float64, distinct), Total: total}
	for j := range out.Cols {
		out.Cols[j] = make([]float64, distinct)
	}
	d := 0
	for _, at1 := range firstOf {
		if at1 == 0 {
			continue
		}
		at := int(at1 - 1)
		for j := range out.Cols {
			out.Cols[j][d] = keys[at*ncol+j]
		}
		out.Weights[d] = sum[at]
		d++
	}
	return out, nil
}

// loadKey copies key at of the flat keys (ncol values per key) into k.
func loadKey(k *[MaxCollapseCols]float64, keys []float64, at, ncol int) {
	b := at * ncol
	k[0] = keys[b]
	if ncol > 1 {
		k[1] = keys[b+1]
		if ncol > 2 {
			k[2] = keys[b+2]
		}
	}
}

// addLocal adds weight w to the row k and reports whether k was new.
func (t *tupleTable) addLocal(k *[MaxCollapseCols]float64, w float64) bool {
	i := t.hash(k) & t.mask
	for {
		s := &t.slots[i]
		if s.w == 0 {
			break
		}
		if s.key == *k {
			s.w += w
			return false
		}
		i = (i + 1) & t.mask
	}
	t.slots[i] = tupleSlot{key: *k, w: w}
	t.used++
	if 10*t.used > 7*len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	return true
}

// tupleTable is an open-addressing hash table of rows, faster than a Go
// map for the millions of lookups of a large collapse. A slot holds the
// key and its summed weight, 32 bytes, so that adding a row touches one
// cache line; the order of first appearance is kept by appending new keys
// to the output columns.
type tupleTable struct {
	ncol  int
	slots []tupleSlot
	mask  uint64
	used  int
}

type tupleSlot struct {
	key [MaxCollapseCols]float64
	// w is the summed weight of the rows equal to key; 0 marks an empty
	// slot (rows of weight 0 are dropped, so a used slot has w > 0).
	w float64
}

func newTupleTable(ncol int) *tupleTable {
	t := &tupleTable{ncol: ncol}
	t.resize(1 << 12)
	return t
}

func (t *tupleTable) resize(size int) {
	old := t.slots
	t.slots = make([]tupleSlot, size)
	t.mask = uint64(size - 1)
	for i := range old {
		if old[i].w > 0 {
			j := t.hash(&old[i].key) & t.mask
			for t.slots[j].w > 0 {
				j = (j + 1) & t.mask
			}
			t.slots[j] = old[i]
		}
	}
}

// hash mixes the bit patterns of the key's columns (unused columns are 0).
func (t *tupleTable) hash(k *[MaxCollapseCols]float64) uint64 {
	h := math.Float64bits(k[0]) * 0x9e3779b97f4a7c15
	h = bits.RotateLeft64(h^math.Float64bits(k[1]), 31) * 0xbf58476d1ce4e5b9
	h = bits.RotateLeft64(h^math.Float64bits(k[2]), 31) * 0x94d049bb133111eb
	// murmur3 fmix64 tail: every input bit affects the low bits used as
	// the index.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// add adds weight w to the row k, inserting it (and appending it to the
// output columns) when it is new.
func (t *tupleTable) add(out *Tuples, k *[MaxCollapseCols]float64, w float64) {
	if t.addLocal(k, w) {
		for j := 0; j < t.ncol; j++ {
			out.Cols[j] = append(out.Cols[j], k[j])
		}
	}
}

// number returns the number of row key k in a table whose slots hold
// numbers plus one as weights (Group), giving k the number next when it
// is new (isNew).
func (t *tupleTable) number(k *[MaxCollapseCols]float64, next int) (id int, isNew bool) {
	i := t.hash(k) & t.mask
	for {
		s := &t.slots[i]
		if s.w == 0 {
			break
		}
		if s.key == *k {
			return int(s.w) - 1, false
		}
		i = (i + 1) & t.mask
	}
	t.slots[i] = tupleSlot{key: *k, w: float64(next + 1)}
	t.used++
	if 10*t.used > 7*len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	return next, true
}

// find returns the slot index of k, which must be present.
func (t *tupleTable) find(k *[MaxCollapseCols]float64) uint64 {
	i := t.hash(k) & t.mask
	for !(t.slots[i].w > 0 && t.slots[i].key == *k) {
		i = (i + 1) & t.mask
	}
	return i
}

// Index maps each element of col to its position in the returned slice of
// distinct values (in order of first appearance). Model code uses it to
// evaluate terms that depend on a single column once per distinct value.
// −0 and +0 are the same value; NaN values are each distinct.
func Index(col []float64) (distinct []float64, idx []int32) {
	idx = make([]int32, len(col))
	// Open addressing on the bit pattern, slots holding position+1 (0 =
	// empty), grown to keep the load at most 1/2.
	size, shift := 256, uint(64-8)
	slots := make([]int32, size)
	mask := uint64(size - 1)
	for i, v := range col {
		v += 0 // −0 → +0
		h := indexHash(v) >> shift
		for {
			j := slots[h]
			if j == 0 {
				break
			}
			if distinct[j-1] == v {
				idx[i] = j - 1
				goto next
			}
			h = (h + 1) & mask
		}
		distinct = append(distinct, v)
		slots[h] = int32(len(distinct))
		idx[i] = int32(len(distinct) - 1)
		if 2*len(distinct) > size {
			size *= 2
			shift--
			slots = make([]int32, size)
			mask = uint64(size - 1)
			for j, d := range distinct {
				h := indexHash(d) >> shift
				for slots[h] != 0 {
					h = (h + 1) & mask
				}
				slots[h] = int32(j + 1)
			}
		}
	next:
	}
	return distinct, idx
}

// indexHash is Fibonacci hashing of the bit pattern: the top bits of the
// product, which Index uses, depend on every bit of v.
func indexHash(v float64) uint64 {
	b := math.Float64bits(v)
	return (b ^ b>>32) * 0x9e3779b97f4a7c15
}
