package valuekit

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"unicode/utf8"
)

// Dictionary interns customer ids: each distinct id gets a code 0, 1, 2, …
// in order of first appearance. Referred customers (the referred_id column)
// share the dictionary of the customers who referred them.
//
// It is an open-addressing hash table with linear probing, kept at most
// 70 % full (see overFull). Each slot holds the top bits of the id's hash, its length and
// its code and, for an id of up to 8 bytes (most customer ids), the id
// itself (for a longer id, its whole hash), so that a lookup — done once
// per event read — usually touches a single slot and never allocates.
//
// An id's home slot is given by the top bits of its hash, so the slots are
// in hash order (but for the runs of collisions): doubling the table moves
// slot i to about 2i, and merging two tables (Accumulator.Merge) walks both
// in step, streaming through memory instead of missing the cache on every
// id. All dictionaries of a process hash with one seed for that.
//
// The bytes of the ids are copied into large arena blocks, and each code
// has a reference to its id's bytes there (block, offset, length packed in
// a uint64) rather than a string: a new customer costs no allocation of
// its own, and the garbage collector, which would scan a pointer per
// customer at every cycle (ten million at 10M customers, a good part of a
// read's time), sees a few large blocks and pointer-free lists instead.
// ID makes the string, pointing into the arena, when asked.
type Dictionary struct {
	refs  []uint64 // by code: where the id's bytes are (see idAt)
	slots []dictSlot
	shift uint        // 64 − log2(len(slots)): a hash's home slot is h >> shift
	root  *Dictionary // for a snapshot: the dictionary it was taken of

	// blocks are the arena blocks, the last one (arena) the current:
	// bytes below used are taken and never change (snapshots on other
	// goroutines read them). Ids longer than arenaLong are strings of
	// their own in long.
	blocks [][]byte
	arena  []byte
	used   int
	long   []string

	// pending is the number of ids from code pendingFrom on not yet in
	// the table — all of them but tabledAfter, the codes of ids put in the
	// table meanwhile (internTabled)
	// (appendPending): they are put in, in hash order, before the next
	// lookup or merge.
	pending     int
	pendingFrom int
	tabledAfter []int32

	// last is 1 + the code intern returned last, 0 for none, and lastID
	// a copy of its id: files often hold a customer's events together
	// (sorted by customer, or an export per customer), and the next row's
	// id is then compared with one string instead of hashed and looked up.
	// The copy is at hand in the cache: the id in the arena, in a file in
	// time order, is one or two cache misses per row for a comparison that
	// nearly always fails.
	last   int32
	lastID []byte
}

// dictSeed is the hash seed of every dictionary of the process: tables
// with the same hash order merge in step.
var dictSeed = maphash.MakeSeed()

// Arena blocks start small, for the many small dictionaries of tests and
// batches, and double up to arenaMax. Ids longer than arenaLong get a
// string of their own.
const (
	arenaMin  = 4 << 10
	arenaMax  = 1 << 20
	arenaLong = 4 << 10
)

// An id reference: for an id in the arena, the block's index (23 bits:
// 8 Mi blocks of up to 1 MiB, more than any memory holds),
// the offset in the block (20 bits: blocks are at most arenaMax = 1 MiB)
// and the length (20 bits; ids in the arena are at most arenaLong); for a
// longer id, refLong and its index in long. The empty id is 0.
const (
	refLenBits = 20
	refOffBits = 20
	refLong    = 1 << 63
	refMask    = 1<<refLenBits - 1
)

// idAt returns the id r refers to.
func (d *Dictionary) idAt(r uint64) string {
	if r&refLong != 0 {
		return d.long[r&^refLong]
	}
	n := r & refMask
	if n == 0 {
		return ""
	}
	off := r >> refLenBits & (1<<refOffBits - 1)
	return bytesString(d.blocks[r>>(refLenBits+refOffBits)][off : off+n])
}

// dictSlot is one slot: meta = tag (the hash's top 28 bits) | length (4
// bits; 15 for more than 8 bytes) | code+1 (32 bits), 0 when empty; key =
// the id's bytes when it is at most 8 bytes long, else its hash.
type dictSlot struct {
	meta uint64
	key  uint64
}

const (
	tagBits  = 28
	longLen  = 15
	minSlots = 1024
)

// NewDictionary returns an empty dictionary.
func NewDictionary() *Dictionary {
	return &Dictionary{slots: make([]dictSlot, minSlots), shift: 64 - 10}
}

// Len returns the number of ids.
func (d *Dictionary) Len() int { return len(d.refs) }

// ID returns the id with code c.
func (d *Dictionary) ID(c int32) string { return d.idAt(d.refs[c]) }

// Code returns the code of id, and false if id is not in the dictionary.
func (d *Dictionary) Code(id string) (int32, bool) {
	c, _, ok := d.find(maphash.String(dictSeed, id), id)
	return c, ok
}

// packKey returns the meta bits of an id with hash h (without the code)
// and its key.
func packKey(h uint64, id string) (meta, key uint64) {
	n := len(id)
	tag := h >> (64 - tagBits) << (64 - tagBits)
	if n > 8 {
		return tag | longLen<<32, h
	}
	var buf [8]byte
	copy(buf[:], id)
	return tag | uint64(n)<<32, binary.LittleEndian.Uint64(buf[:])
}

// slotHash returns the top bits of the hash of the id in slot s, as many
// as a table of 2^(64-shift) slots needs.
func slotHash(s dictSlot, shift uint) uint64 {
	if shift >= 64-tagBits {
		return s.meta
	}
	if s.meta>>32&0xf == longLen {
		return s.key
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], s.key)
	return maphash.Bytes(dictSeed, buf[:s.meta>>32&0xf])
}

// find looks id up; on a miss it returns the empty slot where id goes.
func (d *Dictionary) find(h uint64, id string) (code int32, slot int, ok bool) {
	if d.pending > 0 {
		d.flushPending()
	}
	return d.findTabled(h, id)
}

// findTabled is find among the ids in the table, leaving pending ids out:
// for a caller that knows id is not one of them.
func (d *Dictionary) findTabled(h uint64, id string) (code int32, slot int, ok bool) {
	mask := len(d.slots) - 1
	meta, key := packKey(h, id)
	long := len(id) > 8
	for i := int(h >> d.shift); ; i = (i + 1) & mask {
		s := &d.slots[i]
		if s.meta == 0 {
			return 0, i, false
		}
		if s.meta>>32 == meta>>32 && s.key == key {
			c := int32(uint32(s.meta)) - 1
			if !long || d.ID(c) == id {
				return c, i, true
			}
		}
	}
}

// intern returns the code of b, adding it when new. It does not allocate
// for an id already present.
func (d *Dictionary) intern(b []byte) (int32, error) {
	if d.pending > 0 {
		d.flushPending()
	}
	return d.internTabled(b)
}

// internTabled is intern for an id the caller knows is not one of the
// pending ids (see appendPending): it looks in the table alone, without
// putting the pending ids in first.
func (d *Dictionary) internTabled(b []byte) (int32, error) {
	if d.last > 0 && string(d.lastID) == bytesString(b) {
		return d.last - 1, nil
	}
	h := maphash.Bytes(dictSeed, b)
	c, slot, ok := d.findTabled(h, bytesString(b))
	if ok {
		d.last, d.lastID = c+1, append(d.lastID[:0], b...)
		return c, nil
	}
	if len(d.refs) == math.MaxInt32-1 {
		return 0, fmt.Errorf("is one id too many (more than %d distinct customer ids)", math.MaxInt32-1)
	}
	if !utf8.Valid(b) {
		return 0, errNotUTF8
	}
	c = d.insert(h, slot, d.store(b), bytesString(b))
	d.last, d.lastID = c+1, append(d.lastID[:0], b...)
	return c, nil
}

// store copies b into the arena (or, when long, a string of its own) and
// returns its reference.
func (d *Dictionary) store(b []byte) uint64 {
	n := len(b)
	switch {
	case n == 0:
		return 0
	case n > arenaLong:
		d.long = append(d.long, string(b))
		return refLong | uint64(len(d.long)-1)
	case len(d.arena)-d.used < n:
		d.arena = make([]byte, min(max(2*len(d.arena), arenaMin), arenaMax))
		d.blocks = append(d.blocks, d.arena)
		d.used = 0
	}
	r := uint64(len(d.blocks)-1)<<(refLenBits+refOffBits) | uint64(d.used)<<refLenBits | uint64(n)
	copy(d.arena[d.used:], b)
	d.used += n
	return r
}

// add returns the code of id, adding it when new.
func (d *Dictionary) add(id string) int32 {
	h := maphash.String(dictSeed, id)
	c, slot, ok := d.find(h, id)
	if ok {
		return c
	}
	return d.insert(h, slot, d.store(stringBytes(id)), id)
}

// insert gives the id with hash h, stored at ref, the next code and puts it
// in the empty slot found for it.
func (d *Dictionary) insert(h uint64, slot int, ref uint64, id string) int32 {
	c := int32(len(d.refs))
	d.refs = appendDoubling(d.refs, ref)
	meta, key := packKey(h, id)
	d.slots[slot] = dictSlot{meta: meta | uint64(uint32(c+1)), key: key}
	if d.pending > 0 {
		d.tabledAfter = append(d.tabledAfter, c)
	}
	if overFull(len(d.refs), len(d.slots)) {
		d.rehash(2 * len(d.slots))
	}
	return c
}

// overFull reports whether n ids fill a table of size slots beyond its
// load limit, 0.7: linear probing then looks at about 2 slots for an id
// present and 6 for one absent (at the limit; half that on average as the
// table doubles) — a few adjacent slots, mostly in one cache
// line — and a table of ten million ids takes 2^24 slots (256 MiB), not
// the 2^25 a half-full table would.
func overFull(n, slots int) bool { return 10*n > 7*slots }

// rehash moves the slots to a table of n slots. The old slots are taken
// in order, which is the order of their home slots in the new table (but
// for a run wrapped around the end), so the new table is written front to
// back.
func (d *Dictionary) rehash(n int) {
	old := d.slots
	d.slots = makeHuge[dictSlot](n)
	d.shift = uint(64 - bits.TrailingZeros(uint(n)))
	mask := n - 1
	for _, s := range old {
		if s.meta == 0 {
			continue
		}
		i := int(slotHash(s, d.shift) >> d.shift)
		for d.slots[i].meta != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = s
	}
}

// merge adds the ids of o with codes below len(remap) to d and sets
// remap[c] to the code in d of o's code c. Both tables are in hash order,
// so it walks them in step: a first pass over o's slots finds the ids d
// has, new ids take the next codes in o's order, and a second pass writes
// their slots.
func (d *Dictionary) merge(o *Dictionary, remap []int32) error {
	d.flushPending()
	o.flushPending()
	n := len(remap)
	d.reserve(len(d.refs) + n)
	for len(d.slots) < len(o.slots) {
		// In step only into a table at least as large: walking a larger
		// table's slots into a smaller one piles them up.
		d.rehash(2 * len(d.slots))
	}
	mask := len(d.slots) - 1
	for _, s := range o.slots {
		oc := int32(uint32(s.meta)) - 1
		if s.meta == 0 || int(oc) >= n {
			continue
		}
		remap[oc] = -1
		for i := int(slotHash(s, d.shift) >> d.shift); ; i = (i + 1) & mask {
			t := &d.slots[i]
			if t.meta == 0 {
				break
			}
			if t.meta>>32 == s.meta>>32 && t.key == s.key {
				c := int32(uint32(t.meta)) - 1
				if s.meta>>32&0xf != longLen || d.ID(c) == o.ID(oc) {
					remap[oc] = c
					break
				}
			}
		}
	}
	old := len(d.refs)
	for oc, c := range remap {
		if c < 0 {
			if len(d.refs) == math.MaxInt32-1 {
				return fmt.Errorf("more than %d distinct customer ids", math.MaxInt32-1)
			}
			remap[oc] = int32(len(d.refs))
			d.refs = append(d.refs, d.store(stringBytes(o.ID(int32(oc)))))
		}
	}
	for _, s := range o.slots {
		oc := int32(uint32(s.meta)) - 1
		if s.meta == 0 || int(oc) >= n || int(remap[oc]) < old {
			continue
		}
		i := int(slotHash(s, d.shift) >> d.shift)
		for d.slots[i].meta != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = dictSlot{meta: s.meta&^math.MaxUint32 | uint64(uint32(remap[oc]+1)), key: s.key}
	}
	return nil
}

// snapshot returns a read-only view of the ids so far, which stays valid
// while d goes on growing on another goroutine (ids are only appended and
// never change). A snapshot has no lookup table: only Len and ID work on
// it; an Accumulator given one copies it before looking anything up.
func (d *Dictionary) snapshot() *Dictionary {
	return &Dictionary{
		refs:   d.refs[:len(d.refs):len(d.refs)],
		blocks: d.blocks[:len(d.blocks):len(d.blocks)],
		long:   d.long[:len(d.long):len(d.long)],
		root:   d.origin(),
	}
}

// origin returns the dictionary d is a snapshot of, or d itself.
func (d *Dictionary) origin() *Dictionary {
	if d.root != nil {
		return d.root
	}
	return d
}

// clone returns a copy holding the first n ids, with room for room ids.
func (d *Dictionary) clone(n, room int) *Dictionary {
	c := NewDictionary()
	c.reserve(max(n, room))
	for k := range int32(n) {
		c.add(d.ID(k))
	}
	return c
}

// appendDoubling appends v to s, doubling the capacity when s is full:
// append grows large slices by a quarter, which copies a table of a
// million ids some twenty times over as it grows.
func appendDoubling[T any](s []T, v T) []T {
	if len(s) == cap(s) && len(s) >= 1024 {
		ns := make([]T, len(s), 2*len(s))
		copy(ns, s)
		s = ns
	}
	return append(s, v)
}

// reserve makes room for n ids in all without growing the table or the id
// list again (a merge knows how many ids may come).
func (d *Dictionary) reserve(n int) {
	if overFull(n, len(d.slots)) {
		size := len(d.slots)
		for overFull(n, size) {
			size *= 2
		}
		d.rehash(size)
	}
	if cap(d.refs) < n {
		refs := make([]uint64, len(d.refs), n)
		copy(refs, d.refs)
		d.refs = refs
	}
}

// reset empties d for reuse, keeping its table and its current arena block:
// a reader's per-batch dictionary (addParquetSplit) is reset once every
// holder of the previous batch is done with its ids.
func (d *Dictionary) reset() {
	clear(d.slots)
	d.refs = d.refs[:0]
	if d.arena != nil { // keep the current block only
		clear(d.blocks)
		d.blocks = append(d.blocks[:0], d.arena)
	}
	clear(d.long)
	d.long = d.long[:0]
	d.used = 0
	d.last = 0
	d.pending, d.tabledAfter = 0, d.tabledAfter[:0]
}

// appendPending adds b, valid UTF-8 (an id of another dictionary, the
// text of an integer), with the next code, without touching the table: a
// caller that finds its ids another way adds millions of ids without a
// random write into the table for each; flushPending puts them in later,
// in the table's order. Its two callers:
//   - addBatchRows, for an id new to the accumulator's dense table, which
//     is therefore not in d;
//   - a routed split's batch dictionary with dense integer ids
//     (arrowSource.decode), where b may already be in d and gets a code of
//     its own all the same: the batch's codes are only mapped onward
//     through the ids' numbers, and in a file in time order nearly every
//     row of a batch is a customer not met before in the batch, so looking
//     for it first would cost a hash table miss per row for nothing. A
//     lookup in a dictionary holding an id twice finds one of its codes.
func (d *Dictionary) appendPending(b []byte) (int32, error) {
	if len(d.refs) == math.MaxInt32-1 {
		return 0, fmt.Errorf("is one id too many (more than %d distinct customer ids)", math.MaxInt32-1)
	}
	c := int32(len(d.refs))
	d.refs = appendDoubling(d.refs, d.store(b))
	if d.pending == 0 {
		d.pendingFrom = int(c)
	}
	d.pending++
	return c, nil
}

// flushPending puts the pending ids into the table: sorted by home slot
// (a counting sort on the top bits of their hashes), so that the table is
// written front to back instead of at random.
func (d *Dictionary) flushPending() {
	if d.pending == 0 || d.slots == nil {
		d.pending, d.tabledAfter = 0, d.tabledAfter[:0]
		return
	}
	n := len(d.refs)
	if overFull(n, len(d.slots)) {
		size := len(d.slots)
		for overFull(n, size) {
			size *= 2
		}
		d.rehash(size)
	}
	// The pending codes: pendingFrom on, but for those tabled since.
	codes := make([]int32, 0, d.pending)
	skip := d.tabledAfter
	for c := int32(d.pendingFrom); int(c) < n; c++ {
		if len(skip) > 0 && skip[0] == c {
			skip = skip[1:]
			continue
		}
		codes = append(codes, c)
	}
	d.pending, d.tabledAfter = 0, d.tabledAfter[:0]
	mask := len(d.slots) - 1
	put := func(h uint64, c int32) {
		id := d.ID(c)
		meta, key := packKey(h, id)
		i := int(h >> d.shift)
		for d.slots[i].meta != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = dictSlot{meta: meta | uint64(uint32(c+1)), key: key}
	}
	if len(codes) < 1<<12 {
		// A few: put in as they come (the sort's counts alone are 256 KiB).
		for _, c := range codes {
			put(maphash.String(dictSeed, d.ID(c)), c)
		}
		return
	}
	const bucketBits = 16
	shift := uint(64 - bucketBits)
	hashes := make([]uint64, len(codes))
	var count [1<<bucketBits + 1]int32
	for k, c := range codes {
		h := maphash.String(dictSeed, d.ID(c))
		hashes[k] = h
		count[h>>shift+1]++
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	order := make([]int32, len(codes))
	for k, h := range hashes {
		b := h >> shift
		order[count[b]] = int32(k)
		count[b]++
	}
	for _, k := range order {
		put(hashes[k], codes[k])
	}
}
