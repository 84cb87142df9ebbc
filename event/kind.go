package event

import (
	"fmt"
	"strings"
)

// Kind is the kind of a customer event.
type Kind uint8

// The event kinds. A refund carries a positive amount: a purchase row with a
// negative amount is read as a refund of the absolute amount.
const (
	Purchase Kind = iota // a sale; amount is the money received
	Refund               // money returned to the customer; amount is positive
	Referral             // the customer brought in another customer (referred_id)
	Share                // the customer shared or recommended the product
	Feedback             // an experience score (score), e.g. a 0–10 rating
	// NumKinds is the number of kinds: Kind(0) … Kind(NumKinds−1).
	NumKinds
)

var kindNames = [NumKinds]string{"purchase", "refund", "referral", "share", "feedback"}

// String returns the lower-case name of k ("purchase", "refund", …).
func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return k < NumKinds }

// ParseKind returns the kind named s, matched case-insensitively and ignoring
// surrounding space. It reports false for an unknown name.
func ParseKind(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for k, name := range kindNames {
		if strings.EqualFold(s, name) {
			return Kind(k), true
		}
	}
	return 0, false
}
