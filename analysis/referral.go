package analysis

import (
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
)

// HasReferrals reports whether any customer of s referred someone or
// shared.
func HasReferrals(s *customers.Summary) bool {
	for i := range s.Len() {
		if s.Referrals[i] > 0 || s.Shares[i] > 0 {
			return true
		}
	}
	return false
}

// TotalValue adds to each customer's own value (own, in summary order) the
// given share of the value of the customers they referred and perShare per
// share event (see clv.ReferralValue).
func TotalValue(s *customers.Summary, own []float64, share, perShare float64) (*clv.TotalValue, error) {
	// The referral pairs as rows: the referrer is the summary row itself;
	// the referred are looked up in one pass over the ids against a map of
	// the (few) referred ids only, not a map of every customer. A referred
	// id without a row gets len(ids)+k in order of first mention, as
	// clv.IndexReferrals does.
	row := map[string]int{}
	for i := range s.Len() {
		for _, r := range s.ReferredOf(i) {
			row[r] = -1
		}
	}
	if len(row) > 0 {
		for i, id := range s.CustomerID {
			if v, ok := row[id]; ok && v < 0 {
				row[id] = i
			}
		}
	}
	var refs []clv.Referral
	unknown := s.Len()
	for i := range s.Len() {
		for _, r := range s.ReferredOf(i) {
			to := row[r]
			if to < 0 {
				to = unknown
				row[r] = to
				unknown++
			}
			refs = append(refs, clv.Referral{Referrer: i, Referred: to})
		}
	}
	shares := make([]float64, s.Len())
	for i, n := range s.Shares {
		shares[i] = float64(n)
	}
	return clv.ReferralValue(own, refs, share, &clv.ReferralOptions{ShareCounts: shares, ValuePerShare: perShare})
}
