package cohort

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/valuekit/valuekit/clv"
)

// NoLapse, as ProjectOptions.Lapse, fits every complete age.
const NoLapse = -1

// ProjectOptions configure Project. The zero value (or nil) means: project
// 12 periods beyond the oldest cohort's last observed age with one sBG fitted
// to all cohorts pooled, after a lapse of about three months.
type ProjectOptions struct {
	// Periods is the number of ages added after the oldest cohort's last
	// observed age; every cohort is projected up to that age. Default (0):
	// 12. Negative is an error.
	Periods int
	// PerCohort fits one sBG to each cohort's own survival counts instead of
	// one to all cohorts pooled. A cohort that cannot be fitted on its own
	// (too few ages, no churn, or no convergence) is projected with the
	// pooled fit, and a warning says so.
	PerCohort bool
	// Lapse is the number of periods of silence after which a customer is
	// taken to have lapsed: the last Lapse complete ages of every cohort,
	// whose survival counts are still depressed by customers who will buy
	// again after the observation end, are left out of the fit. Default
	// (0): 90 days, 13 weeks, 3 months, 1 quarter or 1 year by the table's
	// period. NoLapse fits every complete age; other negative values are an
	// error.
	Lapse int
	// Fit are the options of clv.FitSBG; nil means its defaults.
	Fit *clv.FitOptions
}

// SurvivalFit is one sBG fit of a projection.
type SurvivalFit struct {
	// Cohort is the cohort fitted; the zero time for the pooled fit.
	Cohort time.Time
	// Alive is the survival series fitted: customers surviving at the
	// start of ages 0, 1, …, len-1 (see the package documentation for the
	// pooled series).
	Alive []float64
	// Model is the fitted sBG.
	Model *clv.SBG
}

// Projection is the result of Project.
type Projection struct {
	// Table holds every observed row of the input table and, after each
	// cohort's last observed age, its projected rows (Projected true).
	Table *Table
	// Pooled is the fit to all cohorts pooled. It is always made: it
	// projects every cohort unless PerCohort was set, and it is the
	// fallback for cohorts that cannot be fitted alone.
	Pooled SurvivalFit
	// Cohorts holds the per-cohort fits (only with PerCohort), in cohort
	// order, for the cohorts that could be fitted.
	Cohorts []SurvivalFit
	// ActiveRate is the share of surviving customers who purchase in a
	// period, pooled over the fitted ages 1 and later of all cohorts; it
	// turns projected survivors into projected active customers.
	ActiveRate float64
	// RevenuePerActive and NetRevenuePerActive are the revenue and net
	// revenue per active customer, pooled over the complete ages 1 and
	// later of all cohorts; they turn projected active customers into
	// projected revenue.
	RevenuePerActive, NetRevenuePerActive float64
	// Warnings describe cohorts projected with the pooled fit although
	// PerCohort was set.
	Warnings []string
}

// defaultLapse is the default ProjectOptions.Lapse of each period.
func defaultLapse(p Period) int {
	switch p {
	case Day:
		return 90
	case Week:
		return 13
	case Month:
		return 3
	default:
		return 1
	}
}

// cohortFit describes how one cohort enters the fit.
type cohortFit struct {
	span     [2]int // rows of the cohort in the table
	lastFit  int    // last age used for the fit (>= 0; 0 = size only)
	lastSeen int    // last observed age
}

// Project fits the shifted-beta-geometric model (clv.FitSBG) to the
// observed survival counts of t (Table.Surviving) and extends every cohort
// with projected rows up to a common age; see the package documentation
// for the method. t must be a table returned by Build (rows already
// projected are an error). t is not modified.
//
// Errors wrap ErrBadOption for bad options, ErrBadTable for a table not made
// by Build, ErrTooFewAges when no cohort has
// a fitted age after age 0, and the errors of clv.FitSBG (clv.ErrBadData,
// clv.ErrNotConverged) when the pooled fit fails.
func Project(ctx context.Context, t *Table, opts *ProjectOptions) (*Projection, error) {
	var o ProjectOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Periods < 0:
		return nil, fmt.Errorf("cohort: %w: Periods = %d, must not be negative", ErrBadOption, o.Periods)
	case o.Periods == 0:
		o.Periods = 12
	}
	switch {
	case o.Lapse == NoLapse:
		o.Lapse = 0
	case o.Lapse < 0:
		return nil, fmt.Errorf("cohort: %w: Lapse = %d, must be >= 0 or NoLapse", ErrBadOption, o.Lapse)
	case o.Lapse == 0:
		o.Lapse = defaultLapse(t.Period)
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	for _, p := range t.Projected {
		if p {
			return nil, fmt.Errorf("cohort: %w: the table is already projected", ErrBadOption)
		}
	}

	spans := t.cohortSpans()
	if len(spans) == 0 {
		return nil, fmt.Errorf("%w: the table is empty", ErrTooFewAges)
	}
	fits := make([]cohortFit, len(spans))
	horizon := 0
	for i, sp := range spans {
		complete := -1
		for r := sp[0]; r < sp[1] && t.Complete[r]; r++ {
			complete = t.Age[r]
		}
		fits[i] = cohortFit{span: sp, lastFit: max(0, complete-o.Lapse), lastSeen: t.Age[sp[1]-1]}
		horizon = max(horizon, fits[i].lastSeen)
	}
	horizon += o.Periods

	pr := &Projection{}
	pr.Pooled.Alive = pooledAlive(t, fits)
	if len(pr.Pooled.Alive) < 2 {
		return nil, fmt.Errorf("%w: no cohort has a complete age after age 0 and %d lapse periods", ErrTooFewAges, o.Lapse)
	}
	m, err := clv.FitSBG(ctx, pr.Pooled.Alive, o.Fit)
	if err != nil {
		return nil, fmt.Errorf("cohort: fitting the pooled survival %s: %w", seriesText(pr.Pooled.Alive), err)
	}
	pr.Pooled.Model = m
	pr.ActiveRate, pr.RevenuePerActive, pr.NetRevenuePerActive = rates(t, fits)

	models := make([]*clv.SBG, len(spans))
	for i, f := range fits {
		models[i] = pr.Pooled.Model
		if !o.PerCohort {
			continue
		}
		cohort := t.Cohort[f.span[0]]
		alive := append([]float64(nil), t.Surviving[f.span[0]:f.span[0]+f.lastFit+1]...)
		if len(alive) < 2 {
			pr.Warnings = append(pr.Warnings, fmt.Sprintf("cohort %s: no complete age after age 0 and the lapse; projected with the pooled fit", cohort.Format(CohortLayout)))
			continue
		}
		cm, err := clv.FitSBG(ctx, alive, o.Fit)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !errors.Is(err, clv.ErrBadData) && !errors.Is(err, clv.ErrNotConverged) {
				return nil, fmt.Errorf("cohort: fitting cohort %s: %w", cohort.Format(CohortLayout), err)
			}
			pr.Warnings = append(pr.Warnings, fmt.Sprintf("cohort %s: %v; projected with the pooled fit", cohort.Format(CohortLayout), err))
			continue
		}
		models[i] = cm
		pr.Cohorts = append(pr.Cohorts, SurvivalFit{Cohort: cohort, Alive: alive, Model: cm})
	}

	out := &Table{Period: t.Period, End: t.End}
	out.grow(len(fits) * (horizon + 1))
	for i, f := range fits {
		sp := f.span
		for r := sp[0]; r < sp[1]; r++ {
			out.append(t.row(r))
		}
		last := t.row(sp[1] - 1)
		anchor := t.Surviving[sp[0]+f.lastFit]
		s0 := models[i].Survival(f.lastFit)
		n := float64(last.size)
		cumRev, cumNet := last.cumRevenue, last.cumNet
		for age := f.lastSeen + 1; age <= horizon; age++ {
			surv := 0.0
			if s0 > 0 {
				surv = anchor * models[i].Survival(age) / s0
			}
			active := pr.ActiveRate * surv
			rev, net := active*pr.RevenuePerActive, active*pr.NetRevenuePerActive
			cumRev += rev / n
			cumNet += net / n
			out.append(row{
				cohort: last.cohort, age: age, size: last.size,
				active: active, revenue: rev, net: net, surviving: surv,
				cumRevenue: cumRev, cumNet: cumNet, projected: true,
			})
		}
	}
	pr.Table = out
	return pr, nil
}

// row returns row i of t.
func (t *Table) row(i int) row {
	return row{
		cohort: t.Cohort[i], age: t.Age[i], size: t.CohortSize[i],
		active: t.Active[i], revenue: t.Revenue[i], net: t.NetRevenue[i],
		surviving:  t.Surviving[i],
		cumRevenue: t.CumulativeRevenuePerCustomer[i], cumNet: t.CumulativeNetRevenuePerCustomer[i],
		continuing: t.cont(i), complete: t.Complete[i], projected: t.Projected[i],
	}
}

// pooledAlive returns the life-table pooling of the cohorts' survival
// counts: N = Σ sizes of the cohorts with a fitted age after 0, and
// alive[k] = alive[k-1] · Σ_c surviving_c[k] / Σ_c surviving_c[k-1] over the
// cohorts fitted at age k. With cohorts of equal length it is the plain sum.
func pooledAlive(t *Table, fits []cohortFit) []float64 {
	var n float64
	maxAge := 0
	for _, f := range fits {
		if f.lastFit >= 1 {
			n += t.Surviving[f.span[0]]
			maxAge = max(maxAge, f.lastFit)
		}
	}
	if n == 0 {
		return nil
	}
	alive := []float64{n}
	for k := 1; k <= maxAge; k++ {
		var num, den float64
		for _, f := range fits {
			if f.lastFit >= k {
				num += t.Surviving[f.span[0]+k]
				den += t.Surviving[f.span[0]+k-1]
			}
		}
		if den == 0 {
			break
		}
		// num <= den; the product can still round above alive[k-1] when
		// nobody lapsed (num == den), and survival never rises.
		alive = append(alive, min(alive[k-1], alive[k-1]*num/den))
	}
	return alive
}

// rates returns the active rate among survivors (fitted ages >= 1) and the
// revenue and net revenue per active customer (complete ages >= 1).
func rates(t *Table, fits []cohortFit) (activeRate, revenue, net float64) {
	var act, surv float64
	var actAll, rev, nrev float64
	for _, f := range fits {
		for r := f.span[0] + 1; r < f.span[1]; r++ {
			if t.Age[r] <= f.lastFit {
				act += t.Active[r]
				surv += t.Surviving[r]
			}
			if t.Complete[r] {
				actAll += t.Active[r]
				rev += t.Revenue[r]
				nrev += t.NetRevenue[r]
			}
		}
	}
	if surv > 0 {
		activeRate = act / surv
	}
	if actAll > 0 {
		revenue, net = rev/actAll, nrev/actAll
	}
	return activeRate, revenue, net
}

// seriesText writes a survival series for an error message, rounded to
// cents: all of it up to ten values, else the first eight, the count and
// the last two.
func seriesText(v []float64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, x := range v {
		switch {
		case len(v) > 10 && i == 8:
			fmt.Fprintf(&b, " … (%d values)", len(v))
			continue
		case len(v) > 10 && i > 8 && i < len(v)-2:
			continue
		case i > 0:
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(float64(int64(x*100+0.5))/100, 'g', -1, 64))
	}
	b.WriteByte(']')
	return b.String()
}
