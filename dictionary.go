package valuekit

import (
	"fmt"
	"hash/maphash"
	"math"
	"unicode/utf8"
)

// Dictionary interns customer ids: each distinct id gets a code 0, 1, 2, …
// in order of first appearance. Referred customers (the referred_id column)
// share the dictionary of the customers who referred them.
//
// It is an open-addressing hash table whose slots hold a part of each id's
// hash beside its code, so that a lookup — done once per event read —
// usually touches one slot and the id's bytes, and never allocates.
type Dictionary struct {
	ids   []string
	seed  maphash.Seed
	slots []uint64 // hash tag << 32 | (code + 1); 0 = empty
}

// NewDictionary returns an empty dictionary.
func NewDictionary() *Dictionary {
	return &Dictionary{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)}
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

// find looks id up; on a miss it returns the empty slot where id goes. The
// slot position comes from the hash's high 32 bits, the tag kept in the
// slot, so that growing the table needs no hashing.
func (d *Dictionary) find(h uint64, id string) (code int32, slot int, ok bool) {
	mask := uint64(len(d.slots) - 1)
	tag := h >> 32
	for i := tag & mask; ; i = (i + 1) & mask {
		s := d.slots[i]
		if s == 0 {
			return 0, int(i), false
		}
		if s>>32 == tag {
			if c := int32(uint32(s)) - 1; d.ids[c] == id {
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
	return d.insert(h, slot, string(b)), nil
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
	d.ids = append(d.ids, id)
	d.slots[slot] = h>>32<<32 | uint64(uint32(c+1))
	if 2*len(d.ids) > len(d.slots) { // load at most 1/2: few probes on a miss
		d.rehash(2 * len(d.slots))
	}
	return c
}

func (d *Dictionary) rehash(n int) {
	old := d.slots
	d.slots = make([]uint64, n)
	mask := uint64(n - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := s >> 32 & mask
		for d.slots[i] != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = s
	}
}

// clone returns a copy holding the first n ids.
func (d *Dictionary) clone(n int) *Dictionary {
	c := &Dictionary{seed: d.seed, slots: make([]uint64, 1024)}
	for _, id := range d.ids[:n] {
		c.add(id)
	}
	return c
}
