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
	"github.com/valuekit/valuekit/customers"
)

const predictionsIntro = "What the chosen model expects of each customer over the horizon: the number of purchase days, the probability " +
	"that the customer is still a customer (P(alive)) and the customer lifetime value (CLV) — the expected purchases valued at the " +
	"customer's expected spend per purchase and discounted to today, net of the customer's usual refunds."

const predictionsHowToRead = "How to read it: the CLV chart uses a logarithmic value axis, because a few customers usually hold much " +
	"of the value; the mean far to the right of the median says so. The heat maps show, for customers of a typical age, how P(alive) " +
	"and expected purchases depend on how often (rows) and how recently (columns) a customer bought: frequent buyers who have been " +
	"silent for a long time (top left) have probably left. The intervals in the table come from the uncertainty of the fitted parameters."

// predictions scores every customer with the chosen model.
func (b *builder) predictions() error {
	sec := b.section(SectionPredictions, "Predictions", predictionsIntro, predictionsHowToRead)
	tm := b.r.Model
	if tm == nil {
		sec.warn("No transaction model could be fitted (see Fitted models), so there are no predictions.")
		return nil
	}
	s := b.opts.Summary
	for _, f := range b.r.Fits {
		if gg, ok := f.Model.(*clv.GammaGamma); ok && gg != nil {
			b.spend = analysis.Spend{Model: gg}
		}
	}
	if b.spend.Model == nil && !hasRevenue(s) {
		// No amounts (a summary of counts): value every purchase at 1, so
		// that CLV ranks customers by their discounted expected purchases.
		b.spend, b.noMoney = analysis.Spend{PerPurchase: 1}, true
	}
	b.modelValues = &analysis.ModelValueOptions{Model: tm, Spend: b.spend, Horizon: b.horizon, DiscountRate: b.rate}
	var lines []string
	p, err := analysis.Predict(b.ctx, s, analysis.PredictOptions{
		Model: tm, Spend: b.spend, Horizon: b.horizon, DiscountRate: b.rate, Margin: b.opts.Margin,
		Intervals: 1, Report: b.collect(&lines),
	})
	if err != nil {
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		sec.warn("The customers could not be scored: %v.", err)
		b.modelValues = nil
		b.heatMaps(sec, tm)
		return nil
	}
	b.r.Prediction = p

	var scored int
	var totalCLV, totalExp, lapsed float64
	var values []float64
	for i, ok := range p.Scored {
		if !ok {
			continue
		}
		scored++
		totalCLV += p.CLV[i]
		totalExp += p.ExpectedPurchases[i]
		values = append(values, p.CLV[i])
		if p.PAlive[i] < 0.5 {
			lapsed++
		}
	}
	median := 0.0
	if len(values) > 0 {
		sorted := slices.Clone(values)
		slices.Sort(sorted)
		median = sorted[len(sorted)/2]
	}
	spend := "the mean amount per purchase day, " + fmtMoney(p.SpendPerPurchase, b.opts.Currency) + ", for everyone"
	cur := b.opts.Currency
	switch {
	case p.SpendModel != nil:
		spend = "each customer's expected spend per purchase from the Gamma-Gamma model"
	case b.noMoney:
		spend = "none in the data: every purchase counts 1, so CLV here is the discounted number of expected purchases"
		cur = ""
	}
	discount := "none"
	if b.opts.AnnualDiscountRate > 0 {
		discount = fmtPct(b.opts.AnnualDiscountRate) + " a year"
	}
	margin := "100 % (CLV of revenue)"
	if b.opts.Margin > 0 {
		margin = fmtPct(b.opts.Margin)
	}
	sec.add(Block{Facts: []Fact{
		{"Model", modelTitle(tm.Name()) + " (" + paramList(tm.Params()) + ")"},
		{"Horizon", fmtNum(b.horizon) + " " + plural(b.unit, b.horizon)},
		{"Spend per purchase", spend},
		{"Margin", margin},
		{"Discount rate", discount},
		{"Customers scored", fmtInt(scored)},
		{"Expected purchase days", fmtFixed(totalExp, 1)},
		{"Total CLV", fmtMoney(totalCLV, cur)},
		{"Mean / median CLV", fmtMoney(totalCLV/float64(max(scored, 1)), cur) + " / " + fmtMoney(median, cur)},
		{"Customers probably lost", fmt.Sprintf("%s (%s) with P(alive) below 50 %%", fmtCount(lapsed), fmtPct(lapsed/float64(max(scored, 1))))},
	}})
	sec.notes(lines)

	label := "CLV"
	if b.noMoney {
		label = "discounted expected purchases"
	}
	c, err := chart.CLVDistribution(chart.CLVData{Values: values, Currency: cur, Label: label,
		Title: fmt.Sprintf("CLV over %s %s (%s)", fmtNum(b.horizon), plural(b.unit, b.horizon), modelTitle(tm.Name()))})
	sec.add(b.chartBlock(c, err, "CLV distribution",
		"How many customers have each CLV, on a logarithmic value axis, with the median and the mean marked. Customers with a CLV of 0 or less cannot be placed on it and are counted in the legend."))
	b.heatMaps(sec, tm)
	b.topCustomers(sec, p)
	return nil
}

// heatMaps draws P(alive) and the expected purchases by frequency and
// recency for customers of the median age.
func (b *builder) heatMaps(sec *Section, tm clv.TransactionModel) {
	rows, err := analysis.ModelRows(b.opts.Summary)
	if err != nil {
		return
	}
	T := slices.Clone(rows.Data.T)
	slices.Sort(T)
	age := math.Round(T[len(T)/2])
	if age <= 0 {
		age = T[len(T)-1]
	}
	if !(age > 0) {
		sec.note("No heat maps: the customers have no time as customers yet (T = 0).")
		return
	}
	maxF := int(min(30, max(8, math.Ceil(quantile(rows.Data.Frequency, 0.99)))))
	fr := chart.FrequencyRecency{Model: tm, T: age, Horizon: b.horizon, MaxFrequency: maxF, Unit: b.unit}
	c, err := chart.PAliveHeatMap(fr)
	sec.add(b.chartSized(c, err, "P(alive) heat map",
		fmt.Sprintf("The probability that a customer who first bought %s %s before the end is still a customer, by the number of repeat purchase days (rows) and the time of the last one after the first (columns). "+
			"Dark cells are customers who have probably left: many purchases, then a long silence.", fmtNum(age), plural(b.unit, age)),
		chartWidth, 6*vg.Inch))
	c, err = chart.ExpectedPurchasesHeatMap(fr)
	sec.add(b.chartSized(c, err, "Expected purchases heat map",
		fmt.Sprintf("The purchase days expected in the next %s %s of the same customers: recent frequent buyers are worth the most.", fmtNum(b.horizon), plural(b.unit, b.horizon)),
		chartWidth, 6*vg.Inch))
}

// topCustomers lists the customers with the highest CLV.
func (b *builder) topCustomers(sec *Section, p *analysis.Prediction) {
	s := b.opts.Summary
	var idx []int
	for i, ok := range p.Scored {
		if ok {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(i, j int) int { return cmp.Compare(p.CLV[j], p.CLV[i]) })
	idx = idx[:min(len(idx), b.opts.TopCustomers)]
	head := []string{"rank", "customer", "repeat purchase days", "recency", "T", "revenue", "P(alive)", "expected purchases", "CLV"}
	if p.CLVLower != nil {
		head = append(head, "CLV 90 % interval")
	}
	t := &Table{Caption: fmt.Sprintf("The %d customers with the highest CLV (recency and T in %ss)", len(idx), b.unit), Head: head,
		Numeric: []bool{true, false, true, true, true, true, true, true, true, true}}
	for r, i := range idx {
		row := []string{fmt.Sprint(r + 1), s.CustomerID[i], fmtCount(s.Frequency[i]), fmtFixed(s.Recency[i], 1), fmtFixed(s.T[i], 1),
			fmtMoney(s.Revenue[i], ""), fmtFixed(p.PAlive[i], 3), fmtFixed(p.ExpectedPurchases[i], 2), fmtMoney(p.CLV[i], "")}
		if p.CLVLower != nil {
			row = append(row, fmtMoney(p.CLVLower[i], "")+" – "+fmtMoney(p.CLVUpper[i], ""))
		}
		t.Rows = append(t.Rows, row)
	}
	sec.heading("Top customers")
	for _, i := range idx {
		if b.suspicious[s.CustomerID[i]] {
			sec.warn("Customer “%s” in this table is probably not one customer (see Data overview).", s.CustomerID[i])
		}
	}
	if b.opts.Currency != "" {
		t.Caption += ", money in " + b.opts.Currency
	}
	sec.add(Block{Table: t})
}

// hasRevenue reports whether any customer has revenue.
func hasRevenue(s *customers.Summary) bool {
	for _, r := range s.Revenue {
		if r > 0 {
			return true
		}
	}
	return false
}

// quantile returns the q-quantile of v (nearest rank).
func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}
