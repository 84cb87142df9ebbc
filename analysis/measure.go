package analysis

import "github.com/valuekit/valuekit/customers"

// RevenueNet says whether the revenue VALUE measure is net of refunds, and
// says which measure is used in report: net when net is set, gross when
// gross is set; otherwise, when some customer has refunds, net if
// rankByValue — tiers and seeds rank customers by the value, and gross
// revenue would put a customer who cancelled everything among the best —
// and gross (the grid schemes' documented axis) if not.
func RevenueNet(s *customers.Summary, net, gross, rankByValue bool, report func(string)) bool {
	switch {
	case net:
		say(report, "value: net_revenue (purchases minus refunds)")
		return true
	case gross:
		say(report, "value: revenue (gross purchases; refunds not deducted)")
		return false
	}
	refunds := 0
	for _, r := range s.Refunds {
		if r > 0 {
			refunds++
		}
	}
	switch {
	case refunds == 0:
		say(report, "value: revenue (no customer has refunds, so gross and net agree)")
		return false
	case rankByValue:
		say(report, "value: net_revenue (purchases minus refunds: %d customers have refunds; --net=false for gross revenue)", refunds)
		return true
	}
	say(report, "value: revenue (gross purchases: %d customers have refunds; --net for net revenue)", refunds)
	return false
}
