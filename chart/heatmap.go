package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/valuekit/valuekit/clv"
)

// cells draws a heat map: cell (row r, column k) spans
// [XEdges[k], XEdges[k+1]] × [YEdges[r], YEdges[r+1]] and is coloured by
// Z[r][k] on the scale Min–Max, values outside it taking the end colours.
// A NaN cell is not drawn; a +Inf cell takes the colour Over (a cell
// outside the scale's meaning, such as age 0 of a retention matrix).
// Labels, if not nil, are written in the cells in black or white, whichever
// reads better.
type cells struct {
	XEdges, YEdges []float64
	Z              [][]float64
	Colors         []color.Color
	Min, Max       float64
	Over           color.Color
	Labels         [][]string
	LabelStyle     text.Style
}

func (h *cells) color(v float64) color.Color {
	if math.IsInf(v, 1) && h.Over != nil {
		return h.Over
	}
	t := 0.0
	if h.Max > h.Min {
		t = (v - h.Min) / (h.Max - h.Min)
	}
	t = math.Max(0, math.Min(1, t))
	return h.Colors[int(t*float64(len(h.Colors)-1)+0.5)]
}

// DataRange implements plot.DataRanger.
func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return h.XEdges[0], h.XEdges[len(h.XEdges)-1], h.YEdges[0], h.YEdges[len(h.YEdges)-1]
}

// Plot implements plot.Plotter.
func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	// Cells overlap their inner neighbours by a hair so that antialiased
	// edges leave no light seams; the outer edges of the grid stay exact.
	const hair = vg.Length(0.6)
	grow := func(a, b vg.Length, lo, hi bool) (vg.Length, vg.Length) {
		d := hair
		if b < a {
			d = -hair
		}
		if lo {
			a -= d
		}
		if hi {
			b += d
		}
		return a, b
	}
	lab := h.labelStyle(c, p)
	for r, row := range h.Z {
		y0, y1 := grow(trY(h.YEdges[r]), trY(h.YEdges[r+1]), r > 0, r < len(h.Z)-1)
		for k, v := range row {
			if math.IsNaN(v) {
				continue
			}
			x0, x1 := grow(trX(h.XEdges[k]), trX(h.XEdges[k+1]), k > 0, k < len(h.XEdges)-2)
			col := h.color(v)
			c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			if lab != nil && h.Labels[r][k] != "" {
				st := *lab
				st.Color = color.White
				if luminance(col) > 0.5 {
					st.Color = color.Black
				}
				st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
				c.FillText(st, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, h.Labels[r][k])
			}
		}
	}
}

// labelStyle returns the style in which every label fits its cell: the
// LabelStyle, set smaller (down to minFontSize) if the widest label does
// not fit the narrowest cell; nil (no labels) when even that is too big, so
// that a matrix is labelled throughout or not at all.
func (h *cells) labelStyle(c draw.Canvas, p *plot.Plot) *text.Style {
	if h.Labels == nil {
		return nil
	}
	trX, trY := p.Transforms(&c)
	cellW, cellH := vg.Length(math.Inf(1)), vg.Length(math.Inf(1))
	for k := 0; k+1 < len(h.XEdges); k++ {
		cellW = min(cellW, abs(trX(h.XEdges[k+1])-trX(h.XEdges[k])))
	}
	for r := 0; r+1 < len(h.YEdges); r++ {
		cellH = min(cellH, abs(trY(h.YEdges[r+1])-trY(h.YEdges[r])))
	}
	st := h.LabelStyle
	for {
		var w, ht vg.Length
		for _, row := range h.Labels {
			for _, l := range row {
				if l != "" {
					w, ht = max(w, st.Width(l)), max(ht, st.Height(l))
				}
			}
		}
		if w+2 <= cellW && ht <= cellH {
			return &st
		}
		if st.Font.Size <= minFontSize {
			return nil
		}
		st.Font.Size = max(minFontSize, st.Font.Size*0.9)
	}
}

func abs[T ~float64 | ~int](v T) T { return max(v, -v) }

// colorScale is the legend of a heat map: a vertical bar of the map's
// colours from Min (bottom) to Max (top) to the right of the data area, with
// ticks, tick labels and a rotated label. It reserves its room through
// GlyphBoxes, so the data area shrinks to make space for it.
type colorScale struct {
	Colors   []color.Color
	Min, Max float64
	Label    string
	// Ticker marks the scale; nil means the default ticks.
	Ticker plot.Ticker
}

const (
	scaleGap   = vg.Length(10) // between the data area and the bar
	scaleBar   = vg.Length(12) // bar width
	scaleTick  = vg.Length(3)  // tick length
	scaleSpace = vg.Length(3)  // between ticks, labels and the title
)

func (s *colorScale) ticks() []plot.Tick {
	t := s.Ticker
	if t == nil {
		t = plot.TickerFunc(niceTicks)
	}
	var out []plot.Tick
	for _, tk := range t.Ticks(s.Min, s.Max) {
		if tk.Label != "" && tk.Value >= s.Min-1e-9*math.Abs(s.Max-s.Min) && tk.Value <= s.Max+1e-9*math.Abs(s.Max-s.Min) {
			out = append(out, tk)
		}
	}
	return out
}

func (s *colorScale) width() vg.Length {
	tick := textStyle(tickSize, color.Black)
	var w vg.Length
	for _, tk := range s.ticks() {
		w = max(w, tick.Width(tk.Label))
	}
	lab := textStyle(labelSize, color.Black)
	return scaleGap + scaleBar + scaleTick + scaleSpace + w + 2*scaleSpace + lab.Height(s.Label)
}

// GlyphBoxes implements plot.GlyphBoxer: one box at the right edge of the
// data area as wide as the scale.
func (s *colorScale) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: s.width()}}}}
}

// Plot implements plot.Plotter; it draws outside the data area, in the room
// GlyphBoxes reserved.
func (s *colorScale) Plot(c draw.Canvas, _ *plot.Plot) {
	x0 := c.Max.X + scaleGap
	x1 := x0 + scaleBar
	h := c.Max.Y - c.Min.Y
	n := len(s.Colors)
	for i, col := range s.Colors {
		y0 := c.Min.Y + h*vg.Length(i)/vg.Length(n)
		y1 := c.Min.Y + h*vg.Length(i+1)/vg.Length(n) + 0.3
		c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
	frame := lineStyle(gray(0x80), 0.5, 0)
	c.StrokeLines(frame, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}, {X: x0, Y: c.Min.Y}})
	tick := textStyle(tickSize, color.Black)
	tick.XAlign, tick.YAlign = draw.XLeft, draw.YCenter
	var w vg.Length
	for _, tk := range s.ticks() {
		f := 0.0
		if s.Max > s.Min {
			f = (tk.Value - s.Min) / (s.Max - s.Min)
		}
		y := c.Min.Y + vg.Length(f)*h
		c.StrokeLine2(frame, x1, y, x1+scaleTick, y)
		c.FillText(tick, vg.Point{X: x1 + scaleTick + scaleSpace, Y: y}, tk.Label)
		w = max(w, tick.Width(tk.Label))
	}
	lab := textStyle(labelSize, color.Black)
	for lab.Width(s.Label) > h && lab.Font.Size > minFontSize {
		lab.Font.Size = max(minFontSize, lab.Font.Size*0.9)
	}
	lab.Rotation = math.Pi / 2
	lab.XAlign, lab.YAlign = draw.XCenter, draw.YTop
	c.FillText(lab, vg.Point{X: x1 + scaleTick + scaleSpace + w + 2*scaleSpace, Y: c.Min.Y + h/2}, s.Label)
}

// FrequencyRecency describes the frequency × recency heat maps of a
// transaction model: one cell per calibration history (x, t_x) of customers
// of one age T.
type FrequencyRecency struct {
	// Model is a fitted or constructed transaction model (*clv.BGNBD,
	// *clv.ParetoNBD, *clv.MBGNBD, *clv.BGBB).
	Model clv.TransactionModel
	// T is the customers' age: the time from their first purchase to the
	// end of calibration, in the model's time unit (periods for BG/BB).
	// Must be > 0.
	T float64
	// Horizon is the length of the future period of the expected purchases
	// heat map, in the model's time unit; must be > 0 there. The P(alive)
	// map ignores it.
	Horizon float64
	// MaxFrequency is the largest number of repeat purchases x shown (rows
	// 0..MaxFrequency). Default 20; at most 1000.
	MaxFrequency int
	// Columns is the number of recency columns, t_x = j·T/(Columns−1) for
	// j = 0..Columns−1. Default 40 for continuous-time models; for BG/BB
	// use T+1 so that recency runs over the whole periods 0..T. At least 2,
	// at most 1000.
	Columns int
	// Unit names the time unit in labels ("week"); default "period".
	Unit string
	// Title replaces the default title.
	Title string
}

func (in *FrequencyRecency) check(name string, needHorizon bool) error {
	if in.Model == nil {
		return fmt.Errorf("%w: %s: no model", ErrInput, name)
	}
	if !(in.T > 0) || math.IsInf(in.T, 0) {
		return fmt.Errorf("%w: %s: customer age T = %v, want a finite value > 0", ErrInput, name, in.T)
	}
	if needHorizon && (!(in.Horizon > 0) || math.IsInf(in.Horizon, 0)) {
		return fmt.Errorf("%w: %s: horizon %v, want a finite value > 0", ErrInput, name, in.Horizon)
	}
	if in.MaxFrequency == 0 {
		in.MaxFrequency = 20
	}
	if in.MaxFrequency < 1 || in.MaxFrequency > 1000 {
		return fmt.Errorf("%w: %s: max frequency %d, want 1 to 1000", ErrInput, name, in.MaxFrequency)
	}
	if in.Columns == 0 {
		in.Columns = 40
	}
	if in.Columns < 2 || in.Columns > 1000 {
		return fmt.Errorf("%w: %s: %d recency columns, want 2 to 1000", ErrInput, name, in.Columns)
	}
	return nil
}

// PAliveHeatMap draws P(alive) of customers of age T by their frequency x
// (repeat purchases, rows) and recency t_x (time of the last purchase,
// columns), on a fixed 0–100% scale: the chart of Fader, Hardie & Lee (2005)
// that shows how a long silence after frequent buying is the strongest sign
// of a lost customer.
func PAliveHeatMap(in FrequencyRecency) (*Chart, error) {
	if err := in.check("P(alive) heat map", false); err != nil {
		return nil, err
	}
	u := unitLabel(in.Unit)
	title := in.Title
	if title == "" {
		title = fmt.Sprintf("P(alive) by frequency and recency (%s, customer age T = %s %s)",
			modelName(in.Model), formatNum(in.T, 1), plural(u, in.T))
	}
	z, err := frGrid(in, func(c clv.Customer) float64 { return in.Model.ProbAlive(c) })
	if err != nil {
		return nil, err
	}
	return frChart(in, z, title, 0, 1, "P(alive)", percentTicks)
}

// ExpectedPurchasesHeatMap draws the expected number of purchases in the
// next Horizon of customers of age T by their frequency x and recency t_x,
// on a scale from 0 to the largest cell.
func ExpectedPurchasesHeatMap(in FrequencyRecency) (*Chart, error) {
	if err := in.check("expected purchases heat map", true); err != nil {
		return nil, err
	}
	u := unitLabel(in.Unit)
	title := in.Title
	if title == "" {
		title = fmt.Sprintf("Expected purchases in the next %s %s by frequency and recency (%s, T = %s %s)",
			formatNum(in.Horizon, 1), plural(u, in.Horizon), modelName(in.Model), formatNum(in.T, 1), plural(u, in.T))
	}
	z, err := frGrid(in, func(c clv.Customer) float64 { return in.Model.ConditionalExpectedPurchases(in.Horizon, c) })
	if err != nil {
		return nil, err
	}
	hi := 0.0
	for _, row := range z {
		for _, v := range row {
			if v > hi {
				hi = v
			}
		}
	}
	if hi == 0 {
		hi = 1
	}
	return frChart(in, z, title, 0, hi, fmt.Sprintf("expected purchases in %s %s", formatNum(in.Horizon, 1), plural(u, in.Horizon)), nil)
}

// frGrid evaluates f on the frequency × recency grid; z[x][j].
func frGrid(in FrequencyRecency, f func(clv.Customer) float64) ([][]float64, error) {
	z := make([][]float64, in.MaxFrequency+1)
	finite := 0
	for x := range z {
		z[x] = make([]float64, in.Columns)
		for j := range z[x] {
			tx := in.T * float64(j) / float64(in.Columns-1)
			v := f(clv.Customer{Frequency: float64(x), Recency: tx, T: in.T})
			if math.IsInf(v, 0) {
				v = math.NaN()
			}
			if !math.IsNaN(v) {
				finite++
			}
			z[x][j] = v
		}
	}
	if finite == 0 {
		return nil, fmt.Errorf("%w: the model gives no finite value on the grid (T = %v)", ErrInput, in.T)
	}
	return z, nil
}

// frChart draws a frequency × recency grid z with a colour scale lo–hi.
func frChart(in FrequencyRecency, z [][]float64, title string, lo, hi float64, scale string, ticks plot.TickerFunc) (*Chart, error) {
	u := unitLabel(in.Unit)
	step := in.T / float64(in.Columns-1)
	xe := make([]float64, in.Columns+1)
	for j := range xe {
		xe[j] = (float64(j) - 0.5) * step
	}
	ye := make([]float64, in.MaxFrequency+2)
	for x := range ye {
		ye[x] = float64(x) - 0.5
	}
	p := newPlot(title, fmt.Sprintf("recency t_x: time of the last purchase after the first (%ss)", u),
		"frequency x (repeat purchases)")
	pal := Viridis(256)
	p.Add(&cells{XEdges: xe, YEdges: ye, Z: z, Colors: pal, Min: lo, Max: hi})
	cs := &colorScale{Colors: pal, Min: lo, Max: hi, Label: scale}
	if ticks != nil {
		cs.Ticker = ticks
	}
	p.Add(cs)
	p.Y.Tick.Marker = plot.TickerFunc(integerTicks)
	p.X.Min, p.X.Max = xe[0], xe[len(xe)-1]
	p.Y.Min, p.Y.Max = ye[0], ye[len(ye)-1]
	p.X.Padding, p.Y.Padding = 0, 0
	return single(p), nil
}

// modelName returns the literature's name of a model ("BG/NBD").
func modelName(m clv.Model) string {
	switch n := m.Name(); n {
	case clv.NameBGNBD:
		return "BG/NBD"
	case clv.NameParetoNBD:
		return "Pareto/NBD"
	case clv.NameMBGNBD:
		return "MBG/NBD"
	case clv.NameBGBB:
		return "BG/BB"
	default:
		return n
	}
}
