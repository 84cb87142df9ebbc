package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/valuekit/valuekit/event"
)

// maxSkippedShown bounds the skipped rows listed with their reason.
const maxSkippedShown = 10

// overview describes what was read.
func (b *builder) overview() error {
	s, src := b.opts.Summary, b.opts.Source
	sec := b.section(SectionOverview, "Data overview",
		"What was read and what it holds. Check these figures against what you know of the export before reading on: "+
			"a wrong column, date layout or end date shows up here first — too few customers, a period that is too short, "+
			"revenue that is far off.")
	var facts []Fact
	add := func(label, value string) { facts = append(facts, Fact{label, value}) }
	if src.File != "" {
		add("File", src.File)
	}
	rowsWhat := "events"
	if b.opts.Events == nil {
		rowsWhat = "summary rows"
	}
	if src.Rows > 0 {
		add("Rows read", fmtInt(src.Rows)+" "+rowsWhat)
	}
	skipped := "none"
	if src.SkippedRows > 0 {
		skipped = fmtInt(src.SkippedRows) + " bad rows (listed below)"
	}
	add("Rows skipped", skipped)

	var customers float64
	for i := range s.Len() {
		customers += weight(s.Weights, i)
	}
	if b.opts.Discrete {
		return b.discreteOverview(sec, facts, customers)
	}
	withPurchase, repeat, refunders, scored := 0, 0, 0, 0
	var purchases int
	var revenue, refunds, profit float64
	for i := range s.Len() {
		if s.Purchases[i] > 0 {
			withPurchase++
		}
		if s.Frequency[i] > 0 {
			repeat++
		}
		purchases += int(s.Purchases[i])
		revenue += s.Revenue[i]
		refunds += s.Refunds[i]
		if s.Refunds[i] > 0 {
			refunders++
		}
		if s.Profit != nil {
			profit += s.Profit[i]
		}
		if s.ExperienceCount != nil && s.ExperienceCount[i] > 0 {
			scored++
		}
	}
	add("Customers", fmtCount(customers))
	if withPurchase < s.Len() {
		add("Customers without a purchase", fmt.Sprintf("%s (only refunds or other events up to the end; no model describes them)", fmtInt(s.Len()-withPurchase)))
	}
	add("Repeat customers", fmt.Sprintf("%s (%s of the customers bought on more than one day)", fmtInt(repeat), fmtPct(float64(repeat)/customers)))
	if ev := b.opts.Events; ev != nil {
		var byKind [event.Feedback + 1]int
		first, last := int64(math.MaxInt64), int64(math.MinInt64)
		for i, k := range ev.Kind {
			if int(k) < len(byKind) {
				byKind[k]++
			}
			first, last = min(first, ev.Time[i]), max(last, ev.Time[i])
		}
		parts := []string{}
		for _, k := range []event.Kind{event.Purchase, event.Refund, event.Referral, event.Share, event.Feedback} {
			if byKind[k] > 0 {
				parts = append(parts, fmt.Sprintf("%s %s", fmtInt(byKind[k]), plural(k.String(), float64(byKind[k]))))
			}
		}
		add("Events", fmt.Sprintf("%s (%s)", fmtInt(len(ev.Customer)), strings.Join(parts, ", ")))
		if len(ev.Time) > 0 {
			add("Period of the events", fmt.Sprintf("%s to %s", fmtDate(time.UnixMicro(first)), fmtDate(time.UnixMicro(last))))
		}
	} else {
		add("Events summarised", fmtInt(s.Events))
	}
	add("Purchases", fmtInt(purchases)+" purchase events up to the observation end")
	if s.AfterEnd > 0 {
		add("Events after the end", fmtInt(s.AfterEnd)+" (left out)")
	}
	add("Observation end", fmtDate(s.End))
	if c := b.opts.Calibration; c != nil {
		holdout := float64(c.End.Sub(c.CalibrationEnd).Hours()) / 24 / c.Unit.Days()
		add("Calibration end", fmt.Sprintf("%s (holdout: %s to %s, %s %s)", fmtDate(c.CalibrationEnd),
			fmtDate(c.CalibrationEnd.AddDate(0, 0, 1)), fmtDate(c.End), fmtNum(holdout), plural(b.unit, holdout)))
	}
	add("Time unit", b.unit+" (recency, T, horizons and model rates are per "+b.unit+")")
	add("Revenue", fmtMoney(revenue, b.opts.Currency))
	refundNote := ""
	if refunders > 0 {
		refundNote = fmt.Sprintf(" from %s customers (%s of revenue)", fmtInt(refunders), fmtPct(refunds/revenue))
	}
	add("Refunds", fmtMoney(refunds, b.opts.Currency)+refundNote)
	add("Net revenue", fmtMoney(revenue-refunds, b.opts.Currency))
	if s.Profit != nil {
		add("Profit", fmtMoney(profit, b.opts.Currency))
	}
	if scored > 0 {
		add("Customers with feedback scores", fmtInt(scored))
	}
	sec.add(Block{Facts: facts})
	b.skippedRows(sec)
	b.suspiciousCustomers(sec)
	for _, n := range src.Notes {
		sec.note("%s", n)
	}
	if withPurchase < s.Len() {
		sec.note("%s customers have no purchase up to the observation end (for example customers who only ever cancel): the models, predictions and RFM leave them out; they count in the tiers with a value of 0.", fmtInt(s.Len()-withPurchase))
	}
	return nil
}

// skippedRows lists the first skipped rows and why.
func (b *builder) skippedRows(sec *Section) {
	src := b.opts.Source
	if src.SkippedRows == 0 {
		return
	}
	sec.warn("%s rows could not be read and were skipped. Check that the column mapping and time layout are right if this is more than a few rows.", fmtInt(src.SkippedRows))
	t := &Table{Caption: "The first skipped rows and why", Head: []string{"#", "row and reason"}, Numeric: []bool{true, false}}
	for k, why := range src.Skipped {
		if k == maxSkippedShown {
			break
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(k + 1), why})
	}
	if more := src.SkippedRows - len(t.Rows); more > 0 {
		t.Rows = append(t.Rows, []string{"", fmt.Sprintf("… and %s more", fmtInt(more))})
	}
	if len(t.Rows) > 0 {
		sec.add(Block{Table: t})
	}
}

func weight(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// placeholderIDs are customer ids that exports use for "no customer".
var placeholderIDs = map[string]bool{"": true, "(blank)": true, "blank": true, "(none)": true, "none": true, "na": true, "n/a": true,
	"nan": true, "null": true, "nil": true, "unknown": true, "-": true, "?": true, "0": true, "guest": true, "anonymous": true}

// suspiciousCustomers warns about customers that are probably not one
// customer: a placeholder id for orders without a customer, or one customer
// with a tenth of all purchases and ten times more than anyone else. They
// become one huge customer and top every value ranking.
func (b *builder) suspiciousCustomers(sec *Section) {
	s := b.opts.Summary
	b.suspicious = map[string]bool{}
	total, top, second := 0, -1, -1
	for i, p := range s.Purchases {
		total += int(p)
		switch {
		case top < 0 || p > s.Purchases[top]:
			top, second = i, top
		case second < 0 || p > s.Purchases[second]:
			second = i
		}
	}
	if total == 0 {
		return
	}
	for i, id := range s.CustomerID {
		if s.Purchases[i] > 0 && placeholderIDs[strings.ToLower(strings.TrimSpace(id))] {
			b.suspicious[id] = true
			sec.warn("Customer “%s” looks like a placeholder for orders without a customer: it has %s purchase events (%s of all). "+
				"The models take it for one customer, so it tops the value rankings and inflates the A tier; leave those rows out of the export to judge the real customers.",
				id, fmtInt(int(s.Purchases[i])), fmtPct(float64(s.Purchases[i])/float64(total)))
		}
	}
	if second >= 0 && !b.suspicious[s.CustomerID[top]] && float64(s.Purchases[top]) > 0.1*float64(total) && s.Purchases[top] > 10*s.Purchases[second] {
		id := s.CustomerID[top]
		b.suspicious[id] = true
		sec.warn("Customer “%s” has %s of all purchase events, more than ten times any other customer: check that it is one customer and not a group of orders without one.",
			id, fmtPct(float64(s.Purchases[top])/float64(total)))
	}
}
