package clv

import (
	"fmt"

	"github.com/valuekit/valuekit/internal/mle"
)

// histTuples are the distinct (x, t_x, T) rows of continuous-time data with
// their weights, plus per-column indexes into the distinct values, so that
// a likelihood evaluates terms of one column once per distinct value.
type histTuples struct {
	x, tx, T, w []float64
	total       float64

	xs, txs, Ts  []float64 // distinct values of each column
	xi, txi, Ti  []int32   // per tuple index into xs, txs, Ts
	sumX, sumT   float64   // weighted sums (for starting values)
	sumRepeaters float64   // weight of rows with x > 0
}

// collapseHistories validates d and collapses it to distinct tuples.
// Unweighted data are checked on the distinct tuples, which is the same
// check in a fraction of the time (a million customers fall into some
// 150,000 histories); when a tuple fails, or for weighted data (where a
// row of weight 0 is dropped by the collapse but must still be valid), the
// rows are checked one by one so that the error names the first bad row.
func collapseHistories(d Data) (*histTuples, error) {
	n := len(d.Frequency)
	if d.Weights != nil || n == 0 || len(d.Recency) != n || len(d.T) != n {
		if err := validateContinuous(d); err != nil {
			return nil, err
		}
	}
	tu, err := mle.Collapse(d.Weights, d.Frequency, d.Recency, d.T)
	if err != nil {
		if verr := validateContinuous(d); verr != nil {
			return nil, verr
		}
		return nil, fmt.Errorf("%w: %v", ErrBadData, err)
	}
	if d.Weights == nil {
		if err := validateContinuous(Data{Frequency: tu.Cols[0], Recency: tu.Cols[1], T: tu.Cols[2]}); err != nil {
			return nil, validateContinuous(d)
		}
	}
	h := &histTuples{x: tu.Cols[0], tx: tu.Cols[1], T: tu.Cols[2], w: tu.Weights, total: tu.Total}
	h.xs, h.xi = mle.Index(h.x)
	h.txs, h.txi = mle.Index(h.tx)
	h.Ts, h.Ti = mle.Index(h.T)
	for i, w := range h.w {
		h.sumX += w * h.x[i]
		h.sumT += w * h.T[i]
		if h.x[i] > 0 {
			h.sumRepeaters += w
		}
	}
	return h, nil
}
