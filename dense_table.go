package valuekit

// denseTable maps the integer ids lo … lo+width−1 to a code+1 (0: none),
// in pages of 1<<densePageBits entries allocated when first written: its
// memory follows the ids met, not the width of the range the file's
// statistics claim (a corrupt footer can claim any).
type denseTable struct {
	lo    int64
	width uint64
	pages [][]int32
}

const densePageBits = 16

func newDenseTable(lo int64, width uint64) *denseTable {
	return &denseTable{lo: lo, width: width, pages: make([][]int32, (width+1<<densePageBits-1)>>densePageBits)}
}

// slot returns num's place in the table, and false when num is outside
// its range.
func (t *denseTable) slot(num int64) (uint64, bool) {
	j := uint64(num - t.lo)
	return j, j < t.width
}

// get returns the code+1 at slot j (0: none).
func (t *denseTable) get(j uint64) int32 {
	p := t.pages[j>>densePageBits]
	if p == nil {
		return 0
	}
	return p[j&(1<<densePageBits-1)]
}

// set puts code+1 v at slot j.
func (t *denseTable) set(j uint64, v int32) {
	p := &t.pages[j>>densePageBits]
	if *p == nil {
		*p = make([]int32, 1<<densePageBits)
	}
	(*p)[j&(1<<densePageBits-1)] = v
}
