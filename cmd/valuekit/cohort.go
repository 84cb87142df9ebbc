package main

import (
	"context"
	"fmt"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/cohort"
)

func runCohort(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "cohort", "cohort FILE [--period month] [--metric retention|revenue|cumulative] [--project N] [-o OUT]\n\n"+
		"Groups customers by the calendar period of their first purchase and shows, for each cohort and age,\n"+
		"retention, revenue and cumulative revenue per customer. Without -o a matrix of --metric is printed,\n"+
		"followed by the average retention and churn by age; with -o the long table (columns cohort, age,\n"+
		"cohort_size, active, retention, revenue, revenue_per_customer, cumulative_revenue_per_customer, …)\n"+
		"is written as .csv, .parquet or .json. --project N projects N more ages with the sBG model; projected\n"+
		"cells are marked * in the matrix and projected=true in the table.")
	in := addInputFlags(fs)
	period := fs.String("period", "month", "cohort and age period: day, week, month, quarter or year")
	metric := fs.String("metric", "retention", "matrix metric: retention, active, surviving, revenue, revenue_per_customer, cumulative (cumulative revenue per customer), net_revenue or cumulative_net")
	project := fs.Int("project", 0, "project retention and value this many ages beyond the last observed one (sBG model)")
	perCohort := fs.Bool("per-cohort", false, "with --project, fit each cohort separately instead of all cohorts pooled")
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: a matrix on standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	p, err := cohort.ParsePeriod(*period)
	if err != nil {
		return usagef("--period: %v", err)
	}
	m, err := cohort.ParseMetric(*metric)
	if err != nil {
		return usagef("--metric: %v", err)
	}
	if *project < 0 {
		return usagef("--project %d: want a number of periods >= 0", *project)
	}
	if err := checkOutputName(*out, path); err != nil {
		return err
	}
	ro, so, err := in.options()
	if err != nil {
		return err
	}
	ev, err := readEvents(ctx, e, path, ro)
	if err != nil {
		return err
	}
	reportBadRows(e, ev.BadRows, ev.BadRowCount)
	tb, err := cohort.Build(cohort.Events{Customer: ev.Customers(), Time: ev.Times(), Kind: ev.Kinds(), Amount: ev.Amounts()},
		&cohort.Options{Period: p, End: so.End})
	if err != nil {
		return err
	}
	if *project > 0 {
		pr, err := cohort.Project(ctx, tb, &cohort.ProjectOptions{Periods: *project, PerCohort: *perCohort})
		if err != nil {
			return err
		}
		for _, w := range pr.Warnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
		fmt.Fprintf(e.stderr, "sBG fit (pooled): alpha %.4g, beta %.4g\n", pr.Pooled.Model.Alpha, pr.Pooled.Model.Beta)
		tb = pr.Table
	}
	if *out != "" {
		t := cohortTable(tb)
		return valuekit.WriteTableFile(*out, t)
	}
	if err := cohort.WriteMatrix(e.stdout, tb, m); err != nil {
		return err
	}
	sum, err := cohort.Summarize(tb)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout)
	return cohort.WriteSummary(e.stdout, sum)
}

// cohortTable turns the cohort table into an output Table with the columns
// of cohort.Columns.
func cohortTable(tb *cohort.Table) *valuekit.Table {
	n := len(tb.Age)
	labels := make([]string, n)
	age, size := make([]int32, n), make([]int32, n)
	for i := range n {
		labels[i] = tb.Cohort[i].Format(time.DateOnly)
		age[i], size[i] = int32(tb.Age[i]), int32(tb.CohortSize[i])
	}
	f := func(name string, v []float64) valuekit.Column {
		return valuekit.Column{Name: name, Kind: valuekit.FloatColumn, Float: v}
	}
	return &valuekit.Table{Columns: []valuekit.Column{
		{Name: "cohort", Kind: valuekit.StringColumn, String: labels},
		{Name: "age", Kind: valuekit.IntColumn, Int: age},
		{Name: "cohort_size", Kind: valuekit.IntColumn, Int: size},
		f("active", tb.Active),
		f("retention", tb.Retention),
		f("revenue", tb.Revenue),
		f("revenue_per_customer", tb.RevenuePerCustomer),
		f("cumulative_revenue_per_customer", tb.CumulativeRevenuePerCustomer),
		f("net_revenue", tb.NetRevenue),
		f("net_revenue_per_customer", tb.NetRevenuePerCustomer),
		f("cumulative_net_revenue_per_customer", tb.CumulativeNetRevenuePerCustomer),
		f("surviving", tb.Surviving),
		{Name: "complete", Kind: valuekit.BoolColumn, Bool: tb.Complete},
		{Name: "projected", Kind: valuekit.BoolColumn, Bool: tb.Projected},
	}}
}
