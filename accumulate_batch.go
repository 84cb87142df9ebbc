package valuekit

import (
	"strconv"
)

// addBatchRows takes the events of ev at rows, as AddRows does, for a
// batch whose dictionary is small (the batch's own ids) and is reset and
// reused once the call returns: the ids of new customers are copied into
// the accumulator's dictionary, and the batch's codes are mapped through
// a table as long as its dictionary rather than a map. It is the shard
// side of addParquetSplit, where readers route each batch's rows to the
// accumulator that owns their customers. nums, when not nil, holds the
// integer id of each code of ev's dictionary (noNum for others), looked
// up in the accumulator's dense table when it has one.
func (a *Accumulator) addBatchRows(ev *Events, rows []int32, nums []int64) error {
	if len(rows) == 0 {
		return nil
	}
	for _, i := range rows {
		if err := a.checkAmount(ev, int(i)); err != nil {
			return err
		}
	}
	if a.shared {
		a.unshare()
	}
	n := ev.dict.Len()
	if cap(a.batchMap) < n {
		a.batchMap = make([]int32, n, max(n, 2*cap(a.batchMap)))
	}
	m := a.batchMap[:n]
	for i := range m {
		m[i] = -1
	}
	code := func(c int32) (int32, error) {
		if c < 0 {
			return -1, nil
		}
		if ac := m[c]; ac >= 0 {
			return ac, nil
		}
		slot := int64(-1)
		if a.dense != nil {
			var num int64
			var isNum bool
			if int(c) < len(nums) && nums[c] != noNum {
				num, isNum = nums[c], true
			} else {
				num, isNum = canonicalInt(ev.dict.ID(c))
			}
			if j, in := a.dense.slot(num); isNum && in {
				if d := a.dense.get(j); d > 0 {
					m[c] = d - 1
					return d - 1, nil
				}
				slot = int64(j)
			}
		}
		var ac int32
		var err error
		if slot >= 0 {
			// An id of the dense range: the dense table is its only
			// lookup (every id of the range comes this way), so it is new
			// to the dictionary and goes in without a probe of its table.
			ac, err = a.dict.appendPending(stringBytes(ev.dict.ID(c))) // valid in ev's dictionary
		} else {
			// Not an id of the dense range: the pending ids (all of it)
			// cannot be this one, so the table alone is looked in.
			ac, err = a.dict.internTabled(stringBytes(ev.dict.ID(c)))
		}
		if err != nil {
			return 0, err
		}
		a.growTo(a.dict.Len())
		m[c] = ac
		if slot >= 0 {
			a.dense.set(uint64(slot), ac+1)
		}
		return ac, nil
	}
	a.rowsCust, a.rowsRef = a.rowsCust[:0], a.rowsRef[:0]
	for _, i := range rows {
		c, err := code(ev.customer[i])
		if err != nil {
			return err
		}
		a.rowsCust = append(a.rowsCust, c)
		if ev.referred != nil {
			r, err := code(ev.referred[i])
			if err != nil {
				return err
			}
			a.rowsRef = append(a.rowsRef, r)
		}
	}
	a.addEvents(ev, rows, nil)
	return nil
}

// canonicalInt returns the value of id when it is an integer written as
// strconv.FormatInt writes it (no sign but a leading '-', no leading
// zeros, no spaces): the ids for which the integer and the text name the
// same customer.
func canonicalInt(id string) (int64, bool) {
	digits := id
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 19 || (digits[0] == '0' && len(id) > 1) {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(id, 10, 64)
	return v, err == nil
}

// amountErrRow returns the first of rows whose amount addBatchRows
// refuses (too large to sum exactly), or -1.
func amountErrRow(a *Accumulator, ev *Events, rows []int32) int32 {
	for _, i := range rows {
		if a.checkAmount(ev, int(i)) != nil {
			return i
		}
	}
	return -1
}

// firstBadRow returns the row addBatchRows failed on: the first with a
// refused amount, or else (another error) the first of rows.
func firstBadRow(a *Accumulator, ev *Events, rows []int32) int32 {
	if i := amountErrRow(a, ev, rows); i >= 0 || len(rows) == 0 {
		return i
	}
	return rows[0]
}
