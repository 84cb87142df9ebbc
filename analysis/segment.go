package analysis

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/segment"
	"github.com/valuekit/valuekit/table"
)

// ModelValueOptions choose the transaction model behind a segmentation's
// CLV and P(alive) (see ModelValues).
type ModelValueOptions struct {
	// Model is the transaction model; when nil, the one named ModelName
	// (bgnbd, pnbd, mbgnbd) is fitted to the summary.
	Model     clv.TransactionModel
	ModelName string
	// Spend per purchase (see Spend).
	Spend Spend
	// Horizon of the CLV in the summary's unit (0: one year, see
	// ResolveScale) and discount rate per unit, or per year
	// (AnnualDiscountRate, converted to the unit).
	Horizon, DiscountRate, AnnualDiscountRate float64
}

// ModelValues returns every customer's discounted CLV over the horizon at
// the given margin (0 means 1) and P(alive), in summary order. Customers
// without a purchase in the period, whom the model does not describe, get
// CLV 0 (as in Predict) and P(alive) 1: they are present, not lapsed.
func ModelValues(ctx context.Context, s *customers.Summary, opts ModelValueOptions, margin float64, report func(string)) (clvAll, alive []float64, err error) {
	rows, err := ModelRows(s)
	if err != nil {
		return nil, nil, err
	}
	tm, err := transactionModel(ctx, opts.Model, opts.ModelName, s, rows, report)
	if err != nil {
		return nil, nil, err
	}
	scale, err := ResolveScale(tm, s, opts.Horizon, opts.DiscountRate, opts.AnnualDiscountRate, false, report)
	if err != nil {
		return nil, nil, err
	}
	co := clv.CLVOptions{Horizon: scale.Horizon, DiscountRate: scale.DiscountRate, Margin: margin}
	if err := SetSpend(ctx, &co, opts.Spend, s, rows, report); err != nil {
		return nil, nil, err
	}
	say(report, "%s", DescribeCLV(scale, margin, false, co.Refunds != nil))
	f, err := clv.NewForecast(ctx, tm, rows.Data, co, nil)
	if err != nil {
		return nil, nil, err
	}
	if len(rows.Rows) == s.Len() {
		return f.CLV, f.Alive, nil
	}
	clvAll, alive = make([]float64, s.Len()), make([]float64, s.Len())
	for i := range alive {
		alive[i] = 1
	}
	for k, i := range rows.Rows {
		clvAll[i], alive[i] = f.CLV[k], f.Alive[k]
	}
	say(report, "note: %d customers without a purchase in the period have clv 0 and count as P(alive) 1", s.Len()-len(rows.Rows))
	return clvAll, alive, nil
}

// SegmentOptions configure Segment.
type SegmentOptions struct {
	// Scheme is quadrant (VALUE × experience: premium, fragile, free-rider,
	// abandonable), referral (VALUE × referral value: champions,
	// affluents, advocates, misers), private (purchase events × share and
	// feedback events: core, transactional, engaged, unsuitable) or abc
	// (tiers by cumulative share of VALUE).
	Scheme string
	// AutoScheme says Scheme is the default rather than the caller's
	// choice: when it is quadrant and no customer has a feedback score,
	// abc (tiers by value, which any data support) is used instead, said
	// in a note.
	AutoScheme bool
	// Grid is the two-axis classifier of the grid schemes with its cuts
	// (see segment.Preset); Tiers the tier options of abc (nil: A/B/C at
	// 80 % and 15 % of the value).
	Grid  segment.Grid
	Tiers *segment.TierOptions
	// Value is the VALUE measure: revenue, profit (net revenue − cost, or
	// × margin) or clv (needs Model). Revenue is net of refunds with Net,
	// gross with Gross, and otherwise net for the abc tiers when some
	// customer has refunds, gross for the grid schemes (see RevenueNet).
	Value string
	Net   bool
	Gross bool
	// Margin is the summary's margin option (0: none); it values the CLV.
	Margin float64
	// ReferralShare is the share in [0, 1] of a referred customer's VALUE
	// credited to the referrer (referral scheme).
	ReferralShare float64
	// Portfolio says the values feed a portfolio, so they are needed even
	// for the private scheme.
	Portfolio bool
	// Model, if not nil, gives each customer's CLV and P(alive).
	Model *ModelValueOptions
	// ScoreColumn is the event column of the feedback scores, named when
	// no customer has one.
	ScoreColumn string
	// Report, if not nil, receives notes (the cuts used, margins), one line
	// each.
	Report func(string)
}

// Segmentation places every customer of a summary in exactly one segment.
type Segmentation struct {
	// Table holds customer_id and the axis values used, in summary order.
	Table      *table.Table
	Assignment segment.Assignment
	// Scheme is the scheme used (see SegmentOptions.AutoScheme).
	Scheme string
	// ValueName and Value are the VALUE measure.
	ValueName string
	Value     []float64
	// Alive and CLV come with a model; NextValue says CLV is in the unit of
	// the VALUE measure (so it can stand for next period's value).
	Alive, CLV []float64
	NextValue  bool
}

// Segment classifies every customer of s (see SegmentOptions).
func Segment(ctx context.Context, s *customers.Summary, opts SegmentOptions) (*Segmentation, error) {
	if opts.AutoScheme && opts.Scheme == "quadrant" && !hasScores(s) {
		opts.Scheme = "abc"
		say(opts.Report, "scheme: abc (tiers by value): the data have no feedback scores for the default quadrant scheme (value × experience); "+
			"give --scheme referral, private or abc to choose, or --experience COL to name the score column")
	}
	var clvAll, alive []float64
	nextValue := true // clvAll is in the unit of the VALUE measure
	var err error
	if opts.Model != nil {
		margin := opts.Margin
		if opts.Value == "profit" && margin == 0 && s.Profit != nil {
			// With a cost column, value the expected purchases at the
			// margin the file shows, so that expected_next is profit too.
			var p, r float64
			for i := range s.Len() {
				p += s.Profit[i]
				r += s.NetRevenue[i]
			}
			if margin = p / r; margin > 0 && margin <= 1 {
				say(opts.Report, "note: the expected value uses the file's profit margin %.3f", margin)
			} else {
				nextValue = false
				say(opts.Report, "note: the file's profit margin is not in (0, 1], so no expected value in the portfolio")
			}
		}
		if clvAll, alive, err = ModelValues(ctx, s, *opts.Model, margin, opts.Report); err != nil {
			return nil, err
		}
	}
	net := opts.Net
	needValue := opts.Scheme != "private" || opts.Portfolio
	if opts.Value == "revenue" && needValue {
		net = RevenueNet(s, opts.Net, opts.Gross, opts.Scheme == "abc", opts.Report)
	}
	valueName, value, err := ValueColumn(s, opts.Value, net, clvAll, needValue)
	if err != nil {
		return nil, err
	}

	n := s.Len()
	t := &table.Table{Columns: []table.Column{{Name: "customer_id", Kind: table.StringColumn, String: s.CustomerID}}}
	var assign segment.Assignment
	if opts.Scheme != "abc" {
		var x, y segment.Column
		xName, yName := valueName, "experience"
		switch opts.Scheme {
		case "quadrant":
			known := make([]bool, n)
			any := false
			for i, c := range s.ExperienceCount {
				known[i] = c > 0
				any = any || known[i]
			}
			if !any {
				if s.LastPurchase == nil {
					return nil, fmt.Errorf("no customer of the summary file has a feedback score (columns experience and experience_count): the quadrant needs the experience axis; choose --scheme referral, private or abc")
				}
				col := opts.ScoreColumn
				if col == "" {
					col = "score"
				}
				return nil, fmt.Errorf("no customer has a feedback score (column %q): the quadrant needs the experience axis; name the score column with --experience COL, or choose --scheme referral, private or abc", col)
			}
			x, y = segment.Col(value), segment.Column{Values: s.Experience, Known: known}
			t.Columns = append(t.Columns,
				table.Column{Name: valueName, Kind: table.FloatColumn, Float: value},
				table.Column{Name: "experience", Kind: table.FloatColumn, Float: s.Experience, Valid: func(i int) bool { return known[i] }})
		case "referral":
			if !HasReferrals(s) {
				say(opts.Report, "note: FILE has no referrals: referral_value is 0 for everyone")
			}
			tv, err := TotalValue(s, value, opts.ReferralShare, 0)
			if err != nil {
				return nil, err
			}
			x, y = segment.Col(value), segment.Col(tv.Referral)
			yName = "referral_value"
			t.Columns = append(t.Columns,
				table.Column{Name: valueName, Kind: table.FloatColumn, Float: value},
				table.Column{Name: "referral_value", Kind: table.FloatColumn, Float: tv.Referral})
		case "private":
			freq, inter := make([]int32, n), make([]int32, n)
			fx, fy := make([]float64, n), make([]float64, n)
			for i := range n {
				_, scores := s.ExperienceOf(i)
				freq[i], inter[i] = s.Purchases[i], s.Shares[i]+scores
				fx[i], fy[i] = float64(freq[i]), float64(inter[i])
			}
			x, y = segment.Col(fx), segment.Col(fy)
			xName, yName = "frequency", "interaction"
			t.Columns = append(t.Columns,
				table.Column{Name: "frequency", Kind: table.IntColumn, Int: freq},
				table.Column{Name: "interaction", Kind: table.IntColumn, Int: inter})
		default:
			return nil, fmt.Errorf("%w: scheme %q, want quadrant, referral, private or abc", clv.ErrBadParams, opts.Scheme)
		}
		c, err := opts.Grid.Classify(x, y)
		if err != nil {
			return nil, err
		}
		assign = c.Assignment
		say(opts.Report, "cuts: %s %s, %s %s", xName, formatCuts(c.XCuts), yName, formatCuts(c.YCuts))
	} else {
		tg, err := segment.Tiers(value, opts.Tiers)
		if err != nil {
			return nil, err
		}
		assign = tg.Assignment
		t.Columns = append(t.Columns, table.Column{Name: valueName, Kind: table.FloatColumn, Float: value})
	}
	return &Segmentation{Table: t, Assignment: assign, Scheme: opts.Scheme, ValueName: valueName, Value: value, Alive: alive, CLV: clvAll, NextValue: nextValue}, nil
}

// Segments returns each customer's segment name.
func (g *Segmentation) Segments() []string {
	out := make([]string, len(g.Assignment.Class))
	for i, c := range g.Assignment.Class {
		out[i] = g.Assignment.Names[c]
	}
	return out
}

// CustomerTable returns Table with the segment column added: what
// valuekit segment writes per customer.
func (g *Segmentation) CustomerTable() *table.Table {
	t := &table.Table{Columns: append([]table.Column(nil), g.Table.Columns...)}
	t.Columns = append(t.Columns, table.Column{Name: "segment", Kind: table.StringColumn, String: g.Segments()})
	return t
}

// Portfolio returns the per-segment portfolio (customers, value, shares,
// and with a model mean P(alive), churn risk, value at risk and expected
// value; see segment.NewPortfolio). opts may be nil; its PAlive and
// NextValue are filled from the segmentation's model.
func (g *Segmentation) Portfolio(opts *segment.PortfolioOptions) (*segment.Portfolio, error) {
	var o segment.PortfolioOptions
	if opts != nil {
		o = *opts
	}
	if g.Alive != nil {
		o.PAlive = g.Alive
		if g.NextValue {
			o.NextValue = g.CLV
		}
	}
	return segment.NewPortfolio(g.Assignment, g.Value, &o)
}

// ValueColumn returns the name and values of the VALUE measure (revenue,
// net_revenue, profit or clv). When the values are needed and s was read
// from a summary file, revenue that is 0 for everyone means the file has
// no such column: an error.
func ValueColumn(s *customers.Summary, value string, net bool, clvAll []float64, needed bool) (string, []float64, error) {
	switch value {
	case "clv":
		if clvAll == nil {
			return "", nil, fmt.Errorf("%w: the clv value needs a transaction model", clv.ErrBadParams)
		}
		return "clv", clvAll, nil
	case "profit":
		if s.Profit == nil {
			return "", nil, fmt.Errorf("--profit profit needs a cost column (--cost COL) or a margin (--margin M); the file has neither")
		}
		return "profit", s.Profit, nil
	}
	name, v := "revenue", s.Revenue
	if net {
		name, v = "net_revenue", s.NetRevenue
	}
	if !needed || s.LastPurchase != nil {
		return name, v, nil
	}
	for _, x := range v {
		if x != 0 {
			return name, v, nil
		}
	}
	return "", nil, fmt.Errorf("%s is 0 for every customer (a summary file without a %s column? --profit clv works from frequency, recency and T): nothing to segment by", name, name)
}

func formatCuts(cuts []float64) string {
	parts := make([]string, len(cuts))
	for i, c := range cuts {
		parts[i] = strconv.FormatFloat(c, 'g', 6, 64)
	}
	return strings.Join(parts, ",")
}

// hasScores reports whether some customer of s has a feedback score.
func hasScores(s *customers.Summary) bool {
	for _, c := range s.ExperienceCount {
		if c > 0 {
			return true
		}
	}
	return false
}
