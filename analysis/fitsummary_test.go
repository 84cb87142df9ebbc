package analysis

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/clv"
)

func TestParamTableAndText(t *testing.T) {
	fitted := &clv.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5, Info: &clv.FitInfo{LogLikelihood: -10, Customers: 7, Converged: true,
		StdErrors: []float64{0.01, 0.3, math.NaN(), 0.7}, Lower95: []float64{0.2, 3.5, math.NaN(), 1.4}, Upper95: []float64{0.3, 4.6, math.NaN(), 4.3},
		Warnings: []string{"Hessian of a"}}}
	for _, tc := range []struct {
		name  string
		m     clv.Model
		text  []string
		valid [3]bool // std_error of r, of a; log_likelihood of r
	}{
		{"fitted", fitted, []string{"bgnbd model", "[0.2, 0.3]", "log-likelihood -10.0000, n 7", "converged true", "warning: Hessian of a"}, [3]bool{true, false, true}},
		{"from parameters", &clv.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}, []string{"built from parameters"}, [3]bool{false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := ParamTable(tc.m)
			require.NoError(t, tb.Check())
			assert.Equal(t, []string{"parameter", "estimate", "std_error", "lower_95", "upper_95", "log_likelihood", "n", "converged"}, tb.Names())
			assert.Equal(t, []string{"r", "alpha", "a", "b"}, tb.Columns[0].String)
			assert.Equal(t, tc.valid[0], tb.Columns[2].Valid(0))
			assert.Equal(t, tc.valid[1], tb.Columns[2].Valid(2))
			assert.Equal(t, tc.valid[2], tb.Columns[5].Valid(0))
			var b strings.Builder
			require.NoError(t, WriteFitText(&b, tc.m))
			for _, s := range tc.text {
				assert.Contains(t, b.String(), s)
			}
		})
	}
}
