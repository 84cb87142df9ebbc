package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const shopEvents = "../../testdata/shop_events.csv"

// shopFacts are per-customer figures of testdata/shop_events.csv counted
// straight from the file, independently of the summary code.
type shopFacts struct {
	purchases, shares, scores int
	revenue, cost, refunds    float64
	lastPurchase              time.Time
	referred                  []string
}

func readShop(t *testing.T) (map[string]*shopFacts, time.Time) {
	t.Helper()
	f, err := os.Open(shopEvents)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"customer_id", "time", "kind", "amount", "cost", "referred_id", "score"}, rows[0])
	facts := map[string]*shopFacts{}
	var last time.Time
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		return v
	}
	for _, r := range rows[1:] {
		c := facts[r[0]]
		if c == nil {
			c = &shopFacts{}
			facts[r[0]] = c
		}
		at, err := time.Parse(time.RFC3339, r[1])
		require.NoError(t, err)
		if at.After(last) {
			last = at
		}
		switch r[2] {
		case "purchase":
			c.purchases++
			c.revenue += num(r[3])
			c.cost += num(r[4])
			if at.After(c.lastPurchase) {
				c.lastPurchase = at
			}
		case "refund":
			c.refunds += num(r[3])
		case "share":
			c.shares++
		case "referral":
			c.referred = append(c.referred, r[5])
		}
		if r[6] != "" {
			c.scores++
		}
	}
	return facts, last
}

// parseCSV parses CSV output and returns the header and the rows keyed by
// their first column, failing on a duplicate key.
func parseCSV(t *testing.T, out string) ([]string, map[string][]string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		_, dup := byID[r[0]]
		require.False(t, dup, "customer %s appears twice", r[0])
		byID[r[0]] = r
	}
	return rows[0], byID
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err, s)
	return v
}

var rfmNames = []string{"Champions", "Loyal", "Potential loyalist", "New", "Promising", "Need attention",
	"About to sleep", "At risk", "Can't lose them", "Hibernating", "Lost"}

// TestRFMCommand checks recency_days, frequency and monetary against
// figures counted from the event file itself, the score rules (1..5,
// equal values equal scores, higher = better) and the segment names.
func TestRFMCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "rfm", shopEvents)
	require.Equal(t, 0, code, stderr)
	head, rows := parseCSV(t, out)
	assert.Equal(t, []string{"customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"}, head)

	facts, last := readShop(t)
	endDay := last.Truncate(24 * time.Hour)
	buyers := 0
	for id, c := range facts {
		r, ok := rows[id]
		if c.purchases == 0 {
			assert.False(t, ok, "customer %s has no purchase and must be left out", id)
			continue
		}
		buyers++
		require.True(t, ok, "customer %s missing", id)
		days := int(endDay.Sub(c.lastPurchase.Truncate(24*time.Hour)).Hours() / 24)
		assert.Equal(t, strconv.Itoa(days), r[1], "recency_days of %s", id)
		assert.Equal(t, strconv.Itoa(c.purchases), r[2], "frequency of %s", id)
		assert.InDelta(t, c.revenue, num(t, r[3]), 1e-9, "monetary of %s", id)
		for _, s := range r[4:7] {
			assert.Contains(t, []string{"1", "2", "3", "4", "5"}, s)
		}
		assert.Contains(t, rfmNames, r[7])
	}
	assert.Len(t, rows, buyers)
	assert.Contains(t, stderr, strconv.Itoa(len(facts)-buyers)+" customers without a purchase in the period are left out")

	// equal values get equal scores; a strictly better value never a lower score
	for _, a := range rows {
		for _, b := range rows {
			for k, col := range []int{1, 2, 3} {
				va, vb := num(t, a[col]), num(t, b[col])
				sa, sb := num(t, a[4+k]), num(t, b[4+k])
				if col == 1 { // recency: fewer days is better
					va, vb = -va, -vb
				}
				switch {
				case va == vb:
					assert.Equal(t, sa, sb, "%s vs %s on %s", a[0], b[0], head[col])
				case va > vb:
					assert.GreaterOrEqual(t, sa, sb, "%s vs %s on %s", a[0], b[0], head[col])
				}
			}
		}
	}

	// --net takes refunds off
	code, out, stderr = runCLI(t, "rfm", shopEvents, "--net")
	require.Equal(t, 0, code, stderr)
	_, rows = parseCSV(t, out)
	for id, c := range facts {
		if c.purchases > 0 {
			assert.InDelta(t, c.revenue-c.refunds, num(t, rows[id][3]), 1e-9, id)
		}
	}
}

// TestRFMCommandCDNOW checks the CDNOW sample over the BTYD calibration
// period: customer 1 bought on 1997-01-01, 01-18 and 08-02 (29.33 + 29.73
// + 14.96), 59 days before 1997-09-30.
func TestRFMCommandCDNOW(t *testing.T) {
	code, out, stderr := runCLI(t, "rfm", "../../testdata/cdnow_sample.csv", "--calibration-end", "1997-09-30", "--bins", "10")
	require.Equal(t, 0, code, stderr)
	_, rows := parseCSV(t, out)
	assert.Len(t, rows, 2357)
	assert.Equal(t, []string{"1", "59", "3", "74.02"}, rows["1"][:4])
	for _, r := range rows {
		for _, s := range r[4:7] {
			v := num(t, s)
			assert.True(t, v >= 1 && v <= 10, s)
		}
		assert.Contains(t, rfmNames, r[7]) // named from quintile scores
	}

	code, out, stderr = runCLI(t, "rfm", "../../testdata/cdnow_sample.csv", "--segments")
	require.Equal(t, 0, code, stderr)
	for _, name := range rfmNames {
		assert.Contains(t, out, name)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "segments.csv")
	code, _, stderr = runCLI(t, "rfm", "../../testdata/cdnow_sample.csv", "--segments", "-o", file)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	head, rows := parseCSV(t, string(b))
	assert.Equal(t, "segment,customers,customer_share,revenue,revenue_share", strings.Join(head[:5], ","))
	total, share := 0.0, 0.0
	for _, r := range rows {
		total += num(t, r[1])
		share += num(t, r[4])
	}
	assert.Equal(t, 2357.0, total)
	assert.InDelta(t, 1, share, 1e-12)
	for _, name := range []string{"r.json", "r.parquet"} {
		code, _, stderr = runCLI(t, "rfm", "../../testdata/cdnow_sample.csv", "-o", filepath.Join(dir, name))
		require.Equal(t, 0, code, stderr)
	}
	b, err = os.ReadFile(filepath.Join(dir, "r.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"customer_id":"1","recency_days":`)
}

var cutsRe = regexp.MustCompile(`cuts: (\S+) (\S+), (\S+) (\S+)`)

// TestSegmentQuadrant checks that every customer is in exactly one
// quadrant, that the customers without a feedback score are exactly the
// unknown ones, and that the others sit on the right side of the reported
// cuts, which are the lower medians of the file's own figures.
func TestSegmentQuadrant(t *testing.T) {
	facts, _ := readShop(t)
	for _, profit := range []string{"revenue", "profit"} {
		code, out, stderr := runCLI(t, "segment", shopEvents, "--scheme", "quadrant", "--profit", profit)
		require.Equal(t, 0, code, stderr)
		head, rows := parseCSV(t, out)
		assert.Equal(t, []string{"customer_id", profit, "experience", "segment"}, head)
		require.Len(t, rows, len(facts))

		m := cutsRe.FindStringSubmatch(stderr)
		require.NotNil(t, m, stderr)
		xCut, yCut := num(t, m[2]), num(t, m[4])
		var values []float64
		for id, c := range facts {
			v := c.revenue
			if profit == "profit" {
				v = c.revenue - c.refunds - c.cost
			}
			values = append(values, v)
			assert.InDelta(t, v, num(t, rows[id][1]), 1e-9, id)
		}
		slices.Sort(values)
		assert.InDelta(t, values[(len(values)+1)/2-1], xCut, 1e-3, "lower median of %s", profit)

		seen := map[string]int{}
		for id, c := range facts {
			r := rows[id]
			seen[r[3]]++
			if c.scores == 0 {
				assert.Equal(t, "unknown", r[3], "%s has no score", id)
				assert.Equal(t, "", r[2], "%s has no experience", id)
				continue
			}
			hiX, hiY := num(t, r[1]) > xCut, num(t, r[2]) > yCut
			want := map[[2]bool]string{{true, true}: "premium", {true, false}: "fragile", {false, true}: "free-rider", {false, false}: "abandonable"}[[2]bool{hiX, hiY}]
			assert.Equal(t, want, r[3], id)
		}
		for _, name := range []string{"premium", "fragile", "free-rider", "abandonable", "unknown"} {
			assert.Positive(t, seen[name], "%s: segment %s is empty on this data", profit, name)
		}
		assert.Len(t, seen, 5)
	}

	// fixed and quantile cuts
	code, out, stderr := runCLI(t, "segment", shopEvents, "--x-cut", "q0.75", "--y-cut", "7")
	require.Equal(t, 0, code, stderr)
	_, rows := parseCSV(t, out)
	assert.Contains(t, stderr, ", experience 7\n")
	for _, r := range rows {
		if r[3] == "premium" || r[3] == "free-rider" {
			assert.Greater(t, num(t, r[2]), 7.0)
		}
	}
}

// TestSegmentSchemes checks the referral, private and abc schemes against
// figures counted from the file.
func TestSegmentSchemes(t *testing.T) {
	facts, _ := readShop(t)

	// referral value: the revenue of the customers referred (share 1);
	// referred people not in the file (C901, C902) count 0.
	code, out, stderr := runCLI(t, "segment", shopEvents, "--scheme", "referral")
	require.Equal(t, 0, code, stderr)
	head, rows := parseCSV(t, out)
	assert.Equal(t, []string{"customer_id", "revenue", "referral_value", "segment"}, head)
	require.Len(t, rows, len(facts))
	for id, c := range facts {
		want := 0.0
		for _, r := range c.referred {
			if f := facts[r]; f != nil {
				want += f.revenue
			}
		}
		assert.InDelta(t, want, num(t, rows[id][2]), 1e-9, "referral value of %s", id)
		assert.Contains(t, []string{"champions", "affluents", "advocates", "misers"}, rows[id][3])
	}
	code, out, stderr = runCLI(t, "segment", shopEvents, "--scheme", "referral", "--referral-share", "0.5")
	require.Equal(t, 0, code, stderr)
	_, half := parseCSV(t, out)
	for id := range facts {
		assert.InDelta(t, num(t, rows[id][2])/2, num(t, half[id][2]), 1e-9, id)
	}

	code, out, stderr = runCLI(t, "segment", shopEvents, "--scheme", "private")
	require.Equal(t, 0, code, stderr)
	head, rows = parseCSV(t, out)
	assert.Equal(t, []string{"customer_id", "frequency", "interaction", "segment"}, head)
	for id, c := range facts {
		assert.Equal(t, strconv.Itoa(c.purchases), rows[id][1], id)
		assert.Equal(t, strconv.Itoa(c.shares+c.scores), rows[id][2], id)
		assert.Contains(t, []string{"core", "transactional", "engaged", "unsuitable"}, rows[id][3])
	}

	// abc on CDNOW: A is the smallest top group making 80% of revenue
	code, out, stderr = runCLI(t, "segment", "../../testdata/cdnow_sample.csv", "--scheme", "abc")
	require.Equal(t, 0, code, stderr)
	head, rows = parseCSV(t, out)
	assert.Equal(t, []string{"customer_id", "revenue", "segment"}, head)
	require.Len(t, rows, 2357)
	var total, a, minA float64
	minA = math.Inf(1)
	for _, r := range rows {
		v := num(t, r[1])
		total += v
		assert.Contains(t, []string{"A", "B", "C"}, r[2])
		if r[2] == "A" {
			a += v
			minA = min(minA, v)
		}
	}
	assert.GreaterOrEqual(t, a/total, 0.8-1e-12)
	assert.Less(t, (a-minA)/total, 0.8)

	code, out, stderr = runCLI(t, "segment", "../../testdata/cdnow_sample.csv", "--scheme", "abc", "--tier-shares", "0.5,0.3,0.15")
	require.Equal(t, 0, code, stderr)
	_, rows = parseCSV(t, out)
	tiers := map[string]bool{}
	for _, r := range rows {
		tiers[r[2]] = true
	}
	assert.Equal(t, map[string]bool{"A": true, "B": true, "C": true, "D": true}, tiers)
}

// TestSegmentCLVPortfolio segments the CDNOW sample by BG/NBD CLV and
// checks the portfolio: shares sum to 1 and the budget is allocated.
func TestSegmentCLVPortfolio(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "bgnbd.json")
	cdnow := "../../testdata/cdnow_sample.csv"
	code, _, stderr := runCLI(t, "fit", "--model", "bgnbd", cdnow, "--unit", "week", "--end", "1997-09-30", "-o", model)
	require.Equal(t, 0, code, stderr)

	code, out, stderr := runCLI(t, "segment", cdnow, "--scheme", "abc", "--profit", "clv", "--model-file", model,
		"--unit", "week", "--end", "1997-09-30", "--horizon", "39", "--spend", "35")
	require.Equal(t, 0, code, stderr)
	head, rows := parseCSV(t, out)
	assert.Equal(t, []string{"customer_id", "clv", "segment"}, head)
	// customer 1 (x = 2, t_x = 30.43, T = 38.86): 1.226 expected purchases
	// in 39 weeks (Fader, Hardie & Lee 2005), 3 purchases so far at 35 each;
	// undiscounted CLV = 35 × 1.226
	assert.InDelta(t, 35*1.226, num(t, rows["1"][1]), 35*0.0005)

	file := filepath.Join(dir, "portfolio.csv")
	code, _, stderr = runCLI(t, "segment", cdnow, "--scheme", "referral", "--profit", "clv", "--model-file", model,
		"--unit", "week", "--end", "1997-09-30", "--spend", "35", "--portfolio", "--budget", "1000", "--allocation", "risk", "-o", file)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "no referrals")
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	head, prow := parseCSV(t, string(b))
	assert.Equal(t, []string{"segment", "customers", "customer_share", "total_value", "mean_value", "value_share", "mean_p_alive"}, head[:7])
	assert.Contains(t, head, "budget")
	budget := slices.Index(head, "budget")
	var customers, cshare, budgetSum float64
	for name, r := range prow {
		if name == "total" {
			assert.Equal(t, "2357", r[1])
			assert.InDelta(t, 1000, num(t, r[budget]), 1e-9)
			continue
		}
		customers += num(t, r[1])
		cshare += num(t, r[2])
		budgetSum += num(t, r[budget])
	}
	assert.Equal(t, 2357.0, customers)
	assert.InDelta(t, 1, cshare, 1e-12)
	assert.InDelta(t, 1000, budgetSum, 1e-9)

	// a summary file (x, t_x, T) segments by CLV too; the portfolio as JSON
	code, out, stderr = runCLI(t, "segment", "../../testdata/cdnow_sample_summary.csv", "--scheme", "abc", "--profit", "clv",
		"--model-file", model, "--spend", "35", "--horizon", "39")
	require.Equal(t, 0, code, stderr)
	_, rows = parseCSV(t, out)
	assert.Len(t, rows, 2357)
	assert.InDelta(t, 35*1.226, num(t, rows["1"][1]), 35*0.0005)
	jsonFile := filepath.Join(dir, "portfolio.json")
	code, _, stderr = runCLI(t, "segment", "../../testdata/cdnow_sample_summary.csv", "--scheme", "abc", "--profit", "clv",
		"--model-file", model, "--spend", "35", "--portfolio", "-o", jsonFile)
	require.Equal(t, 0, code, stderr)
	b, err = os.ReadFile(jsonFile)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"segment":"A","customers":`)
	assert.Contains(t, string(b), `"segment":"total","customers":2357,`)

	// With --profit profit the expected value is the CLV at the file's
	// profit margin (net revenue − cost over net revenue, counted from the
	// file): the --profit revenue figure times that margin.
	facts, _ := readShop(t)
	var profitSum, netSum float64
	for _, c := range facts {
		profitSum += c.revenue - c.refunds - c.cost
		netSum += c.revenue - c.refunds
	}
	next := map[string]float64{}
	for _, profit := range []string{"revenue", "profit"} {
		file := filepath.Join(dir, profit+".csv")
		code, _, stderr = runCLI(t, "segment", shopEvents, "--scheme", "abc", "--profit", profit, "--model", "bgnbd", "--spend", "40", "--portfolio", "-o", file)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		head, prow := parseCSV(t, string(b))
		next[profit] = num(t, prow["total"][slices.Index(head, "expected_next")])
	}
	assert.Positive(t, next["revenue"])
	assert.InDelta(t, next["revenue"]*profitSum/netSum, next["profit"], 1e-6*next["revenue"])

	// text portfolio on the shop events, model fitted on the file
	code, out, stderr = runCLI(t, "segment", shopEvents, "--portfolio", "--model", "bgnbd", "--budget", "500")
	require.Equal(t, 0, code, stderr)
	for _, name := range []string{"premium", "fragile", "free-rider", "abandonable", "unknown", "total", "mean_p_alive", "value_at_risk", "budget"} {
		assert.Contains(t, out, name)
	}
	assert.Contains(t, stderr, "3 customers without a purchase in the period have clv 0")
}

func TestSegmentErrors(t *testing.T) {
	cdnow := "../../testdata/cdnow_sample.csv"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"segment help", []string{"segment", "--help"}, 0, "-scheme"},
		{"rfm help", []string{"rfm", "--help"}, 0, "recency_days"},
		{"rfm bins", []string{"rfm", "--bins", "1", shopEvents}, 2, "--bins 1"},
		{"rfm cuts count", []string{"rfm", "--recency-cuts", "30,90", shopEvents}, 2, "want 4 comma-separated numbers"},
		{"rfm cuts order", []string{"rfm", "--recency-cuts", "30,90,60,365", shopEvents}, 2, "ascending"},
		{"rfm unknown flag", []string{"rfm", "--bogus", shopEvents}, 2, "flag provided but not defined"},
		{"rfm summary file", []string{"rfm", "../../testdata/cdnow_sample_summary.csv"}, 1, "rfm needs an event file"},
		{"rfm bad output", []string{"rfm", shopEvents, "-o", "out.xlsx"}, 2, "cannot tell the output format"},
		{"bad scheme", []string{"segment", "--scheme", "quintile", shopEvents}, 2, `--scheme "quintile"`},
		{"bad profit", []string{"segment", "--profit", "margin", shopEvents}, 2, `--profit "margin"`},
		{"bad cut", []string{"segment", "--x-cut", "q1.5", shopEvents}, 2, "--x-cut"},
		{"bad number cut", []string{"segment", "--y-cut", "high", shopEvents}, 2, "--y-cut"},
		{"cut on abc", []string{"segment", "--scheme", "abc", "--x-cut", "q0.5", shopEvents}, 2, "not abc"},
		{"tier shares", []string{"segment", "--scheme", "abc", "--tier-shares", "0.9,0.2", shopEvents}, 2, "more than 1"},
		{"clv without model", []string{"segment", "--profit", "clv", shopEvents}, 2, "needs a transaction model"},
		{"two models", []string{"segment", "--profit", "clv", "--model", "bgnbd", "--model-file", "m.json", shopEvents}, 2, "at most one"},
		{"model not transaction", []string{"segment", "--profit", "clv", "--model", "gg", shopEvents}, 2, `--model "gg"`},
		{"net with profit", []string{"segment", "--profit", "profit", "--net", shopEvents}, 2, "--net"},
		{"budget without portfolio", []string{"segment", "--budget", "10", shopEvents}, 2, "--portfolio only"},
		{"risk without model", []string{"segment", "--portfolio", "--allocation", "risk", shopEvents}, 2, "needs P(alive)"},
		{"bad allocation", []string{"segment", "--portfolio", "--allocation", "random", shopEvents}, 2, "--allocation"},
		{"experience and score differ", []string{"segment", "--experience", "rating", "--score", "nps", shopEvents}, 2, "different columns"},
		{"missing experience column", []string{"segment", "--experience", "rating", shopEvents}, 1, `"rating"`},
		{"no scores", []string{"segment", "--scheme", "quadrant", cdnow}, 1, "no customer has a feedback score"},
		{"no cost", []string{"segment", "--scheme", "abc", "--profit", "profit", cdnow}, 1, "needs a cost column"},
		{"weighted summary", []string{"segment", "--scheme", "abc", "../../testdata/donations.csv"}, 1, "weights column"},
		{"summary without revenue", []string{"segment", "--scheme", "abc", "../../testdata/cdnow_sample_summary.csv"}, 1, "--profit clv works"},
		{"summary without scores", []string{"segment", "--scheme", "quadrant", "../../testdata/cdnow_sample_summary.csv", "--profit", "clv", "--model", "bgnbd", "--spend", "20"}, 1, "summary file has a feedback score"},
		{"missing model file", []string{"segment", "--profit", "clv", "--model-file", "nope.json", shopEvents}, 1, "nope.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, tt.code, code, stderr)
			assert.Contains(t, stderr, tt.stderr)
		})
	}
}

// FuzzSegmentFlags runs rfm and segment on the shop events with fuzzed flag
// values: whatever the user types, the answer is exit status 0, 1 or 2 with
// a message, never a panic, and a successful run prints no non-finite value.
func FuzzSegmentFlags(f *testing.F) {
	f.Add("quadrant", "revenue", "median", "median", "", "value", "0", "5", false)
	f.Add("abc", "profit", "", "", "0.5,0.3", "equal", "100", "3", true)
	f.Add("referral", "clv", "q0.9", "-1e308", "1", "risk", "NaN", "101", true)
	f.Add("private", "revenue", "q", "1e400", "0.9,0.2", "x", "-1", "0", false)
	f.Fuzz(func(t *testing.T, scheme, profit, xCut, yCut, tierShares, allocation, budget, bins string, portfolio bool) {
		args := []string{"segment", shopEvents, "--scheme", scheme, "--profit", profit}
		for _, fl := range [][2]string{{"--x-cut", xCut}, {"--y-cut", yCut}, {"--tier-shares", tierShares}, {"--allocation", allocation}, {"--budget", budget}} {
			if fl[1] != "" {
				args = append(args, fl[0], fl[1])
			}
		}
		if portfolio {
			args = append(args, "--portfolio")
		}
		if profit == "clv" {
			args = append(args, "--model", "bgnbd")
		}
		for _, a := range [][]string{args, {"rfm", shopEvents, "--bins", bins, "--recency-cuts", xCut}} {
			code, out, stderr := runCLI(t, a...)
			switch code {
			case 0:
				if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
					t.Fatalf("%v: non-finite value in output: %q", a, out)
				}
			case 1, 2:
				if stderr == "" {
					t.Fatalf("%v: exit %d without a message", a, code)
				}
			default:
				t.Fatalf("%v: exit status %d", a, code)
			}
		}
	})
}
