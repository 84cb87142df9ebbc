package chart_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/cohort"
	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/segment"
)

// bgnbd is the BG/NBD model of the CDNOW sample in weeks (Fader, Hardie &
// Lee 2005, Table 1 of the note "Implementing the BG/NBD model").
func bgnbd(t testing.TB) *clv.BGNBD {
	m, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	require.NoError(t, err)
	return m
}

// fixture is deterministic synthetic input for every chart.
type fixture struct {
	model    *clv.BGNBD
	data     clv.Data
	holdout  chart.HoldoutData
	tracking chart.TrackingData
	values   []float64
	quadrant chart.QuadrantData
	rfm      []rfm.SegmentStats
	cohorts  *cohort.Table
	project  *cohort.Table
}

func newFixture(t testing.TB) *fixture {
	rng := rand.New(rand.NewPCG(13, 1))
	f := &fixture{model: bgnbd(t)}
	const n = 500
	d := clv.Data{Frequency: make([]float64, n), Recency: make([]float64, n), T: make([]float64, n)}
	for i := range n {
		x := float64(rng.IntN(4) * rng.IntN(4))
		T := 27 + 12*rng.Float64()
		tx := 0.0
		if x > 0 {
			tx = T * rng.Float64()
		}
		d.Frequency[i], d.Recency[i], d.T[i] = x, tx, T
		p := f.model.ConditionalExpectedPurchases(39, d.Customer(i))
		f.holdout.Frequency = append(f.holdout.Frequency, x)
		f.holdout.Predicted = append(f.holdout.Predicted, p)
		f.holdout.Actual = append(f.holdout.Actual, math.Floor(p*(0.5+rng.Float64())))
	}
	f.data = d
	f.holdout.Period, f.holdout.Model = "39 weeks", "BG/NBD"

	f.tracking = chart.TrackingData{Unit: "week", Model: "BG/NBD", CalibrationEnd: 39}
	for w := 1; w <= 78; w++ {
		e := n * (f.model.ExpectedPurchases(float64(w)) - f.model.ExpectedPurchases(float64(w-1)))
		f.tracking.Period = append(f.tracking.Period, float64(w))
		f.tracking.Predicted = append(f.tracking.Predicted, e)
		f.tracking.Actual = append(f.tracking.Actual, e*(0.8+0.4*rng.Float64()))
	}

	f.values = make([]float64, n)
	exp := make([]float64, n)
	for i := range f.values {
		f.values[i] = math.Exp(3 + 1.2*rng.NormFloat64())
		if i%25 == 0 {
			f.values[i] = 0
		}
		exp[i] = float64(rng.IntN(11))
	}
	cl, err := segment.ProfitExperience().Classify(segment.Col(f.values), segment.Col(exp))
	require.NoError(t, err)
	f.quadrant, err = chart.NewQuadrantData(segment.Col(f.values), segment.Col(exp), cl)
	require.NoError(t, err)

	rd := rfm.Data{DaysSinceLastPurchase: make([]float64, n), Purchases: make([]float64, n), Monetary: f.values}
	for i := range rd.DaysSinceLastPurchase {
		rd.DaysSinceLastPurchase[i], rd.Purchases[i] = float64(rng.IntN(365)), float64(1+rng.IntN(10))
	}
	sc, err := rfm.Score(rd, nil)
	require.NoError(t, err)
	as, err := rfm.DefaultTable().Assign(sc)
	require.NoError(t, err)
	f.rfm, err = rfm.Stats(rd, sc, as)
	require.NoError(t, err)

	var ev cohort.Events
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	for c := range 300 {
		churn := 0.1 + 0.3*rng.Float64()
		for at := start.Add(time.Duration(rng.IntN(120*24)) * time.Hour); at.Before(end); at = at.Add(time.Duration(24*(7+rng.IntN(50))) * time.Hour) {
			ev.Customer = append(ev.Customer, int32(c))
			ev.Time = append(ev.Time, at.UnixMicro())
			ev.Kind = append(ev.Kind, event.Purchase)
			ev.Amount = append(ev.Amount, 10+40*rng.Float64())
			if rng.Float64() < churn {
				break
			}
		}
	}
	f.cohorts, err = cohort.Build(ev, &cohort.Options{Period: cohort.Month, End: end})
	require.NoError(t, err)
	pr, err := cohort.Project(context.Background(), f.cohorts, &cohort.ProjectOptions{Periods: 6})
	require.NoError(t, err)
	f.project = pr.Table
	return f
}

type chartCase struct {
	name  string
	title string // expected in the SVG
	build func() (*chart.Chart, error)
}

func chartCases(t testing.TB, f *fixture) []chartCase {
	return []chartCase{
		{"palive", "P(alive) by frequency and recency (BG/NBD", func() (*chart.Chart, error) {
			return chart.PAliveHeatMap(chart.FrequencyRecency{Model: f.model, T: 38.86, Unit: "week"})
		}},
		{"expected", "Expected purchases in the next 52 weeks", func() (*chart.Chart, error) {
			return chart.ExpectedPurchasesHeatMap(chart.FrequencyRecency{Model: f.model, T: 38.86, Horizon: 52, Unit: "week"})
		}},
		{"holdout", "Purchases in the holdout period by calibration frequency", func() (*chart.Chart, error) {
			return chart.CalibrationHoldout(f.holdout)
		}},
		{"repeat", "Customers by number of repeat purchases", func() (*chart.Chart, error) {
			rd, err := chart.NewRepeatData(f.model, f.data, 7)
			if err != nil {
				return nil, err
			}
			return chart.RepeatPurchases(rd)
		}},
		{"tracking", "Tracking: cumulative repeat purchases, actual vs BG/NBD", func() (*chart.Chart, error) {
			return chart.Tracking(f.tracking)
		}},
		{"clv", "Distribution of CLV across customers", func() (*chart.Chart, error) {
			return chart.CLVDistribution(chart.CLVData{Values: f.values, Currency: "US$"})
		}},
		{"quadrant", "Customers by profit and experience", func() (*chart.Chart, error) {
			return chart.ProfitExperience(f.quadrant)
		}},
		{"rfm", "RFM segments: share of customers and of revenue", func() (*chart.Chart, error) {
			return chart.RFMSegments(chart.RFMData{Segments: f.rfm})
		}},
		{"retention", "Retention by monthly cohort", func() (*chart.Chart, error) {
			return chart.CohortRetention(chart.CohortData{Table: f.cohorts})
		}},
		{"value", "Cumulative revenue per customer by cohort", func() (*chart.Chart, error) {
			return chart.CohortValue(chart.CohortData{Table: f.project, Currency: "US$"})
		}},
		{"lorenz", "Concentration of CLV with the A/B/C tiers", func() (*chart.Chart, error) {
			return chart.Lorenz(chart.LorenzData{Value: f.values, Label: "CLV"})
		}},
	}
}

// TestChartsRender renders every chart to PNG and SVG files and checks that
// each is a real picture: the PNG decodes at the default size with data
// drawn in colour, the SVG is an SVG holding the title.
func TestChartsRender(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	for _, tc := range chartCases(t, f) {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			require.NoError(t, err)
			require.NotEmpty(t, c.Panels)
			assert.Contains(t, c.Panels[0].Title.Text, tc.title)

			pngPath := filepath.Join(dir, tc.name+".png")
			require.NoError(t, c.Save(pngPath, 0, 0))
			b, err := os.ReadFile(pngPath)
			require.NoError(t, err)
			img, err := png.Decode(bytes.NewReader(b))
			require.NoError(t, err)
			assert.Equal(t, image.Rect(0, 0, 768, 480), img.Bounds(), "8 × 5 inches at 96 dpi")
			colours, coloured := pixelStats(img)
			assert.Greater(t, colours, 20, "distinct colours")
			assert.Greater(t, coloured, 0.005, "share of pixels in colour (the data, not only axes and text)")

			svgPath := filepath.Join(dir, tc.name+".svg")
			require.NoError(t, c.Save(svgPath, 0, 0))
			s, err := os.ReadFile(svgPath)
			require.NoError(t, err)
			assert.Contains(t, string(s), "<svg")
			assert.Contains(t, string(s), `width="576pt"`)
			assert.Contains(t, string(s), "font-family:Liberation Sans,Arial,Helvetica,sans-serif;")
			assert.NotContains(t, string(s), "font-family:Liberation Sans;")
			assert.Contains(t, string(s), ">"+c.Panels[0].Title.Text+"</text>")
		})
	}
}

// pixelStats returns the number of distinct colours of img and the share of
// its pixels with a saturated colour (max − min channel > 40 of 255), from
// every other pixel of every other row.
func pixelStats(img image.Image) (int, float64) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	coloured, n := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			n++
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if max(r, g, bl)-min(r, g, bl) > 40<<8 {
				coloured++
			}
		}
	}
	return len(seen), float64(coloured) / float64(n)
}

func TestRenderSizeAndFormat(t *testing.T) {
	f := newFixture(t)
	c, err := chart.Lorenz(chart.LorenzData{Value: f.values})
	require.NoError(t, err)
	tests := []struct {
		name          string
		format        chart.Format
		width, height vg.Length
		wantPNG       image.Rectangle
		wantSVG       string
		wantErr       error
	}{
		{"png 4x3in", chart.PNG, 4 * vg.Inch, 3 * vg.Inch, image.Rect(0, 0, 384, 288), "", nil},
		{"png default", chart.PNG, 0, 0, image.Rect(0, 0, 768, 480), "", nil},
		{"svg 6x4in", chart.SVG, 6 * vg.Inch, 4 * vg.Inch, image.Rectangle{}, `width="432pt" height="288pt"`, nil},
		{"pdf", chart.Format("pdf"), 0, 0, image.Rectangle{}, "", chart.ErrFormat},
		{"too small", chart.PNG, 10, 10, image.Rectangle{}, "", chart.ErrFormat},
		{"too large", chart.PNG, 100 * vg.Inch, 4 * vg.Inch, image.Rectangle{}, "", chart.ErrFormat},
		{"negative", chart.SVG, -vg.Inch, 4 * vg.Inch, image.Rectangle{}, "", chart.ErrFormat},
		{"NaN", chart.SVG, vg.Length(math.NaN()), 4 * vg.Inch, image.Rectangle{}, "", chart.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := c.Render(&buf, tt.format, tt.width, tt.height)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			if tt.format == chart.PNG {
				img, err := png.Decode(&buf)
				require.NoError(t, err)
				assert.Equal(t, tt.wantPNG, img.Bounds())
			} else {
				assert.Contains(t, buf.String(), tt.wantSVG)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want chart.Format
		err  bool
	}{
		{"png", chart.PNG, false}, {".PNG", chart.PNG, false}, {"svg", chart.SVG, false},
		{" .svg ", chart.SVG, false}, {"pdf", "", true}, {"", "", true},
	}
	for _, tt := range tests {
		got, err := chart.ParseFormat(tt.in)
		if tt.err {
			assert.ErrorIs(t, err, chart.ErrFormat, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got)
	}
}

// panicker is a plotter that panics, as gonum plotters do on some inputs.
type panicker struct{}

func (panicker) Plot(draw.Canvas, *plot.Plot) { panic("boom") }

func TestRenderFailures(t *testing.T) {
	p := plot.New()
	p.Add(panicker{})
	var buf bytes.Buffer
	err := (&chart.Chart{Panels: []*plot.Plot{p}}).Render(&buf, chart.PNG, 0, 0)
	require.ErrorIs(t, err, chart.ErrRender)
	assert.Contains(t, err.Error(), "boom")

	require.ErrorIs(t, (*chart.Chart)(nil).Render(&buf, chart.PNG, 0, 0), chart.ErrInput)
	require.ErrorIs(t, (&chart.Chart{}).Render(&buf, chart.SVG, 0, 0), chart.ErrInput)
	require.ErrorIs(t, (&chart.Chart{Panels: []*plot.Plot{nil}}).Render(&buf, chart.SVG, 0, 0), chart.ErrInput)

	dir := t.TempDir()
	ok := &chart.Chart{Panels: []*plot.Plot{plot.New()}}
	require.ErrorIs(t, ok.Save(filepath.Join(dir, "x.pdf"), 0, 0), chart.ErrFormat)
	// A failed render leaves no file behind.
	bad := &chart.Chart{Panels: []*plot.Plot{p}}
	require.ErrorIs(t, bad.Save(filepath.Join(dir, "x.png"), 0, 0), chart.ErrRender)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// TestBadInput: bad input gives an error wrapping ErrInput that names the
// problem, never a panic.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	nan := math.NaN()
	m := f.model
	tests := []struct {
		name  string
		build func() (*chart.Chart, error)
		want  string
	}{
		{"palive no model", func() (*chart.Chart, error) { return chart.PAliveHeatMap(chart.FrequencyRecency{T: 10}) }, "no model"},
		{"palive T 0", func() (*chart.Chart, error) { return chart.PAliveHeatMap(chart.FrequencyRecency{Model: m}) }, "customer age T = 0"},
		{"palive T NaN", func() (*chart.Chart, error) { return chart.PAliveHeatMap(chart.FrequencyRecency{Model: m, T: nan}) }, "T = NaN"},
		{"palive max frequency", func() (*chart.Chart, error) {
			return chart.PAliveHeatMap(chart.FrequencyRecency{Model: m, T: 10, MaxFrequency: -1})
		}, "max frequency -1"},
		{"palive columns", func() (*chart.Chart, error) {
			return chart.PAliveHeatMap(chart.FrequencyRecency{Model: m, T: 10, Columns: 1})
		}, "1 recency columns"},
		{"expected no horizon", func() (*chart.Chart, error) {
			return chart.ExpectedPurchasesHeatMap(chart.FrequencyRecency{Model: m, T: 10})
		}, "horizon 0"},
		{"holdout empty", func() (*chart.Chart, error) { return chart.CalibrationHoldout(chart.HoldoutData{}) }, "no customers"},
		{"holdout lengths", func() (*chart.Chart, error) {
			return chart.CalibrationHoldout(chart.HoldoutData{Frequency: []float64{0, 1}, Actual: []float64{0}, Predicted: []float64{0, 1}})
		}, "actual has 1 values, want 2"},
		{"holdout NaN", func() (*chart.Chart, error) {
			return chart.CalibrationHoldout(chart.HoldoutData{Frequency: []float64{0, 1}, Actual: []float64{0, 1}, Predicted: []float64{0, nan}})
		}, "predicted[1] = NaN is not finite"},
		{"holdout negative", func() (*chart.Chart, error) {
			return chart.CalibrationHoldout(chart.HoldoutData{Frequency: []float64{-1}, Actual: []float64{0}, Predicted: []float64{0}})
		}, "frequency[0] = -1 is negative"},
		{"repeat too few bins", func() (*chart.Chart, error) {
			return chart.RepeatPurchases(chart.RepeatData{Observed: []float64{3}, Expected: []float64{3}})
		}, "1 bins"},
		{"repeat lengths", func() (*chart.Chart, error) {
			return chart.RepeatPurchases(chart.RepeatData{Observed: []float64{3, 2}, Expected: []float64{3}})
		}, "expected has 1 values, want 2"},
		{"repeat no model", func() (*chart.Chart, error) {
			_, err := chart.NewRepeatData(nil, f.data, 7)
			return nil, err
		}, "no model"},
		{"repeat bad data", func() (*chart.Chart, error) {
			_, err := chart.NewRepeatData(m, clv.Data{Frequency: []float64{1}, T: []float64{nan}}, 7)
			return nil, err
		}, "T[0] = NaN"},
		{"tracking empty", func() (*chart.Chart, error) { return chart.Tracking(chart.TrackingData{}) }, "0 periods"},
		{"tracking order", func() (*chart.Chart, error) {
			return chart.Tracking(chart.TrackingData{Period: []float64{1, 1}, Actual: []float64{1, 2}, Predicted: []float64{1, 2}})
		}, "period[1] = 1 is not after period[0] = 1"},
		{"tracking lengths", func() (*chart.Chart, error) {
			return chart.Tracking(chart.TrackingData{Period: []float64{1, 2, 3}, Actual: []float64{1, 2, 3}, Predicted: []float64{1, 2}})
		}, "predicted has 2 values, want 3"},
		{"tracking Inf", func() (*chart.Chart, error) {
			return chart.Tracking(chart.TrackingData{Period: []float64{1, 2}, Actual: []float64{1, math.Inf(1)}, Predicted: []float64{1, 2}})
		}, "actual[1] = +Inf"},
		{"tracking calibration end", func() (*chart.Chart, error) {
			return chart.Tracking(chart.TrackingData{Period: []float64{1, 2}, Actual: []float64{1, 2}, Predicted: []float64{1, 2}, CalibrationEnd: nan})
		}, "calibration end NaN"},
		{"clv empty", func() (*chart.Chart, error) { return chart.CLVDistribution(chart.CLVData{}) }, "values is empty"},
		{"clv NaN", func() (*chart.Chart, error) { return chart.CLVDistribution(chart.CLVData{Values: []float64{1, nan}}) }, "values[1] = NaN"},
		{"clv none positive", func() (*chart.Chart, error) { return chart.CLVDistribution(chart.CLVData{Values: []float64{0, -2}}) }, "no value is above 0"},
		{"clv bins", func() (*chart.Chart, error) {
			return chart.CLVDistribution(chart.CLVData{Values: []float64{1}, Bins: 1})
		}, "1 bins"},
		{"lorenz empty", func() (*chart.Chart, error) { return chart.Lorenz(chart.LorenzData{}) }, "value is empty"},
		{"lorenz zero", func() (*chart.Chart, error) { return chart.Lorenz(chart.LorenzData{Value: []float64{0, 0}}) }, "no value is above 0"},
		{"lorenz NaN", func() (*chart.Chart, error) { return chart.Lorenz(chart.LorenzData{Value: []float64{1, nan}}) }, "value[1] = NaN"},
		{"lorenz tiers", func() (*chart.Chart, error) {
			tiers, err := segment.Tiers([]float64{1, 2, 3}, nil)
			require.NoError(t, err)
			return chart.Lorenz(chart.LorenzData{Value: []float64{1, 2}, Tiers: tiers})
		}, "tiers have 3 customers, values 2"},
		{"quadrant empty", func() (*chart.Chart, error) { return chart.ProfitExperience(chart.QuadrantData{}) }, "no customers"},
		{"quadrant lengths", func() (*chart.Chart, error) {
			return chart.ProfitExperience(chart.QuadrantData{Profit: []float64{1, 2}, Experience: []float64{1}})
		}, "profit has 2 values, experience 1"},
		{"quadrant NaN", func() (*chart.Chart, error) {
			return chart.ProfitExperience(chart.QuadrantData{Profit: []float64{1, 2}, Experience: []float64{1, nan}})
		}, "experience[1] = NaN is not finite (mark unknown values in Known)"},
		{"quadrant none known", func() (*chart.Chart, error) {
			return chart.ProfitExperience(chart.QuadrantData{Profit: []float64{1}, Experience: []float64{nan}, Known: []bool{false}})
		}, "no customer with both values known"},
		{"quadrant cut", func() (*chart.Chart, error) {
			return chart.ProfitExperience(chart.QuadrantData{Profit: []float64{1}, Experience: []float64{1}, ProfitCut: math.Inf(-1)})
		}, "profit cut -Inf"},
		{"quadrant classification", func() (*chart.Chart, error) {
			_, err := chart.NewQuadrantData(segment.Col([]float64{1}), segment.Col([]float64{1}), nil)
			return nil, err
		}, "one cut on each axis"},
		{"rfm empty", func() (*chart.Chart, error) { return chart.RFMSegments(chart.RFMData{}) }, "no segments"},
		{"rfm share", func() (*chart.Chart, error) {
			return chart.RFMSegments(chart.RFMData{Segments: []rfm.SegmentStats{{Segment: "Lost", CustomerShare: 1.5}}})
		}, `segment "Lost": customer share 1.5`},
		{"cohort nil", func() (*chart.Chart, error) { return chart.CohortRetention(chart.CohortData{}) }, "empty cohort table"},
		{"cohort malformed", func() (*chart.Chart, error) {
			bad := *f.cohorts
			bad.Retention = bad.Retention[:1]
			return chart.CohortValue(chart.CohortData{Table: &bad})
		}, "malformed table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *chart.Chart
			var err error
			require.NotPanics(t, func() { c, err = tt.build() })
			require.ErrorIs(t, err, chart.ErrInput)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestEdgeInputsRender: inputs at the edges of what is valid still draw.
func TestEdgeInputsRender(t *testing.T) {
	m := bgnbd(t)
	tests := []struct {
		name  string
		build func() (*chart.Chart, error)
	}{
		{"one customer holdout", func() (*chart.Chart, error) {
			return chart.CalibrationHoldout(chart.HoldoutData{Frequency: []float64{3}, Actual: []float64{1}, Predicted: []float64{1.2}})
		}},
		{"equal CLVs", func() (*chart.Chart, error) { return chart.CLVDistribution(chart.CLVData{Values: []float64{5, 5, 5}}) }},
		{"one positive value Lorenz", func() (*chart.Chart, error) { return chart.Lorenz(chart.LorenzData{Value: []float64{0, -1, 4}}) }},
		{"equal values Lorenz", func() (*chart.Chart, error) { return chart.Lorenz(chart.LorenzData{Value: []float64{2, 2, 2, 2}}) }},
		{"one-point quadrant", func() (*chart.Chart, error) {
			return chart.ProfitExperience(chart.QuadrantData{Profit: []float64{3}, Experience: []float64{3}, ProfitCut: 3, ExperienceCut: 3})
		}},
		{"quadrant with unknowns", func() (*chart.Chart, error) {
			return chart.ProfitExperience(chart.QuadrantData{Profit: []float64{1, 5, 9}, Experience: []float64{math.NaN(), 2, 8}, Known: []bool{false, true, true}, ProfitCut: 4, ExperienceCut: 4})
		}},
		{"small BG/BB-like grid", func() (*chart.Chart, error) {
			return chart.PAliveHeatMap(chart.FrequencyRecency{Model: m, T: 2, MaxFrequency: 1, Columns: 3})
		}},
		{"two-period tracking without boundary", func() (*chart.Chart, error) {
			return chart.Tracking(chart.TrackingData{Period: []float64{1, 2}, Actual: []float64{0, 0}, Predicted: []float64{0, 0}})
		}},
		{"single segment", func() (*chart.Chart, error) {
			return chart.RFMSegments(chart.RFMData{Segments: []rfm.SegmentStats{{Segment: "All", Customers: 3, CustomerShare: 1, RevenueShare: 1}}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.build()
			require.NoError(t, err)
			for _, f := range []chart.Format{chart.PNG, chart.SVG} {
				var buf bytes.Buffer
				require.NoError(t, c.Render(&buf, f, 4*vg.Inch, 3*vg.Inch))
				assert.NotZero(t, buf.Len())
			}
		})
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	assert.False(t, errors.Is(chart.ErrInput, chart.ErrFormat))
	assert.True(t, strings.HasPrefix(chart.ErrInput.Error(), "chart: "))
}

// TestSmallSizes: at small sizes titles and labels are wrapped or set
// smaller on a copy of the plot, so rendering still works and the caller's
// plots keep their text.
func TestSmallSizes(t *testing.T) {
	f := newFixture(t)
	for _, tc := range chartCases(t, f) {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			require.NoError(t, err)
			title := c.Panels[0].Title.Text
			size := c.Panels[0].Title.TextStyle.Font.Size
			var buf bytes.Buffer
			require.NoError(t, c.Render(&buf, chart.PNG, 3*vg.Inch, 2*vg.Inch))
			img, err := png.Decode(&buf)
			require.NoError(t, err)
			assert.Equal(t, image.Rect(0, 0, 288, 192), img.Bounds())
			assert.Equal(t, title, c.Panels[0].Title.Text)
			assert.Equal(t, size, c.Panels[0].Title.TextStyle.Font.Size)
		})
	}
}
