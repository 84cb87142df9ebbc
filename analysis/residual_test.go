package analysis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
)

func TestPredictResidualRefusals(t *testing.T) {
	ev, err := valuekit.ReadCSV(strings.NewReader("customer_id,date,amount\na,2024-01-01,10\na,2024-01-06,10\nb,2024-01-03,5\n"), "r.csv", nil)
	require.NoError(t, err)
	s, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{End: time.Date(2024, 1, 11, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	pnbd := &clv.ParetoNBD{R: 0.55, Alpha: 10.6, S: 0.61, Beta: 11.7}
	for _, tc := range []struct {
		name string
		opts PredictOptions
		err  error
	}{
		{"undiscounted", PredictOptions{Model: pnbd, Spend: Spend{PerPurchase: 10}}, clv.ErrBadParams},
		{"bgnbd", PredictOptions{Model: &clv.BGNBD{R: 0.24, Alpha: 4.4, A: 0.79, B: 2.4}, DiscountRate: 0.01, Spend: Spend{PerPurchase: 10}}, clv.ErrNoResidualForm},
		{"mbgnbd by name", PredictOptions{ModelName: clv.NameMBGNBD, DiscountRate: 0.01}, clv.ErrNoResidualForm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PredictResidual(context.Background(), s, tc.opts)
			assert.ErrorIs(t, err, tc.err)
		})
	}
	p, err := PredictResidual(context.Background(), s, PredictOptions{Model: pnbd, DiscountRate: 0.01, Continuous: true, Spend: Spend{PerPurchase: 10}})
	require.NoError(t, err)
	want, err := pnbd.DERT(0.01, clv.Customer{Frequency: 1, Recency: 5, T: 10})
	require.NoError(t, err)
	assert.InEpsilon(t, want, p.ExpectedPurchases[0], 1e-12)
	assert.InEpsilon(t, 10*want, p.CLV[0], 1e-12)
}
