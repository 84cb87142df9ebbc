package valuekit

import (
	"slices"

	"github.com/apache/arrow/go/v15/parquet/metadata"
)

// parquetIDRange returns an upper bound on the number of distinct customer
// ids in row groups groups of it's file, from the min and max statistics of
// an integer id column — the length of the union of the row groups'
// [min, max] ranges, each capped at its row count — and the least and
// greatest id. Files written grouped or sorted by customer (exports per
// customer, `valuekit generate`) have disjoint ranges and a tight bound,
// so that a reader can size its id table once instead of doubling it some
// twenty times. The bound is 0 when the statistics do not tell (text ids,
// no statistics, unreadable metadata).
func parquetIDRange(it *parquetIter, field int, groups []int) (bound int, least, greatest int64) {
	defer func() {
		if recover() != nil { // statistics are a hint: a corrupt footer is reported by the reader
			bound = 0
		}
	}()
	if field < 0 || field >= len(it.fr.Manifest.Fields) || !it.fr.Manifest.Fields[field].IsLeaf() {
		return 0, 0, 0
	}
	leaf := it.fr.Manifest.Fields[field].ColIndex
	md := it.fr.ParquetReader().MetaData()
	type span struct{ lo, hi, rows int64 }
	spans := make([]span, 0, len(groups))
	for _, g := range groups {
		rg := md.RowGroup(g)
		cc, err := rg.ColumnChunk(leaf)
		if err != nil {
			return 0, 0, 0
		}
		st, err := cc.Statistics()
		if err != nil || st == nil || !st.HasMinMax() || st.NullCount() > 0 {
			return 0, 0, 0
		}
		var lo, hi int64
		switch s := st.(type) {
		case *metadata.Int64Statistics:
			lo, hi = s.Min(), s.Max()
		case *metadata.Int32Statistics:
			lo, hi = int64(s.Min()), int64(s.Max())
		default:
			return 0, 0, 0
		}
		if hi < lo {
			return 0, 0, 0
		}
		spans = append(spans, span{lo, hi, rg.NumRows()})
	}
	slices.SortFunc(spans, func(a, b span) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	if len(spans) == 0 {
		return 0, 0, 0
	}
	// Merge overlapping ranges; a merged range holds at most its width
	// and at most the rows of the groups in it.
	var total int64
	greatest = spans[0].hi
	for _, sp := range spans {
		greatest = max(greatest, sp.hi)
	}
	for i := 0; i < len(spans); {
		lo, hi, rows := spans[i].lo, spans[i].hi, spans[i].rows
		j := i + 1
		for j < len(spans) && spans[j].lo <= hi {
			hi = max(hi, spans[j].hi)
			rows += spans[j].rows
			j++
		}
		width := uint64(hi - lo) // no overflow: hi >= lo
		if width < uint64(rows) {
			rows = int64(width) + 1
		}
		total += rows
		i = j
	}
	return int(total), spans[0].lo, greatest
}
