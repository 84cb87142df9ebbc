package report

import (
	"fmt"
	"strings"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/segment"
)

const segmentsIntro = "The customer base as a portfolio: groups of customers with their share of the customers, of the value and of the risk. " +
	"The A/B/C tiers rank customers by CLV: A is the smallest group of top customers holding 80 % of the value, B the next 15 %, C the rest. " +
	"The profit × experience quadrant crosses what a customer earns with how they rate their experience: premium (high, high), " +
	"fragile (high profit, poor experience — worth fixing first), free-riders (low profit, good experience) and abandonable (low, low)."

const segmentsHowToRead = "How to read it: in a portfolio table, compare each group's share of the customers with its share of the value. " +
	"Mean P(alive) and churn risk say how likely the group is to stay; value at risk is the value of its customers with P(alive) below 50 %, " +
	"and expected loss the value lost on average (value × (1 − P(alive))). The Lorenz curve shows how concentrated the value is: " +
	"the further it bows above the diagonal, the more a few customers matter."

// segments builds the A/B/C tiers and, when the data allow, the profit ×
// experience quadrant.
func (b *builder) segments() error {
	sec := b.section(SectionSegments, "Segment portfolio", segmentsIntro, segmentsHowToRead)
	s := b.opts.Summary
	sec.heading("A/B/C tiers")
	var lines []string
	opts := analysis.SegmentOptions{Scheme: "abc", Value: "clv", Margin: b.opts.Margin, Model: b.modelValues, Report: b.collect(&lines)}
	label := "CLV"
	if b.noMoney {
		label = "discounted expected purchases"
	}
	if b.modelValues == nil {
		opts.Value, opts.Net, opts.Model, label = "revenue", true, nil, "net revenue"
		sec.note("Without a model's CLV the tiers rank customers by net revenue so far.")
	}
	g, err := analysis.Segment(b.ctx, s, opts)
	if err != nil {
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		sec.warn("The A/B/C tiers could not be formed: %v.", err)
	} else {
		b.r.Tiers = g
		if p, err := g.Portfolio(nil); err != nil {
			sec.warn("The tier portfolio could not be computed: %v.", err)
		} else {
			sec.add(Block{Table: b.portfolioTable(p, "Value tiers by "+label)})
		}
		c, err := chart.Lorenz(chart.LorenzData{Value: g.Value, Label: label})
		sec.add(b.chartBlock(c, err, "Lorenz curve",
			"Customers ranked from the most valuable (left) against the share of the total "+label+" they hold (up), with the A/B/C boundaries marked; "+
				"the diagonal is a base where everyone is worth the same. The Gini coefficient in the legend is 0 for equal values and near 1 when a few customers hold everything."))
	}
	sec.notes(lines)
	b.quadrant(sec)
	return nil
}

// quadrant builds the profit × experience quadrant when the data have
// feedback scores and profit.
func (b *builder) quadrant(sec *Section) {
	s := b.opts.Summary
	sec.heading("Profit × experience")
	scored := false
	for _, c := range s.ExperienceCount {
		if c > 0 {
			scored = true
			break
		}
	}
	if !scored || s.Profit == nil {
		var missing []string
		if !scored {
			missing = append(missing, "feedback scores (a score column, read with --score)")
		}
		if s.Profit == nil {
			missing = append(missing, "profit (a cost column, --cost, or a margin, --margin)")
		}
		sec.text("The profit × experience quadrant needs %s; this data has none, so it is left out.", strings.Join(missing, " and "))
		return
	}
	grid := segment.ProfitExperience()
	var lines []string
	g, err := analysis.Segment(b.ctx, s, analysis.SegmentOptions{Scheme: "quadrant", Grid: grid, Value: "profit", Margin: b.opts.Margin, Report: b.collect(&lines)})
	if err != nil {
		sec.warn("The quadrant could not be formed: %v.", err)
		return
	}
	b.r.Quadrant = g
	if p, err := g.Portfolio(nil); err != nil {
		sec.warn("The quadrant portfolio could not be computed: %v.", err)
	} else {
		sec.add(Block{Table: b.portfolioTable(p, "Customers by profit and experience")})
	}
	sec.notes(lines)
	known := make([]bool, s.Len())
	for i, c := range s.ExperienceCount {
		known[i] = c > 0
	}
	profit, experience := segment.Col(s.Profit), segment.Column{Values: s.Experience, Known: known}
	cl, err := grid.Classify(profit, experience)
	var c *chart.Chart
	if err == nil {
		var q chart.QuadrantData
		if q, err = chart.NewQuadrantData(profit, experience, cl); err == nil {
			q.ProfitLabel, q.ExperienceLabel = "profit", "mean feedback score"
			if b.opts.Currency != "" {
				q.ProfitLabel += " (" + b.opts.Currency + ")"
			}
			c, err = chart.ProfitExperience(q)
		}
	}
	sec.add(b.chartBlock(c, err, "Profit × experience",
		"Each dot a customer with a feedback score, by profit (across) and mean score (up); the lines are the cuts (medians) and the cells are named. "+
			"Fragile customers (bottom right) are profitable but unhappy: the first to look after."))
}

// portfolioTable formats a segment portfolio.
func (b *builder) portfolioTable(p *segment.Portfolio, caption string) *Table {
	cur := b.opts.Currency
	head := []string{"segment", "customers", "share of customers", "value", "mean value", "share of value"}
	if p.HasPAlive {
		head = append(head, "mean P(alive)", "customers at risk", "value at risk", "expected loss")
	}
	if cur != "" {
		caption += ", money in " + cur
	}
	t := &Table{Caption: caption, Head: head}
	t.Numeric = make([]bool, len(head))
	for k := 1; k < len(head); k++ {
		t.Numeric[k] = true
	}
	for _, r := range append(append([]segment.PortfolioRow{}, p.Rows...), p.Total) {
		row := []string{r.Segment, fmtInt(r.Customers), fmtPct(r.CustomerShare), fmtMoney(r.TotalValue, ""), fmtMoney(r.MeanValue, ""), fmtPct(r.ValueShare)}
		if p.HasPAlive {
			row = append(row, fmtFixed(r.MeanPAlive, 3), fmtInt(r.AtRisk), fmtMoney(r.ValueAtRisk, ""), fmtMoney(r.ExpectedLoss, ""))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

const rfmIntro = "RFM scores every customer from 1 to 5 on recency (how recently they bought), frequency (how many purchases) and " +
	"monetary value (how much they spent), each against the other customers (quintiles), and names segments from the R and F scores: " +
	"Champions bought recently and often, At Risk and Can't Lose Them bought often but not lately, Hibernating and Lost neither."

const rfmHowToRead = "How to read it: the table gives each segment's size, revenue and mean scores; the chart sets each segment's share " +
	"of the customers against its share of the revenue — segments whose revenue bar is much longer than their customer bar are the ones to keep. " +
	"RFM needs no model and describes the past; the predictions above describe the future."

// rfm scores the customers on recency, frequency and monetary value.
func (b *builder) rfm() error {
	sec := b.section(SectionRFM, "RFM segments", rfmIntro, rfmHowToRead)
	s := b.opts.Summary
	net := false
	for _, r := range s.Refunds {
		if r > 0 {
			net = true
			break
		}
	}
	r, err := analysis.RFM(s, analysis.RFMOptions{Net: net})
	if err != nil {
		sec.text("RFM does not apply here: %v.", err)
		return nil
	}
	b.r.RFM = r
	stats, err := r.Stats()
	if err != nil {
		sec.warn("The RFM segment figures could not be computed: %v.", err)
		return nil
	}
	what := "revenue"
	if net {
		what = "net revenue"
		sec.note("Monetary value is net revenue (purchases less refunds), as the data have refunds.")
	}
	if r.LeftOut > 0 {
		sec.note("%s customers without a purchase are not scored.", fmtInt(r.LeftOut))
	}
	cur := b.opts.Currency
	caption := "RFM segments: mean scores, and mean days since the last purchase (recency), purchases and " + what
	if cur != "" {
		caption += ", money in " + cur
	}
	t := &Table{Caption: caption,
		Head:    []string{"segment", "customers", "share of customers", what, "share of " + what, "R", "F", "M", "recency (days)", "purchases", what},
		Numeric: []bool{false, true, true, true, true, true, true, true, true, true, true}}
	var shown []rfm.SegmentStats
	for _, st := range stats {
		if st.Customers == 0 {
			continue
		}
		shown = append(shown, st)
		t.Rows = append(t.Rows, []string{st.Segment, fmtInt(st.Customers), fmtPct(st.CustomerShare), fmtMoney(st.Revenue, ""), fmtPct(st.RevenueShare),
			fmtFixed(st.MeanR, 2), fmtFixed(st.MeanF, 2), fmtFixed(st.MeanM, 2), fmtFixed(st.MeanRecency, 0), fmtFixed(st.MeanFrequency, 1), fmtMoney(st.MeanMonetary, "")})
	}
	sec.add(Block{Table: t})
	if len(shown) < len(stats) {
		sec.note("Segments without customers are left out of the table and the chart.")
	}
	c, err := chart.RFMSegments(chart.RFMData{Segments: shown})
	sec.add(b.chartSized(c, err, "RFM segments", fmt.Sprintf("Each segment's share of the customers next to its share of the %s.", what), chartWidth, chartHeight*1.2))
	return nil
}
