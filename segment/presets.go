package segment

import "strings"

// Class names of the presets.
const (
	// Unknown is the class of customers without a value on an axis.
	Unknown = "unknown"

	// Profit × experience (ProfitExperience).
	Premium     = "premium"     // high profit, high experience: keep and grow
	Fragile     = "fragile"     // high profit, low experience: fix their experience before they leave
	FreeRider   = "free-rider"  // low profit, high experience: cut cost-to-serve or upsell
	Abandonable = "abandonable" // low profit, low experience: do not invest

	// CLV × referral value (ReferralValue).
	Champions = "champions" // high CLV, high referral value
	Affluents = "affluents" // high CLV, low referral value
	Advocates = "advocates" // low CLV, high referral value
	Misers    = "misers"    // low CLV, low referral value

	// Purchase frequency × interaction (PrivateDomain).
	Core          = "core"          // frequent buyers who interact: invite first
	Transactional = "transactional" // frequent buyers who rarely interact: engage before inviting
	Engaged       = "engaged"       // interact but rarely buy: convert inside the private domain
	Unsuitable    = "unsuitable"    // neither: leave to paid and public channels
)

// quadrant returns a two-by-two grid with median cuts.
// hh, hl, lh, ll name the cells (X high/low, Y high/low).
func quadrant(x, y, hh, hl, lh, ll string) Grid {
	return Grid{
		X:       Axis{Name: x, Cuts: []Cut{AtMedian()}},
		Y:       Axis{Name: y, Cuts: []Cut{AtMedian()}},
		Cells:   [][]string{{ll, lh}, {hl, hh}},
		Unknown: Unknown,
	}
}

// ProfitExperience returns the profit × experience quadrant, the core of the
// value-based view: X is a profit axis (CLV or realised profit), Y an
// experience axis (e.g. each customer's mean feedback score), both cut at
// the median. Classes: premium (high, high), fragile (high profit, low
// experience), free-rider (low profit, high experience), abandonable (low,
// low) and unknown (no profit or no experience data).
//
// Change the cuts on the returned value, e.g. an experience score above 7
// counting as high:
//
//	g := segment.ProfitExperience()
//	g.Y.Cuts = []segment.Cut{segment.AtValue(7)}
func ProfitExperience() Grid {
	return quadrant("profit", "experience", Premium, Fragile, FreeRider, Abandonable)
}

// ReferralValue returns the CLV × referral value grid (Kumar, Petersen and
// Leone 2007, 2010): X is the customer's own lifetime value, Y the value of
// the customers they bring in. Classes: champions (high, high), affluents
// (high CLV, low referral value), advocates (low CLV, high referral value),
// misers (low, low) and unknown. Both axes are cut at the median; where most
// customers refer nobody the referral median is 0 and "high referral value"
// means any referral value above 0.
func ReferralValue() Grid {
	return quadrant("clv", "referral_value", Champions, Affluents, Advocates, Misers)
}

// PrivateDomain returns the private-domain suitability grid: which customers
// to invite into an owned channel (a community, a messaging group, a
// members' club). X is purchase frequency, Y interaction (shares, feedback,
// referrals: any per-customer count or score), both cut at the median.
// Classes: core (high, high: invite first), transactional (frequent buyers
// who rarely interact), engaged (interact but rarely buy), unsuitable (low,
// low) and unknown.
func PrivateDomain() Grid {
	return quadrant("frequency", "interaction", Core, Transactional, Engaged, Unsuitable)
}

// Preset returns the preset grid called name: "quadrant" (ProfitExperience),
// "referral" (ReferralValue) or "private" (PrivateDomain), matched without
// regard to case, for command-line flags. An unknown name is an error
// wrapping ErrOption.
func Preset(name string) (Grid, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "quadrant":
		return ProfitExperience(), nil
	case "referral":
		return ReferralValue(), nil
	case "private":
		return PrivateDomain(), nil
	}
	return Grid{}, optionError("unknown scheme %q (want quadrant, referral or private)", name)
}
