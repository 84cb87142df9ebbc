package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/segment"
)

// cdnowWithScores returns the CDNOW sample with a score column: a feedback
// score of 1 to 10 on every third row, empty on the others, so that the
// quadrant has an experience axis and some customers are unknown.
func cdnowWithScores(t *testing.T) (header string, rows []string) {
	t.Helper()
	data, err := os.ReadFile("../../testdata/cdnow_sample.csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	header = lines[0] + ",score\n"
	for i, l := range lines[1:] {
		score := ""
		if i%3 == 0 {
			score = strconv.Itoa(1 + (i*7)%10)
		}
		rows = append(rows, l+","+score+"\n")
	}
	return header, rows
}

// The pipeline's PREFIX-portfolio.csv and .json hold the portfolio that
// valuekit segment --scheme abc|quadrant --profit clv --model bgnbd --spend gg
// --portfolio gives on one machine (analysis.Segment, then its
// Portfolio): the same columns, rows and counts, figures within 1e-9
// relative.
func TestPortfolioMatchesOneMachine(t *testing.T) {
	header, rows := cdnowWithScores(t)
	in := t.TempDir()
	writeParts(t, in, header, shuffled(rows, 3), "a.csv", "b.csv.gz", "c.parquet")

	// One machine: the whole sample in file order, the CLI's calls.
	ev, err := valuekit.ReadCSV(strings.NewReader(header+strings.Join(rows, "")), "cdnow_scores.csv", nil)
	require.NoError(t, err)
	sum, err := valuekit.Summarize(context.Background(), ev, &valuekit.SummaryOptions{Unit: valuekit.Week})
	require.NoError(t, err)

	for _, c := range []struct {
		name   string
		scheme string
		o      Options
	}{
		{"abc", "abc", Options{Shards: 5}},
		{"abc, budget by value at risk, at-risk 0.7", "abc", Options{Shards: 3, Budget: 10000, Allocation: "risk", AtRisk: 0.7}},
		{"quadrant, budget by value", "quadrant", Options{Shards: 7, Budget: 2500}},
		{"quadrant, equal budget, one shard", "quadrant", Options{Shards: 1, Budget: 100, Allocation: "equal", AtRisk: 0.2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			o.Input, o.Output, o.Segments = filepath.Join(in, "*"), filepath.Join(t.TempDir(), "run"), c.scheme
			o.Unit, o.AnnualDiscount = "week", 0.1
			run(t, o)
			require.NoError(t, o.check())

			po := o.predictOptions()
			opts := analysis.SegmentOptions{Scheme: c.scheme, Value: "clv", Portfolio: true,
				Model: &analysis.ModelValueOptions{ModelName: clv.NameBGNBD, Spend: analysis.Spend{Fit: true},
					Horizon: po.Horizon, DiscountRate: po.DiscountRate}}
			want := onePortfolio(t, sum, o, c.scheme, opts)
			wantRec := want.Records()

			got := readCSV(t, o.Output+"-portfolio.csv")
			require.Len(t, got, len(wantRec))
			assert.Equal(t, wantRec[0], got[0], "columns")
			assertRecordsNear(t, wantRec, got)

			// The JSON file holds the same rows.
			b, err := os.ReadFile(o.Output + "-portfolio.json")
			require.NoError(t, err)
			var objs []map[string]any
			require.NoError(t, json.Unmarshal(b, &objs))
			require.Len(t, objs, len(wantRec)-1)
			fromJSON := [][]string{wantRec[0]}
			for _, obj := range objs {
				var r []string
				for _, name := range wantRec[0] {
					r = append(r, fmt.Sprint(obj[name]))
				}
				fromJSON = append(fromJSON, r)
			}
			assertRecordsNear(t, wantRec, fromJSON)

			// The customers add up; the rows are the scheme's segments.
			assert.Equal(t, "total", got[len(got)-1][0])
			assert.Equal(t, strconv.Itoa(sum.Len()), got[len(got)-1][1])
			t.Logf("%s portfolio:\n%v", c.name, got)
		})
	}
}

// assertRecordsNear compares portfolio records cell by cell: text and
// counts exactly, numbers within 1e-9 relative (1e-9 absolute near 0).
func assertRecordsNear(t *testing.T, want, got [][]string) {
	t.Helper()
	for i := 1; i < len(want); i++ {
		require.Len(t, got[i], len(want[i]), "row %d", i)
		for j, w := range want[i] {
			name := want[0][j]
			if name == "segment" || name == "customers" || name == "at_risk" {
				assert.Equal(t, w, got[i][j], "row %s, %s", want[i][0], name)
				continue
			}
			wv, err := strconv.ParseFloat(w, 64)
			require.NoError(t, err)
			gv, err := strconv.ParseFloat(got[i][j], 64)
			require.NoError(t, err, "row %s, %s: %q", want[i][0], name, got[i][j])
			assert.LessOrEqual(t, math.Abs(wv-gv), 1e-9*math.Max(1, math.Abs(wv)), "row %s, %s: want %v, got %v", want[i][0], name, wv, gv)
		}
	}
}

func TestPortfolioOptionsCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
	}{
		{"negative budget", Options{Segments: "abc", Budget: -1}},
		{"infinite budget", Options{Segments: "abc", Budget: math.Inf(1)}},
		{"unknown allocation", Options{Segments: "quadrant", Budget: 1, Allocation: "random"}},
		{"at-risk above 1", Options{Segments: "abc", AtRisk: 1.5}},
		{"budget without a portfolio", Options{Budget: 10}},
		{"allocation with rfm", Options{Segments: "rfm", Allocation: "equal"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			o.Input, o.Output = "x", "x"
			assert.ErrorIs(t, o.check(), valuekit.ErrOption)
		})
	}
	// The defaults (valuekit-beam's flag defaults) need no segments.
	o := Options{Input: "x", Output: "x", Allocation: "value", AtRisk: 0.5}
	assert.NoError(t, o.check())
}

// On a generated base with referrals, shares and feedback, plus customers
// with feedback only — unscored (no purchase), so CLV 0 and P(alive) 1 —
// the portfolio equals the one-machine one too.
func TestPortfolioMatchesOneMachineGenerated(t *testing.T) {
	for _, c := range []struct {
		name   string
		scheme string
		o      Options
	}{
		{"abc, 5,000 customers, 9 shards, budget by risk", "abc", Options{Unit: "week", Shards: 9, Budget: 1000, Allocation: "risk"}},
		{"quadrant, 5,000 customers, 4 shards, margin", "quadrant", Options{Unit: "day", Shards: 4, Margin: 0.3, Budget: 50, AtRisk: 0.9}},
	} {
		t.Run(c.name, func(t *testing.T) {
			header, rows := generated(t, 5000, 11)
			for k := range 40 {
				rows = append(rows, fmt.Sprintf("feedback-only-%d,2025-0%d-1%dT12:00:00Z,feedback,0,,%d\n", k, 1+k%6, k%10, 1+k%5))
			}
			dir := t.TempDir()
			writeParts(t, dir, header, shuffled(rows, 5), "a.csv", "b.csv", "c.parquet")
			o := c.o
			o.Input, o.Output, o.Segments = filepath.Join(dir, "*"), filepath.Join(t.TempDir(), "run"), c.scheme
			run(t, o)
			require.NoError(t, o.check())
			p, sum := oneMachineSummary(t, header, rows, o)
			r := segmentRun{o: o, predict: p, sum: sum}

			opts := analysis.SegmentOptions{Scheme: c.scheme, Value: "clv", Margin: o.Margin, Portfolio: true, Model: r.modelValue()}
			want := onePortfolio(t, sum, o, c.scheme, opts)
			unscored := 0
			for _, s := range p.Scored {
				if !s {
					unscored++
				}
			}
			assert.GreaterOrEqual(t, unscored, 40)
			wantRec := want.Records()
			got := readCSV(t, o.Output+"-portfolio.csv")
			require.Len(t, got, len(wantRec))
			assert.Equal(t, wantRec[0], got[0], "columns")
			assertRecordsNear(t, wantRec, got)
			t.Logf("%d of %d customers unscored; %v", unscored, sum.Len(), got[len(got)-1])
		})
	}
}

// onePortfolio is the portfolio the CLI's segment --portfolio gives on one
// machine for scheme with opts and the run's budget options.
func onePortfolio(t *testing.T, sum *valuekit.Summary, o Options, scheme string, opts analysis.SegmentOptions) *segment.Portfolio {
	t.Helper()
	if scheme == "quadrant" {
		opts.Grid = segment.ProfitExperience()
	}
	g, err := analysis.Segment(context.Background(), sum, opts)
	require.NoError(t, err)
	rule, err := segment.ParseAllocation(o.allocation())
	require.NoError(t, err)
	want, err := g.Portfolio(&segment.PortfolioOptions{Budget: o.Budget, Allocation: rule, AtRisk: o.AtRisk})
	require.NoError(t, err)
	return want
}
