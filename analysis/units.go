package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/event"
)

// ErrUnitMismatch reports a model whose time unit differs from the data's:
// its rates are per unit of time, so scoring weeks as days (or a horizon of
// 365 taken as weeks) would give a plausible but wrong number.
var ErrUnitMismatch = errors.New("the model's and the data's time units differ")

// ErrTimeKind reports a discrete-time model (BG/BB) given continuous-time
// data, or a continuous-time model (BG/NBD, Pareto/NBD, MBG/NBD) given
// discrete-time data: BG/BB on daily events takes every day for a purchase
// opportunity, BG/NBD on yearly donations fails to converge or fits
// nonsense.
var ErrTimeKind = errors.New("the model's and the data's kinds of time differ")

// CheckTimeKind checks that the named model suits the data of s: BG/BB
// needs a discrete-time summary (frequency, recency, periods), the
// continuous-time transaction models need times (frequency, recency, T:
// event files or their summaries). Errors wrap ErrTimeKind and say which
// model or data to use instead.
func CheckTimeKind(name string, s *customers.Summary) error {
	switch {
	case name == clv.NameBGBB && !s.Discrete:
		measure := fmt.Sprintf("these data measure recency and T in %ss", s.Unit)
		if s.UnitAssumed {
			measure = "these data measure recency and T in time (a T column, not periods)"
		}
		return fmt.Errorf("bgbb is a discrete-time model (one purchase opportunity per period: x of n periods with a transaction, "+
			"the last in period t_x); %s, and their frequency counts purchase days, not periods: "+
			"use bgnbd, pnbd or mbgnbd, or give bgbb a summary with columns frequency, recency, periods [, weights]: %w", measure, ErrTimeKind)
	case s.Discrete && (name == clv.NameBGNBD || name == clv.NameParetoNBD || name == clv.NameMBGNBD):
		return fmt.Errorf("the data are discrete-time (a periods column: x of n opportunities) but %s is a continuous-time model "+
			"that needs recency and T in time units: use --model bgbb for these data: %w", name, ErrTimeKind)
	}
	return nil
}

// SummaryTiming returns the timing of a model fitted to s: its unit (unless
// only assumed), end and calibration end.
func SummaryTiming(s *customers.Summary) clv.Timing {
	return clv.Timing{Unit: s.Unit, HasUnit: !s.UnitAssumed, End: s.End, CalibrationEnd: s.CalibrationEnd}
}

// FitSummary fits the named model (not sbg) to the customers of s with a
// purchase in the period, as Fit does, and records s's timing (unit, end,
// calibration end) in the model, so that a saved model says what its rates
// are per. Notes and warnings go to report.
func FitSummary(ctx context.Context, name string, s *customers.Summary, report func(string)) (clv.Model, error) {
	if err := CheckTimeKind(name, s); err != nil {
		return nil, err
	}
	rows, err := ModelRows(s)
	if err != nil {
		return nil, err
	}
	switch {
	case name == clv.NameGammaGamma || !s.UnitAssumed:
	case s.Discrete:
		say(report, "note: the summary counts periods without saying how long one is: the model records no time unit (give --unit year, say, when a period is a year)")
	default:
		say(report, "note: the summary has no unit column and no unit was given: the model records no time unit (give --unit)")
	}
	m, err := Fit(ctx, name, rows.Data, report)
	if err != nil {
		return nil, err
	}
	clv.SetTiming(m, SummaryTiming(s))
	return m, nil
}

// Scale is the time scale predictions are made on: the unit shared by the
// model and the data, whether it is known, and the horizon and discount
// rate per unit.
type Scale struct {
	Unit event.Unit
	// Known is false when neither the model nor the data records a unit:
	// Unit is then only assumed.
	Known bool
	// Periods says the data are discrete-time (BG/BB's opportunities).
	Periods      bool
	Horizon      float64
	DiscountRate float64
}

// Describe returns the horizon in words, e.g. "52 weeks" or "1 period".
func (c Scale) Describe() string {
	name := c.Unit.String()
	if c.Periods && !c.Known {
		name = "period"
	}
	if c.Horizon != 1 {
		name += "s"
	}
	return fmt.Sprintf("%s %s", formatHorizon(c.Horizon), name)
}

// ResolveScale checks that model m can score s and returns the time scale:
//
//   - a model and data that both record a unit must agree (an error
//     wrapping ErrUnitMismatch otherwise); when only one records it, that
//     one is used, with a note; when neither does, the data's assumed unit
//     is used, with a note;
//   - a horizon of 0 means one year in that unit (DefaultHorizon) — or one
//     period for discrete-time data of unknown period length — said in a
//     note; a negative or non-finite horizon is an error;
//   - an annual discount rate (> 0) is converted to the unit (see
//     AnnualRate); rate is the rate per unit otherwise.
func ResolveScale(m clv.Model, s *customers.Summary, horizon, rate, annual float64, continuous bool, report func(string)) (Scale, error) {
	if err := CheckTimeKind(m.Name(), s); err != nil {
		return Scale{}, err
	}
	t := clv.ModelTiming(m)
	c := Scale{Unit: s.Unit, Known: !s.UnitAssumed, Periods: s.Discrete}
	switch {
	case t.HasUnit && c.Known && t.Unit != s.Unit:
		return Scale{}, fmt.Errorf("the %s model's rates are per %s (it was fitted to data in %ss%s) but the data's recency and T are in %ss: "+
			"summarise the data with --unit %s (event files) or refit the model to data in %ss: %w",
			m.Name(), t.Unit, t.Unit, fittedThrough(t), s.Unit, t.Unit, s.Unit, ErrUnitMismatch)
	case t.HasUnit && !c.Known:
		c.Unit, c.Known = t.Unit, true
		say(report, "note: the data record no time unit: taking recency and T in %ss, the model's unit", t.Unit)
	case !t.HasUnit && c.Known && m.Name() != clv.NameGammaGamma:
		say(report, "note: the %s model records no time unit (fitted to a summary without a unit column, saved before units were recorded, or typed in): assuming its rates are per %s, the data's unit", m.Name(), s.Unit)
	case !t.HasUnit && !c.Known && !c.Periods:
		say(report, "note: neither the model nor the data record a time unit: assuming %ss (give --unit)", s.Unit)
	}
	switch {
	case horizon < 0 || math.IsNaN(horizon) || math.IsInf(horizon, 0):
		return Scale{}, fmt.Errorf("%w: horizon %v, want a positive number", clv.ErrBadParams, horizon)
	case horizon > 0:
		c.Horizon = horizon
	case c.Periods && !c.Known:
		c.Horizon = 1
		say(report, "horizon: 1 period (the period's length is not known; give --horizon, or --unit for a horizon of one year)")
	default:
		c.Horizon = DefaultHorizon(c.Unit)
		say(report, "horizon: %s (one year; give --horizon to change it)", c.Describe())
	}
	switch {
	case annual < 0 || math.IsNaN(annual) || math.IsInf(annual, 0) || rate < 0 || math.IsNaN(rate) || math.IsInf(rate, 0):
		return Scale{}, fmt.Errorf("%w: discount rate %v (annual %v), want a number ≥ 0", clv.ErrBadParams, rate, annual)
	case annual > 0 && rate > 0:
		return Scale{}, fmt.Errorf("%w: give a discount rate per unit or per year, not both", clv.ErrBadParams)
	case annual > 0:
		c.DiscountRate = AnnualRate(annual, c.Unit, continuous)
		if !c.Known {
			say(report, "note: the annual discount rate is converted taking the unit to be a %s", c.Unit)
		}
	default:
		c.DiscountRate = rate
	}
	return c, nil
}

func fittedThrough(t clv.Timing) string {
	if d := t.FittedThrough(); !d.IsZero() {
		return " through " + d.Format(time.DateOnly)
	}
	return ""
}

// formatHorizon writes whole numbers without decimals, others as %g.
func formatHorizon(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

// DescribeCLV says in words what a CLV over the scale c is: the measure
// (revenue, or profit at a margin; net of refunds or not), the horizon and
// the discounting, e.g. "clv: expected revenue net of refunds (margin 1:
// give --margin for profit) over 52 weeks, undiscounted (give
// --annual-discount-rate to discount)". margin 0 means 1.
func DescribeCLV(c Scale, margin float64, continuous, netOfRefunds bool) string {
	rev := "revenue"
	if netOfRefunds {
		rev += " net of refunds"
	}
	what := fmt.Sprintf("expected %s (margin 1: give --margin for profit)", rev)
	if margin != 0 && margin != 1 {
		what = fmt.Sprintf("expected profit (%s × margin %g)", rev, margin)
	}
	disc := "undiscounted (give --annual-discount-rate to discount)"
	if c.DiscountRate > 0 && c.Periods && !c.Known {
		// Periods of unknown length: no annual equivalent to give.
		how := "per period"
		if continuous {
			how += ", continuously"
		}
		disc = fmt.Sprintf("discounted at %.4g %% %s", 100*c.DiscountRate, how)
	} else if c.DiscountRate > 0 {
		n := 365.25 / c.Unit.Days()
		annual := math.Pow(1+c.DiscountRate, n) - 1
		how := "per " + c.Unit.String()
		if continuous {
			annual = math.Expm1(c.DiscountRate * n)
			how += ", continuously"
		}
		disc = fmt.Sprintf("discounted at %.4g %% %s (%.3g %% a year)", 100*c.DiscountRate, how, 100*annual)
	}
	return fmt.Sprintf("clv: %s over %s, %s", what, c.Describe(), disc)
}
