package chart

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight
// colours that stay distinct under the common forms of colour blindness.
// Every chart takes its series colours from here.
var (
	Black         = color.RGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	Orange        = color.RGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}
	SkyBlue       = color.RGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}
	BluishGreen   = color.RGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	Yellow        = color.RGBA{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}
	Blue          = color.RGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	Vermillion    = color.RGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}
	ReddishPurple = color.RGBA{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}
)

// Roles of the palette's colours, so that the same thing has the same colour
// in every chart.
var (
	colActual    = Blue        // observed data
	colModel     = Vermillion  // model predictions
	colValue     = BluishGreen // money
	colReference = Black       // thresholds, boundaries, equality lines
	colGrid      = gray(0xe4)  // background grid
	colText      = gray(0x30)  // annotations
)

// OkabeIto returns the eight colours of the Okabe–Ito palette in their usual
// order: black, orange, sky blue, bluish green, yellow, blue, vermillion,
// reddish purple.
func OkabeIto() []color.Color {
	return []color.Color{Black, Orange, SkyBlue, BluishGreen, Yellow, Blue, Vermillion, ReddishPurple}
}

// series are the palette's colours in the order charts give them to
// successive series: strong, distinct hues first, yellow (weak on white)
// last.
var series = []color.Color{Blue, Vermillion, BluishGreen, Orange, ReddishPurple, SkyBlue, Black, Yellow}

// viridisAnchors are nine evenly spaced colours of the viridis colour map
// (van der Walt & Smith, matplotlib 2.0), a perceptually uniform sequential
// map that reads in order for colour-blind readers and in grey scale.
var viridisAnchors = [...]color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x47, 0x2d, 0x7b, 0xff}, {0x3b, 0x52, 0x8b, 0xff},
	{0x2c, 0x72, 0x8e, 0xff}, {0x21, 0x90, 0x8c, 0xff}, {0x27, 0xad, 0x81, 0xff},
	{0x5d, 0xc8, 0x63, 0xff}, {0xaa, 0xdc, 0x32, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

// Viridis returns n colours (n >= 2) of the viridis colour map from dark
// (low) to bright (high), interpolated between nine anchors. The heat maps
// use it.
func Viridis(n int) []color.Color {
	n = max(n, 2)
	out := make([]color.Color, n)
	last := float64(len(viridisAnchors) - 1)
	for i := range out {
		t := float64(i) / float64(n-1) * last
		k := min(int(t), len(viridisAnchors)-2)
		f := t - float64(k)
		a, b := viridisAnchors[k], viridisAnchors[k+1]
		mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
		out[i] = color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
	}
	return out
}

func gray(y uint8) color.Color { return color.RGBA{R: y, G: y, B: y, A: 0xff} }

// withAlpha returns c at opacity a (0–255), premultiplied as color.RGBA
// requires.
func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	f := float64(a) / 255
	return color.RGBA{R: uint8(float64(r>>8) * f), G: uint8(float64(g>>8) * f), B: uint8(float64(b>>8) * f), A: a}
}

// luminance returns the relative luminance of c in [0, 1] (sRGB weights,
// without linearisation: enough to choose black or white text on it).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// sans is the typeface of every text (Liberation Sans, embedded in gonum's
// plot module, so rendering needs no system fonts).
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Font sizes.
const (
	titleSize = 13
	labelSize = 11
	tickSize  = 9
	noteSize  = 9
)

// textStyle returns a plot text style in the sans typeface.
func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, size), Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot with the package's fonts, title and axis labels,
// and a light background grid.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = 8
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, labelSize)
		ax.Tick.Label.Font = font.From(sans, tickSize)
		ax.Padding = 2
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = font.From(sans, 10)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = 18
	p.X.Tick.Marker = plot.TickerFunc(niceTicks)
	p.Y.Tick.Marker = plot.TickerFunc(niceTicks)
	return p
}

// addGrid adds light grid lines (major ticks only) behind the data.
func addGrid(p *plot.Plot, vertical, horizontal bool) {
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = colGrid, colGrid
	g.Vertical.Width, g.Horizontal.Width = 0.6, 0.6
	if !vertical {
		g.Vertical.Color = nil
	}
	if !horizontal {
		g.Horizontal.Color = nil
	}
	p.Add(g)
}

// lineStyle returns a solid (dash == 0) or dashed line style.
func lineStyle(c color.Color, width vg.Length, dash vg.Length) draw.LineStyle {
	s := draw.LineStyle{Color: c, Width: width}
	if dash > 0 {
		s.Dashes = []vg.Length{dash, dash * 0.6}
	}
	return s
}

// vLine is a vertical line at X from the bottom of the data area up to Y
// value YMax, or to the top when YMax is 0 (no effect on the axis range).
type vLine struct {
	X     float64
	Style draw.LineStyle
	YMax  float64
}

func (l vLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x := trX(l.X)
	if x < c.Min.X || x > c.Max.X {
		return
	}
	top := c.Max.Y
	if l.YMax != 0 {
		top = min(top, trY(l.YMax))
	}
	c.StrokeLine2(l.Style, x, c.Min.Y, x, top)
}

// hLine is a horizontal line across the whole data area at Y.
type hLine struct {
	Y     float64
	Style draw.LineStyle
}

func (l hLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(l.Y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	c.StrokeLine2(l.Style, c.Min.X, y, c.Max.X, y)
}

// note is a text placed at a position of the data area given either in data
// coordinates (X, Y) or, for a coordinate that is NaN, at the fraction
// (FX, FY) of the area's width or height.
type note struct {
	X, Y   float64
	FX, FY float64
	Text   string
	Style  text.Style
	// Background, if not nil, fills the text's box first, so the text
	// stays readable over data.
	Background color.Color
}

func (n note) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x := c.Min.X + vg.Length(n.FX)*(c.Max.X-c.Min.X)
	if !math.IsNaN(n.X) {
		x = trX(n.X)
	}
	y := c.Min.Y + vg.Length(n.FY)*(c.Max.Y-c.Min.Y)
	if !math.IsNaN(n.Y) {
		y = trY(n.Y)
	}
	pt := vg.Point{X: x, Y: y}
	if n.Background != nil {
		r := n.Style.Rectangle(n.Text)
		const pad = 2
		c.FillPolygon(n.Background, []vg.Point{
			{X: pt.X + r.Min.X - pad, Y: pt.Y + r.Min.Y - pad}, {X: pt.X + r.Max.X + pad, Y: pt.Y + r.Min.Y - pad},
			{X: pt.X + r.Max.X + pad, Y: pt.Y + r.Max.Y + pad}, {X: pt.X + r.Min.X - pad, Y: pt.Y + r.Max.Y + pad},
		})
	}
	c.FillText(n.Style, pt, n.Text)
}

// fracNote returns a note at fractions (fx, fy) of the data area, aligned by
// xa and ya.
func fracNote(fx, fy float64, s string, xa text.XAlignment, ya text.YAlignment, col color.Color) note {
	st := textStyle(noteSize, col)
	st.XAlign, st.YAlign = xa, ya
	return note{X: math.NaN(), Y: math.NaN(), FX: fx, FY: fy, Text: s, Style: st}
}

// legendSwatch is a filled square for legend entries of coloured classes.
type legendSwatch struct{ Color color.Color }

func (s legendSwatch) Thumbnail(c *draw.Canvas) {
	h := c.Max.Y - c.Min.Y
	x0 := c.Min.X + (c.Max.X-c.Min.X-h)/2
	c.FillPolygon(s.Color, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x0 + h, Y: c.Min.Y}, {X: x0 + h, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// integerTicks marks whole numbers only (counts of purchases, periods),
// at a step of 1, 2, 5, 10, … chosen for about eight labels.
func integerTicks(min, max float64) []plot.Tick {
	if !(max >= min) {
		return nil
	}
	lo, hi := math.Ceil(min), math.Floor(max)
	step := 1.0
	for _, s := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000} {
		step = s
		if (hi-lo)/s <= 10 {
			break
		}
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi && len(ts) < 200; v += step {
		if v == 0 {
			v = 0 // not -0
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return ts
}

// niceTicks marks about eight round values (steps of 1, 2, 2.5 or 5 times a
// power of ten) between min and max, with unlabelled minor ticks halfway;
// an axis reaching 10,000 is labelled compactly (5k, 12k, 1.5M).
func niceTicks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / 8
	e := math.Floor(math.Log10(raw))
	mag := math.Pow(10, e)
	step, m := 10*mag, 10.0
	for _, c := range []float64{1, 2, 2.5, 5} {
		if c*mag >= raw {
			step, m = c*mag, c
			break
		}
	}
	// Decimals: none from 1 up; 2.5·10^e needs one more than 10^e.
	dec := max0(-int(e))
	switch m {
	case 2.5:
		dec = max0(1 - int(e))
	case 10:
		dec = max0(-int(e) - 1)
	}
	eps := step * 1e-9
	compact := math.Max(math.Abs(min), math.Abs(max)) >= 1e4
	var ts []plot.Tick
	for i := math.Ceil((min - eps) / step); ; i++ {
		v := i * step
		if v > max+eps || len(ts) > 100 {
			break
		}
		if v == 0 {
			v = 0 // not -0
		}
		label := strconv.FormatFloat(v, 'f', dec, 64)
		if compact {
			label = formatCompact(v)
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
		if h := v + step/2; h <= max {
			ts = append(ts, plot.Tick{Value: h})
		}
	}
	if h := math.Ceil((min-eps)/step)*step - step/2; h >= min {
		ts = append(ts, plot.Tick{Value: h})
	}
	return ts
}

func max0(i int) int { return max(i, 0) }

// percentTicks relabels the round ticks of a 0–1 axis as percentages.
func percentTicks(min, max float64) []plot.Tick {
	ts := niceTicks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = formatPercent(ts[i].Value)
		}
	}
	return ts
}

// formatPercent formats a share as a percentage with up to one decimal.
func formatPercent(v float64) string {
	p := 100 * v
	if math.Abs(p-math.Round(p)) < 1e-9 {
		return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// formatCompact formats a number with a k/M/G suffix: 1500 → "1.5k".
func formatCompact(v float64) string {
	a := math.Abs(v)
	suffix := ""
	switch {
	case a >= 1e9:
		v, suffix = v/1e9, "G"
	case a >= 1e6:
		v, suffix = v/1e6, "M"
	case a >= 1e3:
		v, suffix = v/1e3, "k"
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	if a < 1 && a > 0 && suffix == "" {
		s = strconv.FormatFloat(v, 'g', 2, 64)
	}
	return s + suffix
}

// logTicks marks powers of ten (labelled 1, 10, 100, 1k, …) with unlabelled
// minor ticks at 2–9 times them; for a range within three decades it labels 2
// and 5 as well. min and max must be positive.
func logTicks(min, max float64) []plot.Tick {
	if !(min > 0 && max >= min) || math.IsInf(max, 0) {
		return nil
	}
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	few := math.Log10(max/min) <= 3.5
	var ts []plot.Tick
	for e := lo; e <= hi && len(ts) < 400; e++ {
		base := math.Pow(10, e)
		for k := 1; k <= 9; k++ {
			v := base * float64(k)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if k == 1 || (few && (k == 2 || k == 5)) {
				t.Label = formatCompact(v)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// unitLabel returns the time unit to show in labels: u, or "period" when u
// is empty.
func unitLabel(u string) string {
	if u == "" {
		return "period"
	}
	return u
}

// plural appends "s" to a unit name for amounts other than one.
func plural(u string, v float64) string {
	if v == 1 {
		return u
	}
	return u + "s"
}

// formatNum formats a number with at most prec decimals, trailing zeros
// removed.
func formatNum(v float64, prec int) string {
	return strconv.FormatFloat(math.Round(v*math.Pow10(prec))/math.Pow10(prec), 'f', -1, 64)
}
