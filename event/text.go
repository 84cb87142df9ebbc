package event

import "fmt"

// MarshalText implements encoding.TextMarshaler: the name of String
// ("purchase", …), so that kinds read well in JSON and config files. An
// undefined kind is an error.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w: %v is not a defined kind", ErrOption, k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseKind.
func (k *Kind) UnmarshalText(b []byte) error {
	v, ok := ParseKind(string(b))
	if !ok {
		return fmt.Errorf("%w: unknown event kind %q (want purchase, refund, referral, share or feedback)", ErrOption, b)
	}
	*k = v
	return nil
}

// MarshalText implements encoding.TextMarshaler: "day", "week", "month" or
// "year". An undefined unit is an error.
func (u Unit) MarshalText() ([]byte, error) {
	if u < Day || u > Year {
		return nil, fmt.Errorf("%w: %v is not a defined unit", ErrOption, u)
	}
	return []byte(u.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseUnit.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := ParseUnit(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}
