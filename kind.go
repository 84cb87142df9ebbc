package valuekit

import "github.com/valuekit/valuekit/event"

// Kind is the kind of a customer event (see package event, which holds it
// without Arrow).
type Kind = event.Kind

// The event kinds. A refund carries a positive amount: a purchase row with a
// negative amount is read as a refund of the absolute amount.
const (
	Purchase = event.Purchase // a sale; amount is the money received
	Refund   = event.Refund   // money returned to the customer; amount is positive
	Referral = event.Referral // the customer brought in another customer (referred_id)
	Share    = event.Share    // the customer shared or recommended the product
	Feedback = event.Feedback // an experience score (score), e.g. a 0–10 rating
	numKinds = event.NumKinds
)

// kindNames are the kinds' names, in kind order.
var kindNames = func() (n [numKinds]string) {
	for k := range n {
		n[k] = Kind(k).String()
	}
	return n
}()

// ParseKind returns the kind named s, matched case-insensitively and ignoring
// surrounding space. It reports false for an unknown name.
func ParseKind(s string) (Kind, bool) { return event.ParseKind(s) }

// Unit is the unit in which a summary expresses time (recency, T); see
// package event.
type Unit = event.Unit

// The time units. A month is a twelfth of a year of 365.25 days
// (30.4375 days), so that twelve months make a year whatever the calendar.
const (
	Day   = event.Day   // 1 day
	Week  = event.Week  // 7 days
	Month = event.Month // 365.25/12 days
	Year  = event.Year  // 365.25 days
)

// ParseUnit parses "day", "week", "month" or "year" (case-insensitive; plural
// and abbreviated forms d, w, m, y accepted).
func ParseUnit(s string) (Unit, error) { return event.ParseUnit(s) }
