package generate

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/internal/atomicfile"
)

// ErrOption reports invalid options or parameters; every error of the
// package about its input wraps it (test with errors.Is). It is
// event.ErrOption (and valuekit.ErrOption), so errors.Is matches the option
// errors of every valuekit package. Messages read "generate: invalid
// option: customers 0, want > 0".
var ErrOption = valuekit.ErrOption

// CDNOW is the Gamma-Gamma spend model estimated on the CDNOW sample by
// Fader, Hardie & Lee (2005b): p = 6.25, q = 3.74, v = 15.44 (mean spend
// per transaction p·v/(q−1) ≈ 35.2 dollars). It is the default spend.
var CDNOW = clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44, FreqSpendCorr: math.NaN()}

// Format is an output file format.
type Format int

// The output formats.
const (
	CSV     Format = iota // header customer_id,time,kind,amount,referred_id[,score]; RFC 3339 times
	Parquet               // the same columns; time as timestamp[us, UTC], ids as int64
)

// FormatOf returns the format of path by its extension: .csv, or .parquet
// (also .pq).
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".parquet", ".pq":
		return Parquet, nil
	}
	return 0, fmt.Errorf("generate: %w: cannot tell the output format of %q (use .csv or .parquet)", ErrOption, path)
}

// Options describe the customer base to simulate. Customers, Model, Start
// and End are required; the zero value of every other field has the
// default stated on it.
type Options struct {
	// Customers is the number of customers; it must be > 0. Their ids are
	// 1 … Customers, in the order of their first purchase.
	Customers int64

	// Model draws purchases and dropout: *clv.BGNBD or *clv.ParetoNBD
	// (for example from ParseModel, clv.NewBGNBD or a fitted model). Its
	// rates are per Unit.
	Model clv.Model

	// Spend draws the amount of every purchase; nil means CDNOW.
	Spend *clv.GammaGamma

	// Unit is the time unit of the model's rates and of ReferralRate and
	// ShareRate. Default valuekit.Day (the zero Unit).
	Unit valuekit.Unit

	// Start and End bound the observation: first purchases are spread
	// uniformly over [Start, End) and no event is at or after End. Both
	// must lie within 1900–2100 and End must be after Start.
	Start, End time.Time

	// ReferralRate is the number of referrals a customer makes per Unit
	// while active; 0 means none. Each referral names the customer whose
	// first purchase is the next one after the referral (see the package
	// documentation).
	ReferralRate float64

	// ShareRate is the number of share events per customer per Unit while
	// active; 0 means none.
	ShareRate float64

	// Feedback adds feedback events with a score from 1 to 10 after
	// about FeedbackProbability of purchases, and a score column.
	Feedback bool

	// Seed selects the random streams; the same options and seed give the
	// same events, byte for byte, whatever Workers and GOMAXPROCS are.
	Seed uint64

	// Workers is the number of goroutines simulating blocks of customers;
	// 0 means runtime.GOMAXPROCS(0). The output does not depend on it.
	Workers int

	// Progress, when not nil, is called from the writing goroutine after
	// each block of customers is written, with the customers done so far
	// and Customers.
	Progress func(done, total int64)
}

// FeedbackProbability is the probability that a purchase is followed by a
// feedback event when Options.Feedback is set.
const FeedbackProbability = 0.3

// BlockSize is the number of customers simulated and written as one block.
const BlockSize = 4096

// Stats count what was generated.
type Stats struct {
	Customers, Events                       int64
	Purchases, Referrals, Shares, Feedbacks int64
}

func (s *Stats) add(b *Stats) {
	s.Customers += b.Customers
	s.Events += b.Events
	s.Purchases += b.Purchases
	s.Referrals += b.Referrals
	s.Shares += b.Shares
	s.Feedbacks += b.Feedbacks
}

// Valid time range of the readers (valuekit refuses events outside it).
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC)
)

// plan is the validated simulation setup shared by the workers.
type plan struct {
	o          Options
	bg         *clv.BGNBD
	pnbd       *clv.ParetoNBD
	spend      clv.GammaGamma
	startSec   int64   // Start in Unix seconds
	unitSec    float64 // seconds per Unit
	horizon    float64 // End − Start in Units
	endSec     int64   // End in Unix seconds (exclusive)
	blocks     int64
	acqHashKey uint64
}

func positive(x float64) bool { return x > 0 && !math.IsInf(x, 0) }

func newPlan(o *Options) (*plan, error) {
	if o == nil {
		return nil, fmt.Errorf("generate: %w: nil options", ErrOption)
	}
	p := &plan{o: *o}
	if o.Customers <= 0 {
		return nil, fmt.Errorf("generate: %w: customers %d, want > 0", ErrOption, o.Customers)
	}
	switch m := o.Model.(type) {
	case *clv.BGNBD:
		if !positive(m.R) || !positive(m.Alpha) || !positive(m.A) || !positive(m.B) {
			return nil, fmt.Errorf("generate: %w: BG/NBD parameters %v must be positive", ErrOption, m.Params().Values)
		}
		p.bg = m
	case *clv.ParetoNBD:
		if !positive(m.R) || !positive(m.Alpha) || !positive(m.S) || !positive(m.Beta) {
			return nil, fmt.Errorf("generate: %w: Pareto/NBD parameters %v must be positive", ErrOption, m.Params().Values)
		}
		p.pnbd = m
	case nil:
		return nil, fmt.Errorf("generate: %w: no model (want *clv.BGNBD or *clv.ParetoNBD)", ErrOption)
	default:
		return nil, fmt.Errorf("generate: %w: model %s (want %s or %s)", ErrOption, m.Name(), clv.NameBGNBD, clv.NameParetoNBD)
	}
	p.spend = CDNOW
	if o.Spend != nil {
		p.spend = *o.Spend
	}
	if !positive(p.spend.P) || !positive(p.spend.Q) || !positive(p.spend.V) {
		return nil, fmt.Errorf("generate: %w: spend parameters p=%v q=%v v=%v must be positive", ErrOption, p.spend.P, p.spend.Q, p.spend.V)
	}
	if o.Unit < valuekit.Day || o.Unit > valuekit.Year {
		return nil, fmt.Errorf("generate: %w: unit %v", ErrOption, o.Unit)
	}
	if o.Start.Before(minTime) || o.End.After(maxTime) || !o.End.After(o.Start) {
		return nil, fmt.Errorf("generate: %w: period %s to %s: want start before end, within 1900–2100", ErrOption,
			o.Start.UTC().Format(time.RFC3339), o.End.UTC().Format(time.RFC3339))
	}
	if o.End.Sub(o.Start) < time.Second {
		return nil, fmt.Errorf("generate: %w: period shorter than a second", ErrOption)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"referral rate", o.ReferralRate}, {"share rate", o.ShareRate}} {
		if !(r.v >= 0) || math.IsInf(r.v, 0) {
			return nil, fmt.Errorf("generate: %w: %s %v, want a finite number >= 0", ErrOption, r.name, r.v)
		}
	}
	if o.Workers < 0 {
		return nil, fmt.Errorf("generate: %w: workers %d", ErrOption, o.Workers)
	}
	p.startSec = o.Start.Unix()
	p.endSec = o.End.Unix()
	if o.End.Nanosecond() != 0 {
		p.endSec++ // End is exclusive: no event at or after it
	}
	p.unitSec = o.Unit.Days() * 86400
	p.horizon = o.End.Sub(o.Start).Seconds() / p.unitSec
	p.blocks = (o.Customers + BlockSize - 1) / BlockSize
	p.acqHashKey = splitmix(o.Seed ^ 0x6a09e667f3bcc909)
	return p, nil
}

// Write simulates the customer base of opts and writes its events to w in
// format f, streaming: memory is bounded by a few blocks of customers per
// worker, whatever the number of customers. It stops with ctx's error
// when ctx is cancelled.
func Write(ctx context.Context, w io.Writer, f Format, opts *Options) (Stats, error) {
	p, err := newPlan(opts)
	if err != nil {
		return Stats{}, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var sink sink
	switch f {
	case CSV:
		sink = newCSVSink(bw, p.o.Feedback)
	case Parquet:
		if sink, err = newParquetSink(bw, p.o.Feedback); err != nil {
			return Stats{}, err
		}
	default:
		return Stats{}, fmt.Errorf("generate: %w: format %d", ErrOption, f)
	}
	st, err := p.run(ctx, sink)
	if err != nil {
		sink.abort()
		return st, err
	}
	if err := sink.close(); err != nil {
		return st, err
	}
	return st, bw.Flush()
}

// WriteFile is Write to path, in the format of its extension (.csv,
// .parquet). The file is written atomically: on an error or a cancelled
// ctx no file (and no partial file) is left behind, and an existing file
// is kept.
func WriteFile(ctx context.Context, path string, opts *Options) (Stats, error) {
	f, err := FormatOf(path)
	if err != nil {
		return Stats{}, err
	}
	if _, err := newPlan(opts); err != nil {
		return Stats{}, err
	}
	var st Stats
	err = atomicfile.WriteFile(path, func(file *os.File) error {
		var werr error
		st, werr = Write(ctx, file, f, opts)
		return werr
	})
	return st, err
}

// run simulates the blocks on the workers and hands them to sink in block
// order.
func (p *plan) run(ctx context.Context, s sink) (Stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := p.o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = int(min(int64(workers), p.blocks))
	type job struct {
		idx int64
		out chan *block
	}
	jobs := make(chan job)
	order := make(chan chan *block, 2*workers)
	free := make(chan *block, 3*workers+1)
	go func() {
		defer close(order)
		defer close(jobs)
		for b := range p.blocks {
			j := job{b, make(chan *block, 1)}
			select {
			case order <- j.out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				var b *block
				select {
				case b = <-free:
				default:
					b = new(block)
				}
				p.simulate(j.idx, b)
				j.out <- b
			}
		}()
	}
	var st Stats
	for out := range order {
		var b *block
		select {
		case b = <-out:
		case <-ctx.Done():
			return st, ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if err := s.write(b); err != nil {
			return st, err
		}
		st.add(&b.stats)
		if p.o.Progress != nil {
			p.o.Progress(st.Customers, p.o.Customers)
		}
		select {
		case free <- b:
		default:
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	return st, nil
}
