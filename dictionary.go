package valuekit

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"unicode/utf8"
)

// Dictionary interns customer ids: each distinct id gets a code 0, 1, 2, …
// in order of first appearance. Referred customers (the referred_id column)
// share the dictionary of the customers who referred them.
//
// It is an open-addressing hash table, kept at most half full. Each slot
// holds a part of the id's hash, its length and its code and, for an id of
// up to 8 bytes (most customer ids), the id itself, so that a lookup — done
// once per event read — usually touches a single slot and never allocates.
//
// The bytes of the ids read from files are copied into large arena blocks,
// and the id strings point into them: a new customer costs no allocation
// of its own, and the garbage collector sees a few large pointer-free
// blocks instead of one small object per customer.
type Dictionary struct {
	ids   []string
	seed  maphash.Seed
	slots []dictSlot
	root  *Dictionary // for a snapshot: the dictionary it was taken of

	// arena is the current block of id bytes; bytes below used are taken
	// and never change (snapshots on other goroutines read them).
	arena []byte
	used  int
}

// Arena blocks start small, for the many small dictionaries of tests and
// batches, and double up to arenaMax. Ids longer than arenaLong get a
// string of their own.
const (
	arenaMin  = 4 << 10
	arenaMax  = 1 << 20
	arenaLong = 4 << 10
)

// dictSlot is one slot: meta = tag (24 bits) | length (8 bits, 255 = long)
// | code+1 (32 bits), 0 when empty; key = the id's bytes when it is at most
// 8 bytes long.
type dictSlot struct {
	meta uint64
	key  uint64
}

// NewDictionary returns an empty dictionary.
func NewDictionary() *Dictionary {
	return &Dictionary{seed: maphash.MakeSeed(), slots: make([]dictSlot, 1024)}
}

// Len returns the number of ids.
func (d *Dictionary) Len() int { return len(d.ids) }

// ID returns the id with code c.
func (d *Dictionary) ID(c int32) string { return d.ids[c] }

// Code returns the code of id, and false if id is not in the dictionary.
func (d *Dictionary) Code(id string) (int32, bool) {
	c, _, ok := d.find(maphash.String(d.seed, id), id)
	return c, ok
}

// packKey returns the meta bits of an id of length n (without the code)
// and its packed bytes when short.
func packKey(h uint64, id string) (meta, key uint64) {
	n := len(id)
	tag := h >> 40 << 40
	if n > 8 {
		return tag | 255<<32, 0
	}
	var buf [8]byte
	copy(buf[:], id)
	return tag | uint64(n)<<32, binary.LittleEndian.Uint64(buf[:])
}

// find looks id up; on a miss it returns the empty slot where id goes. The
// slot position comes from the hash's high bits, which the slot keeps, so
// that growing the table needs no hashing.
func (d *Dictionary) find(h uint64, id string) (code int32, slot int, ok bool) {
	mask := uint64(len(d.slots) - 1)
	meta, key := packKey(h, id)
	short := len(id) <= 8
	for i := h >> 40 & mask; ; i = (i + 1) & mask {
		s := &d.slots[i]
		if s.meta == 0 {
			return 0, int(i), false
		}
		if s.meta>>32 == meta>>32 {
			c := int32(uint32(s.meta)) - 1
			if short && s.key == key || !short && d.ids[c] == id {
				return c, int(i), true
			}
		}
	}
}

// intern returns the code of b, adding it when new. It does not allocate
// for an id already present.
func (d *Dictionary) intern(b []byte) (int32, error) {
	h := maphash.Bytes(d.seed, b)
	c, slot, ok := d.find(h, bytesString(b))
	if ok {
		return c, nil
	}
	if len(d.ids) == math.MaxInt32-1 {
		return 0, fmt.Errorf("is one id too many (more than %d distinct customer ids)", math.MaxInt32-1)
	}
	if !utf8.Valid(b) {
		return 0, errNotUTF8
	}
	return d.insert(h, slot, d.store(b)), nil
}

// store returns a string holding a copy of b, in the arena.
func (d *Dictionary) store(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaLong {
		return string(b)
	}
	if len(d.arena)-d.used < len(b) {
		d.arena = make([]byte, min(max(2*len(d.arena), arenaMin), arenaMax))
		d.used = 0
	}
	p := d.arena[d.used : d.used+len(b)]
	copy(p, b)
	d.used += len(b)
	return bytesString(p)
}

// add returns the code of id, adding it when new.
func (d *Dictionary) add(id string) int32 {
	h := maphash.String(d.seed, id)
	c, slot, ok := d.find(h, id)
	if ok {
		return c
	}
	return d.insert(h, slot, id)
}

func (d *Dictionary) insert(h uint64, slot int, id string) int32 {
	c := int32(len(d.ids))
	d.ids = appendDoubling(d.ids, id)
	meta, key := packKey(h, id)
	d.slots[slot] = dictSlot{meta: meta | uint64(uint32(c+1)), key: key}
	if 2*len(d.ids) > len(d.slots) {
		d.rehash(2 * len(d.slots))
	}
	return c
}

func (d *Dictionary) rehash(n int) {
	old := d.slots
	d.slots = make([]dictSlot, n)
	mask := uint64(n - 1)
	for _, s := range old {
		if s.meta == 0 {
			continue
		}
		i := s.meta >> 40 & mask
		for d.slots[i].meta != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = s
	}
}

// snapshot returns a read-only view of the ids so far, which stays valid
// while d goes on growing on another goroutine (ids are only appended and
// never change). A snapshot has no lookup table: only Len and ID work on
// it; an Accumulator given one copies it before looking anything up.
func (d *Dictionary) snapshot() *Dictionary {
	return &Dictionary{ids: d.ids[:len(d.ids):len(d.ids)], seed: d.seed, root: d.origin()}
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
	c := &Dictionary{seed: d.seed, slots: make([]dictSlot, 1024)}
	c.reserve(max(n, room))
	for _, id := range d.ids[:n] {
		c.add(id)
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
	if 2*n > len(d.slots) {
		size := len(d.slots)
		for 2*n > size {
			size *= 2
		}
		d.rehash(size)
	}
	if cap(d.ids) < n {
		ids := make([]string, len(d.ids), n)
		copy(ids, d.ids)
		d.ids = ids
	}
}
