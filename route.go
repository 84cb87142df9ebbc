package valuekit

import (
	"context"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Routing the rows of parts of an input to accumulators by customer.
//
// A split input (runs of the row groups of a Parquet file) is decoded by
// one reader goroutine per part, in batches with
// their own small dictionaries. Each batch's rows are routed by a hash of
// the customer id to one accumulator per shard, each on a goroutine of its
// own, so that every customer's state is built once: files in time order
// hold most customers in every part, and accumulating parts apart held
// every customer twice and merged the copies on one core. The shards own
// disjoint customers and are summarised side by side (summaryOfShards).

// routeBatch is a reader's decoded rows with their own small dictionary,
// and the rows of each shard. The reader reuses it once every shard is
// done with it.
type routeBatch struct {
	dict    *Dictionary
	ev      *Events
	at      int64     // where the batch's first row comes in a single pass (its reader's order key)
	nums    []int64   // by code in dict: the integer id, when dense lookups are on
	shard   []uint16  // by code in dict
	rows    [][]int32 // by shard
	pending atomic.Int32
	free    chan *routeBatch
}

// routeReader is one part's reader. fill decodes the part's next batch
// into b, whose dictionary is reset and whose at, ev and nums it sets; it
// returns the error that ended the part, io.EOF at its end. next is the
// order key of the part's next row (a reader stops once an earlier batch
// failed). release, when not nil, is called when the reader stops.
type routeReader struct {
	fill    func(b *routeBatch) error
	next    func() int64
	release func()

	free  chan *routeBatch
	err   error // the error that ended the part (not io.EOF)
	errAt int64 // the order key of the batch err was met in
}

// routeSlots is the number of batches per reader: one being decoded, two
// being accumulated.
const routeSlots = 3

// route runs readers on goroutines of their own and adds their rows to
// accs by customer. It returns the error a single pass would meet first —
// the one in the earliest batch and, within a batch, a reading error before
// an accumulating one (a pass reads a batch whole before adding it) — with
// the order key of its batch. batch is the rows per batch; dense makes
// room for the integer ids of each batch's customers.
func route(ctx context.Context, accs []*Accumulator, readers []*routeReader, batch int, dense bool) (error, int64) {
	shards := len(accs)
	// failedAt is the order key of the earliest batch with an error so far:
	// readers stop at later batches.
	var failedAt atomic.Int64
	failedAt.Store(math.MaxInt64)
	fail := func(at int64) {
		for {
			old := failedAt.Load()
			if at >= old || failedAt.CompareAndSwap(old, at) {
				return
			}
		}
	}
	for _, rd := range readers {
		rd.free = make(chan *routeBatch, routeSlots)
		for range routeSlots {
			b := &routeBatch{dict: NewDictionary(), rows: make([][]int32, shards), free: rd.free}
			if dense {
				b.nums = make([]int64, 0, batch)
			}
			rd.free <- b
		}
	}
	queues := make([]chan *routeBatch, shards)
	for k := range queues {
		queues[k] = make(chan *routeBatch, 2*len(readers))
	}
	var wg sync.WaitGroup
	for _, rd := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rd.release != nil {
				defer rd.release()
			}
			for {
				if err := ctx.Err(); err != nil {
					rd.err = err
					return
				}
				if rd.next() > failedAt.Load() {
					return // a batch before this one failed
				}
				b := <-rd.free
				b.dict.reset()
				err := rd.fill(b)
				if b.ev.Len() > 0 {
					// The shard of an id is taken from the low bits of its
					// hash: the id tables place ids by the high bits, which
					// stay spread out within a shard. With dense integer
					// ids every customer of the file has its number (nums),
					// and the number's hash is cheaper than the text's.
					b.shard = slices.Grow(b.shard[:0], b.dict.Len())[:b.dict.Len()]
					for c := range int32(b.dict.Len()) {
						var h uint64
						if int(c) < len(b.nums) && b.nums[c] != noNum {
							h = mix64(uint64(b.nums[c]))
						} else {
							h = maphash.String(dictSeed, b.dict.ID(c))
						}
						b.shard[c] = uint16(uint64(uint32(h)) * uint64(shards) >> 32)
					}
					for k := range b.rows {
						b.rows[k] = b.rows[k][:0]
					}
					for i, c := range b.ev.customer {
						k := b.shard[c]
						b.rows[k] = append(b.rows[k], int32(i))
					}
					b.pending.Store(int32(shards))
					for _, q := range queues {
						q <- b
					}
				} else {
					rd.free <- b
				}
				if err != nil {
					if err != io.EOF {
						rd.err, rd.errAt = err, b.at
						fail(b.at)
					}
					return
				}
			}
		}()
	}
	// A shard's error: the earliest of the batches it met, by order key
	// and row in the batch (batches come in any order).
	type shardErr struct {
		err error
		at  int64
		row int32
	}
	shardErrs := make([]shardErr, shards)
	var adders sync.WaitGroup
	for k, q := range queues {
		adders.Add(1)
		go func() {
			defer adders.Done()
			a, e := accs[k], &shardErrs[k]
			for b := range q {
				rows := b.rows[k]
				switch {
				case e.err == nil:
					if err := a.addBatchRows(b.ev, rows, b.nums); err != nil {
						e.err, e.at, e.row = err, b.at, firstBadRow(a, b.ev, rows)
						fail(b.at)
					}
				case b.at < e.at:
					// An earlier batch than the failed one: its error, if
					// any, comes first (the rows are not added: the
					// result is an error anyway).
					if i := amountErrRow(a, b.ev, rows); i >= 0 {
						e.err, e.at, e.row = a.checkAmount(b.ev, int(i)), b.at, i
						fail(b.at)
					}
				}
				if b.pending.Add(-1) == 0 {
					b.free <- b
				}
			}
		}()
	}
	wg.Wait()
	for _, q := range queues {
		close(q)
	}
	adders.Wait()
	if err := ctx.Err(); err != nil {
		return err, 0
	}
	var first error
	firstAt, firstKind, firstRow := int64(math.MaxInt64), 2, int32(0)
	for _, rd := range readers {
		if rd.err != nil && (rd.errAt < firstAt || rd.errAt == firstAt && firstKind > 0) {
			first, firstAt, firstKind = rd.err, rd.errAt, 0
		}
	}
	for _, e := range shardErrs {
		if e.err != nil && (e.at < firstAt || e.at == firstAt && (firstKind > 1 || firstKind == 1 && e.row < firstRow)) {
			first, firstAt, firstKind, firstRow = e.err, e.at, 1, e.row
		}
	}
	for _, rd := range readers {
		rd.free = nil // its batches
	}
	return first, firstAt
}
