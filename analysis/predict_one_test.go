package analysis

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/sampledata"
)

// oneCustomer returns the one-customer summaries of the CDNOW sample a
// service scores on each request (Accumulator.CustomerSummary), and the
// options examples/service passes to Predict: fixed BG/NBD and Gamma-Gamma
// models, a discount rate, no intervals.
func oneCustomer(tb testing.TB, ids ...string) ([]*valuekit.Summary, PredictOptions) {
	tb.Helper()
	ev, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	require.NoError(tb, err)
	acc, err := valuekit.NewAccumulator(&valuekit.SummaryOptions{Unit: valuekit.Week})
	require.NoError(tb, err)
	require.NoError(tb, acc.Add(ev))
	sums := make([]*valuekit.Summary, len(ids))
	for k, id := range ids {
		sums[k], err = acc.CustomerSummary(id)
		require.NoError(tb, err)
	}
	bg, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	require.NoError(tb, err)
	clv.SetTiming(bg, clv.Timing{Unit: valuekit.Week, HasUnit: true})
	gg, err := clv.NewGammaGamma(6.25, 3.74, 15.44)
	require.NoError(tb, err)
	return sums, PredictOptions{Model: bg, Spend: Spend{Model: gg}, Horizon: 52,
		DiscountRate: AnnualRate(0.1, valuekit.Week, false), Report: func(string) {}}
}

// BenchmarkPredictOneCustomer is what examples/service does on each GET
// /customers/{id}: Predict on a one-customer summary. Its allocations are
// the fixed cost of a call.
func BenchmarkPredictOneCustomer(b *testing.B) {
	sums, opts := oneCustomer(b, "1", "2", "3", "4")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := Predict(ctx, sums[i%len(sums)], opts); err != nil {
			b.Fatal(err)
		}
	}
}
