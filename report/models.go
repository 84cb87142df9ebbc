package report

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/clv"
)

const modelsIntro = "“Buy till you die” models describe each customer as buying at a random rate of their own while they are a customer, " +
	"and leaving at some unseen moment; nobody announces that they have left, so the models infer it from silence. " +
	"BG/NBD lets a customer leave just after a purchase, Pareto/NBD at any time, MBG/NBD also right after the first purchase. " +
	"Gamma-Gamma describes how much a customer spends per purchase. The parameters describe the spread of buying rates, " +
	"dropout and spend across customers; they are fitted by maximum likelihood to every customer's number of repeat purchase days " +
	"(frequency), the time of the last one (recency) and their time as a customer (T)."

const modelsHowToRead = "How to read it: each model's table gives the estimates with standard errors and 95 % intervals " +
	"(formed on the log scale, so they stay positive). A higher log-likelihood is a better fit; AIC and BIC weigh it against the " +
	"number of parameters — lower is better, and differences under about 2 mean little. A warning under a model says its fit " +
	"sits at a limit of the model or that some parameters are barely determined by the data: read those parameters as rough."

// models fits the transaction models and Gamma-Gamma to the whole period.
func (b *builder) models() error {
	sec := b.section(SectionModels, "Fitted models", modelsIntro, modelsHowToRead)
	rows, err := analysis.ModelRows(b.opts.Summary)
	if err != nil {
		sec.warn("No model can be fitted: %v.", err)
		return nil
	}
	for _, name := range append(slices.Clone(Models), clv.NameGammaGamma) {
		var lines []string
		m, err := analysis.Fit(b.ctx, name, rows.Data, b.collect(&lines))
		if err != nil && b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		b.r.Fits = append(b.r.Fits, Fit{Name: name, Model: m, Err: err})
		b.fitBlocks(sec, name, m, err, lines)
	}
	sec.add(Block{Table: b.fitsTable()})
	return nil
}

// fitBlocks describes one fit: its parameters, figures and warnings, or
// why it failed.
func (b *builder) fitBlocks(sec *Section, name string, m clv.Model, err error, lines []string) {
	sec.heading(modelTitle(name))
	if err != nil {
		if name == clv.NameGammaGamma {
			sec.warn("Gamma-Gamma could not be fitted: %v. The predictions then value every purchase at the mean amount per purchase day.", err)
			return
		}
		why := ""
		if errors.Is(err, clv.ErrNotConverged) {
			why = " The optimiser stopped without converging: the likelihood is flat in some direction, which happens when a limiting case of the model " +
				"(for example customers who never leave) fits the data as well as the model itself."
		}
		sec.warn("%s could not be fitted: %v.%s The report goes on without it.", modelTitle(name), err, why)
		return
	}
	info := m.FitInfo()
	p := m.Params()
	t := &Table{Head: []string{"parameter", "estimate", "standard error", "95 % interval"}, Numeric: []bool{false, true, true, true}}
	for k, n := range p.Names {
		se, iv := "–", "–"
		if info != nil && k < len(info.StdErrors) && !math.IsNaN(info.StdErrors[k]) {
			se = fmtNum(info.StdErrors[k])
			iv = fmtNum(info.Lower95[k]) + " to " + fmtNum(info.Upper95[k])
		}
		t.Rows = append(t.Rows, []string{paramTitle(n), fmtNum(p.Values[k]), se, iv})
	}
	sec.add(Block{Table: t})
	if info != nil {
		sec.add(Block{Facts: []Fact{
			{"Log-likelihood", fmtFixed(info.LogLikelihood, 1)},
			{"AIC / BIC", fmtFixed(info.AIC, 1) + " / " + fmtFixed(info.BIC, 1)},
			{"Customers fitted", fmtCount(info.Customers)},
		}})
	}
	if s := meaning(m, b.unit, b.opts.Currency); s != "" {
		sec.text("%s", s)
	}
	if limit := atLimit(m, ""); limit != "" {
		sec.warn("%s", limit)
	}
	sec.notes(lines)
}

// fitsTable compares the fits side by side.
func (b *builder) fitsTable() *Table {
	t := &Table{Caption: "The fits side by side", Head: []string{"model", "parameters", "log-likelihood", "AIC", "BIC", "status"},
		Numeric: []bool{false, false, true, true, true, false}}
	for _, f := range b.r.Fits {
		if f.Model == nil {
			t.Rows = append(t.Rows, []string{modelTitle(f.Name), "–", "–", "–", "–", "not fitted"})
			continue
		}
		info := f.Model.FitInfo()
		status := "ok"
		if atLimit(f.Model, "") != "" {
			status = "at a limit"
		} else if len(info.Warnings) > 0 {
			status = "warnings"
		}
		t.Rows = append(t.Rows, []string{modelTitle(f.Name), paramList(f.Model.Params()), fmtFixed(info.LogLikelihood, 1),
			fmtFixed(info.AIC, 1), fmtFixed(info.BIC, 1), status})
	}
	return t
}

func paramList(p clv.Params) string {
	parts := make([]string, len(p.Names))
	for k, n := range p.Names {
		parts[k] = paramTitle(n) + " = " + fmtNum(p.Values[k])
	}
	return strings.Join(parts, ", ")
}

// meaning says in words what a fitted model's parameters imply.
func meaning(m clv.Model, unit, currency string) string {
	v := m.Params().Values
	switch m.(type) {
	case *clv.BGNBD:
		return fmt.Sprintf("In words: while they are customers, customers buy on average %s times a %s (r/α); after each purchase, a customer leaves with probability %s on average (a/(a+b)).",
			fmtNum(v[0]/v[1]), unit, fmtNum(v[2]/(v[2]+v[3])))
	case *clv.MBGNBD:
		return fmt.Sprintf("In words: while they are customers, customers buy on average %s times a %s (r/α); at the first purchase and after each one, a customer leaves with probability %s on average (a/(a+b)).",
			fmtNum(v[0]/v[1]), unit, fmtNum(v[2]/(v[2]+v[3])))
	case *clv.ParetoNBD:
		return fmt.Sprintf("In words: while they are customers, customers buy on average %s times a %s (r/α) and leave at an average rate of %s per %s (s/β).",
			fmtNum(v[0]/v[1]), unit, fmtNum(v[2]/v[3]), unit)
	case *clv.GammaGamma:
		if v[1] > 1 {
			return fmt.Sprintf("In words: the average spend per purchase across customers is %s (pγ/(q−1)); a customer's own average moves towards it the fewer purchases we have seen.",
				fmtMoney(v[0]*v[2]/(v[1]-1), currency))
		}
		return "In words: q ≤ 1, so the model's mean spend per purchase is infinite: a few very large spenders dominate, and the spend predictions are unreliable."
	case *clv.BGBB:
		return fmt.Sprintf("In words: while active, a customer transacts at an opportunity with probability %s on average (α/(α+β)); between opportunities an active customer becomes inactive with probability %s on average (γ/(γ+δ)).",
			fmtNum(v[0]/(v[0]+v[1])), fmtNum(v[2]/(v[2]+v[3])))
	}
	return ""
}

// atLimit explains a fit that sits at a limit of its model: a parameter at
// the edge of the parameter space, barely determined by the data, or
// standard errors that are unavailable. subject names the fit ("" means
// "This <model> fit"). It returns "" for a regular fit.
func atLimit(m clv.Model, subject string) string {
	info := m.FitInfo()
	if info == nil {
		return ""
	}
	p := m.Params()
	var edge []string
	for k, v := range p.Values {
		if v < 1e-3 || v > 1e4 {
			edge = append(edge, paramTitle(p.Names[k])+" = "+fmtNum(v))
		}
	}
	noSE := false
	for _, w := range info.Warnings {
		if strings.Contains(w, "Hessian") {
			noSE = true
		}
	}
	weak := slices.ContainsFunc(info.Warnings, func(w string) bool { return strings.Contains(w, "weakly identified") })
	if len(edge) == 0 && !noSE && !weak {
		return ""
	}
	name := modelTitle(m.Name())
	var b strings.Builder
	if subject == "" {
		subject = "This " + name + " fit"
	}
	fmt.Fprintf(&b, "%s sits at a limit of the model", subject)
	if len(edge) > 0 {
		fmt.Fprintf(&b, ": %s run towards 0 or infinity", strings.Join(edge, " and "))
	}
	b.WriteString(". ")
	v := p.Values
	switch m.Name() {
	case clv.NameParetoNBD:
		if v[2]/v[3] < 1e-4 {
			b.WriteString("The dropout rate s/β is practically 0: the model has become a plain NBD in which nobody leaves, because the data show no dropout " +
				"it can tell apart from slow buying (common in a short or very seasonal history). Its P(alive) is then close to 1 for everyone; rely on its expected purchases rather than its P(alive). ")
		}
	case clv.NameBGNBD, clv.NameMBGNBD:
		if v[2]/(v[2]+v[3]) < 1e-3 {
			b.WriteString("The dropout probability a/(a+b) is practically 0: the model has become one in which nobody leaves. Rely on its expected purchases rather than its P(alive). ")
		}
	}
	if noSE {
		b.WriteString("The curvature of the likelihood could not be inverted there, so the standard errors and intervals are unavailable, and so are the prediction intervals of this model. ")
	}
	if weak {
		b.WriteString("Some parameters are barely determined by the data (see the warnings below): a limiting case of the model fits about as well, so read them as rough. ")
	}
	b.WriteString("The fit itself is a valid maximum of the likelihood and is used as it is.")
	return b.String()
}

// chooseModel picks the transaction model of the predictions.
func (b *builder) chooseModel() error {
	sec := b.sectionByID(SectionModels)
	fitted := func(name string) clv.TransactionModel {
		for _, f := range b.r.Fits {
			if f.Name == name && f.Model != nil {
				return f.Model.(clv.TransactionModel)
			}
		}
		return nil
	}
	want := b.opts.Model
	if want != Auto {
		if tm := fitted(want); tm != nil {
			b.r.Model, b.r.ModelReason = tm, "it was asked for"
		} else {
			sec.warn("%s was asked for but could not be fitted; the report chooses another model instead.", modelTitle(want))
		}
	}
	if b.r.Model == nil && b.r.Validation != nil {
		if tm := fitted(b.r.Validation.Recommended); tm != nil {
			b.r.Model = tm
			b.r.ModelReason = "the holdout validation recommends it (see Validation)"
		}
	}
	if b.r.Model == nil {
		var best clv.TransactionModel
		for _, f := range b.r.Fits {
			tm, ok := f.Model.(clv.TransactionModel)
			if !ok || f.Model == nil {
				continue
			}
			if best == nil || tm.FitInfo().BIC < best.FitInfo().BIC {
				best = tm
			}
		}
		if best != nil {
			b.r.Model = best
			b.r.ModelReason = fmt.Sprintf("it has the smallest BIC (%s) of the models fitted; give a calibration end to choose by holdout accuracy instead", fmtFixed(best.FitInfo().BIC, 1))
		}
	}
	if b.r.Model == nil {
		sec.warn("No transaction model could be fitted, so there are no predictions, CLV tiers or P(alive) below.")
		return nil
	}
	sec.heading("The model used below")
	sec.text("The predictions, tiers and portfolio use %s: %s.", modelTitle(b.r.Model.Name()), b.r.ModelReason)
	if atLimit(b.r.Model, "") != "" {
		sec.warn("%s sits at a limit of the model (see above); its predictions are shown, but read its P(alive) with care.", modelTitle(b.r.Model.Name()))
	}
	rows, err := analysis.ModelRows(b.opts.Summary)
	if err != nil {
		return nil
	}
	maxK := repeatBins(rows.Data.Frequency)
	rd, err := chart.NewRepeatData(b.r.Model, rows.Data, maxK)
	var c *chart.Chart
	if err == nil {
		rd.Title = "Customers by number of repeat purchase days: actual vs " + modelTitle(b.r.Model.Name())
		if c, err = chart.RepeatPurchases(rd); err == nil {
			c.Panels[0].X.Label.Text = "repeat purchase days up to the observation end"
		}
	}
	sec.add(b.chartBlock(c, err, "Repeat purchases, actual and expected",
		"How many customers made 0, 1, 2, … repeat purchase days (blue) against how many the model expects given each customer's time as a customer (vermillion). "+
			"Bars of similar height mean the model reproduces the data it was fitted to; a model that misses the 0 bar misjudges the one-time buyers."))
	return nil
}

// repeatBins chooses the histogram's last bin: about the 97th percentile
// of the frequencies, between 5 and 15.
func repeatBins(freq []float64) int {
	s := slices.Clone(freq)
	slices.Sort(s)
	q := s[int(0.97*float64(len(s)-1))]
	return int(min(15, max(5, q)))
}

func (b *builder) sectionByID(id string) *Section {
	for _, s := range b.r.Sections {
		if s.ID == id {
			return s
		}
	}
	return b.section(id, id)
}
