// Package cohort builds acquisition-cohort tables from customer events:
// retention and revenue by cohort and age, the realised value curve of a
// cohort, summary figures across cohorts, and projections of retention and
// cumulative value with the shifted-beta-geometric (sBG) model of package clv.
//
// The package computes on plain columns (Events) and returns plain columns
// (Table); Arrow and Parquet belong to the callers at the edges.
//
//	tb, err := cohort.Build(events, &cohort.Options{Period: cohort.Month})
//	err = cohort.WriteMatrix(os.Stdout, tb, cohort.Retention)
//	pr, err := cohort.Project(ctx, tb, &cohort.ProjectOptions{Periods: 12})
//
// # Model
//
// Cohorts and ages are calendar periods in UTC: days, ISO 8601 weeks
// (Monday to Sunday), months, quarters or years. A customer is acquired in
// the period of their first purchase; the cohort is that period, labelled by
// its first day (2006-01-02). The age of an event is the number of calendar
// periods between the cohort and the event's period, so in a January cohort
// a purchase on 31 January is at age 0 and one on 1 February at age 1,
// although they are an hour apart.
//
// Special cases are:
//
//   - A customer with no purchase up to the observation end (only refunds,
//     referrals, shares or feedback) is in no cohort; their events are left
//     out.
//   - A purchase with a zero amount makes a customer active (and can
//     acquire them); a purchase with a negative amount is a refund.
//   - Refunds reduce net revenue in the period they are made; refunds before
//     the customer's acquisition period are left out.
//   - Events after the observation end (default: the last event) are left
//     out. Every cohort has a row for each age from 0 to the period holding
//     the end; later ages are absent, not zero. A period that had not ended
//     at the observation end (judged by day: it is complete when the end
//     falls on its last day) is marked not complete.
//   - A period with no acquisitions has no cohort row.
//
// For cohort c of size n_c and age k the table holds
//
//	active_c(k)     customers of c with at least one purchase at age k
//	retention_c(k)  = active_c(k) / n_c
//	revenue_c(k)    sum of the purchases of c at age k; net revenue less refunds
//	value_c(k)      = Σ_{j<=k} revenue_c(j) / n_c   (cumulative revenue per customer)
//	surviving_c(k)  customers of c whose last purchase is at age k or later
//
// Summarize averages retention by age over the cohorts complete at that age,
// weighted by cohort size (Σ active / Σ n), and gives the period-over-period
// churn rate: of the customers active at age k-1, the share not active at
// age k. In a noncontractual business retention by activity is not
// monotone: customers skip periods and return.
//
// # Survival and projection
//
// The sBG (Fader & Hardie 2007) describes a cohort whose customers each
// leave after a geometric number of periods with a churn probability θ that
// varies across customers as Beta(α, β):
//
//	S(k) = B(α, β+k) / B(α, β),   r(k) = S(k)/S(k-1) = (β+k-1)/(α+β+k-1)
//
// Purchases do not reveal when a customer leaves, so survival is defined by
// the last purchase: a customer survives at age k when they buy at age k or
// later. This count, surviving_c(k), never increases with k. Near the
// observation end it is too low, because customers who will buy again after
// the end are counted as gone (right-censoring). Project therefore fits only
// the complete ages of each cohort up to Lapse periods before its last
// complete age (ProjectOptions.Lapse, default about three months); every
// customer counted as gone at a fitted age has then been silent for more
// than Lapse periods.
//
// Cohorts observed for different numbers of ages are pooled as a life table:
//
//	A(0) = Σ_c n_c,   A(k) = A(k-1) · Σ_c surviving_c(k) / Σ_c surviving_c(k-1)
//
// where both sums run over the cohorts fitted at age k. With cohorts of
// equal length this is the plain sum of their counts. Alternatively each
// cohort is fitted on its own (ProjectOptions.PerCohort).
//
// For an age k after cohort c's last observed age, with m the last fitted
// age of c, the projected figures are
//
//	surviving_c(k) = surviving_c(m) · S(k) / S(m)
//	active_c(k)    = ρ · surviving_c(k)
//	revenue_c(k)   = v · active_c(k)
//
// where ρ, the share of survivors who buy in a period, is pooled over the
// fitted ages 1 and later of all cohorts, and v, the revenue per active
// customer, over their complete ages 1 and later (likewise for net revenue).
// Cumulative value continues from the last observed value. Projected rows
// are marked (Table.Projected), and the first projected survival count may
// exceed the last observed one, which censoring depresses.
//
// # Likelihood
//
// For survival counts A(0) >= A(1) >= … >= A(K), the sBG log-likelihood
// fitted by clv.FitSBG is
//
//	LL(α, β) = Σ_{k=1}^{K} (A(k-1) - A(k)) ln P(T = k) + A(K) ln S(K)
//
// with P(T = k) = S(k-1) - S(k). For a pooled life table with cohorts of
// different lengths the counts at the later ages are scaled, so the
// log-likelihood and the standard errors of the fit are approximate there;
// the point estimates are those of the life-table survival curve.
//
// # Speed
//
// Build makes three sequential passes over the events with no allocation
// per row: times are mapped to periods by a table of days (integer
// arithmetic, no time.Time per row), and active customers are counted from a
// 64-bit set of ages per customer (or, for more than 64 ages, by grouping
// the purchases by customer). Memory grows with customers and cells, not
// events.
//
// # Errors
//
// Every error wraps one of the package's sentinels (test with errors.Is). A
// bad event is an *event.ValueError — the positioned error shared with
// segment, rfm and clv — naming the column ("customer", "kind" or
// "amount"), the 0-based row of Events and the value, wrapping ErrBadEvent:
// "amount[5] = -5, want a finite refund amount >= 0: cohort: bad event".
// ErrBadOption is event.ErrOption, so errors.Is(err, event.ErrOption) holds
// for a bad option here as in every valuekit package; the errors of the sBG
// fit in Project are clv's.
//
// # References
//
//   - Fader, P. S. & Hardie, B. G. S. (2007). How to project customer
//     retention. Journal of Interactive Marketing 21(1), 76–90.
//   - Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a
//     contractual setting: the perils of ignoring heterogeneity. Marketing
//     Science 29(1), 85–93.
//   - Hinnant, H. chrono-Compatible Low-Level Date Algorithms
//     (days_from_civil, civil_from_days), used for the calendar arithmetic.
//   - ISO 8601 for weeks (starting on Monday).
package cohort
