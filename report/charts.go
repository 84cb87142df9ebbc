package report

import (
	"bytes"

	"gonum.org/v1/plot/vg"

	"github.com/valuekit/valuekit/chart"
)

// Chart sizes: the report's column is about 960 CSS pixels wide.
const (
	chartWidth  = 9 * vg.Inch
	chartHeight = 5.2 * vg.Inch
)

// chartBlock renders a chart drawn by a chart function, or says why it
// could not be drawn.
func (b *builder) chartBlock(c *chart.Chart, err error, title, caption string) Block {
	return b.chartSized(c, err, title, caption, chartWidth, chartHeight)
}

func (b *builder) chartSized(c *chart.Chart, err error, title, caption string, w, h vg.Length) Block {
	if err == nil {
		var buf bytes.Buffer
		if err = c.Render(&buf, b.opts.ChartFormat, w, h); err == nil {
			return Block{Chart: &Chart{Title: title, Caption: caption, Format: b.opts.ChartFormat, Data: buf.Bytes(), Width: int(w / vg.Inch * 96)}}
		}
	}
	b.say("warning: chart " + title + ": " + err.Error())
	return Block{Warning: "The chart “" + title + "” could not be drawn: " + err.Error()}
}
