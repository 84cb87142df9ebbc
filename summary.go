package valuekit

import (
	"context"
	"errors"
	"fmt"
	"github.com/valuekit/valuekit/customers"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// SummaryOptions configure a per-customer summary. The zero value measures
// time in days, observes up to the last event, and has no holdout period.
//
// Summaries work at the resolution of calendar days (UTC): purchases on the
// same day count as one purchase period, and End and CalibrationEnd name the
// last day included — their time of day is ignored.
type SummaryOptions struct {
	// Unit is the unit of Recency and T: Day (default), Week, Month or Year.
	Unit Unit

	// End is the last day observed; later events are left out (and counted
	// in Summary.AfterEnd). Zero means the day of the last event.
	End time.Time

	// CalibrationEnd, when not zero, splits the observation into a
	// calibration period (up to and including this day), which the summary
	// describes, and a holdout period (after it, up to End), of which the
	// summary gives each customer's purchase periods and revenue.
	CalibrationEnd time.Time

	// Margin, when the events have no cost column, makes Profit equal to
	// net revenue × Margin. It must be in [0, 1]; 0 means no profit column
	// unless there is a cost column.
	Margin float64

	// Workers is the number of goroutines Summarize uses on large tables,
	// and SummarizeFile and SummarizeReader on large plain CSV inputs that
	// can be read at any offset (files, bytes.Reader), each parsing a part;
	// 0 means runtime.GOMAXPROCS(0), 1 means one pass in the calling
	// goroutine. The result does not depend on it.
	Workers int

	// ModelColumns fills only the columns a model fit and its warnings
	// read — CustomerID, FirstPurchase, LastPurchase, Frequency, Recency,
	// T, MonetaryValue, Purchases and, with a calibration end, the holdout
	// columns — and leaves the others nil: at ten million customers with
	// referrals, about half the summary's memory. Such a summary's Table
	// and writers have only those columns.
	ModelColumns bool
}

func (o *SummaryOptions) validate() error {
	if o.Unit < Day || o.Unit > Year {
		return fmt.Errorf("%w: unit %v", ErrOption, o.Unit)
	}
	if math.IsNaN(o.Margin) || o.Margin < 0 || o.Margin > 1 {
		return fmt.Errorf("%w: margin %v is not in [0, 1]", ErrOption, o.Margin)
	}
	if !o.End.IsZero() && !o.CalibrationEnd.IsZero() && dayOf(o.CalibrationEnd.UnixMicro()) > dayOf(o.End.UnixMicro()) {
		return fmt.Errorf("%w: calibration end %s is after the end %s", ErrOption,
			o.CalibrationEnd.Format(time.DateOnly), o.End.Format(time.DateOnly))
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: workers %d", ErrOption, o.Workers)
	}
	return nil
}

// Summary is customers.Summary, the per-customer table of a summary (see
// package customers for its columns and writers).
type Summary = customers.Summary

func newSummary(n int, a *Accumulator, holdout bool) *Summary {
	// The columns a model fit reads (SummaryOptions.ModelColumns: only
	// these), then the others.
	s := &Summary{
		CustomerID:    makeHuge[string](n),
		FirstPurchase: makeHuge[int64](n),
		LastPurchase:  makeHuge[int64](n),
		Frequency:     makeHuge[float64](n),
		Recency:       makeHuge[float64](n),
		T:             makeHuge[float64](n),
		MonetaryValue: makeHuge[float64](n),
		Purchases:     makeHuge[int32](n),
	}
	if holdout {
		s.HoldoutFrequency = makeHuge[float64](n)
		s.HoldoutRevenue = makeHuge[float64](n)
	}
	if a.opts.ModelColumns {
		return s
	}
	s.Revenue, s.Refunds, s.NetRevenue = makeHuge[float64](n), makeHuge[float64](n), makeHuge[float64](n)
	s.Referrals, s.Shares = makeHuge[int32](n), makeHuge[int32](n)
	if a.hasCost {
		s.Cost = makeHuge[float64](n)
	}
	if a.hasCost || a.opts.Margin > 0 {
		s.Profit = makeHuge[float64](n)
	}
	if a.hasQuantity {
		s.Quantity = makeHuge[float64](n)
	}
	if a.hasReferred {
		s.Referred = makeHuge[[]string](n)
	}
	if a.hasScore {
		s.Experience, s.ExperienceCount = makeHuge[float64](n), makeHuge[int32](n)
	}
	return s
}

// Summarize returns the per-customer summary of ev. Large tables are split
// into chunks summarised on Workers goroutines and merged; the result is
// the same as one pass.
func Summarize(ctx context.Context, ev *Events, opts *SummaryOptions) (*Summary, error) {
	var o SummaryOptions
	if opts != nil {
		o = *opts
	}
	workers := o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const minChunk = 1 << 17
	if n := ev.Len() / minChunk; n < workers {
		workers = max(n, 1)
	}
	accs := make([]*Accumulator, workers)
	for w := range accs {
		a, err := NewAccumulator(&o)
		if err != nil {
			return nil, err
		}
		accs[w] = a
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	chunk := (ev.Len() + workers - 1) / max(workers, 1)
	for w := range workers {
		lo, hi := min(w*chunk, ev.Len()), min((w+1)*chunk, ev.Len())
		part := ev.Slice(lo, hi)
		run := func() {
			defer wg.Done()
			const step = 1 << 16
			for i := 0; i < part.Len(); i += step {
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				if err := accs[w].Add(part.Slice(i, min(i+step, part.Len()))); err != nil {
					errs[w] = err
					return
				}
			}
		}
		wg.Add(1)
		if w == workers-1 {
			run()
		} else {
			go run()
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, b := range accs[1:] {
		if err := accs[0].Merge(b); err != nil {
			return nil, err
		}
	}
	return accs[0].Summary()
}

// Slice returns rows [lo, hi) of e as a table sharing e's storage and
// Dictionary, e.g. to summarise chunks on several goroutines.
func (e *Events) Slice(lo, hi int) *Events {
	s := &Events{dict: e.dict, customer: e.customer[lo:hi], time: e.time[lo:hi], kind: e.kind[lo:hi], amount: e.amount[lo:hi]}
	if e.cost != nil {
		s.cost = e.cost[lo:hi]
	}
	if e.quantity != nil {
		s.quantity = e.quantity[lo:hi]
	}
	if e.referred != nil {
		s.referred = e.referred[lo:hi]
	}
	if e.score != nil {
		s.score, s.hasScore = e.score[lo:hi], e.hasScore[lo:hi]
	}
	return s
}

// SummarizeFile reads a file of events in batches and summarises it without
// holding the events in memory. It returns the summary and the bad rows
// skipped with ReadOptions.SkipBadRows (up to ReadOptions.MaxBadRows of
// them; Summary.BadRows counts them all).
func SummarizeFile(ctx context.Context, path string, ropts *ReadOptions, sopts *SummaryOptions) (*Summary, []*RowError, error) {
	r, err := OpenFile(path, ropts)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	s, bad, err := SummarizeReader(ctx, r, sopts)
	if errors.Is(err, ErrEmpty) {
		err = fmt.Errorf("%s: %w", filepath.Base(path), err) // the one error without a row to name the file
	}
	return s, bad, err
}

// SummarizeReader summarises the events of r, batch by batch, and returns
// the bad rows r skipped, as SummarizeFile does.
func SummarizeReader(ctx context.Context, r *EventReader, sopts *SummaryOptions) (*Summary, []*RowError, error) {
	acc, err := NewAccumulator(sopts)
	if err != nil {
		return nil, nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	if sopts != nil && sopts.Workers > 0 {
		workers = sopts.Workers
	}
	pq, runs := r.parquetSplit(workers)
	merged := false
	shards := []*Accumulator{acc}
	switch src := r.splittable(); {
	case workers > 1 && src != nil:
		err = addSplit(ctx, acc, src, sopts, workers)
		r.done, merged = true, true
	case workers > 1 && pq != nil:
		shards, err = addParquetSplit(ctx, acc, pq, runs, sopts)
		r.done = true
	case workers > 1:
		err = addPipelined(ctx, acc, r)
	default:
		err = addSequential(ctx, acc, r)
	}
	if err != nil {
		return nil, nil, err
	}
	customers := 0
	for _, a := range shards {
		a.dropLookup()
		customers += a.n
	}
	if (merged || len(shards) > 1) && customers >= 1<<16 {
		// The parts merged into acc, or the shards' id lookup tables, are
		// garbage now, as large as the customers' state: collect them, so
		// that the summary's columns take their memory instead of fresh
		// pages from the system. (Small inputs are not worth a forced
		// collection.)
		collect(customers)
	}
	bad, nbad := r.BadRows()
	s, err := summaryOfShards(shards)
	if err != nil {
		return nil, bad, fmt.Errorf("%w (%d rows read, %d bad)", err, r.Rows(), nbad)
	}
	s.BadRows = nbad
	if customers >= 1<<16 {
		// The accumulators, as large as the summary, are garbage now:
		// collect them before the caller's next step (a fit, scoring)
		// allocates on top of both.
		acc, shards = nil, nil
		collect(customers)
	}
	return s, bad, nil
}

// collect runs a garbage collection after a phase that leaves as much
// garbage as live memory (the parts of a split input, an accumulator).
// With millions of customers it also returns the freed memory to the
// system: the next phase's large columns did not fit the holes left, so
// the process grew by fresh pages on top of the freed ones (10M customers:
// peak 3.5 GB instead of 2.8 GB). Below that, returning memory only costs
// faulting it in again (a fifth of the time of a 1M-customer predict on
// this VM), so the memory is kept for reuse.
func collect(customers int) {
	if customers >= 1<<22 {
		debug.FreeOSMemory()
	} else {
		runtime.GC()
	}
}

// addSequential reads and accumulates r's batches on one goroutine.
func addSequential(ctx context.Context, acc *Accumulator, r *EventReader) error {
	for r.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := acc.Add(r.Events()); err != nil {
			return err
		}
	}
	return r.Err()
}

// addPipelined reads r's batches on a second goroutine while this one
// accumulates the previous batch: parsing and accumulating take about the
// same time, so a pass takes little more than the longer of the two. The
// reading goroutine has ended when it returns.
func addPipelined(ctx context.Context, acc *Accumulator, r *EventReader) error {
	batches := make(chan *Events, 2)
	free := make(chan *Events, 3) // batches accumulated, whose storage the reader reuses
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		for {
			var recycled *Events
			select {
			case recycled = <-free:
			default:
			}
			if !r.next(false, recycled) {
				return
			}
			select {
			case batches <- r.ev:
			case <-stop:
				return
			}
		}
	}()
	var err error
	for ev := range batches {
		if err != nil {
			continue // drain, so that the reader ends
		}
		if err = ctx.Err(); err == nil {
			err = acc.Add(ev)
		}
		if err != nil {
			close(stop)
			continue
		}
		select {
		case free <- ev:
		default:
		}
	}
	if err != nil {
		return err
	}
	return r.Err()
}
