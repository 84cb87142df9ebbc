package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
)

// History is one distinct purchase history (x, t_x, T) and how many
// customers have it.
type History struct {
	X, Tx, T, Count float64
}

// SpendHistory is one distinct (x, mean repeat spend) pair of a repeat
// customer, for Gamma-Gamma, and how many customers have it.
type SpendHistory struct {
	X, M, Count float64
}

// Histogram is the weighted distinct histories of customers: what the fits
// need, whose size depends on the distinct histories, not the customers.
type Histogram struct {
	Histories []History
	Spend     []SpendHistory
	// Events and AfterEnd count the events summarised and those left out
	// as after the end; Referrals tells whether any customer referred or
	// shared (analysis.HasReferrals), which adds the referral columns.
	Events, AfterEnd int64
	Referrals        bool
}

// compact merges equal histories, in a fixed order.
func (h *Histogram) compact() {
	slices.SortFunc(h.Histories, func(a, b History) int { return cmpFloats(a.X, b.X, a.Tx, b.Tx, a.T, b.T) })
	out := h.Histories[:0]
	for _, r := range h.Histories {
		if k := len(out) - 1; k >= 0 && out[k].X == r.X && out[k].Tx == r.Tx && out[k].T == r.T {
			out[k].Count += r.Count
			continue
		}
		out = append(out, r)
	}
	h.Histories = out
	slices.SortFunc(h.Spend, func(a, b SpendHistory) int { return cmpFloats(a.X, b.X, a.M, b.M, 0, 0) })
	sp := h.Spend[:0]
	for _, r := range h.Spend {
		if k := len(sp) - 1; k >= 0 && sp[k].X == r.X && sp[k].M == r.M {
			sp[k].Count += r.Count
			continue
		}
		sp = append(sp, r)
	}
	h.Spend = sp
}

func cmpFloats(a1, b1, a2, b2, a3, b3 float64) int {
	return cmp.Or(cmp.Compare(a1, b1), cmp.Compare(a2, b2), cmp.Compare(a3, b3))
}

// histogramOf collapses the customers of a summary with a purchase in the
// period — the rows analysis.ModelRows gives the fits — into a histogram.
func histogramOf(s *customers.Summary) (Histogram, error) {
	h := Histogram{Events: int64(s.Events), AfterEnd: int64(s.AfterEnd), Referrals: analysis.HasReferrals(s)}
	if !hasPurchase(s) {
		return h, nil
	}
	in, err := analysis.ModelRows(s)
	if err != nil {
		return h, err
	}
	d := in.Data
	for i := range d.Len() {
		w := 1.0
		if d.Weights != nil {
			w = d.Weights[i]
		}
		h.Histories = append(h.Histories, History{X: d.Frequency[i], Tx: d.Recency[i], T: d.T[i], Count: w})
	}
	sd, _ := analysis.SpendData(d)
	for i := range sd.Len() {
		w := 1.0
		if sd.Weights != nil {
			w = sd.Weights[i]
		}
		h.Spend = append(h.Spend, SpendHistory{X: sd.Frequency[i], M: sd.Monetary[i], Count: w})
	}
	h.compact()
	return h, nil
}

// histogramFn collapses each shard's summary, observed to the common end,
// and emits its referral pairs keyed by the shard of the referred customer
// (see referral.go).
type histogramFn struct {
	O Options
}

func (f *histogramFn) ProcessElement(_ int, a *valuekit.Accumulator, end int64, emitPairs func(int, Pairs)) (Histogram, error) {
	s, err := a.SummaryAt(time.UnixMicro(end).UTC())
	if err != nil {
		return Histogram{}, err
	}
	b := newBatches[Pair](f.O.Shards)
	pairsOf(s, func(p Pair) { b.add(shardOf(p.Referred, f.O.Shards), p) })
	b.emit(func(k int, list []Pair) { emitPairs(k, Pairs{List: list}) })
	return histogramOf(s)
}

// mergeHistogramsFn adds histograms. Both are compact (sorted, distinct),
// so one linear merge keeps the sum compact: merging the shards costs the
// distinct histories, not a sort per merge.
type mergeHistogramsFn struct{}

func (mergeHistogramsFn) MergeAccumulators(a, b Histogram) Histogram {
	return Histogram{
		Histories: mergeSorted(a.Histories, b.Histories, func(p, q History) int { return cmpFloats(p.X, q.X, p.Tx, q.Tx, p.T, q.T) },
			func(p *History, q History) { p.Count += q.Count }),
		Spend: mergeSorted(a.Spend, b.Spend, func(p, q SpendHistory) int { return cmpFloats(p.X, q.X, p.M, q.M, 0, 0) },
			func(p *SpendHistory, q SpendHistory) { p.Count += q.Count }),
		Events:    a.Events + b.Events,
		AfterEnd:  a.AfterEnd + b.AfterEnd,
		Referrals: a.Referrals || b.Referrals,
	}
}

// mergeSorted merges two sorted lists of distinct elements into a new one,
// adding equal elements with add.
func mergeSorted[T any](a, b []T, cmp func(T, T) int, add func(*T, T)) []T {
	out := make([]T, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := cmp(a[i], b[j]); {
		case c < 0:
			out = append(out, a[i])
			i++
		case c > 0:
			out = append(out, b[j])
			j++
		default:
			v := a[i]
			add(&v, b[j])
			out = append(out, v)
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Models are the fitted models, as JSON in clv.SaveModel's schema.
type Models struct {
	Transaction json.RawMessage `json:"transaction"`
	Spend       json.RawMessage `json:"spend,omitempty"`
	Customers   float64         `json:"customers"`
	Histories   int             `json:"distinct_histories"`
	// Events summarised (up to the end) and left out after the end.
	Events   int64 `json:"events"`
	AfterEnd int64 `json:"events_after_end"`
	// Referrals: some customer referred or shared, so the customer files
	// have the referral_value and total_value columns.
	Referrals bool `json:"referrals"`
}

// fit fits the transaction model and Gamma-Gamma to a histogram.
func fit(ctx context.Context, model string, h Histogram) (Models, error) {
	var d clv.Data
	var n float64
	for _, r := range h.Histories {
		d.Frequency = append(d.Frequency, r.X)
		d.Recency = append(d.Recency, r.Tx)
		d.T = append(d.T, r.T)
		d.Weights = append(d.Weights, r.Count)
		n += r.Count
	}
	if n == 0 {
		return Models{}, fmt.Errorf("%w: no customer with a purchase to fit", valuekit.ErrEmpty)
	}
	m, err := analysis.Fit(ctx, model, d, func(string) {})
	if err != nil {
		return Models{}, err
	}
	out := Models{Customers: n, Histories: len(h.Histories), Events: h.Events, AfterEnd: h.AfterEnd, Referrals: h.Referrals}
	if out.Transaction, err = save(m); err != nil {
		return Models{}, err
	}
	if len(h.Spend) > 0 {
		var sd clv.Data
		for _, r := range h.Spend {
			sd.Frequency = append(sd.Frequency, r.X)
			sd.Monetary = append(sd.Monetary, r.M)
			sd.Weights = append(sd.Weights, r.Count)
		}
		// Gamma-Gamma reads x and m̄ only; the clv.Data rows still need
		// recency and T.
		sd.Recency, sd.T = make([]float64, len(h.Spend)), make([]float64, len(h.Spend))
		gg, err := analysis.Fit(ctx, clv.NameGammaGamma, sd, func(string) {})
		if err != nil {
			return Models{}, fmt.Errorf("fitting the spend model: %w", err)
		}
		if out.Spend, err = save(gg); err != nil {
			return Models{}, err
		}
	}
	return out, nil
}

func save(m clv.Model) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := clv.SaveModel(&b, m); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes())), nil
}

// load returns the models of m.
func (m Models) load() (clv.TransactionModel, *clv.GammaGamma, error) {
	tm, err := clv.LoadModel(bytes.NewReader(m.Transaction))
	if err != nil {
		return nil, nil, err
	}
	t, ok := tm.(clv.TransactionModel)
	if !ok {
		return nil, nil, fmt.Errorf("%w: %T is not a transaction model", valuekit.ErrFormat, tm)
	}
	if len(m.Spend) == 0 {
		return t, nil, nil
	}
	sm, err := clv.LoadModel(bytes.NewReader(m.Spend))
	if err != nil {
		return nil, nil, err
	}
	gg, ok := sm.(*clv.GammaGamma)
	if !ok {
		return nil, nil, fmt.Errorf("%w: %T is not a Gamma-Gamma model", valuekit.ErrFormat, sm)
	}
	return t, gg, nil
}

// fitFn fits the global histogram on one worker and emits the models as
// JSON.
type fitFn struct {
	O Options
}

func (f *fitFn) ProcessElement(ctx context.Context, h Histogram) (string, error) {
	m, err := fit(ctx, f.O.Model, h)
	if err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	return string(b), err
}
