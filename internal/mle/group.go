package mle

import (
	"fmt"
	"math"
	"runtime"
	"sync/atomic"

	"github.com/valuekit/valuekit/internal/parallel"
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
	if n >= groupPartitionMinRows && runtime.GOMAXPROCS(0) > 1 {
		return groupPartitioned(cols, n)
	}
	return groupSerial(cols, n)
}

// groupSerial is Group in one pass with one table.
func groupSerial(cols [][]float64, n int) (distinct [][]float64, index []int32, err error) {
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
		id, isNew := tab.number(&k, len(distinct[0]))
		if isNew {
			for j := 0; j < ncol; j++ {
				distinct[j] = append(distinct[j], k[j])
			}
		}
		index[i] = int32(id)
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

// groupPartitionMinRows is the number of rows from which Group partitions
// the rows by hash and groups the partitions on all cores.
const groupPartitionMinRows = 1 << 18

// groupPartitionBits gives Group 2^groupPartitionBits partitions: at ten
// million rows with 1.6 million distinct, each partition's table is a few
// megabytes.
const groupPartitionBits = 6

// groupPartitioned is Group for many rows, with the same result. One hash
// table of millions of distinct rows misses the cache on nearly every row
// and is grown by doubling, on one core. Instead: the rows' hashes give
// each row a partition (on all cores, in blocks of rows); each partition's
// rows, in row order, are grouped with a table of their own (partitions on
// all cores), which numbers the partition's distinct rows in their order
// of first appearance and marks each one's first row; a last pass in row
// order numbers the distinct rows by their first rows — the order of
// first appearance over all rows — and maps every row to that number.
func groupPartitioned(cols [][]float64, n int) (distinct [][]float64, index []int32, err error) {
	const P = 1 << groupPartitionBits
	ncol := len(cols)
	workers := runtime.GOMAXPROCS(0)
	bounds := make([]int, workers+1)
	for w := range workers + 1 {
		bounds[w] = w * n / workers
	}
	key := func(i int, k *[MaxCollapseCols]float64) {
		for j, c := range cols {
			k[j] = c[i] + 0
		}
	}
	part := make([]uint8, n)
	count := make([][P]int, workers)
	firstBad := make([]int, workers)
	parallel.Do(workers, func(w int) {
		firstBad[w] = -1
		t := &tupleTable{ncol: ncol}
		var k [MaxCollapseCols]float64
		for i := bounds[w]; i < bounds[w+1]; i++ {
			key(i, &k)
			if k[0]-k[0] != 0 || k[1]-k[1] != 0 || k[2]-k[2] != 0 {
				firstBad[w] = i
				return
			}
			p := uint8(t.hash(&k) >> (64 - groupPartitionBits))
			part[i] = p
			count[w][p]++
		}
	})
	for _, i := range firstBad {
		if i >= 0 {
			for j, c := range cols {
				if v := c[i]; v-v != 0 {
					return nil, nil, fmt.Errorf("mle: row %d column %d: value %v, want finite", i, j, v)
				}
			}
		}
	}
	// Each partition's rows in row order: block w's after block w−1's.
	var start [P + 1]int
	next := make([][P]int, workers)
	for p := range P {
		start[p+1] = start[p]
		for w := range workers {
			next[w][p] = start[p+1]
			start[p+1] += count[w][p]
		}
	}
	rows := make([]int32, n)
	parallel.Do(workers, func(w int) {
		at := &next[w]
		for i := bounds[w]; i < bounds[w+1]; i++ {
			p := part[i]
			rows[at[p]] = int32(i)
			at[p]++
		}
	})
	// Group each partition: index[i] is row i's distinct row within its
	// partition, first[i] marks the first row of each.
	index = make([]int32, n)
	first := make([]bool, n)
	sizes := make([]int, P)
	var nextPart atomic.Int32
	parallel.Do(workers, func(int) {
		var k [MaxCollapseCols]float64
		t := &tupleTable{ncol: ncol}
		for {
			p := int(nextPart.Add(1)) - 1
			if p >= P {
				return
			}
			prow := rows[start[p]:start[p+1]]
			size := 16
			for 10*len(prow) > 7*size && size < 1<<16 {
				size *= 2
			}
			if len(t.slots) != size {
				t.slots, t.mask = make([]tupleSlot, size), uint64(size-1)
			} else {
				clear(t.slots)
			}
			t.used = 0
			local := 0
			for _, r := range prow {
				i := int(r)
				key(i, &k)
				id, isNew := t.number(&k, local)
				if isNew {
					first[i] = true
					local++
				}
				index[i] = int32(id)
			}
			sizes[p] = local
		}
	})
	// Number the distinct rows in order of first appearance.
	var offset [P + 1]int
	for p := range P {
		offset[p+1] = offset[p] + sizes[p]
	}
	global := make([]int32, offset[P]) // by partition offset + local number
	distinct = make([][]float64, ncol)
	for j := range distinct {
		distinct[j] = make([]float64, 0, offset[P])
	}
	g := int32(0)
	for i := range n {
		at := offset[part[i]] + int(index[i])
		if first[i] {
			global[at] = g
			g++
			for j, c := range cols {
				distinct[j] = append(distinct[j], c[i]+0)
			}
		}
		index[i] = global[at]
	}
	return distinct, index, nil
}
