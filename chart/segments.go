package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/segment"
)

// QuadrantData are per-customer profit and experience values with the
// thresholds that split them, for ProfitExperience. A customer is high on
// an axis when their value is above its cut, as in segment.Grid.
type QuadrantData struct {
	// Profit and Experience hold one value per customer (CLV or realised
	// profit; a satisfaction or feedback score). Known values must be
	// finite.
	Profit, Experience []float64
	// Known marks the customers with both values; nil means all. Customers
	// not known are in the unknown class and are not drawn (their values
	// may be NaN).
	Known []bool
	// ProfitCut and ExperienceCut are the thresholds (for example
	// Classification.XCuts[0] and YCuts[0] of segment.ProfitExperience).
	ProfitCut, ExperienceCut float64
	// ProfitLabel and ExperienceLabel are the axis labels, with units;
	// default "profit" and "experience score".
	ProfitLabel, ExperienceLabel string
	// FullRange keeps the whole range of profit on the axis. By default an
	// axis whose largest value is more than three times the 99th
	// percentile (from the smallest) stops just above that percentile, and
	// the customers beyond are drawn at its edge and counted in the label.
	FullRange bool
	// MaxPoints bounds the points drawn: with more customers every k-th is
	// drawn (counts and shares are of all). Default 20,000.
	MaxPoints int
	// Title replaces the default title.
	Title string
}

// NewQuadrantData takes the thresholds from a two-by-two classification of
// profit and experience (segment.ProfitExperience().Classify(profit,
// experience)) and the known values from the columns.
func NewQuadrantData(profit, experience segment.Column, c *segment.Classification) (QuadrantData, error) {
	if c == nil || len(c.XCuts) != 1 || len(c.YCuts) != 1 {
		return QuadrantData{}, fmt.Errorf("%w: profit × experience: want a classification with one cut on each axis", ErrInput)
	}
	n := len(profit.Values)
	if len(experience.Values) != n || (profit.Known != nil && len(profit.Known) != n) || (experience.Known != nil && len(experience.Known) != n) {
		return QuadrantData{}, fmt.Errorf("%w: profit × experience: profit has %d values, experience %d", ErrInput, n, len(experience.Values))
	}
	q := QuadrantData{Profit: profit.Values, Experience: experience.Values, ProfitCut: c.XCuts[0], ExperienceCut: c.YCuts[0]}
	if profit.Known != nil || experience.Known != nil {
		q.Known = make([]bool, n)
		for i := range q.Known {
			q.Known[i] = (profit.Known == nil || profit.Known[i]) && (experience.Known == nil || experience.Known[i])
		}
	}
	return q, nil
}

// quadrant cells in the order high/high, high/low, low/high, low/low
// (profit, experience).
var quadCells = [4]struct {
	name string
	col  color.Color
	fx   float64 // corner of the data area for the cell's name
	fy   float64
}{
	{segment.Premium, BluishGreen, 1, 1},
	{segment.Fragile, Vermillion, 1, 0},
	{segment.FreeRider, SkyBlue, 0, 1},
	{segment.Abandonable, ReddishPurple, 0, 0},
}

// ProfitExperience draws the profit × experience scatter: one point per
// customer coloured by cell, the thresholds as dashed lines, and each cell
// named in its corner with its number of customers and share of profit:
// premium (high profit, high experience), fragile (high profit, low
// experience), free-rider (low profit, high experience) and abandonable.
func ProfitExperience(in QuadrantData) (*Chart, error) {
	const name = "profit × experience"
	n := len(in.Profit)
	if n == 0 {
		return nil, fmt.Errorf("%w: %s: no customers", ErrInput, name)
	}
	if len(in.Experience) != n {
		return nil, fmt.Errorf("%w: %s: profit has %d values, experience %d", ErrInput, name, n, len(in.Experience))
	}
	if in.Known != nil && len(in.Known) != n {
		return nil, fmt.Errorf("%w: %s: known has %d values, profit %d", ErrInput, name, len(in.Known), n)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"profit cut", in.ProfitCut}, {"experience cut", in.ExperienceCut}} {
		if math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return nil, fmt.Errorf("%w: %s: %s %v is not finite", ErrInput, name, c.name, c.v)
		}
	}
	maxPts := in.MaxPoints
	if maxPts == 0 {
		maxPts = 20000
	}
	if maxPts < 1 {
		return nil, fmt.Errorf("%w: %s: max points %d, want >= 1", ErrInput, name, in.MaxPoints)
	}
	var count [4]int
	var profit [4]float64
	var totalProfit float64
	known := 0
	for i := range in.Profit {
		if in.Known != nil && !in.Known[i] {
			continue
		}
		x, y := in.Profit[i], in.Experience[i]
		for _, c := range []struct {
			axis string
			v    float64
		}{{"profit", x}, {"experience", y}} {
			if math.IsNaN(c.v) || math.IsInf(c.v, 0) {
				return nil, fmt.Errorf("%w: %s: %s[%d] = %v is not finite (mark unknown values in Known)", ErrInput, name, c.axis, i, c.v)
			}
		}
		k := quadCell(x, y, in.ProfitCut, in.ExperienceCut)
		count[k]++
		profit[k] += x
		totalProfit += math.Max(x, 0)
		known++
	}
	if known == 0 {
		return nil, fmt.Errorf("%w: %s: no customer with both values known", ErrInput, name)
	}
	// A long right tail of profit would squeeze everyone else against the
	// left edge: unless FullRange is set, the axis stops at the 99th
	// percentile when the largest value is more than three times it, and
	// the customers beyond are drawn at the edge.
	xs := make([]float64, 0, known)
	for i, x := range in.Profit {
		if in.Known == nil || in.Known[i] {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	xLo, xHi := xs[0], xs[len(xs)-1]
	beyond := 0
	if q := quantileSorted(xs, 0.99); !in.FullRange && q > in.ProfitCut && xHi-xLo > 3*(q-xLo) {
		xHi = q + 0.05*(q-xLo)
		for _, x := range xs {
			if x > xHi {
				beyond++
			}
		}
	}
	stride := (known + maxPts - 1) / maxPts
	var pts [4]plotter.XYs
	seen := 0
	for i := range in.Profit {
		if in.Known != nil && !in.Known[i] {
			continue
		}
		seen++
		if (seen-1)%stride != 0 {
			continue
		}
		x, y := in.Profit[i], in.Experience[i]
		k := quadCell(x, y, in.ProfitCut, in.ExperienceCut)
		pts[k] = append(pts[k], plotter.XY{X: math.Min(x, xHi), Y: y})
	}
	xl := seriesName(in.ProfitLabel, "profit")
	if beyond > 0 {
		xl += fmt.Sprintf("; %d customers above %s drawn at the right edge", beyond, formatNum(xHi, 2))
	}
	yl := seriesName(in.ExperienceLabel, "experience score")
	title := in.Title
	if title == "" {
		title = "Customers by profit and experience"
		if stride > 1 {
			title += fmt.Sprintf(" (every %s customer of %d shown)", ordinal(stride), known)
		}
	}
	p := newPlot(title, xl, yl)
	addGrid(p, true, true)
	p.Add(vLine{X: in.ProfitCut, Style: lineStyle(colReference, 1, 4)})
	p.Add(hLine{Y: in.ExperienceCut, Style: lineStyle(colReference, 1, 4)})
	radius := vg.Length(2.2)
	if known > 2000 {
		radius = 1.4
	}
	for k, c := range quadCells {
		if len(pts[k]) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts[k])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
		}
		sc.Shape, sc.Radius, sc.Color = draw.CircleGlyph{}, radius, withAlpha(c.col, 170)
		p.Add(sc)
	}
	for k, c := range quadCells {
		share := ""
		if totalProfit > 0 {
			share = ", " + formatPercent(roundShare(math.Max(profit[k], 0)/totalProfit)) + " of profit"
		}
		txt := fmt.Sprintf("%s\n%d customers%s", c.name, count[k], share)
		xa, ya := text.XAlignment(draw.XLeft), text.YAlignment(draw.YBottom)
		fx, fy := 0.01, 0.015
		if c.fx == 1 {
			xa, fx = draw.XRight, 0.99
		}
		if c.fy == 1 {
			ya, fy = draw.YTop, 0.985
		}
		nt := fracNote(fx, fy, txt, xa, ya, colText)
		nt.Style.Font.Size = labelSize
		nt.Background = withAlpha(color.White, 210)
		p.Add(nt)
	}
	// Room for the corner names above and below the points.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, y := range in.Experience {
		if in.Known == nil || in.Known[i] {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	lo, hi = math.Min(lo, in.ExperienceCut), math.Max(hi, in.ExperienceCut)
	span := hi - lo
	if span == 0 {
		span = 1
	}
	p.Y.Min, p.Y.Max = lo-0.18*span, hi+0.18*span
	xLo, xHi = math.Min(xLo, in.ProfitCut), math.Max(xHi, in.ProfitCut)
	pad := 0.02 * (xHi - xLo)
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = xLo-pad, xHi+pad
	return single(p), nil
}

// quadCell returns the index in quadCells of a customer at (x, y).
func quadCell(x, y, cx, cy float64) int {
	switch {
	case x > cx && y > cy:
		return 0
	case x > cx:
		return 1
	case y > cy:
		return 2
	}
	return 3
}

// ordinal returns "2nd", "3rd", "10th" ….
func ordinal(k int) string {
	s := strconv.Itoa(k)
	switch {
	case k%100 >= 11 && k%100 <= 13:
		return s + "th"
	case k%10 == 1:
		return s + "st"
	case k%10 == 2:
		return s + "nd"
	case k%10 == 3:
		return s + "rd"
	}
	return s + "th"
}

// RFMData are the per-segment figures of an RFM segmentation, for
// RFMSegments.
type RFMData struct {
	// Segments are rfm.Stats's rows, drawn from top to bottom in their
	// order.
	Segments []rfm.SegmentStats
	// Title replaces the default title.
	Title string
}

// RFMSegments draws, for each RFM segment, its share of customers next to
// its share of revenue as horizontal bars, each labelled with its
// percentage: the segments whose value share far exceeds their size are the
// ones to protect.
func RFMSegments(in RFMData) (*Chart, error) {
	const name = "RFM segments"
	n := len(in.Segments)
	if n == 0 {
		return nil, fmt.Errorf("%w: %s: no segments", ErrInput, name)
	}
	cust := make(plotter.Values, n)
	rev := make(plotter.Values, n)
	names := make([]string, n)
	top := 0.0
	for i, s := range in.Segments {
		for _, f := range []struct {
			name string
			v    float64
		}{{"customer share", s.CustomerShare}, {"revenue share", s.RevenueShare}} {
			if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || f.v > 1+1e-9 {
				return nil, fmt.Errorf("%w: %s: segment %q: %s %v, want 0 to 1", ErrInput, name, s.Segment, f.name, f.v)
			}
		}
		// Bars go bottom to top; the first segment is drawn at the top.
		j := n - 1 - i
		cust[j], rev[j] = s.CustomerShare, s.RevenueShare
		names[j] = fmt.Sprintf("%s (%d)", s.Segment, s.Customers)
		top = math.Max(top, math.Max(s.CustomerShare, s.RevenueShare))
	}
	title := in.Title
	if title == "" {
		title = "RFM segments: share of customers and of revenue"
	}
	p := newPlot(title, "share of all customers or of total revenue", "")
	addGrid(p, true, false)
	bc, err := plotter.NewBarChart(cust, 1)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	bc.Color, bc.LineStyle.Width = colActual, 0
	br, err := plotter.NewBarChart(rev, 1)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	br.Color, br.LineStyle.Width = colValue, 0
	labels := [][]string{make([]string, n), make([]string, n)}
	for j := range n {
		labels[0][j] = formatPercent(roundShare(cust[j]))
		labels[1][j] = formatPercent(roundShare(rev[j]))
	}
	p.Add(&barGroup{Bars: []*plotter.BarChart{bc, br}, Horizontal: true, Labels: labels})
	p.Legend.Add("customers", bc)
	p.Legend.Add("revenue", br)
	p.Legend.Top, p.Legend.Left = false, false
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Min, p.X.Max = 0, math.Min(1, top*1.18+0.02)
	p.X.Tick.Marker = plot.TickerFunc(percentTicks)
	return single(p), nil
}
