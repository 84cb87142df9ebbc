package pipeline

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/table"
)

// oneMachine summarises the files of dir as one, fits and scores with the
// calls valuekit predict makes.
func oneMachine(t *testing.T, header string, rows []string, o Options) *analysis.Prediction {
	t.Helper()
	p, _ := oneMachineSummary(t, header, rows, o)
	return p
}

// oneMachineSummary is oneMachine, with the summary.
func oneMachineSummary(t *testing.T, header string, rows []string, o Options) (*analysis.Prediction, *valuekit.Summary) {
	t.Helper()
	ev, err := valuekit.ReadCSV(strings.NewReader(header+strings.Join(rows, "")), "all.csv", nil)
	require.NoError(t, err)
	sum, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{Unit: o.unit(), Margin: o.Margin})
	require.NoError(t, err)
	po := o.predictOptions()
	po.ModelName, po.Spend = o.Model, analysis.Spend{Fit: true}
	p, err := analysis.Predict(context.Background(), sum, po)
	require.NoError(t, err)
	return p, sum
}

// closeEnough reports whether got is want within rel relative (absolute
// near 0).
func closeEnough(want, got, rel float64) bool {
	return want == got || math.Abs(want-got) <= rel*max(math.Abs(want), 1e-300) || math.Abs(want-got) < 1e-300
}

// The pipeline's per-customer columns — referral value and total value
// included, where the referred customers sit in other shards — equal the
// one-machine analysis.Predict on a generated base with referrals, shares
// and feedback; the fitted parameters too.
func TestReferralValueAcrossShards(t *testing.T) {
	type tc struct {
		name      string
		customers int64
		o         Options
	}
	cases := []tc{
		{"5,000 customers, full credit", 5000, Options{Unit: "week", Shards: 7, ReferralShare: 1}},
		{"5,000 customers, half credit, value per share, margin, discount", 5000,
			Options{Unit: "week", Shards: 16, ReferralShare: 0.5, ValuePerShare: 2.5, Margin: 0.3, AnnualDiscount: 0.1, Horizon: 104}},
		{"5,000 customers, days, one shard", 5000, Options{Unit: "day", Shards: 1, ReferralShare: 1}},
	}
	if !testing.Short() { // the size: about 20 s for the two
		cases = append(cases,
			tc{"100,000 customers, full credit", 100000, Options{Unit: "week", Shards: 64, ReferralShare: 1}},
			tc{"100,000 customers, pnbd, value per share", 100000, Options{Unit: "week", Shards: 32, Model: clv.NameParetoNBD, ReferralShare: 0.8, ValuePerShare: 1}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			header, rows := generated(t, c.customers, 7)
			dir := t.TempDir()
			writeParts(t, dir, header, shuffled(rows, 3), "a.csv", "b.csv.gz", "c.parquet", "d.csv")
			o := c.o
			o.Input, o.Output = filepath.Join(dir, "*"), filepath.Join(t.TempDir(), "run")
			counters := run(t, o)
			require.NoError(t, o.check())
			want := oneMachine(t, header, rows, o)
			require.NotNil(t, want.TotalValue, "the base has referrals")

			// Parameters.
			m := readModels(t, o.Output)
			tm, gg, err := m.load()
			require.NoError(t, err)
			gotP, wantP := tm.Params(), want.Model.Params()
			require.Equal(t, wantP.Names, gotP.Names)
			for k := range wantP.Values {
				assert.InEpsilon(t, wantP.Values[k], gotP.Values[k], 1e-6, "parameter %s", wantP.Names[k])
			}
			for k, pair := range [][2]float64{{gg.P, want.SpendModel.P}, {gg.Q, want.SpendModel.Q}, {gg.V, want.SpendModel.V}} {
				assert.InEpsilon(t, pair[1], pair[0], 1e-6, "spend parameter %d", k)
			}

			// Every customer, every column.
			names, got := customerRows(t, o.Output)
			wt := want.Table()
			require.Equal(t, wt.Names(), names)
			require.Len(t, got, len(want.CustomerID))
			assert.Equal(t, int64(len(want.CustomerID)), counters[CounterCustomers])
			worst := map[string]float64{}
			credited := 0
			for i, id := range want.CustomerID {
				r, ok := got[id]
				require.True(t, ok, "customer %s missing", id)
				for j, col := range wt.Columns {
					if !checkCell(t, col, i, r[j], id, worst) {
						return
					}
				}
				if want.ReferralValue[i] > 0 {
					credited++
				}
			}
			assert.Greater(t, credited, int(c.customers)/20, "customers credited with referral value")
			t.Logf("%d customers, %d credited with referral value; worst relative differences %v", len(want.CustomerID), credited, worst)
		})
	}
}

// checkCell compares one cell of the one-machine table with the pipeline's
// CSV text: validity, then value (floats within 1e-9 relative).
func checkCell(t *testing.T, col table.Column, i int, got, id string, worst map[string]float64) bool {
	t.Helper()
	if col.Valid != nil && !col.Valid(i) {
		return assert.Empty(t, got, "customer %s %s", id, col.Name)
	}
	switch col.Kind {
	case table.FloatColumn:
		g, err := strconv.ParseFloat(got, 64)
		if !assert.NoError(t, err, "customer %s %s", id, col.Name) {
			return false
		}
		w := col.Float[i]
		if w != g {
			worst[col.Name] = max(worst[col.Name], math.Abs(w-g)/math.Abs(w))
		}
		return assert.True(t, closeEnough(w, g, 1e-9), "customer %s %s: want %v, got %v", id, col.Name, w, g)
	case table.StringColumn:
		return assert.Equal(t, col.String[i], got, "customer %s %s", id, col.Name)
	case table.IntColumn:
		return assert.Equal(t, strconv.Itoa(int(col.Int[i])), got, "customer %s %s", id, col.Name)
	}
	return true
}
