package valuekit

import (
	"context"
	"fmt"
	"math"
	"runtime"
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

// Summary is the per-customer table: one row per customer with at least one
// event up to the end, ordered by customer id (numeric ids by number). Every
// column is a plain slice of the same length, indexed by row.
//
// With a calibration end, every column except the holdout ones describes the
// calibration period; customers whose first purchase falls in the holdout
// period have Purchases = 0. A customer without a purchase in the period has
// Frequency, Recency, T and MonetaryValue 0 and no first or last purchase.
type Summary struct {
	Unit           Unit
	End            time.Time // last day observed
	CalibrationEnd time.Time // zero when there is no holdout period
	Events         int       // events summarised
	AfterEnd       int       // events left out because they are after End
	BadRows        int       // rows skipped as bad while reading (SummarizeFile)

	CustomerID []string
	// FirstPurchase and LastPurchase are Unix microseconds, UTC; valid where
	// Purchases > 0 (use FirstPurchaseTime for a time.Time).
	FirstPurchase, LastPurchase []int64
	// Frequency is the number of repeat purchase periods: distinct purchase
	// days − 1.
	Frequency []float64
	// Recency is the time from the first to the last purchase day, in Unit.
	Recency []float64
	// T is the time from the first purchase day to the end (the calibration
	// end when there is one), in Unit.
	T []float64
	// MonetaryValue is the mean value of the repeat purchase days (0 when
	// Frequency is 0), the convention of the BTYD literature.
	MonetaryValue []float64
	// Purchases is the number of purchase events.
	Purchases []int32
	// Revenue is the sum of purchase amounts, Refunds the sum of refunds,
	// NetRevenue their difference.
	Revenue, Refunds, NetRevenue []float64
	// Cost is the sum of the cost column over purchases (nil without one).
	Cost []float64
	// Profit is NetRevenue − Cost with a cost column, NetRevenue × Margin
	// with a margin, and nil otherwise.
	Profit []float64
	// Quantity is the sum of the quantity column over purchases (nil
	// without one).
	Quantity []float64
	// Referrals counts referral events; Referred lists the distinct customers
	// referred, in id order.
	Referrals []int32
	Referred  [][]string
	// Shares counts share events.
	Shares []int32
	// Experience is the mean score of the customer's events with a score;
	// ExperienceCount how many there were (Experience is 0 when none).
	Experience      []float64
	ExperienceCount []int32
	// Weights, when not nil, gives the number of identical customers each
	// row stands for (summary files may collapse customers); nil means 1.
	Weights []float64
	// HoldoutFrequency is the number of distinct purchase days and
	// HoldoutRevenue the purchase amounts after the calibration end (both nil
	// without a calibration end).
	HoldoutFrequency, HoldoutRevenue []float64
}

func newSummary(n int, a *Accumulator, holdout bool) *Summary {
	s := &Summary{
		CustomerID:      make([]string, n),
		FirstPurchase:   make([]int64, n),
		LastPurchase:    make([]int64, n),
		Frequency:       make([]float64, n),
		Recency:         make([]float64, n),
		T:               make([]float64, n),
		MonetaryValue:   make([]float64, n),
		Purchases:       make([]int32, n),
		Revenue:         make([]float64, n),
		Refunds:         make([]float64, n),
		NetRevenue:      make([]float64, n),
		Referrals:       make([]int32, n),
		Referred:        make([][]string, n),
		Shares:          make([]int32, n),
		Experience:      make([]float64, n),
		ExperienceCount: make([]int32, n),
	}
	if a.hasCost {
		s.Cost = make([]float64, n)
	}
	if a.hasCost || a.opts.Margin > 0 {
		s.Profit = make([]float64, n)
	}
	if a.hasQuantity {
		s.Quantity = make([]float64, n)
	}
	if holdout {
		s.HoldoutFrequency = make([]float64, n)
		s.HoldoutRevenue = make([]float64, n)
	}
	return s
}

// Len returns the number of customers.
func (s *Summary) Len() int { return len(s.CustomerID) }

// FirstPurchaseTime returns customer i's first purchase time, and false when
// the customer made no purchase in the period.
func (s *Summary) FirstPurchaseTime(i int) (time.Time, bool) {
	if s.Purchases[i] == 0 {
		return time.Time{}, false
	}
	return time.UnixMicro(s.FirstPurchase[i]).UTC(), true
}

// LastPurchaseTime returns customer i's last purchase time, and false when
// the customer made no purchase in the period.
func (s *Summary) LastPurchaseTime(i int) (time.Time, bool) {
	if s.Purchases[i] == 0 {
		return time.Time{}, false
	}
	return time.UnixMicro(s.LastPurchase[i]).UTC(), true
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
// skipped (with ReadOptions.SkipBadRows) with their total count.
func SummarizeFile(ctx context.Context, path string, ropts *ReadOptions, sopts *SummaryOptions) (*Summary, []*RowError, int, error) {
	r, err := OpenFile(path, ropts)
	if err != nil {
		return nil, nil, 0, err
	}
	defer r.Close()
	return SummarizeReader(ctx, r, sopts)
}

// SummarizeReader summarises the events of r, batch by batch, with the bad
// rows r skipped and their count.
func SummarizeReader(ctx context.Context, r *EventReader, sopts *SummaryOptions) (*Summary, []*RowError, int, error) {
	acc, err := NewAccumulator(sopts)
	if err != nil {
		return nil, nil, 0, err
	}
	workers := runtime.GOMAXPROCS(0)
	if sopts != nil && sopts.Workers > 0 {
		workers = sopts.Workers
	}
	pq, runs := r.parquetSplit(workers)
	merged := false
	switch src := r.splittable(); {
	case workers > 1 && src != nil:
		err = addSplit(ctx, acc, src, sopts, workers)
		r.done, merged = true, true
	case workers > 1 && pq != nil:
		err = addParquetSplit(ctx, acc, pq, runs, sopts)
		r.done, merged = true, true
	case workers > 1:
		err = addPipelined(ctx, acc, r)
	default:
		err = addSequential(ctx, acc, r)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	if merged {
		// The parts merged into acc are garbage now, as large as acc:
		// collect them, so that the summary's columns take their memory
		// instead of fresh pages from the system.
		runtime.GC()
	}
	bad, nbad := r.BadRows()
	s, err := acc.Summary()
	if err != nil {
		return nil, bad, nbad, fmt.Errorf("%w (%d rows read, %d bad)", err, r.Rows(), nbad)
	}
	s.BadRows = nbad
	return s, bad, nbad, nil
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
