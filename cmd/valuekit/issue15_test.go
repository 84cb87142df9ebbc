package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFile writes content to name in a temporary directory and returns
// its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// One future-dated row moves the end for everyone: the commands warn and
// name the end used, unless --end sets it.
func TestFutureDatedRowWarns(t *testing.T) {
	path := writeFile(t, "orders.csv", "customer_id,date,amount\n1,2011-01-03,10\n1,2011-06-01,20\n2,2011-02-01,5\n2,2011-11-30,7\n3,2030-01-05,4\n")
	tests := []struct {
		name string
		args []string
		warn bool
	}{
		{"summary", []string{"summary", path}, true},
		{"predict", []string{"predict", path, "--model", "bgnbd", "--spend", "10", "--intervals", "0"}, true},
		{"--end given", []string{"summary", path, "--end", "2011-12-31"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, stderr := runCLI(t, tt.args...)
			if !tt.warn {
				assert.NotContains(t, stderr, "observation end used")
				return
			}
			assert.Contains(t, stderr, "the last event is on 2030-01-05, after today")
			assert.Contains(t, stderr, "the observation end used is 2030-01-05")
			assert.Contains(t, stderr, "give --end YYYY-MM-DD")
		})
	}
}

// fit --model sbg reads a bare series (one count per line, no header) whole:
// it used to take the cohort size for a header and fit the rest (α 0.434
// instead of the paper's 0.668 on the "high end" segment of Fader & Hardie
// 2007, "How to project customer retention").
func TestFitSBGSeries(t *testing.T) {
	const highEnd = "1000\n869\n743\n653\n593\n551\n517\n491\n"
	tests := []struct {
		name, content string
		code          int
		alpha, beta   float64
		stderr        string
	}{
		{"bare series", highEnd, 0, 0.668, 3.806, ""},
		{"alive column", "period,alive\n0,1000\n1,869\n2,743\n3,653\n4,593\n5,551\n6,517\n7,491\n", 0, 0.668, 3.806, ""},
		{"one named column", "customers\n" + highEnd, 0, 0.668, 3.806, ""},
		{"one count", "1000\n", 1, 0, 0, "needs at least two counts"},
		{"bad count", "1000\n869\nabc\n", 1, 0, 0, `row 3: "abc" is not a number`},
		{"bad count in a column", "alive\n1000\nx\n", 1, 0, 0, `row 3, column "alive": "x" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "fit", "--model", "sbg", writeFile(t, "alive.csv", tt.content))
			require.Equal(t, tt.code, code, stderr)
			if tt.code != 0 {
				assert.Contains(t, stderr, tt.stderr)
				return
			}
			var m struct {
				Params map[string]float64 `json:"params"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &m))
			assert.InDelta(t, tt.alpha, m.Params["alpha"], 0.001)
			assert.InDelta(t, tt.beta, m.Params["beta"], 0.001)
		})
	}
}

// Seeds and A/B/C tiers rank by net revenue when the file has refunds (a
// customer who cancelled everything was seed #19 and tier A on the
// retailer export), and every run says which measure it used.
func TestNetValueByDefault(t *testing.T) {
	path := writeFile(t, "orders.csv", "customer_id,date,amount\nx,2024-01-01,100\nx,2024-01-05,-100\ny,2024-01-02,50\nz,2024-01-03,30\nw,2024-01-04,20\n")
	noRefunds := writeFile(t, "plain.csv", "customer_id,date,amount\nx,2024-01-01,100\ny,2024-01-02,50\n")
	tests := []struct {
		name   string
		args   []string
		row    string // a data row (the first for seeds)
		stderr string
	}{
		{"seeds: net", []string{"seeds", path}, "y,50,0,50", "value: net_revenue (purchases minus refunds: 1 customers have refunds; --net=false for gross revenue)"},
		{"seeds: gross asked", []string{"seeds", path, "--net=false"}, "x,100,0,100", "value: revenue (gross purchases; refunds not deducted)"},
		{"abc: net", []string{"segment", path, "--scheme", "abc"}, "x,0,C", "value: net_revenue"},
		{"abc: gross asked", []string{"segment", path, "--scheme", "abc", "--net=false"}, "x,100,A", "value: revenue (gross"},
		{"abc without refunds", []string{"segment", noRefunds, "--scheme", "abc"}, "x,100,A", "value: revenue (no customer has refunds"},
		{"grid schemes stay gross, and say so", []string{"segment", path, "--scheme", "referral"}, "x,100,0,affluents", "value: revenue (gross purchases: 1 customers have refunds; --net for net revenue)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tt.args...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
			lines := strings.Split(out, "\n")
			require.Greater(t, len(lines), 1)
			if tt.args[0] == "seeds" {
				assert.True(t, strings.HasPrefix(lines[1], tt.row), "first row %q, want %q…", lines[1], tt.row)
				return
			}
			assert.Contains(t, lines, tt.row)
		})
	}
}

func TestRetailSeedsNet(t *testing.T) {
	needRetail(t)
	// 12346 bought £77,183.60 and cancelled all of it.
	code, out, stderr := runCLI(t, append([]string{"seeds", retailExport, "--top", "25", "--net=false"}, retailFlags...)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, strings.Split(out, "\n")[1:21], "12346,77183.6,0,77183.6", "a top-20 seed by gross revenue")
	code, out, stderr = runCLI(t, append([]string{"seeds", retailExport, "--top", "25"}, retailFlags...)...)
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, out, "12346,")
	assert.Contains(t, stderr, "value: net_revenue")
}

// Discrete- and continuous-time models are not mixed: a clear refusal
// (exit 1) instead of BG/BB over daily opportunities or a BG/NBD that does
// not converge on donations.
func TestDiscreteContinuousRefused(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"bgbb on events", []string{"fit", "--model", "bgbb", "../../testdata/cdnow_sample.csv"}, "bgbb is a discrete-time model"},
		{"bgnbd on donations", []string{"fit", "--model", "bgnbd", "../../testdata/donations.csv"}, "use --model bgbb for these data"},
		{"pnbd predict on donations", []string{"predict", "--model", "pnbd", "../../testdata/donations.csv", "--spend", "1"}, "use --model bgbb for these data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, 1, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
		})
	}
}

// --margin 0 was taken as 1 (CLV of revenue); an explicit margin must now
// be in (0, 1], refused before any work otherwise, and predict says what
// its clv is.
func TestMarginAndCLVLabel(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"margin 0 refused", []string{"predict", "../../testdata/cdnow_sample.csv", "--model", "bgnbd", "--margin", "0"}, 2, "want a margin in (0, 1]"},
		{"margin above 1 refused", []string{"summary", "../../testdata/cdnow_sample.csv", "--margin", "1.5"}, 2, "want a margin in (0, 1]"},
		{"no margin: revenue, undiscounted, said", []string{"predict", "../../testdata/cdnow_sample.csv", "--model", "bgnbd", "--unit", "week", "--intervals", "0"}, 0,
			"clv: expected revenue (margin 1: give --margin for profit) over 52 weeks, undiscounted (give --annual-discount-rate to discount)"},
		{"margin and discounting said", []string{"predict", "../../testdata/cdnow_sample.csv", "--model", "bgnbd", "--unit", "week", "--intervals", "0", "--margin", "0.3", "--annual-discount-rate", "0.1"}, 0,
			"clv: expected profit (revenue × margin 0.3) over 52 weeks, discounted at 0.1828 % per week (10 % a year)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			require.Equal(t, tt.code, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
		})
	}
}

// Usage errors exit 2 before any work (the input file does not even
// exist), with hints for the usual mistakes.
func TestUsageErrorsBeforeWork(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.csv")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"negative horizon", []string{"predict", missing, "--model", "bgnbd", "--horizon", "-1"}, "--horizon -1: want a positive number"},
		{"negative discount rate", []string{"predict", missing, "--model", "bgnbd", "--discount-rate", "-0.1"}, "--discount-rate -0.1: want a rate ≥ 0"},
		{"negative annual rate", []string{"predict", missing, "--model", "bgnbd", "--annual-discount-rate", "-1"}, "--annual-discount-rate -1: want a rate ≥ 0"},
		{"predict to xlsx", []string{"predict", missing, "--model", "bgnbd", "-o", "out.xlsx"}, "does not write Excel workbooks; write .csv"},
		{"summary to xlsx", []string{"summary", missing, "-o", "out.xlsx"}, "does not write Excel workbooks"},
		{"cohort to xlsx", []string{"cohort", missing, "-o", "out.xlsx"}, "does not write Excel workbooks"},
		{"summary to unknown", []string{"summary", missing, "-o", "out.txt"}, "cannot tell the output format"},
		{"xlsx input", []string{"summary", "orders.xlsx"}, "orders.xlsx is a spreadsheet workbook, which valuekit does not read: save the sheet as CSV"},
		{"strftime layout", []string{"summary", missing, "--time-format", "%Y-%m-%d"}, `"%Y-%m-%d" is a strftime layout; valuekit takes Go layouts, written with the reference time Mon Jan 2 15:04:05 2006: give --time-format '2006-01-02'`},
		{"strftime with time", []string{"summary", missing, "--time-format", "%d/%m/%Y %H:%M"}, "give --time-format '02/01/2006 15:04'"},
		{"strftime untranslatable", []string{"summary", missing, "--time-format", "%Q"}, "looks like a strftime layout"},
		{"bad unit", []string{"predict", missing, "--model", "bgnbd", "--unit", "fortnight"}, "fortnight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
			assert.NotContains(t, stderr, "no such file")
		})
	}
}

// A semicolon-separated export read without --sep gets a hint.
func TestSemicolonHint(t *testing.T) {
	path := writeFile(t, "orders.csv", "customer_id;date;amount\n1;2020-01-01;12\n2;2020-01-02;3\n")
	for _, cmd := range []string{"summary", "cohort"} {
		t.Run(cmd, func(t *testing.T) {
			code, _, stderr := runCLI(t, cmd, path)
			assert.Equal(t, 1, code, stderr)
			assert.Contains(t, stderr, "hint: the header line is separated by semicolons: give --sep ';'")
		})
	}
	code, _, stderr := runCLI(t, "summary", path, "--sep", ";")
	assert.Equal(t, 0, code, stderr)
}

// seeds and migrate describe their own command and list only the flags
// they take (seeds listed eight segment flags it then refused).
func TestSeedsMigrateHelp(t *testing.T) {
	tests := []struct {
		cmd          string
		want, absent []string
	}{
		{"seeds", []string{"Lists the customers of highest total value", "-top", "-referral-share", "-value-per-share", "-profit"},
			[]string{"-scheme", "-x-cut", "-y-cut", "-tier-shares", "-portfolio", "-budget", "-allocation", "-at-risk", "-experience", "Places every customer"}},
		{"migrate", []string{"Segments the customers twice", "-before", "-after", "-scheme", "-tier-shares"},
			[]string{"-portfolio", "-budget", "-allocation", "-at-risk", "--portfolio prints"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.cmd, "--help")
			require.Equal(t, 0, code)
			for _, w := range tt.want {
				assert.Contains(t, stderr, w)
			}
			for _, a := range tt.absent {
				assert.NotContains(t, stderr, "  "+a+" ", a)
				assert.NotContains(t, stderr, a+"\n", a)
			}
		})
	}
}

// The default segment scheme (quadrant) needs feedback scores, which three
// of the four shared exports lack: without them the default is abc, said
// on stderr; an explicit quadrant says which flag to add.
func TestSegmentDefaultScheme(t *testing.T) {
	code, out, stderr := runCLI(t, "segment", "../../testdata/cdnow_sample.csv")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "scheme: abc (tiers by value): the data have no feedback scores")
	assert.True(t, strings.HasPrefix(out, "customer_id,revenue,segment\n"), out[:40])

	code, _, stderr = runCLI(t, "segment", "../../testdata/cdnow_sample.csv", "--scheme", "quadrant")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "name the score column with --experience COL, or choose --scheme referral, private or abc")

	code, _, stderr = runCLI(t, "segment", "../../testdata/shop_events.csv")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "scheme: abc", "shop_events has scores: quadrant stays the default")
}

// predict's output carries each customer's inputs, and with a calibration
// end the holdout actuals, after the existing columns (whose places do
// not change).
func TestPredictCarriesInputs(t *testing.T) {
	code, out, stderr := runCLI(t, "predict", "../../testdata/cdnow_sample.csv", "--model", "bgnbd", "--unit", "week",
		"--calibration-end", "1997-09-30", "--horizon", "39", "--spend", "35")
	require.Equal(t, 0, code, stderr)
	header := strings.SplitN(out, "\n", 2)[0]
	assert.Equal(t, "customer_id,expected_purchases,p_alive,clv,spend,clv_lower,clv_upper,expected_purchases_lower,expected_purchases_upper,"+
		"frequency,recency,T,monetary_value,holdout_frequency,holdout_revenue", header)
	row := csvRow(t, out, "1")
	assert.Equal(t, "2", row["frequency"])
	assert.InDelta(t, 30.43, csvFloat(t, row, "recency"), 0.005)
	assert.InDelta(t, 38.86, csvFloat(t, row, "T"), 0.005)
	assert.InDelta(t, 1.226, csvFloat(t, row, "expected_purchases"), 0.001, "the BG/NBD paper's figure")
	assert.Equal(t, "1", row["holdout_frequency"])
}
