package chart

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/valuekit/valuekit/clv"
)

// checkColumn reports an error unless v has n values (n < 0: any number
// but zero), all finite and, with nonNeg, not negative.
func checkColumn(chart, name string, v []float64, n int, nonNeg bool) error {
	if n < 0 && len(v) == 0 {
		return fmt.Errorf("%w: %s: %s is empty", ErrInput, chart, name)
	}
	if n >= 0 && len(v) != n {
		return fmt.Errorf("%w: %s: %s has %d values, want %d", ErrInput, chart, name, len(v), n)
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %s: %s[%d] = %v is not finite", ErrInput, chart, name, i, x)
		}
		if nonNeg && x < 0 {
			return fmt.Errorf("%w: %s: %s[%d] = %v is negative", ErrInput, chart, name, i, x)
		}
	}
	return nil
}

// seriesName returns name, or def when name is empty.
func seriesName(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

// HoldoutData are per-customer calibration frequencies with actual and
// predicted purchases in a holdout period, for CalibrationHoldout. The
// three slices describe the same customers in the same order.
type HoldoutData struct {
	// Frequency is each customer's number of repeat purchases x in the
	// calibration period (a whole number >= 0).
	Frequency []float64
	// Actual is each customer's number of purchases in the holdout period.
	Actual []float64
	// Predicted is the model's expected number of purchases of each
	// customer in the holdout period (ConditionalExpectedPurchases over
	// the holdout length).
	Predicted []float64
	// MaxFrequency is the first frequency grouped with all higher ones
	// ("7+"). Default 7; at most 100.
	MaxFrequency int
	// Period describes the holdout period in labels ("39 weeks"); default
	// "holdout period".
	Period string
	// Model names the predictions in the legend; default "model".
	Model string
	// Title replaces the default title.
	Title string
}

// CalibrationHoldout draws the conditional-expectation check of Fader,
// Hardie & Lee (2005, Figure 4): the mean number of purchases in the
// holdout period of the customers with 0, 1, …, MaxFrequency+ repeat
// purchases in calibration, actual next to predicted. The number of
// customers in each group is printed under its label.
func CalibrationHoldout(in HoldoutData) (*Chart, error) {
	const name = "calibration vs holdout"
	n := len(in.Frequency)
	if n == 0 {
		return nil, fmt.Errorf("%w: %s: no customers", ErrInput, name)
	}
	if err := checkColumn(name, "frequency", in.Frequency, n, true); err != nil {
		return nil, err
	}
	if err := checkColumn(name, "actual", in.Actual, n, true); err != nil {
		return nil, err
	}
	if err := checkColumn(name, "predicted", in.Predicted, n, true); err != nil {
		return nil, err
	}
	k := in.MaxFrequency
	if k == 0 {
		k = 7
	}
	if k < 1 || k > 100 {
		return nil, fmt.Errorf("%w: %s: max frequency %d, want 1 to 100", ErrInput, name, in.MaxFrequency)
	}
	count, act, pred := holdoutGroups(in.Frequency, in.Actual, in.Predicted, k)
	var actXY, predXY plotter.XYs
	labels := make([]plot.Tick, k+1)
	for g := range count {
		lab := strconv.Itoa(g)
		if g == k {
			lab += "+"
		}
		labels[g] = plot.Tick{Value: float64(g), Label: lab + "\nn=" + strconv.Itoa(int(count[g]))}
		if count[g] == 0 {
			continue
		}
		actXY = append(actXY, plotter.XY{X: float64(g), Y: act[g]})
		predXY = append(predXY, plotter.XY{X: float64(g), Y: pred[g]})
	}
	period := seriesName(in.Period, "holdout period")
	title := in.Title
	if title == "" {
		title = "Purchases in the holdout period by calibration frequency"
	}
	p := newPlot(title, "repeat purchases in the calibration period (customers in the group)",
		"mean purchases per customer in "+period)
	addGrid(p, false, true)
	la, sa, err := plotter.NewLinePoints(actXY)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	la.Color, sa.Color, sa.Shape, sa.Radius = colActual, colActual, draw.CircleGlyph{}, 3
	la.Width = 1.5
	lp, sp, err := plotter.NewLinePoints(predXY)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	lp.LineStyle = lineStyle(colModel, 1.5, 5)
	sp.Color, sp.Shape, sp.Radius = colModel, draw.TriangleGlyph{}, 3
	p.Add(la, sa, lp, sp)
	p.Legend.Add("actual", la, sa)
	p.Legend.Add(seriesName(in.Model, "model"), lp, sp)
	p.Legend.Left = true
	p.X.Tick.Marker = plot.ConstantTicks(labels)
	p.X.Min, p.X.Max = -0.3, float64(k)+0.3
	p.Y.Min = 0
	p.Y.Max = headroom(math.Max(maxOf(ys(actXY)), maxOf(ys(predXY))))
	return single(p), nil
}

// holdoutGroups groups customers by calibration frequency 0, 1, …, k−1
// and k or more, and returns the customers in each group and their mean
// actual and predicted holdout purchases (0 for an empty group).
func holdoutGroups(freq, actual, predicted []float64, k int) (count, meanActual, meanPredicted []float64) {
	count = make([]float64, k+1)
	meanActual = make([]float64, k+1)
	meanPredicted = make([]float64, k+1)
	for i, x := range freq {
		g := int(math.Min(math.Floor(x), float64(k)))
		count[g]++
		meanActual[g] += actual[i]
		meanPredicted[g] += predicted[i]
	}
	for g, c := range count {
		if c > 0 {
			meanActual[g] /= c
			meanPredicted[g] /= c
		}
	}
	return count, meanActual, meanPredicted
}

// RepeatData is the calibration histogram of repeat purchases: the
// expected and observed numbers of customers with 0, 1, …, K−1 repeat
// purchases, and with K or more in the last bin (K = len−1), as returned by
// clv.ExpectedRepeatHistogram.
type RepeatData struct {
	Expected, Observed []float64
	// Model names the expected counts in the legend; default "model".
	Model string
	// Title replaces the default title.
	Title string
}

// NewRepeatData computes the histogram of d's repeat purchases against the
// model's P(X(T_i) = k) for k = 0..maxK−1 and maxK or more (see
// clv.ExpectedRepeatHistogram), naming the model in the legend.
func NewRepeatData(m clv.TransactionModel, d clv.Data, maxK int) (RepeatData, error) {
	if m == nil {
		return RepeatData{}, fmt.Errorf("%w: repeat purchases: no model", ErrInput)
	}
	exp, obs, err := clv.ExpectedRepeatHistogram(m, d, maxK)
	if err != nil {
		return RepeatData{}, fmt.Errorf("%w: repeat purchases: %w", ErrInput, err)
	}
	return RepeatData{Expected: exp, Observed: obs, Model: modelName(m)}, nil
}

// RepeatPurchases draws the number of customers by repeat purchases in the
// calibration period, observed next to the model's expectation: the
// in-sample fit check of Fader, Hardie & Lee (2005, Figure 2).
func RepeatPurchases(in RepeatData) (*Chart, error) {
	const name = "repeat purchases"
	n := len(in.Observed)
	if n < 2 {
		return nil, fmt.Errorf("%w: %s: %d bins, want at least 2", ErrInput, name, n)
	}
	if err := checkColumn(name, "observed", in.Observed, n, true); err != nil {
		return nil, err
	}
	if err := checkColumn(name, "expected", in.Expected, n, true); err != nil {
		return nil, err
	}
	names := make([]string, n)
	for k := range names {
		names[k] = strconv.Itoa(k)
	}
	names[n-1] += "+"
	title := in.Title
	if title == "" {
		title = "Customers by number of repeat purchases in the calibration period"
	}
	p := newPlot(title, "repeat purchases in the calibration period", "customers")
	addGrid(p, false, true)
	obs, err := plotter.NewBarChart(plotter.Values(in.Observed), 1)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	obs.Color, obs.LineStyle.Width = colActual, 0
	exp, err := plotter.NewBarChart(plotter.Values(in.Expected), 1)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	exp.Color, exp.LineStyle.Width = colModel, 0
	p.Add(&barGroup{Bars: []*plotter.BarChart{obs, exp}})
	p.Legend.Add("actual", obs)
	p.Legend.Add(seriesName(in.Model, "model"), exp)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min = 0
	p.Y.Max = headroom(math.Max(maxOf(in.Observed), maxOf(in.Expected)))
	return single(p), nil
}

// barGroup draws bar charts side by side in each category, sizing the bars
// when drawn so that the groups fill 80% of the room a category has at any
// chart size (gonum's bar widths are fixed lengths). Labels, if not nil,
// are written at the end of each bar: Labels[series][category].
type barGroup struct {
	Bars       []*plotter.BarChart
	Horizontal bool
	Labels     [][]string
}

// Plot implements plot.Plotter.
func (g *barGroup) Plot(c draw.Canvas, p *plot.Plot) {
	ax, lo, hi := p.X, c.Min.X, c.Max.X
	if g.Horizontal {
		ax, lo, hi = p.Y, c.Min.Y, c.Max.Y
	}
	per := (hi - lo) / vg.Length(ax.Max-ax.Min) // room of one category
	k := len(g.Bars)
	w := 0.8 * per / vg.Length(k)
	trX, trY := p.Transforms(&c)
	for i, b := range g.Bars {
		bc := *b
		bc.Horizontal = g.Horizontal
		bc.Width = w
		off := (vg.Length(i) - vg.Length(k-1)/2) * w
		if g.Horizontal {
			off = -off // the first series on top
		}
		bc.Offset = off
		bc.Plot(c, p)
		if g.Labels == nil {
			continue
		}
		st := textStyle(tickSize, colText)
		for j, v := range bc.Values {
			if g.Labels[i][j] == "" {
				continue
			}
			if g.Horizontal {
				st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
				c.FillText(st, vg.Point{X: trX(v) + 2, Y: trY(float64(j)) + off}, g.Labels[i][j])
			} else {
				st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
				c.FillText(st, vg.Point{X: trX(float64(j)) + off, Y: trY(v) + 2}, g.Labels[i][j])
			}
		}
	}
}

// TrackingData are purchases per period over calibration and holdout, for
// Tracking. The three slices describe the same periods.
type TrackingData struct {
	// Period is the time of each period (its end, or its number), in Unit,
	// increasing.
	Period []float64
	// Actual and Predicted are the purchases in each period: observed, and
	// expected by the model (for example the increments of the model's
	// expected cumulative purchases of all customers).
	Actual, Predicted []float64
	// CalibrationEnd is the time the calibration period ends; a dashed
	// line marks it when it lies within the periods.
	CalibrationEnd float64
	// Unit names the time unit in labels ("week"); default "period".
	Unit string
	// Model names the predictions in the legend; default "model".
	Model string
	// Title replaces the default title of the cumulative panel.
	Title string
}

// Tracking draws the tracking plots of Fader, Hardie & Lee (2005, Figures
// 3 and 5): cumulative purchases over time (top) and purchases in each
// period (bottom), actual next to predicted, with the end of calibration
// marked.
func Tracking(in TrackingData) (*Chart, error) {
	const name = "tracking"
	n := len(in.Period)
	if n < 2 {
		return nil, fmt.Errorf("%w: %s: %d periods, want at least 2", ErrInput, name, n)
	}
	if err := checkColumn(name, "period", in.Period, n, false); err != nil {
		return nil, err
	}
	for i := 1; i < n; i++ {
		if !(in.Period[i] > in.Period[i-1]) {
			return nil, fmt.Errorf("%w: %s: period[%d] = %v is not after period[%d] = %v", ErrInput, name, i, in.Period[i], i-1, in.Period[i-1])
		}
	}
	if err := checkColumn(name, "actual", in.Actual, n, true); err != nil {
		return nil, err
	}
	if err := checkColumn(name, "predicted", in.Predicted, n, true); err != nil {
		return nil, err
	}
	if math.IsNaN(in.CalibrationEnd) || math.IsInf(in.CalibrationEnd, 0) {
		return nil, fmt.Errorf("%w: %s: calibration end %v is not finite", ErrInput, name, in.CalibrationEnd)
	}
	u := unitLabel(in.Unit)
	model := seriesName(in.Model, "model")
	cumA, cumP := make([]float64, n), make([]float64, n)
	var sa, sp float64
	for i := range in.Period {
		sa += in.Actual[i]
		sp += in.Predicted[i]
		cumA[i], cumP[i] = sa, sp
	}
	title := in.Title
	if title == "" {
		title = "Tracking: cumulative repeat purchases, actual vs " + model
	}
	top, err := trackPanel(in, cumA, cumP, title, "cumulative purchases", model, true)
	if err != nil {
		return nil, err
	}
	bottom, err := trackPanel(in, in.Actual, in.Predicted, "Purchases per "+u, "purchases per "+u, model, false)
	if err != nil {
		return nil, err
	}
	bottom.Title.TextStyle.Font.Size = labelSize + 1
	top.X.Label.Text = "" // the panels share the time axis; the bottom one names it
	return &Chart{Panels: []*plot.Plot{top, bottom}, Vertical: true}, nil
}

func trackPanel(in TrackingData, act, pred []float64, title, yLabel, model string, legend bool) (*plot.Plot, error) {
	u := unitLabel(in.Unit)
	p := newPlot(title, u+"s since the start of the data", yLabel)
	addGrid(p, true, true)
	xy := func(v []float64) plotter.XYs {
		out := make(plotter.XYs, len(v))
		for i := range v {
			out[i] = plotter.XY{X: in.Period[i], Y: v[i]}
		}
		return out
	}
	la, err := plotter.NewLine(xy(act))
	if err != nil {
		return nil, fmt.Errorf("%w: tracking: %v", ErrInput, err)
	}
	la.LineStyle = lineStyle(colActual, 1.6, 0)
	lp, err := plotter.NewLine(xy(pred))
	if err != nil {
		return nil, fmt.Errorf("%w: tracking: %v", ErrInput, err)
	}
	lp.LineStyle = lineStyle(colModel, 1.6, 5)
	first, last := in.Period[0], in.Period[len(in.Period)-1]
	if in.CalibrationEnd > first && in.CalibrationEnd < last {
		p.Add(vLine{X: in.CalibrationEnd, Style: lineStyle(colReference, 0.8, 3)})
		// Labels either side of the line, near the top.
		cal := fracNote(0, 0.97, "calibration  ", draw.XRight, draw.YTop, colText)
		hold := fracNote(0, 0.97, "  holdout", draw.XLeft, draw.YTop, colText)
		cal.X, hold.X = in.CalibrationEnd, in.CalibrationEnd
		p.Add(cal, hold)
	}
	p.Add(la, lp)
	if legend {
		p.Legend.Add("actual", la)
		p.Legend.Add(model, lp)
		p.Legend.Left = true
		p.Legend.XOffs = 4
		p.Legend.YOffs = -4
	}
	p.X.Min, p.X.Max = first, last
	p.Y.Min = 0
	return p, nil
}

// maxOf returns the largest of v (0 for none or if all are below 0).
func maxOf(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

// headroom returns an axis maximum above m that leaves room for a legend.
func headroom(m float64) float64 {
	if m <= 0 {
		return 1
	}
	return m * 1.15
}

// ys returns the Y values of xy.
func ys(xy plotter.XYs) []float64 {
	out := make([]float64, len(xy))
	for i, p := range xy {
		out[i] = p.Y
	}
	return out
}
