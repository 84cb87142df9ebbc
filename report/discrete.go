package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot/vg"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
)

// Discrete-time data (BG/BB): customers with n transaction opportunities
// (a yearly donation drive, an annual event), summarised as x transactions
// after the first, the last one at opportunity t_x.

// discreteData returns the summary as BG/BB data.
func (b *builder) discreteData() clv.Data {
	s := b.opts.Summary
	return clv.Data{Frequency: s.Frequency, Recency: s.Recency, T: s.T, Weights: s.Weights}
}

// discreteOverview completes the overview of discrete-time data.
func (b *builder) discreteOverview(sec *Section, facts []Fact, customers float64) error {
	s := b.opts.Summary
	var repeat, transactions float64
	maxN := 0.0
	for i := range s.Len() {
		w := weight(s.Weights, i)
		transactions += w * s.Frequency[i]
		if s.Frequency[i] > 0 {
			repeat += w
		}
		maxN = max(maxN, s.T[i])
	}
	facts = append(facts,
		Fact{"Kind of data", "discrete-time (BG/BB): each customer had the same fixed opportunities to transact, such as a yearly appeal, and the file gives how many they used and the last one"},
		Fact{"Customers", fmtCount(customers)},
		Fact{"Histories", fmt.Sprintf("%s distinct (frequency, recency, opportunities) patterns", fmtInt(s.Len()))},
		Fact{"Opportunities", fmt.Sprintf("up to %s after the first transaction", fmtNum(maxN))},
		Fact{"Repeat transactions", fmt.Sprintf("%s by %s customers (%s of them)", fmtCount(transactions), fmtCount(repeat), fmtPct(repeat/customers))},
	)
	sec.add(Block{Facts: facts})
	b.skippedRows(sec)
	sec.note("The file holds no dates, amounts or customer events: the report fits BG/BB and shows what it says about each history. Holdout validation, CLV in money, value tiers, RFM and cohorts need events with dates and amounts, and are left out.")
	return nil
}

// discreteModels fits BG/BB.
func (b *builder) discreteModels() error {
	sec := b.section(SectionModels, "Fitted model",
		"BG/BB (Fader, Hardie & Shang 2010) describes customers who, at each of a fixed number of opportunities, transact with a probability of their own "+
			"while they are active, and may become inactive, unseen, between opportunities. The parameters describe how these two probabilities vary across customers: "+
			"α and β the transaction probability (a beta distribution), γ and δ the dropout probability.",
		modelsHowToRead)
	var lines []string
	d := b.discreteData()
	m, err := analysis.Fit(b.ctx, clv.NameBGBB, d, b.collect(&lines))
	if err != nil && b.ctx.Err() != nil {
		return b.ctx.Err()
	}
	b.r.Fits = append(b.r.Fits, Fit{Name: clv.NameBGBB, Model: m, Err: err})
	b.fitBlocks(sec, clv.NameBGBB, m, err, lines)
	if err != nil {
		return nil
	}
	tm := m.(clv.TransactionModel)
	b.r.Model, b.r.ModelReason = tm, "the data are discrete-time"
	maxN := int(slices.Max(d.T))
	rd, err := chart.NewRepeatData(tm, d, max(1, maxN))
	var c *chart.Chart
	if err == nil {
		rd.Title = "Customers by number of repeat transactions: actual vs BG/BB"
		if c, err = chart.RepeatPurchases(rd); err == nil {
			c.Panels[0].X.Label.Text = "repeat transactions"
		}
	}
	sec.add(b.chartBlock(c, err, "Repeat transactions, actual and expected",
		"How many customers made 0, 1, 2, … repeat transactions (blue) against how many BG/BB expects (vermillion): bars of similar height mean the model reproduces the data."))
	return nil
}

func (b *builder) discreteValidation() error {
	sec := b.section(SectionValidation, "Validation on a holdout period", validationIntro)
	sec.text("Not available for this file: a holdout check needs the transactions with their dates, and the file holds only each history's totals. " +
		"The repeat transactions chart under Fitted model compares the fit with the data it was fitted to; to validate BG/BB, fit it to the first years of the " +
		"records and compare its forecast with the later years.")
	return nil
}

// discretePredictions gives P(alive) and the expected transactions of
// every history.
func (b *builder) discretePredictions() error {
	sec := b.section(SectionPredictions, "Predictions",
		"What BG/BB expects of each history: the probability that a customer with it is still active after the last opportunity (P(alive)) "+
			"and the number of transactions expected at the next opportunities.",
		"How to read it: customers who transacted at many opportunities and at the latest ones are the most likely to be active; "+
			"a customer who transacted often but not at the last few opportunities has probably left. In the heat maps rows are the number "+
			"of repeat transactions and columns the last opportunity with one.")
	tm := b.r.Model
	if tm == nil {
		sec.warn("BG/BB could not be fitted (see Fitted model), so there are no predictions.")
		return nil
	}
	d := b.discreteData()
	horizon := b.opts.Horizon
	if horizon == 0 {
		horizon = 5
	}
	horizon = math.Round(horizon)
	n := slices.Max(d.T)
	type hist struct {
		i               int
		alive, expected float64
	}
	rows := make([]hist, d.Len())
	var expected, customers float64
	for i := range d.Len() {
		c := d.Customer(i)
		rows[i] = hist{i, tm.ProbAlive(c), tm.ConditionalExpectedPurchases(horizon, c)}
		expected += d.Weight(i) * rows[i].expected
		customers += d.Weight(i)
	}
	sec.add(Block{Facts: []Fact{
		{"Model", "BG/BB (" + paramList(tm.Params()) + ")"},
		{"Horizon", fmt.Sprintf("the next %s opportunities", fmtNum(horizon))},
		{"Expected transactions", fmt.Sprintf("%s by the %s customers (%s each on average)", fmtFixed(expected, 1), fmtCount(customers), fmtNum(expected/customers))},
	}})
	slices.SortStableFunc(rows, func(x, y hist) int {
		if c := cmp.Compare(d.Frequency[y.i], d.Frequency[x.i]); c != 0 {
			return c
		}
		return cmp.Compare(d.Recency[y.i], d.Recency[x.i])
	})
	t := &Table{Caption: fmt.Sprintf("Every history: P(alive) and the transactions expected at the next %s opportunities", fmtNum(horizon)),
		Head:    []string{"repeat transactions", "last opportunity", "opportunities", "customers", "P(alive)", "expected transactions", "expected, all these customers"},
		Numeric: []bool{true, true, true, true, true, true, true}}
	for _, h := range rows {
		w := d.Weight(h.i)
		t.Rows = append(t.Rows, []string{fmtCount(d.Frequency[h.i]), fmtCount(d.Recency[h.i]), fmtCount(d.T[h.i]), fmtCount(w),
			fmtFixed(h.alive, 3), fmtFixed(h.expected, 3), fmtFixed(w*h.expected, 1)})
	}
	sec.add(Block{Table: t})
	fr := chart.FrequencyRecency{Model: tm, T: n, Horizon: horizon, MaxFrequency: int(n), Columns: int(n) + 1, Unit: "period",
		Title: fmt.Sprintf("P(alive) after %s opportunities by repeat transactions and the last one (BG/BB)", fmtNum(n))}
	c, err := chart.PAliveHeatMap(fr)
	sec.add(b.chartSized(c, err, "P(alive) heat map",
		fmt.Sprintf("P(alive) after %s opportunities by repeat transactions (rows) and the last opportunity with one (columns); only cells with recency ≥ frequency are possible.", fmtNum(n)),
		chartWidth, 5.5*vg.Inch))
	fr.Title = fmt.Sprintf("Transactions expected at the next %s opportunities (BG/BB, after %s)", fmtNum(horizon), fmtNum(n))
	c, err = chart.ExpectedPurchasesHeatMap(fr)
	sec.add(b.chartSized(c, err, "Expected transactions heat map",
		fmt.Sprintf("The transactions expected at the next %s opportunities, by the same history.", fmtNum(horizon)),
		chartWidth, 5.5*vg.Inch))
	return nil
}

// discreteRest explains the sections that need money and dates.
func (b *builder) discreteRest() error {
	b.section(SectionSegments, "Segment portfolio", segmentsIntro).text(
		"Not available for this file: value tiers and the profit × experience quadrant need each customer's money (and feedback scores), and the file holds only transaction counts. " +
			"The P(alive) table above is the segmentation that applies: it ranks the histories by how likely they are to transact again.")
	b.section(SectionRFM, "RFM segments", rfmIntro).text(
		"Not available for this file: RFM scores need each customer's last transaction date and spend; the file has neither (recency here is an opportunity number, shared by many customers).")
	b.section(SectionCohorts, "Acquisition cohorts", cohortsIntro).text(
		"Not available for this file: the customers form a single cohort (they were all acquired at the same opportunity), and the file has no dates to follow them by.")
	return nil
}
