package segment

import (
	"fmt"
	"slices"
)

// CutRule says how a cut on an axis is placed.
type CutRule uint8

const (
	// Median cuts at the lower median of the known values: the order
	// statistic of rank ⌈n/2⌉. It is the zero value, hence the default.
	Median CutRule = iota
	// Quantile cuts at the lower empirical Q-quantile of the known values:
	// the order statistic of rank ⌈Q·n⌉.
	Quantile
	// Fixed cuts at a given value.
	Fixed
)

// Cut is one threshold on an axis. A customer whose value is strictly above
// the cut is on its high side; a value equal to the cut is on the low side.
type Cut struct {
	Rule CutRule
	Q    float64 // for Quantile: the probability, 0 < Q < 1
	At   float64 // for Fixed: the cut value, finite
}

// AtMedian returns a cut at the median.
func AtMedian() Cut { return Cut{Rule: Median} }

// AtQuantile returns a cut at the lower empirical q-quantile.
func AtQuantile(q float64) Cut { return Cut{Rule: Quantile, Q: q} }

// AtValue returns a cut at the value v.
func AtValue(v float64) Cut { return Cut{Rule: Fixed, At: v} }

func (c Cut) String() string {
	switch c.Rule {
	case Median:
		return "median"
	case Quantile:
		return fmt.Sprintf("quantile %g", c.Q)
	case Fixed:
		return fmt.Sprintf("value %g", c.At)
	}
	return fmt.Sprintf("CutRule(%d)", c.Rule)
}

// Axis is one dimension of a Grid.
type Axis struct {
	// Name names the axis in errors and output, e.g. "profit".
	Name string
	// Cuts split the axis into len(Cuts)+1 levels, numbered from 0 (lowest).
	// The resolved cut values must be in ascending order (equal values are
	// allowed and leave a level empty). nil means one cut at the median.
	Cuts []Cut
}

func (a Axis) cuts() []Cut {
	if len(a.Cuts) == 0 {
		return []Cut{{Rule: Median}}
	}
	return a.Cuts
}

// levels returns the number of levels of the axis.
func (a Axis) levels() int { return len(a.cuts()) + 1 }

// resolve returns the cut values of the axis on column c; name is the
// axis name used in errors.
func (a Axis) resolve(name string, c Column) ([]float64, error) {
	a.Name = name
	cuts := a.cuts()
	out := make([]float64, len(cuts))
	var ranks []int
	var at []int
	n := -1
	for i, cut := range cuts {
		switch cut.Rule {
		case Fixed:
			if !isFinite(cut.At) {
				return nil, optionError("axis %q: cut %d at %v is not finite", a.Name, i, cut.At)
			}
			out[i] = cut.At
			continue
		case Median, Quantile:
		default:
			return nil, optionError("axis %q: cut %d has unknown rule %d", a.Name, i, cut.Rule)
		}
		if cut.Rule == Quantile && !(cut.Q > 0 && cut.Q < 1) {
			return nil, optionError("axis %q: cut %d at quantile %v is outside (0, 1)", a.Name, i, cut.Q)
		}
		if n < 0 {
			n = c.count()
			if n == 0 {
				return nil, fmt.Errorf("segment: axis %q: no customer has a known value to place the %v cut: %w", a.Name, cut, ErrEmpty)
			}
		}
		r := (n + 1) / 2
		if cut.Rule == Quantile {
			r = quantileRank(cut.Q, n)
		}
		ranks = append(ranks, r)
		at = append(at, i)
	}
	if len(ranks) > 0 {
		vals := columnOrderStats(c, n, ranks)
		for j, i := range at {
			out[i] = vals[j]
		}
	}
	for i := 1; i < len(out); i++ {
		if out[i] < out[i-1] {
			return nil, optionError("axis %q: cut %d (%v → %v) is below cut %d (%v → %v)",
				a.Name, i, cuts[i], out[i], i-1, cuts[i-1], out[i-1])
		}
	}
	return out, nil
}

// count returns the number of known values.
func (c Column) count() int {
	if c.Known == nil {
		return len(c.Values)
	}
	n := 0
	for _, k := range c.Known {
		if k {
			n++
		}
	}
	return n
}

// Grid is a two-axis classifier with named cells: each customer is placed at
// a level on the X axis and a level on the Y axis by the axes' cuts, and gets
// the name of that cell. Customers whose value on either axis is unknown get
// the Unknown class, never a cell. The presets ProfitExperience,
// ReferralValue and PrivateDomain are Grids.
type Grid struct {
	X, Y Axis
	// Cells names the cells: Cells[i][j] is the class of a customer at level
	// i on X and level j on Y (level 0 is the lowest). It must have
	// X-levels rows of Y-levels names each. Several cells may share a name,
	// which merges them into one class.
	Cells [][]string
	// Unknown names the class of customers with an unknown value on either
	// axis. Empty means "unknown". It must differ from every cell name.
	Unknown string
}

// Classification is the result of Grid.Classify.
type Classification struct {
	// Assignment holds the classes: the cell names in order of first
	// appearance scanning from the highest X level and, within it, the
	// highest Y level down, then the Unknown class (always present, possibly
	// empty).
	Assignment
	// XCuts and YCuts are the resolved cut values of the axes.
	XCuts, YCuts []float64
}

// names returns the class names and the index of each cell in them.
func (g Grid) names() (names []string, cell []int32, err error) {
	nx, ny := g.X.levels(), g.Y.levels()
	if len(g.Cells) != nx {
		return nil, nil, optionError("grid has %d rows of cells, X axis %q has %d levels", len(g.Cells), g.X.Name, nx)
	}
	unknown := g.unknown()
	cell = make([]int32, nx*ny)
	index := map[string]int32{}
	for i := nx - 1; i >= 0; i-- {
		if len(g.Cells[i]) != ny {
			return nil, nil, optionError("grid row %d has %d cells, Y axis %q has %d levels", i, len(g.Cells[i]), g.Y.Name, ny)
		}
		for j := ny - 1; j >= 0; j-- {
			name := g.Cells[i][j]
			if name == "" {
				return nil, nil, optionError("grid cell [%d][%d] has no name", i, j)
			}
			if name == unknown {
				return nil, nil, optionError("grid cell [%d][%d] is named %q like the unknown class", i, j, name)
			}
			k, ok := index[name]
			if !ok {
				k = int32(len(names))
				index[name] = k
				names = append(names, name)
			}
			cell[i*ny+j] = k
		}
	}
	names = append(names, unknown)
	return names, cell, nil
}

func (g Grid) unknown() string {
	if g.Unknown == "" {
		return "unknown"
	}
	return g.Unknown
}

// Classify places every customer in one class: the cell of its X and Y
// levels, or the Unknown class when either value is unknown. Quantile and
// median cuts are computed on each axis over the customers whose value on
// that axis is known, so a customer's level on one axis does not depend on
// who has data on the other. x and y are not modified.
//
// Errors: columns of different lengths (ErrLength), a NaN or infinite known
// value (*ValueError wrapping ErrNotFinite, naming the axis and index), an
// invalid grid (ErrOption), and a median or quantile cut on an axis without
// any known value (ErrEmpty).
func (g Grid) Classify(x, y Column) (*Classification, error) {
	names, cell, err := g.names()
	if err != nil {
		return nil, err
	}
	xname, yname := g.X.Name, g.Y.Name
	if xname == "" {
		xname = "x"
	}
	if yname == "" {
		yname = "y"
	}
	if len(x.Values) != len(y.Values) {
		return nil, lengthError(xname, len(x.Values), yname, len(y.Values))
	}
	if err := x.check(xname); err != nil {
		return nil, err
	}
	if err := y.check(yname); err != nil {
		return nil, err
	}
	xc, err := g.X.resolve(xname, x)
	if err != nil {
		return nil, err
	}
	yc, err := g.Y.resolve(yname, y)
	if err != nil {
		return nil, err
	}
	class := make([]int32, len(x.Values))
	unknown := int32(len(names) - 1)
	ny := len(yc) + 1
	if len(xc) == 1 && len(yc) == 1 {
		classify2x2(class, x, y, xc[0], yc[0], cell, unknown)
	} else {
		for i, xv := range x.Values {
			if !x.known(i) || !y.known(i) {
				class[i] = unknown
				continue
			}
			lx, ly := Level(xv, xc)-1, Level(y.Values[i], yc)-1
			class[i] = cell[lx*ny+ly]
		}
	}
	return &Classification{
		Assignment: Assignment{Names: names, Class: class},
		XCuts:      xc,
		YCuts:      yc,
	}, nil
}

// Clone returns a deep copy of g, so that a preset can be changed without
// affecting other copies.
func (g Grid) Clone() Grid {
	g.X.Cuts = slices.Clone(g.X.Cuts)
	g.Y.Cuts = slices.Clone(g.Y.Cuts)
	cells := make([][]string, len(g.Cells))
	for i, row := range g.Cells {
		cells[i] = slices.Clone(row)
	}
	g.Cells = cells
	return g
}

// classify2x2 is the common two-by-two case without branches on the data:
// the class is read from an eight-entry table indexed by known·4 + high x·2 +
// high y.
func classify2x2(class []int32, x, y Column, cx, cy float64, cell []int32, unknown int32) {
	var lut [8]int32
	for k := 0; k < 4; k++ {
		lut[k] = unknown
		lut[4+k] = cell[k]
	}
	xk, yk := x.Known, y.Known
	for i, xv := range x.Values {
		known := 1
		if xk != nil {
			known = b2i(xk[i])
		}
		if yk != nil {
			known &= b2i(yk[i])
		}
		// Unknown values may be NaN; a NaN compares false, which is
		// harmless as the table maps every unknown index to unknown.
		class[i] = lut[known<<2|gt(xv, cx)<<1|gt(y.Values[i], cy)]
	}
}

func b2i(b bool) int {
	r := 0
	if b {
		r = 1
	}
	return r
}

// gt returns 1 if v > c, else 0, without a branch.
func gt(v, c float64) int {
	r := 0
	if v > c {
		r = 1
	}
	return r
}
