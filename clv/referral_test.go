package clv

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReferralValue(t *testing.T) {
	own := []float64{100, 40, 60, -20, 10}
	refs := []Referral{
		{0, 1},               // 0 referred 1 (40)
		{0, 2},               // and 2 (60) …
		{3, 2},               // … which 3 also referred: 60 split 30/30
		{0, 1},               // duplicate pair: ignored
		{4, 4},               // self-referral: ignored
		{1, 3},               // 1 referred 3, whose value is negative
		{2, 5},               // 5 is not in the table: UnknownValue
		{4, 5},               // … shared with 4
		{4, UnknownCustomer}, // another unknown customer, 4 alone
		{1, 0},               // a cycle 0 → 1 → 0 is harmless (one level)
	}
	refsCopy := append([]Referral(nil), refs...)
	ownCopy := append([]float64(nil), own...)
	shares := []float64{0, 3, 0, 0, 10}
	tv, err := ReferralValue(own, refs, 0.5, &ReferralOptions{UnknownValue: 8, ShareCounts: shares, ValuePerShare: 1.5})
	require.NoError(t, err)
	assert.Equal(t, ownCopy, own)
	assert.Equal(t, refsCopy, refs)
	assert.Equal(t, own, tv.Own)
	// Hand-computed with share 0.5:
	//   0: 0.5·40 + 0.5·60/2 = 35
	//   1: 0.5·(−20) + 0.5·100 = 40
	//   2: 0.5·8/2 = 2
	//   3: 0.5·60/2 = 15
	//   4: 0.5·8/2 + 0.5·8 = 6 (self-referral ignored)
	assert.InDeltaSlice(t, []float64{35, 40, 2, 15, 6}, tv.Referral, 1e-12)
	assert.InDeltaSlice(t, []float64{0, 4.5, 0, 0, 15}, tv.Shares, 1e-12)
	assert.InDeltaSlice(t, []float64{135, 84.5, 62, -5, 31}, tv.Total, 1e-12)

	// Share 1 and no options: full credit, unknown customers worth 0.
	tv, err = ReferralValue(own, refs, 1, nil)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{70, 80, 0, 30, 0}, tv.Referral, 1e-12)
	assert.Equal(t, make([]float64, 5), tv.Shares)
	// No referrals at all: total = own.
	tv, err = ReferralValue(own, nil, 0.3, nil)
	require.NoError(t, err)
	assert.Equal(t, own, tv.Total)

	// From per-customer lists.
	assert.Equal(t, []Referral{{0, 1}, {0, 2}, {2, 1}}, ReferralsFromLists([][]int{{1, 2}, nil, {1}}))
}

// Whatever the pattern of referrals, each referred customer's value is
// credited exactly once in total (times the share), however many referrers
// share it, and only if someone other than the customer referred them.
func TestReferralValueConservation(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 50; trial++ {
		n := 1 + rng.IntN(40)
		own := make([]float64, n)
		for i := range own {
			own[i] = rng.NormFloat64() * 100
		}
		refs := make([]Referral, rng.IntN(3*n))
		for j := range refs {
			// Some referred indices fall outside the table.
			refs[j] = Referral{Referrer: rng.IntN(n), Referred: rng.IntN(n+5) - 2}
		}
		const share, unknown = 0.4, 7.0
		tv, err := ReferralValue(own, refs, share, &ReferralOptions{UnknownValue: unknown})
		require.NoError(t, err)
		credited := map[int]bool{}
		for _, r := range refs {
			if r.Referrer != r.Referred {
				credited[r.Referred] = true
			}
		}
		want := 0.0
		for to := range credited {
			if to >= 0 && to < n {
				want += share * own[to]
			} else {
				want += share * unknown
			}
		}
		got := 0.0
		for i, v := range tv.Referral {
			got += v
			assert.Equal(t, tv.Own[i]+tv.Referral[i]+tv.Shares[i], tv.Total[i])
		}
		assert.InDelta(t, want, got, 1e-9*(1+math.Abs(want)), "trial %d", trial)
	}
}

func TestReferralValueErrors(t *testing.T) {
	own := []float64{1, 2, 3}
	for _, tc := range []struct {
		name     string
		own      []float64
		refs     []Referral
		share    float64
		opts     *ReferralOptions
		sentinel error
		want     string
	}{
		{"share above 1", own, nil, 1.2, nil, ErrBadParams, "attribution share"},
		{"negative share", own, nil, -0.1, nil, ErrBadParams, "attribution share"},
		{"NaN share", own, nil, math.NaN(), nil, ErrBadParams, "attribution share"},
		{"referrer outside", own, []Referral{{0, 1}, {3, 1}}, 0.5, nil, ErrBadData, "referrer[1] = 3, want a customer index in [0, 3): clv: bad data"},
		{"negative referrer", own, []Referral{{-1, 1}}, 0.5, nil, ErrBadData, "referrer[0] = -1, want a customer index in [0, 3)"},
		{"NaN own", []float64{1, math.NaN()}, nil, 0.5, nil, ErrBadData, "own[1] = NaN, want finite"},
		{"share counts length", own, nil, 0.5, &ReferralOptions{ShareCounts: []float64{1}}, ErrBadData, "1 share counts for 3"},
		{"negative share count", own, nil, 0.5, &ReferralOptions{ShareCounts: []float64{1, -1, 0}}, ErrBadData, "share_count[1] = -1, want finite and >= 0"},
		{"negative value per share", own, nil, 0.5, &ReferralOptions{ValuePerShare: -1}, ErrBadParams, "value per share"},
		{"Inf unknown value", own, nil, 0.5, &ReferralOptions{UnknownValue: math.Inf(1)}, ErrBadParams, "unknown-customer value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReferralValue(tc.own, tc.refs, tc.share, tc.opts)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.sentinel), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestIndexReferrals(t *testing.T) {
	ids := []string{"a", "b", "c"}
	refs, err := IndexReferrals(ids, []string{"a", "b", "c", "a"}, []string{"b", "x", "x", "y"})
	require.NoError(t, err)
	// x and y have no row: indices 3 and 4, x the same for both mentions.
	assert.Equal(t, []Referral{{0, 1}, {1, 3}, {2, 3}, {0, 4}}, refs)
	tv, err := ReferralValue([]float64{10, 20, 30}, refs, 1, &ReferralOptions{UnknownValue: 6})
	require.NoError(t, err)
	assert.Equal(t, []float64{26, 3, 3}, tv.Referral)

	_, err = IndexReferrals(ids, []string{"z"}, []string{"a"})
	require.ErrorIs(t, err, ErrBadData)
	assert.Contains(t, err.Error(), `referrer "z"`)
	_, err = IndexReferrals(ids, []string{"a"}, nil)
	assert.ErrorIs(t, err, ErrBadData)
	_, err = IndexReferrals([]string{"a", "a"}, nil, nil)
	assert.ErrorIs(t, err, ErrBadData)
}

func BenchmarkReferralValue1M(b *testing.B) {
	const n = 1_000_000
	own := make([]float64, n)
	refs := make([]Referral, 0, n/2)
	for i := range own {
		own[i] = float64(i % 100)
		if i%2 == 1 {
			refs = append(refs, Referral{Referrer: (i * 7919) % n, Referred: i})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReferralValue(own, refs, 0.5, nil); err != nil {
			b.Fatal(err)
		}
	}
}
