package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/sampledata"
)

// day returns the date s, YYYY-MM-DD (the tests' constants).
func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// cdnowHoldout returns the CDNOW sample's events and their summary with the
// calibration period of Fader, Hardie & Lee (2005): to 1997-09-30, holdout
// to 1998-06-30, in unit.
func cdnowHoldout(t *testing.T, unit valuekit.Unit) (*Events, *customers.Summary) {
	t.Helper()
	ev, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	require.NoError(t, err)
	s, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{
		Unit: unit, CalibrationEnd: day("1997-09-30"), End: day("1998-06-30"),
	})
	require.NoError(t, err)
	return eventsOf(ev), s
}

// eventsOf returns the tracking's columns of ev.
func eventsOf(ev *valuekit.Events) *Events {
	return &Events{Customer: ev.Customers(), CustomerID: ev.Dictionary().ID, Time: ev.Times(), Kind: ev.Kinds()}
}

// The holdout check of Fader, Hardie & Lee (2005) on the CDNOW sample,
// weekly: the BG/NBD fitted to the 39 calibration weeks predicts 1,653.4
// purchase days for the 2,357 customers in the 39 holdout weeks (an
// independent re-implementation of their eq. 10 gets 1,653.4), against
// 1,882 observed. The fits are the published ones: BG/NBD r = 0.243,
// α = 4.414, a = 0.793, b = 2.426, LL −9582.4 (FHL 2005); Pareto/NBD
// r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL −9595.0 (FHL 2005, "A
// note on implementing the Pareto/NBD model in MATLAB"); MBG/NBD r = 0.525,
// α = 6.183, a = 0.891, b = 1.614 (as clv's tests check).
func TestValidateCDNOW(t *testing.T) {
	ev, s := cdnowHoldout(t, valuekit.Week)
	v, err := Validate(context.Background(), s, ValidateOptions{Events: ev})
	require.NoError(t, err)

	assert.Equal(t, 39.0, v.Holdout)
	assert.Equal(t, 2357.0, v.Customers)
	assert.Equal(t, 0, v.New)
	require.Len(t, v.Scores, 3)
	bg, pn, mbg := v.Scores[0], v.Scores[1], v.Scores[2]
	require.Equal(t, []string{"bgnbd", "pnbd", "mbgnbd"}, []string{bg.Name, pn.Name, mbg.Name})
	for _, sc := range v.Scores {
		require.NoError(t, sc.Err)
		assert.Equal(t, 1882.0, sc.ActualTotal, sc.Name)
	}
	assert.InDelta(t, 1653.4, bg.PredictedTotal, 0.05)

	for _, tc := range []struct {
		sc     ModelScore
		params []float64
		ll     float64
	}{
		{bg, []float64{0.243, 4.414, 0.793, 2.426}, -9582.4},
		{pn, []float64{0.553, 10.578, 0.606, 11.669}, -9595.0},
		{mbg, []float64{0.525, 6.183, 0.891, 1.614}, math.NaN()},
	} {
		for i, want := range tc.params {
			assert.InDelta(t, want, tc.sc.Model.Params().Values[i], 0.002, "%s %s", tc.sc.Name, tc.sc.Model.Params().Names[i])
		}
		if !math.IsNaN(tc.ll) {
			assert.InDelta(t, tc.ll, tc.sc.LogLikelihood, 0.05, tc.sc.Name)
		}
		assert.InDelta(t, 8-2*tc.sc.LogLikelihood, tc.sc.AIC, 1e-9, tc.sc.Name)
		assert.InDelta(t, 4*math.Log(2357)-2*tc.sc.LogLikelihood, tc.sc.BIC, 1e-9, tc.sc.Name)
	}

	// Customer 1 (x = 2, t_x = 30.43, T = 38.86) expects 1.226 purchases
	// in the 39 holdout weeks (FHL 2005, section 5) and made 1.
	require.Equal(t, "1", v.CustomerID[0])
	assert.InDelta(t, 1.226, bg.Predicted[0], 0.0005)
	assert.Equal(t, 1.0, v.Actual[0])

	// MAE and RMSE are the per-customer errors' mean absolute value and
	// root mean square.
	var abs, sq float64
	for k, p := range bg.Predicted {
		abs += math.Abs(p - v.Actual[k])
		sq += (p - v.Actual[k]) * (p - v.Actual[k])
	}
	assert.InDelta(t, abs/2357, bg.MAE, 1e-12)
	assert.InDelta(t, math.Sqrt(sq/2357), bg.RMSE, 1e-12)

	// The bias table: 1,411 customers made no repeat purchase in
	// calibration (FHL 2005, Figure 2); rows add up to the totals.
	b := v.ByFrequency
	assert.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6", "7+"}, b.Labels)
	assert.Equal(t, 1411.0, b.Customers[0])
	var n, actual, pred float64
	for k := range b.Labels {
		n += b.Customers[k]
		actual += b.Customers[k] * b.Actual[k]
		pred += b.Customers[k] * b.Predicted[0][k]
	}
	assert.Equal(t, 2357.0, n)
	assert.InDelta(t, 1882, actual, 1e-9)
	assert.InDelta(t, bg.PredictedTotal, pred, 1e-9)

	// 78 weeks, the last 39 the holdout; 2,457 repeat purchase days in
	// calibration (FHL 2005), 1,882 in the holdout.
	tr := v.Tracking
	require.NotNil(t, tr)
	require.Len(t, tr.Actual, 78)
	assert.Equal(t, day("1997-01-01"), tr.First[0])
	assert.Equal(t, day("1997-09-30"), tr.Last[38])
	assert.Equal(t, day("1998-06-30"), tr.Last[77])
	assert.False(t, tr.Holdout[38])
	assert.True(t, tr.Holdout[39])
	assert.Equal(t, 2457.0, tr.ActualCumulative[38])
	assert.Equal(t, 2457.0+1882, tr.ActualCumulative[77])
	assert.Equal(t, 1882.0, tr.ActualHoldout[77])
	for j, sc := range v.Scores {
		// The conditional curve ends at the holdout forecast ...
		assert.InDelta(t, sc.PredictedTotal, tr.ConditionalCumulative[j][77], 1e-9, sc.Name)
		// ... and the unconditional one is Σ_i E[X(t)] from each
		// customer's first purchase: at the calibration end Σ_i E[X(T_i)].
		var want float64
		for _, T := range s.T {
			want += sc.Model.ExpectedPurchases(T)
		}
		assert.InDelta(t, want, tr.PredictedCumulative[j][38], 1e-9, sc.Name)
	}

	// pnbd has the smallest RMSE, bgnbd and mbgnbd are within 1 % of it,
	// and pnbd's total is the closest; all under-predict by > 10 %.
	assert.Equal(t, "pnbd", v.Recommended)
	assert.Contains(t, v.Reason, "within 1 % of the smallest")
	assert.Contains(t, v.Reason, "under-predicts the holdout total by more than 10 %")
	assert.Contains(t, v.Reason, "mbgnbd fits the calibration period best by BIC")
}

// The tracking's periods tile the observation for every unit (a month is
// 30.4375 days: periods of 30 or 31 days), and its columns add up.
func TestValidateTrackingUnits(t *testing.T) {
	for _, tc := range []struct {
		unit           valuekit.Unit
		periods, calib int
	}{
		{valuekit.Day, 546, 273},
		{valuekit.Week, 78, 39},
		{valuekit.Month, 18, 9},
		{valuekit.Year, 2, 1},
	} {
		t.Run(tc.unit.String(), func(t *testing.T) {
			ev, s := cdnowHoldout(t, tc.unit)
			v, err := Validate(context.Background(), s, ValidateOptions{Events: ev, Models: []string{clv.NameBGNBD}})
			require.NoError(t, err)
			assert.InDelta(t, 1653.4, v.Scores[0].PredictedTotal, 0.05, "the unit does not change the forecast")
			tr := v.Tracking
			require.Len(t, tr.Actual, tc.periods)
			assert.Equal(t, tc.calib, len(tr.Holdout)-countTrue(tr.Holdout))
			assert.Equal(t, day("1997-01-01"), tr.First[0])
			assert.Equal(t, day("1998-06-30"), tr.Last[tc.periods-1])
			for r := 1; r < tc.periods; r++ {
				assert.Equal(t, tr.Last[r-1].AddDate(0, 0, 1), tr.First[r], "period %d", r+1)
			}
			var cum, pred float64
			for r, a := range tr.Actual {
				cum += a
				pred += tr.Predicted[0][r]
				assert.Equal(t, cum, tr.ActualCumulative[r])
				assert.InDelta(t, pred, tr.PredictedCumulative[0][r], 1e-9)
			}
			assert.Equal(t, 2457.0+1882, cum)
			assert.InDelta(t, v.Scores[0].PredictedTotal, tr.ConditionalCumulative[0][tc.periods-1], 1e-9)
		})
	}
}

func countTrue(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

// A summary read from a file has no dates: the holdout length is given,
// and there is no tracking.
func TestValidateSummaryWithoutDates(t *testing.T) {
	_, s := cdnowHoldout(t, valuekit.Week)
	s.CalibrationEnd, s.End = time.Time{}, time.Time{}
	v, err := Validate(context.Background(), s, ValidateOptions{Holdout: 39, Models: []string{clv.NameBGNBD}})
	require.NoError(t, err)
	assert.InDelta(t, 1653.4, v.Scores[0].PredictedTotal, 0.05)
	assert.Nil(t, v.Tracking)
	assert.Equal(t, "bgnbd", v.Recommended)
	assert.Contains(t, v.Reason, "the only model fitted")

	var b strings.Builder
	require.NoError(t, v.WriteJSON(&b))
	var all map[string]any
	require.NoError(t, json.Unmarshal([]byte(b.String()), &all), b.String())
	assert.Nil(t, all["tracking"])
	assert.Len(t, all["models"], 1)
	assert.Len(t, all["frequency"], 8)
	assert.Equal(t, "bgnbd", all["recommended"])
}

func TestValidateErrors(t *testing.T) {
	ctx := context.Background()
	ev, s := cdnowHoldout(t, valuekit.Week)
	raw, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	require.NoError(t, err)
	noHoldout, err := valuekit.Summarize(ctx, raw, &valuekit.SummaryOptions{Unit: valuekit.Week})
	require.NoError(t, err)
	emptyHoldout, err := valuekit.Summarize(ctx, raw, &valuekit.SummaryOptions{Unit: valuekit.Week, CalibrationEnd: day("1998-06-30")})
	require.NoError(t, err)
	undated := *s
	undated.CalibrationEnd, undated.End = time.Time{}, time.Time{}
	other, err := valuekit.ReadCSV(strings.NewReader("customer_id,date,amount\n1,1997-01-01,5\n1,1997-02-01,5\n"), "other.csv", nil)
	require.NoError(t, err)
	short := *ev
	short.Kind = short.Kind[:10]
	noIDs := *ev
	noIDs.CustomerID = nil
	negative := *ev
	negative.Customer = append([]int32{-1}, ev.Customer[1:]...)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		s    *customers.Summary
		opts ValidateOptions
		want error
		msg  string
	}{
		{"no holdout", ctx, noHoldout, ValidateOptions{}, clv.ErrBadData, "no holdout period"},
		{"empty holdout", ctx, emptyHoldout, ValidateOptions{}, clv.ErrBadData, "holdout period is empty"},
		{"unknown model", ctx, s, ValidateOptions{Models: []string{"bgbb"}}, clv.ErrUnknownModel, `"bgbb" cannot be validated`},
		{"model twice", ctx, s, ValidateOptions{Models: []string{"pnbd", "pnbd"}}, clv.ErrBadParams, "named twice"},
		{"no models", ctx, s, ValidateOptions{Models: []string{}}, clv.ErrBadParams, "no models"},
		{"max frequency", ctx, s, ValidateOptions{MaxFrequency: -1}, clv.ErrBadParams, "max frequency"},
		{"undated without length", ctx, &undated, ValidateOptions{}, clv.ErrBadParams, "give the holdout length"},
		{"length disagrees", ctx, s, ValidateOptions{Holdout: 40}, clv.ErrBadParams, "is 39"},
		{"negative length", ctx, s, ValidateOptions{Holdout: -1}, clv.ErrBadParams, "holdout length"},
		{"undated with events", ctx, &undated, ValidateOptions{Holdout: 39, Events: ev}, clv.ErrBadParams, "tracking needs"},
		{"other events", ctx, s, ValidateOptions{Events: eventsOf(other)}, clv.ErrBadData, "do not match the summary"},
		{"columns differ", ctx, s, ValidateOptions{Events: &short}, clv.ErrBadData, "event columns of different lengths"},
		{"no ids", ctx, s, ValidateOptions{Events: &noIDs}, clv.ErrBadParams, "CustomerID is nil"},
		{"negative code", ctx, s, ValidateOptions{Events: &negative}, clv.ErrBadData, "event 0 has customer code -1"},
		{"cancelled", cancelled, s, ValidateOptions{}, context.Canceled, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Validate(tc.ctx, tc.s, tc.opts)
			assert.Nil(t, v)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

// The recommendation: the smallest RMSE wins; within 1 % the closest
// total does; models whose fit failed are left out; the reason warns of a
// total off by more than 10 % and names a better BIC.
func TestRecommend(t *testing.T) {
	m := &clv.BGNBD{R: 1, Alpha: 1, A: 1, B: 1}
	score := func(name string, rmse, pred, bic float64) ModelScore {
		return ModelScore{Name: name, Model: m, RMSE: rmse, PredictedTotal: pred, ActualTotal: 100, BIC: bic}
	}
	failed := ModelScore{Name: "mbgnbd", Err: errors.New("no")}
	for _, tc := range []struct {
		name   string
		scores []ModelScore
		want   string
		reason []string
	}{
		{"clear winner", []ModelScore{score("bgnbd", 1.0, 95, 10), score("pnbd", 1.2, 100, 20)}, "bgnbd",
			[]string{"the smallest per-customer error on the 39-week holdout (RMSE 1.000; pnbd 1.200)", "95.0 predicted against 100 actual purchases (-5.0 %)."}},
		{"tie goes to the total", []ModelScore{score("bgnbd", 1.0, 80, 10), score("pnbd", 1.005, 99, 20)}, "pnbd",
			[]string{"within 1 % of the smallest (RMSE 1.005; bgnbd 1.000), so the holdout total decides", "bgnbd -20.0 %", "bgnbd fits the calibration period best by BIC (10.0; pnbd 20.0)"}},
		{"failed fit left out", []ModelScore{failed, score("pnbd", 2, 120, 10)}, "pnbd",
			[]string{"the only model whose fit succeeded", "It over-predicts the holdout total by more than 10 %"}},
		{"fit warnings repeated", []ModelScore{{Name: "pnbd", Model: &clv.ParetoNBD{R: 1, Alpha: 1, S: 1e-8, Beta: 1e6, Info: &clv.FitInfo{Warnings: []string{"s is at the edge"}}},
			RMSE: 1, PredictedTotal: 100, ActualTotal: 100}}, "pnbd",
			[]string{"Its fit warns: s is at the edge."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Validation{Unit: valuekit.Week, Holdout: 39, Scores: tc.scores}
			got, reason := recommend(v)
			assert.Equal(t, tc.want, got)
			for _, r := range tc.reason {
				assert.Contains(t, reason, r)
			}
		})
	}
}

// The tables have the documented columns and agree with the typed
// results; a model whose fit failed has a row with its error and no
// numbers.
func TestValidationTables(t *testing.T) {
	ev, s := cdnowHoldout(t, valuekit.Week)
	v, err := Validate(context.Background(), s, ValidateOptions{Events: ev, Models: []string{clv.NameBGNBD, clv.NameParetoNBD}})
	require.NoError(t, err)
	// A third model whose fit failed, as Validate records one: no
	// predictions, no bias or tracking columns.
	v.Scores = append(v.Scores, ModelScore{Name: clv.NameMBGNBD, Err: errors.New("did not converge")})
	v.ByFrequency = frequencyBias(v, 7)
	tr := v.Tracking
	tr.Models = append(tr.Models, clv.NameMBGNBD)
	tr.Predicted, tr.PredictedCumulative = append(tr.Predicted, nil), append(tr.PredictedCumulative, nil)
	tr.Conditional, tr.ConditionalCumulative = append(tr.Conditional, nil), append(tr.ConditionalCumulative, nil)
	assert.True(t, math.IsNaN(v.ByFrequency.Predicted[2][0]))

	tab := v.Table()
	require.NoError(t, tab.Check())
	assert.Equal(t, []string{"model", "parameters", "log_likelihood", "aic", "bic", "customers", "holdout_predicted", "holdout_actual",
		"holdout_error", "holdout_error_share", "mae", "rmse", "recommended", "fit_error"}, tab.Names())
	var csv strings.Builder
	require.NoError(t, tab.WriteCSV(&csv))
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	require.Len(t, lines, 4)
	assert.True(t, strings.HasPrefix(lines[1], "bgnbd,r=0.2426 alpha=4.414 a=0.7929 b=2.426,-9582.4"), lines[1])
	assert.Contains(t, lines[2], ",true,")
	assert.Equal(t, "mbgnbd,,,,,,,,,,,,false,did not converge", lines[3])
	text := v.TextRecords()
	require.Len(t, text, 4)
	assert.Equal(t, "pnbd *", text[2][0])
	assert.Equal(t, []string{"mbgnbd", "fit failed"}, text[3])
	v.Scores[2].Err = fmt.Errorf("MBG/NBD: %w after 69 iterations", clv.ErrNotConverged)
	assert.Equal(t, []string{"mbgnbd", "fit did not converge"}, v.TextRecords()[3])

	ct := v.CustomerTable()
	require.NoError(t, ct.Check())
	assert.Equal(t, []string{"customer_id", "frequency", "holdout_actual", "bgnbd", "pnbd"}, ct.Names())
	assert.Equal(t, 2357, ct.Len())

	bt := v.ByFrequency.Table()
	require.NoError(t, bt.Check())
	assert.Equal(t, []string{"frequency", "customers", "actual", "bgnbd", "bgnbd_bias", "pnbd", "pnbd_bias"}, bt.Names())
	assert.InDelta(t, v.ByFrequency.Predicted[0][3]-v.ByFrequency.Actual[3], bt.Columns[4].Float[3], 1e-15)
	bx := v.ByFrequency.TextRecords()
	require.Len(t, bx, 9)
	assert.Equal(t, []string{"frequency", "customers", "actual", "bgnbd", "pnbd"}, bx[0])
	assert.Equal(t, "1411", bx[1][1])

	tt := v.Tracking.Table()
	require.NoError(t, tt.Check())
	assert.Equal(t, []string{"period", "first_day", "last_day", "phase", "actual", "actual_cumulative", "actual_holdout_cumulative",
		"bgnbd", "bgnbd_cumulative", "bgnbd_conditional", "bgnbd_conditional_cumulative",
		"pnbd", "pnbd_cumulative", "pnbd_conditional", "pnbd_conditional_cumulative"}, tt.Names())
	csv.Reset()
	require.NoError(t, tt.WriteCSV(&csv))
	lines = strings.Split(strings.TrimSpace(csv.String()), "\n")
	require.Len(t, lines, 79)
	assert.True(t, strings.HasPrefix(lines[1], "1,1997-01-01,1997-01-07,calibration,0,0,,"), lines[1])
	assert.True(t, strings.HasPrefix(lines[78], "78,1998-06-24,1998-06-30,holdout,28,4339,1882,"), lines[78])
	tx := v.Tracking.TextRecords()
	require.Len(t, tx, 79)
	assert.Equal(t, []string{"week", "ends", "", "actual", "cumulative", "bgnbd", "cumulative", "pnbd", "cumulative"}, tx[0])
	assert.Equal(t, []string{"78", "1998-06-30", "holdout", "28", "4339"}, tx[78][:5])
}
