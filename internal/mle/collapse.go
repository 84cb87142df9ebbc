package mle

import (
	"fmt"
	"math"
)

// MaxCollapseCols is the largest number of columns Collapse accepts.
const MaxCollapseCols = 4

// Tuples are the distinct rows of a set of columns with summed weights.
type Tuples struct {
	// Cols[j][i] is column j of distinct row i, rows in order of first
	// appearance.
	Cols [][]float64
	// Weights[i] is the sum of the weights of the rows equal to row i.
	Weights []float64
	// Total is the sum of all weights.
	Total float64
}

// Len returns the number of distinct rows.
func (t Tuples) Len() int { return len(t.Weights) }

// Collapse merges identical rows of cols (all of equal length, at most
// MaxCollapseCols columns) into weighted rows. weights nil means 1 per row;
// rows with zero weight are dropped. Values must be finite and weights
// finite and non-negative; the caller validates the model's own
// constraints. The inputs are not modified.
func Collapse(weights []float64, cols ...[]float64) (Tuples, error) {
	if len(cols) == 0 || len(cols) > MaxCollapseCols {
		return Tuples{}, fmt.Errorf("mle: Collapse needs 1..%d columns, got %d", MaxCollapseCols, len(cols))
	}
	n := len(cols[0])
	for j, c := range cols {
		if len(c) != n {
			return Tuples{}, fmt.Errorf("mle: column %d has %d rows, column 0 has %d", j, len(c), n)
		}
	}
	if weights != nil && len(weights) != n {
		return Tuples{}, fmt.Errorf("mle: %d weights for %d rows", len(weights), n)
	}
	type key [MaxCollapseCols]float64
	seen := make(map[key]int32, 1024)
	out := Tuples{Cols: make([][]float64, len(cols))}
	for i := 0; i < n; i++ {
		w := 1.0
		if weights != nil {
			w = weights[i]
			if !(w >= 0) || math.IsInf(w, 0) {
				return Tuples{}, fmt.Errorf("mle: row %d: weight %v, want finite and >= 0", i, w)
			}
			if w == 0 {
				continue
			}
		}
		var k key
		for j, c := range cols {
			v := c[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Tuples{}, fmt.Errorf("mle: row %d column %d: value %v, want finite", i, j, v)
			}
			if v == 0 {
				v = 0 // fold -0 into 0
			}
			k[j] = v
		}
		if idx, ok := seen[k]; ok {
			out.Weights[idx] += w
		} else {
			seen[k] = int32(len(out.Weights))
			out.Weights = append(out.Weights, w)
			for j := range cols {
				out.Cols[j] = append(out.Cols[j], k[j])
			}
		}
		out.Total += w
	}
	return out, nil
}

// Index maps each element of col to its position in the returned slice of
// distinct values (in order of first appearance). Model code uses it to
// evaluate terms that depend on a single column once per distinct value.
func Index(col []float64) (distinct []float64, idx []int32) {
	idx = make([]int32, len(col))
	seen := make(map[float64]int32, 256)
	for i, v := range col {
		j, ok := seen[v]
		if !ok {
			j = int32(len(distinct))
			seen[v] = j
			distinct = append(distinct, v)
		}
		idx[i] = j
	}
	return distinct, idx
}
