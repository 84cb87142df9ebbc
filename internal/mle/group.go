package mle

import (
	"fmt"
	"math"
)

// Group finds the distinct rows of cols (all of equal length, at most
// MaxCollapseCols columns) and returns them, in order of first appearance,
// with index[i] the distinct row of row i, so that work done once per
// distinct row can be scattered back. Values must be finite (−0 and +0 are
// the same value). The inputs are not modified.
func Group(cols ...[]float64) (distinct [][]float64, index []int32, err error) {
	if len(cols) == 0 || len(cols) > MaxCollapseCols {
		return nil, nil, fmt.Errorf("mle: Group needs 1..%d columns, got %d", MaxCollapseCols, len(cols))
	}
	n := len(cols[0])
	for j, c := range cols {
		if len(c) != n {
			return nil, nil, fmt.Errorf("mle: column %d has %d rows, column 0 has %d", j, len(c), n)
		}
	}
	if n >= math.MaxInt32 {
		return nil, nil, fmt.Errorf("mle: Group of %d rows, want fewer than %d", n, math.MaxInt32)
	}
	ncol := len(cols)
	distinct = make([][]float64, ncol)
	index = make([]int32, n)
	// The slot's weight field holds the distinct row's number plus one (0
	// marks an empty slot), reusing the collapse's hash table.
	tab := &tupleTable{ncol: ncol}
	tab.resize(groupTableSize(n))
	var k [MaxCollapseCols]float64
	for i := 0; i < n; i++ {
		for j, c := range cols {
			v := c[i] + 0
			if v-v != 0 {
				return nil, nil, fmt.Errorf("mle: row %d column %d: value %v, want finite", i, j, c[i])
			}
			k[j] = v
		}
		h := tab.hash(&k) & tab.mask
		for {
			s := &tab.slots[h]
			if s.w == 0 {
				id := len(distinct[0])
				for j := 0; j < ncol; j++ {
					distinct[j] = append(distinct[j], k[j])
				}
				*s = tupleSlot{key: k, w: float64(id + 1)}
				index[i] = int32(id)
				tab.used++
				if 10*tab.used > 7*len(tab.slots) {
					tab.resize(2 * len(tab.slots))
				}
				break
			}
			if s.key == k {
				index[i] = int32(s.w) - 1
				break
			}
			h = (h + 1) & tab.mask
		}
	}
	return distinct, index, nil
}

// groupTableSize is the initial size of Group's hash table for n rows: the
// smallest power of two from 16 that holds n rows under the table's 0.7
// load factor, at most newTupleTable's 4096 slots (from which a larger
// input grows the table as before). A table of 4096 slots is 128 KiB:
// grouping the one customer a service scores per request allocated that
// on every call. The size changes neither the distinct rows nor their order.
func groupTableSize(n int) int {
	size := 16
	for size < 1<<12 && 10*n > 7*size {
		size *= 2
	}
	return size
}
