package mle

import (
	"fmt"
	"math"
	"math/bits"
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
	out := Tuples{Cols: make([][]float64, len(cols))}
	tab := newTupleTable(len(cols))
	var k [MaxCollapseCols]float64
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
		for j, c := range cols {
			v := c[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Tuples{}, fmt.Errorf("mle: row %d column %d: value %v, want finite", i, j, v)
			}
			if v == 0 {
				v = 0 // fold -0 into 0
			}
			k[j] = v
		}
		if idx := tab.find(&out, k); idx >= 0 {
			out.Weights[idx] += w
		} else {
			tab.insert(&out, k, w)
		}
		out.Total += w
	}
	return out, nil
}

// tupleTable is an open-addressing hash table of rows, faster than a Go
// map for the millions of lookups of a large collapse. Keys are stored in
// the slots so that a lookup touches one cache line.
type tupleTable struct {
	ncol  int
	slots []tupleSlot
	mask  uint64
	used  int
}

type tupleSlot struct {
	key [MaxCollapseCols]float64
	idx int32 // -1 empty, else row index into the Tuples
	_   int32 // pad to 32 bytes
}

func newTupleTable(ncol int) *tupleTable {
	t := &tupleTable{ncol: ncol}
	t.resize(1 << 12)
	return t
}

func (t *tupleTable) resize(size int) {
	old := t.slots
	t.slots = make([]tupleSlot, size)
	for i := range t.slots {
		t.slots[i].idx = -1
	}
	t.mask = uint64(size - 1)
	for i := range old {
		if old[i].idx >= 0 {
			j := t.hash(&old[i].key) & t.mask
			for t.slots[j].idx >= 0 {
				j = (j + 1) & t.mask
			}
			t.slots[j] = old[i]
		}
	}
}

func (t *tupleTable) hash(k *[MaxCollapseCols]float64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for j := 0; j < t.ncol; j++ {
		h = bits.RotateLeft64((h^math.Float64bits(k[j]))*0x9e3779b97f4a7c15, 31)
	}
	// murmur3 fmix64: every input bit affects the low bits used as index.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// find returns the row index of k, or -1.
func (t *tupleTable) find(_ *Tuples, k [MaxCollapseCols]float64) int32 {
	for i := t.hash(&k) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.idx < 0 {
			return -1
		}
		if s.key == k {
			return s.idx
		}
	}
}

// insert appends k as a new row with weight w (k must not be present).
func (t *tupleTable) insert(out *Tuples, k [MaxCollapseCols]float64, w float64) {
	idx := int32(len(out.Weights))
	out.Weights = append(out.Weights, w)
	for j := 0; j < t.ncol; j++ {
		out.Cols[j] = append(out.Cols[j], k[j])
	}
	t.used++
	if 10*t.used > 7*len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	i := t.hash(&k) & t.mask
	for t.slots[i].idx >= 0 {
		i = (i + 1) & t.mask
	}
	t.slots[i] = tupleSlot{key: k, idx: idx}
}

// Index maps each element of col to its position in the returned slice of
// distinct values (in order of first appearance). Model code uses it to
// evaluate terms that depend on a single column once per distinct value.
func Index(col []float64) (distinct []float64, idx []int32) {
	idx = make([]int32, len(col))
	seen := make(map[float64]int32, 256)
	for i, v := range col {
		j, ok := seen[v]
		if !ok {
			j = int32(len(distinct))
			seen[v] = j
			distinct = append(distinct, v)
		}
		idx[i] = j
	}
	return distinct, idx
}
