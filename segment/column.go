package segment

// Column is one per-customer input column with an optional presence mask,
// for data that some customers lack (no feedback score, no cost data).
type Column struct {
	// Values holds one value per customer. Known values must be finite.
	Values []float64
	// Known marks the customers whose value is known. nil means every value
	// is known. Where Known[i] is false, Values[i] is ignored and may hold
	// anything, NaN included. If non-nil, len(Known) must equal len(Values).
	Known []bool
}

// Col returns a Column in which every value is known.
func Col(values []float64) Column { return Column{Values: values} }

// known reports whether customer i's value is known.
func (c Column) known(i int) bool { return c.Known == nil || c.Known[i] }

// check validates the column: mask length and finite known values.
func (c Column) check(name string) error {
	if c.Known != nil && len(c.Known) != len(c.Values) {
		return lengthError(name+" mask", len(c.Known), name, len(c.Values))
	}
	if c.Known == nil {
		return checkFinite(name, c.Values)
	}
	for i, v := range c.Values {
		if c.Known[i] && !isFinite(v) {
			return &ValueError{Column: name, Index: i, Value: v, Err: ErrNotFinite}
		}
	}
	return nil
}

// knownValues returns a fresh slice of the known values.
func (c Column) knownValues() []float64 {
	if c.Known == nil {
		out := make([]float64, len(c.Values))
		copy(out, c.Values)
		return out
	}
	out := make([]float64, 0, len(c.Values))
	for i, v := range c.Values {
		if c.Known[i] {
			out = append(out, v)
		}
	}
	return out
}

func isFinite(v float64) bool { return v-v == 0 }
