package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/valuekit/valuekit/segment"
)

// CLVData are per-customer values for CLVDistribution.
type CLVData struct {
	// Values holds one value per customer (a CLV, or any money value).
	// Values must be finite; values <= 0 cannot be placed on a log scale
	// and are counted in a note instead.
	Values []float64
	// Bins is the number of histogram bins, equally wide on the log scale.
	// Default 40; 2 to 500.
	Bins int
	// Label names the values on the axis; default "CLV".
	Label string
	// Currency is the unit of the values in labels ("US$"); default none.
	Currency string
	// Title replaces the default title.
	Title string
}

// CLVDistribution draws the distribution of customer values as a histogram
// on a logarithmic value axis, where the usual long right tail of CLV is
// readable, with the median and the mean marked. The mean sits well right
// of the median when a few customers hold much of the value. The axis
// starts at the 0.5th percentile of the positive values (smaller ones are
// counted in the first bar, as the legend says).
func CLVDistribution(in CLVData) (*Chart, error) {
	const name = "CLV distribution"
	if err := checkColumn(name, "values", in.Values, -1, false); err != nil {
		return nil, err
	}
	bins := in.Bins
	if bins == 0 {
		bins = 40
	}
	if bins < 2 || bins > 500 {
		return nil, fmt.Errorf("%w: %s: %d bins, want 2 to 500", ErrInput, name, in.Bins)
	}
	pos := make([]float64, 0, len(in.Values))
	var sum float64
	for _, v := range in.Values {
		sum += v
		if v > 0 {
			pos = append(pos, v)
		}
	}
	if len(pos) == 0 {
		return nil, fmt.Errorf("%w: %s: no value is above 0, nothing to draw on a log scale", ErrInput, name)
	}
	slices.Sort(pos)
	// A few values near 0 would stretch the log axis over decades with
	// nothing in them: the axis starts at the 0.5th percentile of the
	// positive values, and smaller ones are counted in the first bar.
	lo, hi := quantileSorted(pos, 0.005), pos[len(pos)-1]
	if hi/lo < 1.5 {
		mid := math.Sqrt(lo * hi)
		lo, hi = mid/1.5, mid*1.5
	}
	below := 0
	for _, v := range pos {
		if v < lo {
			below++
		}
	}
	llo, lhi := math.Log10(lo), math.Log10(hi)
	edges := make([]float64, bins+1)
	for i := range edges {
		edges[i] = math.Pow(10, llo+(lhi-llo)*float64(i)/float64(bins))
	}
	edges[0], edges[bins] = lo, hi
	hist := make([]plotter.HistogramBin, bins)
	for i := range hist {
		hist[i] = plotter.HistogramBin{Min: edges[i], Max: edges[i+1]}
	}
	for _, v := range pos {
		k := int(float64(bins) * (math.Log10(v) - llo) / (lhi - llo))
		hist[min(max(k, 0), bins-1)].Weight++
	}
	label := seriesName(in.Label, "CLV")
	unit := ""
	if in.Currency != "" {
		unit = in.Currency + ", "
	}
	title := in.Title
	if title == "" {
		title = "Distribution of " + label + " across customers"
	}
	p := newPlot(title, label+" ("+unit+"log scale)", "customers")
	addGrid(p, true, true)
	h := &plotter.Histogram{Bins: hist, FillColor: colValue, LineStyle: lineStyle(color.White, 0.4, 0)}
	p.Add(h)
	median := quantileSorted(pos, 0.5)
	mean := sum / float64(len(in.Values))
	top := 0.0
	for _, b := range hist {
		top = math.Max(top, b.Weight)
	}
	// The marks stop above the bars, leaving the legend clear.
	medLine := vLine{X: median, Style: lineStyle(colReference, 1.2, 4), YMax: top * 1.06}
	p.Add(medLine)
	p.Legend.Add("customers with "+label+" > 0: "+strconv.Itoa(len(pos)), h)
	p.Legend.Add("median of those "+formatMoney(median, in.Currency), lineThumb(medLine.Style))
	if mean > 0 {
		meanLine := vLine{X: mean, Style: lineStyle(colModel, 1.2, 1.5), YMax: top * 1.06}
		p.Add(meanLine)
		p.Legend.Add("mean of all "+formatMoney(mean, in.Currency), lineThumb(meanLine.Style))
	}
	if below > 0 {
		p.Legend.Add(fmt.Sprintf("first bar includes %d below %s", below, formatMoney(lo, in.Currency)))
	}
	if rest := len(in.Values) - len(pos); rest > 0 {
		p.Legend.Add(fmt.Sprintf("not shown: %d with %s ≤ 0", rest, label))
	}
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.TickerFunc(logTicks)
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min = 0
	p.Y.Max = top * 1.35
	return single(p), nil
}

// lineThumb is a legend thumbnail of a line style.
type lineThumb draw.LineStyle

func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}

// quantileSorted returns the q-quantile of sorted a (linear interpolation).
func quantileSorted(a []float64, q float64) float64 {
	f := q * float64(len(a)-1)
	i := int(f)
	if i >= len(a)-1 {
		return a[len(a)-1]
	}
	return a[i] + (f-float64(i))*(a[i+1]-a[i])
}

// formatMoney formats an amount with two significant decimals for small
// values and a currency prefix.
func formatMoney(v float64, currency string) string {
	s := ""
	switch a := math.Abs(v); {
	case a >= 1e4:
		s = formatCompact(v)
	case a >= 100:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	if currency != "" {
		return currency + " " + s
	}
	return s
}

// LorenzData are per-customer values and their value tiers, for Lorenz.
type LorenzData struct {
	// Value holds one value per customer (CLV, revenue, profit), finite.
	// Shares are of the total positive value, as in segment.Tiers: values
	// <= 0 add nothing.
	Value []float64
	// Tiers are the customers' value tiers (segment.Tiers of Value); nil
	// means the classic A/B/C split (segment.Tiers(Value, nil)).
	Tiers *segment.Tiering
	// Label names the value in labels; default "value".
	Label string
	// Title replaces the default title.
	Title string
}

// maxCurvePoints bounds the points of a drawn curve; longer curves are
// thinned evenly (their ends kept).
const maxCurvePoints = 2000

// Lorenz draws the concentration curve of value: customers ranked from the
// most valuable, the cumulative share of value held by the top share of
// customers, with the equality line and the tier boundaries of an A/B/C (or
// other) tiering marked. The legend gives the Gini coefficient (0: everyone
// is worth the same; near 1: one customer holds everything).
func Lorenz(in LorenzData) (*Chart, error) {
	const name = "Lorenz curve"
	if err := checkColumn(name, "value", in.Value, -1, false); err != nil {
		return nil, err
	}
	n := len(in.Value)
	tiers := in.Tiers
	if tiers == nil {
		var err error
		if tiers, err = segment.Tiers(in.Value, nil); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrInput, name, err)
		}
	}
	if err := tiers.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: tiers: %w", ErrInput, name, err)
	}
	if tiers.Len() != n {
		return nil, fmt.Errorf("%w: %s: tiers have %d customers, values %d", ErrInput, name, tiers.Len(), n)
	}
	v, total, curve, gini := concentration(in.Value)
	if !(total > 0) {
		return nil, fmt.Errorf("%w: %s: no value is above 0", ErrInput, name)
	}
	label := seriesName(in.Label, "value")
	title := in.Title
	if title == "" {
		title = "Concentration of " + label + " with the " + joinNames(tiers.Names) + " tiers"
	}
	p := newPlot(title, "share of customers, ranked from the highest "+label, "cumulative share of "+label)
	addGrid(p, true, true)
	eq, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	eq.LineStyle = lineStyle(gray(0x90), 1, 4)
	lc, err := plotter.NewLine(curve)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	lc.LineStyle = lineStyle(colValue, 2, 0)
	p.Add(eq)

	// Tier boundaries: the customer share of the tiers above each cut, and
	// the value share held there.
	counts := tiers.Counts()
	share := func(k int) float64 { // value share of the top k customers
		s := 0.0
		for _, x := range v[:k] {
			s += x
		}
		return s / total
	}
	tierCol := []color.Color{Blue, Orange, ReddishPurple, SkyBlue, BluishGreen, Vermillion}
	var pts plotter.XYs
	at := 0
	prevX, prevY := 0.0, 0.0
	for t, c := range counts {
		at += c
		x, y := float64(at)/float64(n), share(at)
		if t < len(counts)-1 {
			p.Add(vLine{X: x, Style: lineStyle(colReference, 0.8, 3)})
			pts = append(pts, plotter.XY{X: x, Y: y})
		}
		if c > 0 {
			mid := note{X: (prevX + x) / 2, Y: math.NaN(), FY: 0.04, Text: tiers.Names[t], Style: textStyle(labelSize+2, tierCol[t%len(tierCol)])}
			mid.Style.XAlign, mid.Style.YAlign = draw.XCenter, draw.YBottom
			p.Add(mid)
			desc := fmt.Sprintf("%s: %s of customers, %s of %s", tiers.Names[t], formatPercent(roundShare(x-prevX)), formatPercent(roundShare(y-prevY)), label)
			p.Legend.Add(desc, legendSwatch{Color: tierCol[t%len(tierCol)]})
		}
		prevX, prevY = x, y
	}
	p.Add(lc)
	if len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
		}
		sc.Color, sc.Shape, sc.Radius = colReference, draw.CircleGlyph{}, 3
		p.Add(sc)
	}
	p.Legend.Add(fmt.Sprintf("%s curve (Gini %.2f)", label, gini), lc)
	p.Legend.Add("equal "+label+" for all", eq)
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -6, 30
	p.X.Tick.Marker = plot.TickerFunc(percentTicks)
	p.Y.Tick.Marker = plot.TickerFunc(percentTicks)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1.02
	return single(p), nil
}

// concentration returns the positive parts of value sorted from the
// highest, their total, the concentration curve (i/n, S_i/total) through
// (0, 0) thinned to about maxCurvePoints points, and the Gini coefficient:
// with the curve ranked from the top, G = 2·(area under the curve) − 1,
// which is 0 when all are equal and (n−1)/n when one customer holds all.
func concentration(value []float64) (v []float64, total float64, curve plotter.XYs, gini float64) {
	n := len(value)
	v = make([]float64, n)
	for i, x := range value {
		v[i] = math.Max(x, 0)
		total += v[i]
	}
	if !(total > 0) {
		return v, total, nil, math.NaN()
	}
	slices.SortFunc(v, func(a, b float64) int { return -cmpFloat(a, b) })
	curve = make(plotter.XYs, 0, min(n, maxCurvePoints)+2)
	curve = append(curve, plotter.XY{})
	step := max(1, n/maxCurvePoints)
	var cum, area float64
	for i, x := range v {
		prev := cum
		cum += x
		area += (prev + cum) / 2 / total / float64(n)
		if (i+1)%step == 0 || i == n-1 {
			curve = append(curve, plotter.XY{X: float64(i+1) / float64(n), Y: cum / total})
		}
	}
	return v, total, curve, 2*area - 1
}

// roundShare rounds a share to 0.1 percentage points for labels.
func roundShare(s float64) float64 { return math.Round(s*1000) / 1000 }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// joinNames joins tier names as "A/B/C".
func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += "/"
		}
		s += n
	}
	return s
}
