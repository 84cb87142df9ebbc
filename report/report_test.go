package report_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/chart"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/report"
	"github.com/valuekit/valuekit/sampledata"
)

// input reads an event file and returns the report options of its whole
// period and, with a calibration end, its calibration summary.
func input(t *testing.T, r io.Reader, name string, ro *valuekit.ReadOptions, unit event.Unit, calEnd string) report.Options {
	t.Helper()
	ctx := context.Background()
	ev, err := valuekit.ReadCSV(r, name, ro)
	require.NoError(t, err)
	s, err := valuekit.Summarize(ctx, ev, &valuekit.SummaryOptions{Unit: unit})
	require.NoError(t, err)
	opts := report.Options{
		Source:  report.Source{File: name, Rows: ev.Rows},
		Summary: s,
		Events:  &report.Events{Customer: ev.Customers(), CustomerID: ev.Dictionary().ID, Time: ev.Times(), Kind: ev.Kinds(), Amount: ev.Amounts()},
	}
	if calEnd != "" {
		end, err := time.Parse(time.DateOnly, calEnd)
		require.NoError(t, err)
		opts.Calibration, err = valuekit.Summarize(ctx, ev, &valuekit.SummaryOptions{Unit: unit, CalibrationEnd: end})
		require.NoError(t, err)
	}
	return opts
}

func readFile(t *testing.T, path string) io.Reader {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return bytes.NewReader(b)
}

func summaryFile(t *testing.T, path string, unit event.Unit) *customers.Summary {
	t.Helper()
	s, err := valuekit.ReadSummaryFile(path, unit)
	require.NoError(t, err)
	return s
}

// render builds the report and returns its HTML.
func render(t *testing.T, opts report.Options) (*report.Report, string) {
	t.Helper()
	r, err := report.Build(context.Background(), opts)
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, r.WriteHTML(&b))
	return r, b.String()
}

// checkHTML checks that doc parses as HTML, that every element the
// report opens is closed in order, that every section is there, and that
// nothing is loaded from the network.
func checkHTML(t *testing.T, doc string) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	require.NoError(t, err)

	// Structural check on the tokens: void elements aside, every start tag
	// has its end tag, properly nested.
	void := map[string]bool{"meta": true, "img": true, "br": true, "hr": true, "link": true, "input": true}
	var stack []string
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			require.ErrorIs(t, z.Err(), io.EOF)
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			if !void[tok.Data] {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			require.NotEmpty(t, stack, "</%s> closes nothing", tok.Data)
			require.Equal(t, stack[len(stack)-1], tok.Data, "</%s> closes <%s>", tok.Data, stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		}
	}
	assert.Empty(t, stack, "unclosed elements")

	// Every section, in order, each with a heading.
	var ids []string
	var images, scripts int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if n.Data == "section" && a.Key == "id" {
					ids = append(ids, a.Val)
				}
				if a.Key == "src" || a.Key == "href" {
					assert.Regexp(t, `^(data:image/(svg\+xml|png);base64,|#)`, a.Val, "<%s %s>", n.Data, a.Key)
				}
			}
			switch n.Data {
			case "img":
				images++
			case "script", "link", "iframe", "object", "embed":
				scripts++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	assert.Equal(t, report.SectionIDs, ids)
	assert.Zero(t, scripts, "scripts or external objects")
	assert.NotRegexp(t, `(?i)https?://`, doc)
	lacks(t, doc, "url(")
}

func TestBuild(t *testing.T) {
	cases := []struct {
		name string
		opts func(t *testing.T) report.Options
		// want are texts the HTML must contain, charts the number of
		// charts at least.
		want   []string
		charts int
	}{
		{
			name: "CDNOW sample with a holdout",
			opts: func(t *testing.T) report.Options {
				o := input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "1997-09-30")
				o.Currency, o.AnnualDiscountRate = "US$", 0.1
				return o
			},
			want: []string{"2,357", "6,919 events", "1997-01-01 to 1998-06-30",
				"1,653.4", "1,882", // BG/NBD's holdout forecast against the actual purchase days (Fader, Hardie & Lee 2005)
				"Recommendation", "Use Pareto/NBD", "Top customers", "A/B/C tiers", "Champions", "Retention by cohort",
				"The profit × experience quadrant needs feedback scores"},
			charts: 10,
		},
		{
			name: "CDNOW sample without a holdout",
			opts: func(t *testing.T) report.Options {
				return input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "")
			},
			want:   []string{"No calibration end was given", "--calibration-end 1997-09-", "smallest BIC"},
			charts: 8,
		},
		{
			name: "shop with feedback and cost: the quadrant",
			opts: func(t *testing.T) report.Options {
				return input(t, readFile(t, "../testdata/shop_events.csv"), "shop_events.csv", nil, event.Week, "")
			},
			want:   []string{"Profit × experience", "Customers by profit and experience", "premium", "fragile"},
			charts: 9,
		},
		{
			name: "donations: discrete-time BG/BB",
			opts: func(t *testing.T) report.Options {
				s := summaryFile(t, "../testdata/donations.csv", event.Year)
				return report.Options{Summary: s, Discrete: true, Source: report.Source{File: "donations.csv", Rows: s.Len()}}
			},
			want: []string{"11,104", "discrete-time", "BG/BB", "1.204", // α of Fader, Hardie & Shang (2010)
				"−33,225.6", "Not available for this file", "Every history"},
			charts: 3,
		},
		{
			name: "CDNOW summary file: no events",
			opts: func(t *testing.T) report.Options {
				return report.Options{Summary: summaryFile(t, "../testdata/cdnow_sample_summary.csv", event.Week)}
			},
			want:   []string{"RFM does not apply here", "Cohorts need the events", "−9,582.4"},
			charts: 5,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, doc := render(t, tc.opts(t))
			checkHTML(t, doc)
			for _, w := range tc.want {
				has(t, doc, w)
			}
			assert.GreaterOrEqual(t, strings.Count(doc, "<img "), tc.charts)
			lacks(t, doc, "could not be drawn")
			require.NotNil(t, r.Model)
			for _, s := range r.Sections {
				assert.NotEmpty(t, s.Blocks, "section %s is empty", s.ID)
			}
		})
	}
}

// The CDNOW sample's report carries the published holdout figures and the
// results a Go caller may want.
func TestBuildResults(t *testing.T) {
	o := input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "1997-09-30")
	r, err := report.Build(context.Background(), o)
	require.NoError(t, err)
	require.NotNil(t, r.Validation)
	assert.InDelta(t, 1653.4, r.Validation.Scores[0].PredictedTotal, 0.05)
	assert.Equal(t, "pnbd", r.Validation.Recommended)
	assert.Equal(t, "pnbd", r.Model.Name())
	require.NotNil(t, r.Prediction)
	assert.Len(t, r.Prediction.CLV, 2357)
	assert.NotNil(t, r.Tiers)
	assert.NotNil(t, r.RFM)
	assert.NotNil(t, r.Cohorts)
	assert.Nil(t, r.Quadrant)
	require.Len(t, r.Fits, 4)
	for _, f := range r.Fits {
		assert.NoError(t, f.Err, f.Name)
	}

	o.Model = "bgnbd"
	r, err = report.Build(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, "bgnbd", r.Model.Name())
	assert.Equal(t, "it was asked for", r.ModelReason)
}

// A customer id, a file name or a title with markup is shown as text.
func TestEscaping(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("customer_id,date,amount\n")
	for m := 1; m <= 4; m++ { // the best customer by far
		for d := 1; d <= 28; d += 3 {
			fmt.Fprintf(&csv, "\"<script>alert(1)</script>\",2024-%02d-%02d,100\n", m, d)
		}
	}
	for c := 1; c <= 60; c++ {
		for k := 0; k <= c%4; k++ {
			fmt.Fprintf(&csv, "c%d,2024-0%d-%02d,%d\n", c, 1+k, 1+c%28, 10+c)
		}
	}
	o := input(t, strings.NewReader(csv.String()), `<img src=x onerror=alert(2)>.csv`, nil, event.Week, "")
	o.Title = `Report <b>"bold"</b> & more`
	_, doc := render(t, o)
	checkHTML(t, doc)
	lacks(t, doc, "<script>")
	lacks(t, doc, "<b>")
	lacks(t, doc, "<img src=x")
	has(t, doc, "&lt;script&gt;alert(1)&lt;/script&gt;")
	has(t, doc, "&lt;img src=x onerror=alert(2)&gt;.csv")
	has(t, doc, "Report &lt;b&gt;&#34;bold&#34;&lt;/b&gt; &amp; more")
}

// A fit at a limit of its model — Pareto/NBD on the retailer's export,
// where customers show no dropout it can tell from slow buying — is said
// in the report, not a failure.
func TestFitAtLimit(t *testing.T) {
	s := summaryFile(t, "../clv/testdata/online_retail_days.csv", event.Day)
	r, doc := render(t, report.Options{Summary: s, Model: "pnbd"})
	checkHTML(t, doc)
	require.NotNil(t, r.Model)
	assert.Equal(t, "pnbd", r.Model.Name())
	has(t, doc, "This Pareto/NBD fit sits at a limit of the model")
	has(t, doc, "read its P(alive) with care")
	has(t, doc, "at a limit") // in the side-by-side table
	require.NotNil(t, r.Prediction)
}

// Rows skipped while reading are counted and the first of them listed with
// the reason; customers who only refund and placeholder ids are pointed
// out.
func TestOverviewProblems(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("customer_id,date,amount\n")
	for c := 1; c <= 40; c++ {
		for k := 0; k <= c%3; k++ {
			fmt.Fprintf(&csv, "c%d,2024-0%d-%02d,%d\n", c, 1+k, 1+c%28, 10+c)
		}
	}
	for d := 1; d <= 20; d++ {
		fmt.Fprintf(&csv, "(blank),2024-02-%02d,50\n", d)
	}
	csv.WriteString("refunder,2024-02-03,-20\n")
	for k := range 15 {
		fmt.Fprintf(&csv, "bad%d,2024-13-%02d,5\n", k, k+1)
	}
	o := input(t, strings.NewReader(csv.String()), "orders.csv", &valuekit.ReadOptions{SkipBadRows: true, MaxBadRows: 12}, event.Week, "")
	ev, err := valuekit.ReadCSV(strings.NewReader(csv.String()), "orders.csv", &valuekit.ReadOptions{SkipBadRows: true, MaxBadRows: 12})
	require.NoError(t, err)
	o.Source.SkippedRows = ev.BadRowCount
	for _, b := range ev.BadRows {
		o.Source.Skipped = append(o.Source.Skipped, b.Error())
	}
	_, doc := render(t, o)
	checkHTML(t, doc)
	has(t, doc, "15 bad rows")
	has(t, doc, `orders.csv: row `)
	has(t, doc, "… and 5 more") // 10 shown of 15
	assert.Equal(t, 10, strings.Count(doc, "orders.csv: row "))
	has(t, doc, "Customer “(blank)” looks like a placeholder")
	has(t, doc, "1 customers have no purchase up to the observation end")
}

func TestBuildBadOptions(t *testing.T) {
	o := input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "")
	cases := []struct {
		name   string
		change func(o *report.Options)
		want   string
	}{
		{"no summary", func(o *report.Options) { o.Summary = nil }, "no summary"},
		{"empty summary", func(o *report.Options) { o.Summary = &customers.Summary{} }, "no customers"},
		{"unknown model", func(o *report.Options) { o.Model = "bgbb" }, `model "bgbb"`},
		{"calibration without holdout", func(o *report.Options) { o.Calibration = o.Summary }, "no holdout period"},
		{"negative horizon", func(o *report.Options) { o.Horizon = -1 }, "horizon -1"},
		{"margin above 1", func(o *report.Options) { o.Margin = 2 }, "margin 2"},
		{"negative discount", func(o *report.Options) { o.AnnualDiscountRate = -0.1 }, "discount rate"},
		{"negative top", func(o *report.Options) { o.TopCustomers = -1 }, "top customers"},
		{"chart format", func(o *report.Options) { o.ChartFormat = chart.Format("gif") }, "chart format"},
		{"event columns", func(o *report.Options) {
			ev := *o.Events
			ev.Amount = ev.Amount[:3]
			o.Events = &ev
		}, "different lengths"},
		{"no customer ids", func(o *report.Options) {
			ev := *o.Events
			ev.CustomerID = nil
			o.Events = &ev
		}, "CustomerID is nil"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oc := o
			tc.change(&oc)
			_, err := report.Build(context.Background(), oc)
			require.Error(t, err)
			assert.True(t, errors.Is(err, event.ErrOption), err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestBuildCancelled(t *testing.T) {
	o := input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "1997-09-30")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := report.Build(ctx, o)
	assert.ErrorIs(t, err, context.Canceled)
}

// PNG charts embed as PNG data URLs; a report without a creation time is
// the same from run to run.
func TestPNGAndDeterministic(t *testing.T) {
	o := input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "")
	o.ChartFormat = chart.PNG
	_, a := render(t, o)
	checkHTML(t, a)
	has(t, a, `src="data:image/png;base64,`)
	lacks(t, a, "image/svg+xml")
	_, b := render(t, o)
	assert.Equal(t, a, b)
	assert.NotRegexp(t, regexp.MustCompile(`made by valuekit on`), a)
}

// has checks that the HTML doc contains every text of want (without
// printing the whole document when it does not).
func has(t *testing.T, doc string, want ...string) {
	t.Helper()
	for _, w := range want {
		assert.Truef(t, strings.Contains(doc, w), "the report lacks %q", w)
	}
}

// lacks checks that the HTML doc contains none of the texts of bad.
func lacks(t *testing.T, doc string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		assert.Falsef(t, strings.Contains(doc, b), "the report has %q", b)
	}
}
