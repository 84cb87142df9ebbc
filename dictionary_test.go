package valuekit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDictionary checks codes against a Go map for short ids (kept in the
// slots), long ids (compared through the id table), empty-looking and
// prefix-sharing ids, across many growths, and for a clone.
func TestDictionary(t *testing.T) {
	t.Parallel()
	d := NewDictionary()
	want := map[string]int32{}
	for i := range 200_000 {
		var id string
		switch i % 4 {
		case 0:
			id = fmt.Sprint(i) // short
		case 1:
			id = fmt.Sprintf("customer-%09d", i) // long
		case 2:
			id = strings.Repeat("x", i%9) + fmt.Sprint(i%7) // short, prefixes shared, repeats
		default:
			id = fmt.Sprintf("%08d", i) // exactly 8 bytes
		}
		// The hot loops call require only on a mismatch: its per-call
		// bookkeeping (t.Helper's stack walk) was half of this test's time.
		c, err := d.intern([]byte(id))
		if err != nil {
			require.NoError(t, err)
		}
		if w, ok := want[id]; ok {
			if c != w {
				require.Equal(t, w, c, id)
			}
		} else {
			if c != int32(len(want)) {
				require.Equal(t, int32(len(want)), c, id)
			}
			want[id] = c
		}
	}
	require.Equal(t, len(want), d.Len())
	for id, c := range want {
		got, ok := d.Code(id)
		if !ok || c != got || id != d.ID(c) {
			require.True(t, ok, id)
			require.Equal(t, c, got)
			require.Equal(t, id, d.ID(c))
		}
	}
	for _, absent := range []string{"", "customer-", "x", "00000000x", "1234567890123"} {
		_, ok := d.Code(absent)
		_, present := want[absent]
		assert.Equal(t, present, ok, absent)
	}
	c := d.clone(1000, 1000)
	assert.Equal(t, 1000, c.Len())
	for _, id := range d.idList()[:1000] {
		code, ok := c.Code(id)
		require.True(t, ok)
		assert.Equal(t, want[id], code)
	}
	_, ok := c.Code(d.ID(1000))
	assert.False(t, ok)
}

// TestDictionaryMerge merges dictionaries of short and long ids, sharing
// some, of sizes on both sides of each other (walking a larger table into
// a smaller one), and checks the codes against a Go map.
func TestDictionaryMerge(t *testing.T) {
	id := func(i int) string {
		if i%3 == 0 {
			return fmt.Sprintf("customer-%012d", i) // long
		}
		return fmt.Sprint(i)
	}
	for _, tc := range []struct{ a, b, overlap, limit int }{
		{0, 10, 0, 10}, {10, 0, 0, 0}, {1000, 1000, 500, 1000}, {100, 50_000, 50, 50_000},
		{50_000, 100, 100, 100}, {30_000, 30_000, 30_000, 30_000}, {20_000, 40_000, 10_000, 25_000},
	} {
		d, o := NewDictionary(), NewDictionary()
		for i := range tc.a {
			d.add(id(i))
		}
		for i := range tc.b {
			o.add(id(tc.a - tc.overlap + i))
		}
		want := map[string]int32{}
		for c, s := range d.idList() {
			want[s] = int32(c)
		}
		remap := make([]int32, tc.limit)
		require.NoError(t, d.merge(o, remap))
		next := int32(tc.a)
		// require is called only on a mismatch (its t.Helper stack walk
		// dominated the loops).
		for oc, c := range remap {
			s := o.ID(int32(oc))
			if w, ok := want[s]; ok {
				if c != w {
					require.Equal(t, w, c, s)
				}
			} else {
				if c != next {
					require.Equal(t, next, c, s)
				}
				want[s] = c
				next++
			}
		}
		require.Equal(t, len(want), d.Len())
		for s, c := range want {
			got, ok := d.Code(s)
			if !ok || c != got || s != d.ID(c) {
				require.True(t, ok, s)
				require.Equal(t, c, got, s)
				require.Equal(t, s, d.ID(c))
			}
		}
		for _, s := range o.idList()[tc.limit:] {
			if _, ok := want[s]; !ok {
				if _, ok := d.Code(s); ok {
					require.False(t, ok, s)
				}
			}
		}
		d.add("one more")
		_, ok := d.Code("one more")
		require.True(t, ok)
	}
}

// BenchmarkDictionaryIntern interns 1M distinct ids of the shape of the
// CDNOW×43 file ("0000123_7"), each three times in a row as in an export
// sorted by customer, growing the table from empty.
func BenchmarkDictionaryIntern(b *testing.B) {
	ids := make([][]byte, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Appendf(nil, "%05d_%d", i/43, i%43)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d := NewDictionary()
		for _, id := range ids {
			for range 3 {
				if _, err := d.intern(id); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkDictionaryMerge merges two dictionaries of 500k distinct ids
// each.
func BenchmarkDictionaryMerge(b *testing.B) {
	x, y := NewDictionary(), NewDictionary()
	for i := range 1_000_000 {
		id := fmt.Appendf(nil, "%05d_%d", i/43, i%43)
		if i%2 == 0 {
			x.intern(id)
		} else {
			y.intern(id)
		}
	}
	remap := make([]int32, y.Len())
	b.ReportAllocs()
	b.ResetTimer()
	b.StopTimer()
	for range b.N {
		d := x.clone(x.Len(), 0)
		b.StartTimer()
		if err := d.merge(y, remap); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
	}
}

// TestDictionaryInternRepeats checks the shortcut for an id equal to the
// previous one: runs, alternations and a new id after a run all get the
// codes a fresh lookup gives.
func TestDictionaryInternRepeats(t *testing.T) {
	d := NewDictionary()
	ids := []string{"a", "a", "b", "a", "b", "b", "ab", "a", "ab", "ab", "c", "c", "a"}
	want := []int32{0, 0, 1, 0, 1, 1, 2, 0, 2, 2, 3, 3, 0}
	for i, id := range ids {
		c, err := d.intern([]byte(id))
		require.NoError(t, err)
		assert.Equal(t, want[i], c, "row %d (%q)", i, id)
		got, ok := d.Code(id)
		require.True(t, ok)
		assert.Equal(t, c, got)
	}
	assert.Equal(t, 4, d.Len())
}

// idList returns the ids of d in code order.
func (d *Dictionary) idList() []string {
	ids := make([]string, d.Len())
	for c := range ids {
		ids[c] = d.ID(int32(c))
	}
	return ids
}

// TestDictionaryRefs checks the id references: the empty id, ids filling
// arena blocks to their end, ids too long for the arena, and a snapshot
// taken before more ids (and blocks) come, reading on unchanged; reset
// keeps the codes of ids added after it right.
func TestDictionaryRefs(t *testing.T) {
	d := NewDictionary()
	var want []string
	add := func(id string) {
		c, err := d.intern([]byte(id))
		require.NoError(t, err)
		require.Equal(t, int32(len(want)), c, "%.20q", id)
		want = append(want, id)
	}
	add("")
	long := strings.Repeat("x", arenaLong+1)
	for i := range 3000 {
		switch i % 500 {
		case 7:
			add(long + fmt.Sprint(i))
		case 8:
			add(strings.Repeat("y", arenaLong-len(fmt.Sprint(i))) + fmt.Sprint(i))
		default:
			add(fmt.Sprintf("id-%d-%s", i, strings.Repeat("z", i%40)))
		}
	}
	require.Greater(t, len(d.blocks), 3)
	snap := d.snapshot()
	n := len(want)
	for i := range 2000 {
		add(fmt.Sprintf("later-%d", i))
	}
	assert.Equal(t, want, d.idList())
	assert.Equal(t, want[:n], snap.idList())
	for c, id := range want {
		got, ok := d.Code(id)
		require.True(t, ok, "%.20q", id)
		require.Equal(t, int32(c), got)
	}
	d.reset()
	want = want[:0]
	add("after")
	add(long)
	add("")
	assert.Equal(t, want, d.idList())
	assert.Len(t, d.blocks, 1)
}

// TestDictionaryPendingRepeats checks a dictionary holding ids more than once
// (appendPending): every code keeps its id, and a lookup, after the pending
// ids are tabled, finds one of an id's codes.
func TestDictionaryPendingRepeats(t *testing.T) {
	d := NewDictionary()
	var want []string
	for i := range 10000 { // past the flush's sorting threshold
		id := fmt.Sprint(i % 3000)
		c, err := d.appendPending([]byte(id))
		require.NoError(t, err)
		require.Equal(t, int32(i), c)
		want = append(want, id)
	}
	c, err := d.intern([]byte("2999"))
	require.NoError(t, err)
	assert.Equal(t, "2999", d.ID(c))
	assert.Equal(t, int32(2999), c%3000)
	c, err = d.intern([]byte("new"))
	require.NoError(t, err)
	assert.Equal(t, int32(10000), c)
	want = append(want, "new")
	assert.Equal(t, want, d.idList())
	for i := range 3000 {
		c, ok := d.Code(fmt.Sprint(i))
		require.True(t, ok)
		require.Equal(t, int32(i), c%3000)
	}
}

// The last-id shortcut compares with its own copy of the id: a parser
// that reuses its buffer for the next row cannot make two ids one.
func TestDictionaryLastIsACopy(t *testing.T) {
	d := NewDictionary()
	buf := []byte("customer-1")
	c1, err := d.intern(buf)
	require.NoError(t, err)
	copy(buf, "customer-2")
	c2, err := d.intern(buf)
	require.NoError(t, err)
	assert.NotEqual(t, c1, c2)
	c, err := d.intern([]byte("customer-2"))
	require.NoError(t, err)
	assert.Equal(t, c2, c)
	c, err = d.intern([]byte("customer-1"))
	require.NoError(t, err)
	assert.Equal(t, c1, c)
	d.reset()
	c, err = d.intern([]byte("customer-2"))
	require.NoError(t, err)
	assert.Equal(t, int32(0), c)
	assert.Equal(t, []string{"customer-2"}, []string{d.ID(0)})
}
