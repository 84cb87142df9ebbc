package segment

// MarshalText implements encoding.TextMarshaler with a name
// ParseAllocation accepts: "value", "value-at-risk" or "equal".
func (a Allocation) MarshalText() ([]byte, error) {
	switch a {
	case ByValue:
		return []byte("value"), nil
	case ByValueAtRisk:
		return []byte("value-at-risk"), nil
	case Equal:
		return []byte("equal"), nil
	}
	return nil, optionError("%v is not a defined allocation rule", a)
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseAllocation.
func (a *Allocation) UnmarshalText(b []byte) error {
	v, err := ParseAllocation(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
