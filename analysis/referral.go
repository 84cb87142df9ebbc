package analysis

import (
	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
)

// HasReferrals reports whether any customer of s referred someone or
// shared.
func HasReferrals(s *valuekit.Summary) bool {
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
func TotalValue(s *valuekit.Summary, own []float64, share, perShare float64) (*clv.TotalValue, error) {
	var referrer, referred []string
	for i := range s.Len() {
		for _, r := range s.Referred[i] {
			referrer = append(referrer, s.CustomerID[i])
			referred = append(referred, r)
		}
	}
	refs, err := clv.IndexReferrals(s.CustomerID, referrer, referred)
	if err != nil {
		return nil, err
	}
	shares := make([]float64, s.Len())
	for i, n := range s.Shares {
		shares[i] = float64(n)
	}
	return clv.ReferralValue(own, refs, share, &clv.ReferralOptions{ShareCounts: shares, ValuePerShare: perShare})
}
