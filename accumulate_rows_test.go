package valuekit

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAddRowsIsOnePass shares the rows of a table out to accumulators —
// by customer, as the Beam router does, and at random, so that one
// customer's rows reach several — over several AddRows calls each, merges
// them, and wants exactly the summary of one pass; and each by-customer
// share holds only its own customers and the ones they referred.
func TestAddRowsIsOnePass(t *testing.T) {
	tests := []struct {
		file string
		opts SummaryOptions
	}{
		{"testdata/shop_events.csv", SummaryOptions{Unit: Day, Margin: 0.3}},
		{"testdata/cdnow_sample.csv", SummaryOptions{Unit: Week, CalibrationEnd: date("1997-09-30"), End: date("1998-06-30")}},
	}
	for _, tt := range tests {
		ev, err := ReadFile(tt.file, nil)
		require.NoError(t, err)
		one := tt.opts
		one.Workers = 1
		want, err := Summarize(context.Background(), ev, &one)
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(5, 8))
		for _, byCustomer := range []bool{true, false} {
			for _, k := range []int{1, 3, 16} {
				share := make([][]int32, k)
				for i := range ev.Len() {
					s := rng.IntN(k)
					if byCustomer {
						h := fnv.New32a()
						h.Write([]byte(ev.CustomerID(i)))
						s = int(h.Sum32() % uint32(k))
					}
					share[s] = append(share[s], int32(i))
				}
				accs := make([]*Accumulator, k)
				for s, rows := range share {
					accs[s], err = NewAccumulator(&tt.opts)
					require.NoError(t, err)
					half := len(rows) / 2
					require.NoError(t, accs[s].AddRows(ev, rows[:half]))
					require.NoError(t, accs[s].AddRows(ev, rows[half:]))
					if byCustomer {
						own := map[string]bool{}
						for _, i := range rows {
							own[ev.CustomerID(int(i))] = true
							if ev.referred != nil && ev.referred[i] >= 0 {
								own[ev.dict.ID(ev.referred[i])] = true
							}
						}
						assert.LessOrEqual(t, accs[s].dict.Len(), len(own), "%s: share %d of %d", tt.file, s, k)
					}
				}
				for _, b := range accs[1:] {
					require.NoError(t, accs[0].Merge(b))
				}
				got, err := accs[0].Summary()
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s: %d shares, by customer %v", tt.file, k, byCustomer)
			}
		}
	}
}

// TestAddRowsAllOrNothing: a row out of range or an amount too large to sum
// leaves the accumulator as it was.
func TestAddRowsAllOrNothing(t *testing.T) {
	// (Built by hand: the readers refuse such an amount in the row.)
	ev, err := NewEvents([]Event{{CustomerID: "a", Time: date("2024-01-01"), Amount: 10}, {CustomerID: "b", Time: date("2024-01-02"), Amount: 20},
		{CustomerID: "c", Time: date("2024-01-04"), Amount: 7}, {CustomerID: "d", Time: date("2024-01-05"), Amount: 2e13}})
	require.NoError(t, err)
	acc, err := NewAccumulator(nil)
	require.NoError(t, err)
	require.NoError(t, acc.AddRows(ev, nil), "no rows: nothing added")
	require.NoError(t, acc.AddRows(ev, []int32{}))
	require.NoError(t, acc.AddRows(ev, []int32{0, 1}))
	before, err := acc.Summary()
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, before.CustomerID)
	for _, tc := range []struct {
		rows []int32
		err  error
		msg  string
	}{
		{[]int32{2, 4}, ErrOption, "row 4 of a table of 4 events"},
		{[]int32{2, -1}, ErrOption, "row -1"},
		{[]int32{2, 3}, ErrBadRow, `event 4 of customer "d"`},
	} {
		err := acc.AddRows(ev, tc.rows)
		require.ErrorIs(t, err, tc.err)
		assert.Contains(t, err.Error(), tc.msg)
		after, err := acc.Summary()
		require.NoError(t, err)
		assert.Equal(t, before, after)
	}
}

func TestCanonicalInt(t *testing.T) {
	for _, tc := range []struct {
		id string
		v  int64
		ok bool
	}{
		{"0", 0, true}, {"7", 7, true}, {"-7", -7, true}, {"1234567890", 1234567890, true},
		{"9223372036854775807", math.MaxInt64, true}, {"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false}, {"007", 0, false}, {"-0", 0, false}, {"+7", 0, false},
		{" 7", 0, false}, {"7a", 0, false}, {"", 0, false}, {"-", 0, false}, {"1e3", 0, false},
	} {
		v, ok := canonicalInt(tc.id)
		assert.Equal(t, tc.ok, ok, "%q", tc.id)
		if tc.ok {
			assert.Equal(t, tc.v, v, "%q", tc.id)
		}
	}
}

// TestDictionaryPending checks ids added without the table (appendPending)
// against ids interned: every id is found with its code once the pending
// ones are put in, lookups and merges flush them first, and the table
// grows to hold them.
func TestDictionaryPending(t *testing.T) {
	d := NewDictionary()
	want := map[string]int32{}
	for i := range 50000 {
		id := fmt.Sprint(i * 7)
		var c int32
		var err error
		if i%3 == 0 {
			c, err = d.intern([]byte(id))
		} else {
			c, err = d.appendPending([]byte(id))
		}
		require.NoError(t, err)
		require.Equal(t, int32(i), c)
		want[id] = c
		if i == 20000 { // a lookup in the middle flushes what is pending
			got, ok := d.Code(fmt.Sprint(19999 * 7))
			require.True(t, ok)
			require.Equal(t, int32(19999), got)
			require.Zero(t, d.pending)
		}
	}
	require.Positive(t, d.pending)
	// internTabled leaves the pending ids pending (addBatchRows calls it
	// for ids outside the dense range, between pending ones).
	pending := d.pending
	c, err := d.internTabled([]byte("text-id"))
	require.NoError(t, err)
	require.Equal(t, pending, d.pending)
	want["text-id"] = c
	o := NewDictionary()
	for i := range 1000 {
		_, err := o.appendPending([]byte(fmt.Sprint(i*5 + 1)))
		require.NoError(t, err)
	}
	remap := make([]int32, o.Len())
	require.NoError(t, d.merge(o, remap))
	require.Zero(t, d.pending)
	require.Zero(t, o.pending)
	for i := range 1000 {
		id := fmt.Sprint(i*5 + 1)
		c, ok := d.Code(id)
		require.True(t, ok, id)
		require.Equal(t, remap[i], c)
		if w, seen := want[id]; seen {
			require.Equal(t, w, c, id)
		}
		want[id] = c
	}
	require.Equal(t, len(want), d.Len())
	for id, c := range want {
		got, ok := d.Code(id)
		require.True(t, ok, id)
		require.Equal(t, c, got, id)
	}
	_, ok := d.Code("x")
	require.False(t, ok)
}

// TestKindLookupCache checks the last-word cache of kindLookup: repeated,
// alternating, translated, mixed-case and unknown words resolve as the
// map alone resolves them, and a copy keeps its own cache.
func TestKindLookupCache(t *testing.T) {
	k := newKindLookup(map[string]Kind{"Sale": Purchase, "RETURN": Refund})
	for _, tc := range []struct {
		word string
		kind Kind
		ok   bool
	}{
		{"purchase", Purchase, true}, {"purchase", Purchase, true}, {"refund", Refund, true},
		{"purchase", Purchase, true}, {"sale", Purchase, true}, {" Return ", Refund, true},
		{"return", Refund, true}, {"refundx", 0, false}, {"refund", Refund, true}, {"", 0, false},
		{"a-very-long-kind-name-beyond-sixteen-bytes", 0, false}, {"SHARE", Share, true}, {"share", Share, true},
	} {
		kind, ok := k.lookup([]byte(tc.word))
		require.Equal(t, tc.ok, ok, "%q", tc.word)
		if ok {
			require.Equal(t, tc.kind, kind, "%q", tc.word)
		}
	}
	c := k
	kind, ok := c.lookup([]byte("feedback"))
	require.True(t, ok)
	require.Equal(t, Feedback, kind)
	kind, ok = k.lookup([]byte("share"))
	require.True(t, ok)
	require.Equal(t, Share, kind)
}
