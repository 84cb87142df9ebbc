package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/table"
)

// Expect returns what model m expects of a new customer (one just
// acquired, at time 0) over each period length t of ts, in the model's unit:
// columns t, expected_purchases (E[X(t)], repeat purchases) and, when maxK
// ≥ 0, p_0 … p_maxK (P(X(t) = k)). Each t must be finite and ≥ 0 (periods
// must be whole for BG/BB); maxK at most 1000. Errors wrap clv.ErrBadParams.
func Expect(m clv.TransactionModel, ts []float64, maxK int) (*table.Table, error) {
	if len(ts) == 0 {
		return nil, fmt.Errorf("%w: no period length t", clv.ErrBadParams)
	}
	if maxK > 1000 {
		return nil, fmt.Errorf("%w: k %d, at most 1000", clv.ErrBadParams, maxK)
	}
	e := make([]float64, len(ts))
	for i, t := range ts {
		if !(t >= 0) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("%w: t %v, want finite and ≥ 0", clv.ErrBadParams, t)
		}
		if e[i] = m.ExpectedPurchases(t); math.IsNaN(e[i]) {
			return nil, fmt.Errorf("%w: the %s model gives no E[X(t)] at t %v", clv.ErrBadParams, m.Name(), t)
		}
	}
	tb := &table.Table{Columns: []table.Column{
		{Name: "t", Kind: table.FloatColumn, Float: append([]float64(nil), ts...)},
		{Name: "expected_purchases", Kind: table.FloatColumn, Float: e},
	}}
	for k := 0; k <= maxK; k++ {
		p := make([]float64, len(ts))
		for i, t := range ts {
			p[i] = m.ProbPurchases(k, t)
		}
		tb.Columns = append(tb.Columns, table.Column{Name: "p_" + strconv.Itoa(k), Kind: table.FloatColumn, Float: p})
	}
	return tb, nil
}

// AliveHistory returns one customer's P(alive) under m as their history
// unfolds: purchases are the customer's purchase times in the model's unit
// (any origin, ascending, one per purchase day), end the time observation
// ended (≥ the last purchase). P(alive) is evaluated at each purchase and at
// end, and with step > 0 also every step after the first purchase: columns
// t (time since the first purchase), frequency (repeat purchases so far),
// recency, T (= t) and p_alive. Errors wrap clv.ErrBadData or
// clv.ErrBadParams.
func AliveHistory(m clv.TransactionModel, purchases []float64, end, step float64) (*table.Table, error) {
	if len(purchases) == 0 {
		return nil, fmt.Errorf("%w: the customer has no purchase", clv.ErrBadData)
	}
	for i := 1; i < len(purchases); i++ {
		if !(purchases[i] > purchases[i-1]) {
			return nil, fmt.Errorf("%w: purchase times not ascending at %d", clv.ErrBadData, i)
		}
	}
	first, last := purchases[0], purchases[len(purchases)-1]
	if !(end >= last) || math.IsInf(end, 0) {
		return nil, fmt.Errorf("%w: end %v before the last purchase %v", clv.ErrBadData, end, last)
	}
	if step < 0 || math.IsNaN(step) || math.IsInf(step, 0) || (step > 0 && (end-first)/step > 1e5) {
		return nil, fmt.Errorf("%w: step %v, want > 0 and at most 100,000 steps", clv.ErrBadParams, step)
	}
	// Evaluation times since the first purchase, merged in order.
	var at []float64
	for _, p := range purchases {
		at = append(at, p-first)
	}
	if step > 0 {
		for k := 1; float64(k)*step < end-first; k++ {
			at = append(at, float64(k)*step)
		}
	}
	at = append(at, end-first)
	sortUnique(&at)
	var tcol, x, rec, alive []float64
	j := 0 // purchases up to at[i]
	for _, t := range at {
		for j < len(purchases) && purchases[j]-first <= t+1e-9 {
			j++
		}
		c := clv.Customer{Frequency: float64(j - 1), Recency: purchases[j-1] - first, T: t}
		tcol, x, rec = append(tcol, t), append(x, c.Frequency), append(rec, c.Recency)
		alive = append(alive, m.ProbAlive(c))
	}
	return &table.Table{Columns: []table.Column{
		{Name: "t", Kind: table.FloatColumn, Float: tcol},
		{Name: "frequency", Kind: table.FloatColumn, Float: x},
		{Name: "recency", Kind: table.FloatColumn, Float: rec},
		{Name: "T", Kind: table.FloatColumn, Float: append([]float64(nil), tcol...)},
		{Name: "p_alive", Kind: table.FloatColumn, Float: alive},
	}}, nil
}

// sortUnique sorts v and drops repeats.
func sortUnique(v *[]float64) {
	slices.Sort(*v)
	*v = slices.Compact(*v)
}
