package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/valuekit/valuekit/internal/atomicfile"
)

// Sentinel errors; every error returned by the package wraps one of them
// (test with errors.Is).
var (
	// ErrInput reports input a chart cannot be drawn from: empty or
	// mismatched slices, NaN or infinite values, a nil model, an option out
	// of range. The message names the chart and the field.
	ErrInput = errors.New("chart: bad input")
	// ErrFormat reports an output format other than PNG and SVG, or a size
	// out of range.
	ErrFormat = errors.New("chart: bad output format")
	// ErrRender reports a failure inside the drawing library while
	// rendering (recovered, never a panic of the caller).
	ErrRender = errors.New("chart: rendering failed")
)

// Format is an output format.
type Format string

// The output formats.
const (
	PNG Format = "png" // raster, DPI dots per inch
	SVG Format = "svg" // vector, text kept as text
)

// DPI is the resolution of PNG output: a chart W points wide is
// W/72·96 pixels wide (vg.Inch is 72 points).
const DPI = vgimg.DefaultDPI

// Default and largest sizes: a zero width or height passed to Render or
// Save means the default; larger than MaxSize is an error.
const (
	DefaultWidth  = 8 * vg.Inch // 768 pixels in a PNG
	DefaultHeight = 5 * vg.Inch // 480 pixels in a PNG
	MaxSize       = 40 * vg.Inch
)

// ParseFormat returns the format named s ("png" or "svg", any case, with or
// without a leading dot, so a file extension works).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "png":
		return PNG, nil
	case "svg":
		return SVG, nil
	}
	return "", fmt.Errorf("%w: %q (want png or svg)", ErrFormat, s)
}

// Chart is a figure of one or more plots. Most charts are one plot; the
// tracking chart stacks its cumulative and incremental panels.
//
// The plots are ordinary gonum plots: change titles, axis ranges or legends
// on them before rendering, or add plotters of your own.
type Chart struct {
	// Panels are the plots, drawn in equal parts of the canvas.
	Panels []*plot.Plot
	// Vertical stacks the panels from top to bottom; otherwise they are
	// placed from left to right.
	Vertical bool
}

// single returns a chart of one plot.
func single(p *plot.Plot) *Chart { return &Chart{Panels: []*plot.Plot{p}} }

// Draw draws the chart on dc, dividing it equally among the panels with a
// small margin around each. Use it to place a chart on a canvas of your
// own; Render and Save call it.
func (c *Chart) Draw(dc draw.Canvas) {
	n := len(c.Panels)
	if n == 0 {
		return
	}
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	dc = draw.Crop(dc, margin, -margin, margin, -margin)
	for i, p := range c.Panels {
		sub := dc
		if c.Vertical {
			h := (dc.Max.Y - dc.Min.Y) / vg.Length(n)
			sub.Max.Y = dc.Max.Y - vg.Length(i)*h
			sub.Min.Y = sub.Max.Y - h
			if i > 0 {
				sub.Max.Y -= panelGap
			}
		} else {
			w := (dc.Max.X - dc.Min.X) / vg.Length(n)
			sub.Min.X = dc.Min.X + vg.Length(i)*w
			sub.Max.X = sub.Min.X + w
			if i > 0 {
				sub.Min.X += panelGap
			}
		}
		fitted(p, sub).Draw(sub)
	}
}

// fitted returns p, or a shallow copy of it whose title and axis labels
// are wrapped onto two lines or set smaller where they would not fit the
// canvas: gonum neither wraps nor shrinks text, and a Y label longer than
// the panel is tall squeezes the data area to nothing. p is not changed.
func fitted(p *plot.Plot, c draw.Canvas) *plot.Plot {
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	q := *p
	changed := false
	fit := func(txt *string, sty *text.Style, room vg.Length) {
		if *txt == "" || sty.Handler == nil || sty.Width(*txt) <= room {
			return
		}
		changed = true
		if !strings.Contains(*txt, "\n") {
			if two, ok := wrap(*txt); ok {
				*txt = two
			}
		}
		for sty.Width(*txt) > room && sty.Font.Size > minFontSize {
			sty.Font.Size = max(minFontSize, sty.Font.Size*0.9)
		}
	}
	fit(&q.Title.Text, &q.Title.TextStyle, w*0.98)
	title := vg.Length(0)
	if q.Title.Text != "" {
		title = q.Title.TextStyle.Height(q.Title.Text) + q.Title.Padding
	}
	fit(&q.X.Label.Text, &q.X.Label.TextStyle, w*0.8)
	fit(&q.Y.Label.Text, &q.Y.Label.TextStyle, (h-title)*0.75)
	// A legend wider than half the panel covers the data: set it smaller.
	if r := q.Legend.Rectangle(c); r.Max.X-r.Min.X > w/2 && q.Legend.TextStyle.Handler != nil {
		for q.Legend.TextStyle.Font.Size > minFontSize {
			q.Legend.TextStyle.Font.Size = max(minFontSize, q.Legend.TextStyle.Font.Size*0.9)
			if r := q.Legend.Rectangle(c); r.Max.X-r.Min.X <= w/2 {
				break
			}
		}
		changed = true
	}
	if !changed {
		return p
	}
	return &q
}

// minFontSize is the smallest size fitted text is set in.
const minFontSize = 6

// wrap splits s into two lines at the space nearest its middle.
func wrap(s string) (string, bool) {
	best := -1
	for i, r := range s {
		if r == ' ' && (best < 0 || abs(i-len(s)/2) < abs(best-len(s)/2)) {
			best = i
		}
	}
	if best < 0 {
		return s, false
	}
	return s[:best] + "\n" + s[best+1:], true
}

// Spacing around the chart and between its panels.
const (
	margin   = vg.Length(6)
	panelGap = vg.Length(12)
)

// Render draws the chart in format f at width × height (zero means
// DefaultWidth or DefaultHeight) and writes it to w. SVG keeps text as
// text in Liberation Sans, falling back to Arial or Helvetica (the same
// metrics), so labels fit where the viewer lacks Liberation.
//
// A panic inside the drawing library is recovered and returned as an error
// wrapping ErrRender.
func (c *Chart) Render(w io.Writer, f Format, width, height vg.Length) (err error) {
	if c == nil || len(c.Panels) == 0 {
		return fmt.Errorf("%w: chart has no panels", ErrInput)
	}
	for i, p := range c.Panels {
		if p == nil {
			return fmt.Errorf("%w: panel %d is nil", ErrInput, i)
		}
	}
	width, height, err = size(width, height)
	if err != nil {
		return err
	}
	var cv vg.CanvasWriterTo
	switch f {
	case PNG:
		cv = vgimg.PngCanvas{Canvas: vgimg.New(width, height)}
	case SVG:
		cv = vgsvg.New(width, height)
	default:
		return fmt.Errorf("%w: %q (want png or svg)", ErrFormat, f)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrRender, r)
		}
	}()
	c.Draw(draw.New(cv))
	if f == SVG {
		// The layout was measured with Liberation Sans; Arial and Helvetica
		// have the same metrics, so a viewer without Liberation keeps it.
		var buf bytes.Buffer
		if _, err := cv.WriteTo(&buf); err != nil {
			return fmt.Errorf("chart: writing %s: %w", f, err)
		}
		_, err := w.Write(bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), []byte(svgFonts)))
		if err != nil {
			return fmt.Errorf("chart: writing %s: %w", f, err)
		}
		return nil
	}
	if _, err := cv.WriteTo(w); err != nil {
		return fmt.Errorf("chart: writing %s: %w", f, err)
	}
	return nil
}

// svgFonts is the font list of SVG text: Liberation Sans, then the fonts
// metrically compatible with it.
const svgFonts = "font-family:Liberation Sans,Arial,Helvetica,sans-serif;"

// Save renders the chart to the file path in the format of its extension
// (.png or .svg). The file is written to a temporary file and renamed, so
// it is never seen half-written.
func (c *Chart) Save(path string, width, height vg.Length) error {
	f, err := ParseFormat(filepath.Ext(path))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return c.Render(w, f, width, height) })
}

// size applies the defaults and checks the range of a chart size.
func size(w, h vg.Length) (vg.Length, vg.Length, error) {
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	for _, l := range []vg.Length{w, h} {
		if !(l >= vg.Inch && l <= MaxSize) || math.IsNaN(float64(l)) {
			return 0, 0, fmt.Errorf("%w: size %.4g × %.4g points, want each 1 to 40 inches (72 to 2880 points)", ErrFormat, w.Points(), h.Points())
		}
	}
	return w, h, nil
}
