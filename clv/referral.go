package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Referral records that customer Referrer brought in customer Referred;
// both are row indices into the table of customers' own values. A Referred
// index outside the table (for example UnknownCustomer, or len(own)+k for
// the k-th customer without a row) stands for a referred customer whose
// value is not known; see ReferralOptions.UnknownValue.
type Referral struct{ Referrer, Referred int }

// UnknownCustomer is a Referred index for a referred customer who is not in
// the table.
const UnknownCustomer = -1

// ReferralOptions configure TotalValue. The zero value (or nil) means no
// value for unknown referred customers and no share-based value.
type ReferralOptions struct {
	// UnknownValue is the value of a referred customer who is not in the
	// table (an index outside 0..len(own)-1), for example the mean
	// predicted value of new customers. Default 0.
	UnknownValue float64
	// ShareCounts, if not nil, holds for each customer the number of shares
	// (posts, forwards, reviews: the caller's influence measure); it must
	// have the length of own, with finite values >= 0.
	ShareCounts []float64
	// ValuePerShare is the value credited per share, >= 0 (for example the
	// average referred sales per share). Default 0.
	ValuePerShare float64
}

// TotalValue holds the per-customer columns of the referral-inclusive
// value, all of the length of the own values:
//
//	Total[i] = Own[i] + Referral[i] + Shares[i]
type TotalValue struct {
	// Own is the customer's own value, as given.
	Own []float64
	// Referral is the attribution share times the own value of the
	// customers this customer referred.
	Referral []float64
	// Shares is ValuePerShare times the customer's share count.
	Shares []float64
	// Total is the sum of the three.
	Total []float64
}

// ReferralValue returns the total (referral-inclusive) value of each
// customer: their own value, plus the value of the customers they referred
// weighted by the attribution share, plus an optional value per share (the
// influence part), as separate columns; the referral part is what Kumar,
// Petersen & Leone (2007, 2010) call customer referral value (CRV). The
// rules are:
//
//   - own holds each customer's own value (predicted CLV, typically);
//     values may be negative (a customer who costs more than they bring)
//     and are passed through and credited as they are, not clipped; they
//     must be finite.
//   - share, in [0, 1], is the part of a referred customer's value credited
//     to the referrer. Choose it below 1 when referred customers would
//     partly have come anyway (1 credits everything; a common choice is the
//     share of referred customers who say the referral made them buy).
//   - One level only: a referrer is credited with the own value of the
//     customers they referred, not with those customers' referral value,
//     so nothing is counted twice along a chain and cycles are harmless.
//   - A referred customer who is not in the table (Referred outside
//     0..len(own)-1) counts with opts.UnknownValue; distinct out-of-table
//     indices are distinct customers.
//   - A self-referral (Referrer == Referred) is ignored, as are repeated
//     identical pairs beyond the first.
//   - A customer referred by k distinct referrers gives each of them 1/k of
//     the credit: the value is split equally, never counted k times.
//
// A Referrer outside the table, a share outside [0, 1], a non-finite own
// value or option, or a ShareCounts of the wrong length or with a negative
// value is an error wrapping ErrBadData (a bad value is an *event.ValueError
// naming the slice and index) or ErrBadParams.
// The inputs are not modified.
//
// # References
//
//   - Kumar, V., Petersen, J. A. & Leone, R. P. (2007). How valuable is word
//     of mouth? Harvard Business Review 85(10), 139–146 (customer referral
//     value next to customer lifetime value).
//   - Kumar, V., Petersen, J. A. & Leone, R. P. (2010). Driving profitability
//     by encouraging customer referrals: who, when, and how. Journal of
//     Marketing 74(5), 1–17.
//   - Kumar, V., Bhaskaran, V., Mirchandani, R. & Shah, M. (2013). Creating
//     a measurable social media marketing strategy. Marketing Science 32(2),
//     194–212 (customer influence value from social sharing).
func ReferralValue(own []float64, referrals []Referral, share float64, opts *ReferralOptions) (*TotalValue, error) {
	var o ReferralOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case !(share >= 0 && share <= 1):
		return nil, fmt.Errorf("%w: attribution share %v, want in [0, 1]", ErrBadParams, share)
	case math.IsNaN(o.UnknownValue) || math.IsInf(o.UnknownValue, 0):
		return nil, fmt.Errorf("%w: unknown-customer value %v, want finite", ErrBadParams, o.UnknownValue)
	case !(o.ValuePerShare >= 0) || math.IsInf(o.ValuePerShare, 0):
		return nil, fmt.Errorf("%w: value per share %v, want finite and >= 0", ErrBadParams, o.ValuePerShare)
	case o.ShareCounts != nil && len(o.ShareCounts) != len(own):
		return nil, fmt.Errorf("%w: %d share counts for %d customers", ErrBadData, len(o.ShareCounts), len(own))
	}
	n := len(own)
	for i, v := range own {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, badValue("own", i, v, "want finite")
		}
	}
	for i, v := range o.ShareCounts {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, badValue("share_count", i, v, "want finite and >= 0")
		}
	}
	for j, r := range referrals {
		if r.Referrer < 0 || r.Referrer >= n {
			return nil, badValue("referrer", j, float64(r.Referrer), fmt.Sprintf("want a customer index in [0, %d)", n))
		}
	}

	// Group the pairs by referred customer (sorting a copy), skip
	// self-referrals and repeated pairs, and credit each of the k distinct
	// referrers of a customer 1/k of that customer's value.
	pairs := make([]Referral, 0, len(referrals))
	for _, r := range referrals {
		if r.Referrer != r.Referred {
			pairs = append(pairs, r)
		}
	}
	slices.SortFunc(pairs, func(p, q Referral) int {
		if c := cmp.Compare(p.Referred, q.Referred); c != 0 {
			return c
		}
		return cmp.Compare(p.Referrer, q.Referrer)
	})
	tv := &TotalValue{
		Own:      append(make([]float64, 0, n), own...),
		Referral: make([]float64, n),
		Shares:   make([]float64, n),
		Total:    make([]float64, n),
	}
	for lo := 0; lo < len(pairs); {
		to := pairs[lo].Referred
		hi, k := lo, 0
		for ; hi < len(pairs) && pairs[hi].Referred == to; hi++ {
			if hi == lo || pairs[hi].Referrer != pairs[hi-1].Referrer {
				k++
			}
		}
		v := o.UnknownValue
		if to >= 0 && to < n {
			v = own[to]
		}
		credit := share * v / float64(k)
		for j := lo; j < hi; j++ {
			if j == lo || pairs[j].Referrer != pairs[j-1].Referrer {
				tv.Referral[pairs[j].Referrer] += credit
			}
		}
		lo = hi
	}
	for i := range tv.Total {
		if o.ShareCounts != nil {
			tv.Shares[i] = o.ValuePerShare * o.ShareCounts[i]
		}
		tv.Total[i] = tv.Own[i] + tv.Referral[i] + tv.Shares[i]
	}
	return tv, nil
}

// ReferralsFromLists turns per-customer lists of referred customers
// (referred[i] = the indices of the customers customer i referred) into
// Referral pairs.
func ReferralsFromLists(referred [][]int) []Referral {
	var out []Referral
	for i, list := range referred {
		for _, j := range list {
			out = append(out, Referral{Referrer: i, Referred: j})
		}
	}
	return out
}

// IndexReferrals turns referral pairs given by customer ID (referrer[j]
// referred referred[j]) into Referral pairs over the table whose row i has
// ID ids[i]. A referred ID without a row gets an index len(ids)+k, the same
// for every mention of that ID, so that ReferralValue counts it once (with
// ReferralOptions.UnknownValue) and splits it between its referrers. A
// referrer ID without a row, unequal lengths or a duplicate ID in ids is an
// error wrapping ErrBadData.
func IndexReferrals(ids, referrer, referred []string) ([]Referral, error) {
	if len(referrer) != len(referred) {
		return nil, fmt.Errorf("%w: %d referrers for %d referred customers", ErrBadData, len(referrer), len(referred))
	}
	row := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, dup := row[id]; dup {
			return nil, fmt.Errorf("%w: customer ID %q appears twice (rows %d and %d)", ErrBadData, id, row[id], i)
		}
		row[id] = i
	}
	unknown := map[string]int{}
	out := make([]Referral, len(referrer))
	for j := range referrer {
		from, ok := row[referrer[j]]
		if !ok {
			return nil, fmt.Errorf("%w: referral %d: referrer %q is not a known customer", ErrBadData, j, referrer[j])
		}
		to, ok := row[referred[j]]
		if !ok {
			if to, ok = unknown[referred[j]]; !ok {
				to = len(ids) + len(unknown)
				unknown[referred[j]] = to
			}
		}
		out[j] = Referral{Referrer: from, Referred: to}
	}
	return out, nil
}
