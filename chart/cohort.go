package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/valuekit/valuekit/cohort"
)

// CohortData is a cohort table (cohort.Build, or cohort.Project's table
// with projected rows) for CohortRetention and CohortValue.
type CohortData struct {
	// Table is the long cohort table.
	Table *cohort.Table
	// IncludeIncomplete colours the retention of periods that had not
	// ended at the observation end; by default they are left blank, as
	// their retention is understated.
	IncludeIncomplete bool
	// Net draws the value curves of net revenue (refunds deducted) rather
	// than revenue.
	Net bool
	// Currency is the unit of revenue in labels ("US$"); default none.
	Currency string
	// Title replaces the default title.
	Title string
}

// minScaleCohort is the smallest cohort whose retention sets the top of the
// colour scale (when any cohort is that large).
const minScaleCohort = 10

// maxLabelledCells bounds the cells of a retention heat map that get their
// value written in them.
const maxLabelledCells = 600

// CohortRetention draws the retention matrix as a heat map: a row per
// acquisition cohort (oldest at the top), a column per age in periods, each
// cell coloured by the share of the cohort that bought at that age and,
// when the matrix is small enough to read, labelled with it. Age 0 is 100%
// by definition and drawn grey, so that the colour scale spans the later
// ages: up to the highest retention among the cohorts of at least 10
// customers (a smaller cohort's higher cells take the top colour). Projected
// rows are not drawn.
func CohortRetention(in CohortData) (*Chart, error) {
	const name = "cohort retention"
	mx, err := cohortMatrix(name, in.Table, cohort.Retention)
	if err != nil {
		return nil, err
	}
	rows, cols := len(mx.Values), mx.Ages()
	maxSize := 0
	for _, n := range mx.Sizes {
		maxSize = max(maxSize, n)
	}
	z := make([][]float64, rows)
	hi := 0.0
	for i, vals := range mx.Values {
		z[i] = make([]float64, cols)
		for k := range z[i] {
			z[i][k] = math.NaN()
			if k >= len(vals) || mx.Projected[i][k] || (!mx.Complete[i][k] && !in.IncludeIncomplete) {
				continue
			}
			v := vals[k]
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, fmt.Errorf("%w: %s: cohort %s age %d: retention %v", ErrInput, name, mx.Cohorts[i].Format(cohort.CohortLayout), k, v)
			}
			z[i][k] = v
			if k == 0 {
				z[i][k] = math.Inf(1) // 100% by definition: grey
			} else if mx.Sizes[i] >= minScaleCohort || maxSize < minScaleCohort {
				hi = math.Max(hi, v)
			}
		}
	}
	if hi == 0 {
		hi = 1
	}
	xe := make([]float64, cols+1)
	for k := range xe {
		xe[k] = float64(k) - 0.5
	}
	ye := make([]float64, rows+1)
	for i := range ye {
		ye[i] = float64(i) - 0.5
	}
	var labels [][]string
	if rows*cols <= maxLabelledCells {
		labels = make([][]string, rows)
		for i := range labels {
			labels[i] = make([]string, cols)
			for k, v := range z[i] {
				if !math.IsNaN(v) {
					labels[i][k] = retentionLabel(mx.Values[i][k])
				}
			}
		}
	}
	per := mx.Period.String()
	title := in.Title
	if title == "" {
		title = fmt.Sprintf("Retention by %sly cohort: share of each cohort buying at each age", per)
		if mx.Period == cohort.Day {
			title = "Retention by daily cohort: share of each cohort buying at each age"
		}
	}
	p := newPlot(title, "age ("+per+"s since the cohort's first purchase)", "cohort (customers)")
	pal := Viridis(256)
	lab := textStyle(tickSize-1, color.Black)
	if cols > 24 {
		lab.Font.Size = 7
	}
	p.Add(&cells{XEdges: xe, YEdges: ye, Z: z, Colors: pal, Min: 0, Max: hi, Over: gray(0xd8), Labels: labels, LabelStyle: lab})
	p.Add(&colorScale{Colors: pal, Min: 0, Max: hi, Label: "retention (age 0 = 100%, grey)", Ticker: plot.TickerFunc(percentTicks)})
	ticks := make([]plot.Tick, rows)
	every := (rows + 29) / 30 // at most about 30 cohort labels
	for i := range ticks {
		ticks[i].Value = float64(i)
		if i%every == 0 {
			ticks[i].Label = cohortLabel(mx.Cohorts[i], mx.Period) + " (" + strconv.Itoa(mx.Sizes[i]) + ")"
		}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	p.X.Tick.Marker = plot.TickerFunc(integerTicks)
	p.X.Min, p.X.Max = xe[0], xe[cols]
	p.Y.Min, p.Y.Max = ye[0], ye[rows]
	p.X.Padding, p.Y.Padding = 0, 0
	return single(p), nil
}

// retentionLabel formats a retention share for a cell: whole percent from
// 10%, one decimal below.
func retentionLabel(v float64) string {
	if v >= 0.095 {
		return strconv.Itoa(int(math.Round(100*v))) + "%"
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

// cohortLabel names a cohort by its period: 1997-01 for a month, 1997-Q1,
// 1997, or the first day for days and weeks.
func cohortLabel(t time.Time, p cohort.Period) string {
	switch p {
	case cohort.Month:
		return t.Format("2006-01")
	case cohort.Quarter:
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())+2)/3)
	case cohort.Year:
		return t.Format("2006")
	}
	return t.Format(cohort.CohortLayout)
}

// cohortMatrix checks the table and returns one metric in wide form.
func cohortMatrix(name string, t *cohort.Table, m cohort.Metric) (*cohort.Matrix, error) {
	if t == nil || t.Len() == 0 {
		return nil, fmt.Errorf("%w: %s: empty cohort table", ErrInput, name)
	}
	mx, err := cohort.NewMatrix(t, m)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInput, name, err)
	}
	if len(mx.Values) == 0 || mx.Ages() == 0 {
		return nil, fmt.Errorf("%w: %s: empty cohort table", ErrInput, name)
	}
	if n := len(mx.Values) * mx.Ages(); n > 1_000_000 {
		return nil, fmt.Errorf("%w: %s: %d cohort × age cells, at most 1,000,000 can be drawn", ErrInput, name, n)
	}
	return mx, nil
}

// maxLegendCohorts bounds the legend entries of the value curves.
const maxLegendCohorts = 12

// CohortValue draws the cumulative revenue per customer of each cohort by
// age: the realised value curve of an average customer, one line per
// cohort (solid where observed, dashed where projected). Curves that keep
// rising show cohorts still buying; a younger cohort above an older one at
// the same age was worth more.
func CohortValue(in CohortData) (*Chart, error) {
	const name = "cohort value"
	m := cohort.CumulativeRevenue
	what := "revenue"
	if in.Net {
		m, what = cohort.CumulativeNetRevenue, "net revenue"
	}
	mx, err := cohortMatrix(name, in.Table, m)
	if err != nil {
		return nil, err
	}
	per := mx.Period.String()
	unit := ""
	if in.Currency != "" {
		unit = " (" + in.Currency + ")"
	}
	title := in.Title
	if title == "" {
		title = "Cumulative " + what + " per customer by cohort"
	}
	p := newPlot(title, "age ("+per+"s since the cohort's first purchase)", "cumulative "+what+" per customer"+unit)
	addGrid(p, true, true)
	n := len(mx.Values)
	cols := series[:min(n, 7)]
	if n > 7 {
		cols = Viridis(n + n/5 + 1)[:n] // leave out the bright yellow end
	}
	every := (n + maxLegendCohorts - 1) / maxLegendCohorts
	for i, vals := range mx.Values {
		var obs, proj plotter.XYs
		for k, v := range vals {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: %s: cohort %s age %d: value %v", ErrInput, name, mx.Cohorts[i].Format(cohort.CohortLayout), k, v)
			}
			pt := plotter.XY{X: float64(k), Y: v}
			if mx.Projected[i][k] {
				if len(proj) == 0 && len(obs) > 0 {
					proj = append(proj, obs[len(obs)-1])
				}
				proj = append(proj, pt)
			} else {
				obs = append(obs, pt)
			}
		}
		var first *plotter.Line
		for j, xy := range []plotter.XYs{obs, proj} {
			if len(xy) == 0 {
				continue
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
			}
			dash := 0.0
			if j == 1 {
				dash = 4
			}
			l.LineStyle = lineStyle(cols[i], 1.6, vg.Length(dash))
			p.Add(l)
			if first == nil {
				first = l
			}
		}
		if first != nil && (i%every == 0 || i == n-1) {
			p.Legend.Add(cohortLabel(mx.Cohorts[i], mx.Period)+" ("+strconv.Itoa(mx.Sizes[i])+")", first)
		}
	}
	for _, pr := range in.Table.Projected {
		if pr {
			l := lineThumb(lineStyle(colText, 1.6, 4))
			p.Legend.Add("projected", l)
			break
		}
	}
	p.Legend.Left = true
	p.Legend.XOffs = 4
	p.X.Tick.Marker = plot.TickerFunc(integerTicks)
	p.X.Min = 0
	p.Y.Min = math.Min(0, p.Y.Min)
	return single(p), nil
}
