package valuekit

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"sync"
	"sync/atomic"
)

// Parsing CSV on several cores.
//
// A plain CSV file that can be read at any offset (a regular file, a
// bytes.Reader) is cut into as many parts as there are workers, each
// parsed and accumulated by its own goroutine into its own Accumulator;
// the accumulators are merged at the end, which gives exactly the summary
// of one pass.
//
// A cut falls anywhere; the worker of part k starts after the first newline
// at or after the cut and parses the records starting before the next cut.
// That newline may be inside a quoted field, so the start is only a guess,
// checked afterwards: the worker of part k-1, which started from a checked
// start, reads on past its cut to the end of its last record and notes
// where the next record starts. When both agree, the two scanners stand at
// the same record start and everything part k read is what one pass would
// have read; when not, part k is read again from the right place, in the
// calling goroutine. Either way the result is that of one pass, whatever
// the quoting, and rows are numbered from the records before each part.

// minSplitPart is the smallest part worth a goroutine of its own; a
// variable so that tests can cut small inputs into many parts.
var minSplitPart int64 = 4 << 20

// testCuts, when not nil, gives the cuts (input offsets, ascending) instead
// of equal parts, for tests.
var testCuts []int64

// splitRereads counts the parts read again for a wrong start, for tests.
var splitRereads int

// csvInput is a CSV input that can be read at any offset: ra from base to
// size holds it.
type csvInput struct {
	ra         io.ReaderAt
	base, size int64
}

// randomAccess returns r as a csvInput when it can be read at any offset
// from its current position on.
func randomAccess(r io.Reader) *csvInput {
	switch f := r.(type) {
	case *os.File, *countingFile:
		file := f.(inputFile)
		fi, err := file.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return nil
		}
		base, err := file.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil
		}
		return &csvInput{ra: file, base: base, size: fi.Size()}
	case interface {
		io.ReaderAt
		Size() int64
		Len() int
	}: // bytes.Reader, strings.Reader
		return &csvInput{ra: f, base: f.Size() - int64(f.Len()), size: f.Size()}
	}
	return nil
}

// splittable returns the CSV source of r when r has read nothing but the
// header of an input that can be cut.
func (r *EventReader) splittable() *csvSource {
	src, ok := r.src.(*csvSource)
	if !ok || src.in == nil || r.ev != nil || r.done || src.rows != 0 {
		return nil
	}
	return src
}

// csvPart is the work of one goroutine on one part of the input.
type csvPart struct {
	src   *csvSource
	acc   *Accumulator
	first int64 // offset of the first record start its scanner saw; -1 for the end of the input
	next  int64 // offset of the first record start at or after its limit; -1 for the end of the input
	err   error // the first error, rows numbered within the part
	done  bool  // read to its limit, the end of the input, or its first error
}

// addSplit reads src's input in parts on up to workers goroutines,
// accumulating into acc (which the first part uses).
func addSplit(ctx context.Context, acc *Accumulator, src *csvSource, sopts *SummaryOptions, workers int) error {
	first := &csvPart{src: src, acc: acc}
	// The parts after the first need the time layout, which the first rows
	// may yet have to tell.
	for !src.tpSet {
		if !readBatch(ctx, first) {
			return first.err
		}
	}
	start := src.sc.offset()
	rest := src.in.size - src.in.base - start
	workers = int(min(int64(workers), rest/minSplitPart))
	if workers < 2 && testCuts == nil {
		readPart(ctx, first, nil)
		return first.err
	}
	cuts := make([]int64, max(workers, 1)+1)
	for k := range cuts[:workers] {
		cuts[k] = start + int64(k)*rest/int64(workers)
	}
	if testCuts != nil {
		cuts = []int64{start}
		for _, c := range testCuts {
			if c > cuts[len(cuts)-1] {
				cuts = append(cuts, c)
			}
		}
		workers = len(cuts)
		cuts = append(cuts, 0)
	}
	cuts[workers] = math.MaxInt64
	parts := make([]*csvPart, workers)
	parts[0] = first
	src.sc.limit = cuts[1]
	var failed atomic.Int64 // 1 + the lowest part that met an error; 0 for none
	stop := func(k int) func() bool {
		return func() bool { f := failed.Load(); return f != 0 && int(f)-1 < k }
	}
	var wg sync.WaitGroup
	for k := 1; k < workers; k++ {
		p, err := newPart(src, sopts, cuts[k]-1, cuts[k+1], true)
		if err != nil {
			return err
		}
		parts[k] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			readPart(ctx, p, stop(k))
			if p.err != nil {
				for f := failed.Load(); f == 0 || int(f)-1 > k; f = failed.Load() {
					if failed.CompareAndSwap(f, int64(k+1)) {
						break
					}
				}
			}
		}()
	}
	readPart(ctx, first, nil)
	if first.err != nil {
		failed.Store(1)
	}
	wg.Wait()

	// Check the parts in order, reading again those that started at a
	// wrong place or stopped for an error in an earlier part.
	acc.own()
	rows, lines := 0, 0
	for k, p := range parts {
		if k > 0 {
			prev := parts[k-1]
			if prev.next < 0 {
				break // the previous part read to the end of the input
			}
			if p.first != prev.next || !p.done {
				splitRereads++
				var err error
				if p, err = newPart(src, sopts, prev.next, cuts[k+1], false); err != nil {
					return err
				}
				readPart(ctx, p, nil)
				parts[k] = p
			}
		}
		var rerr *RowError
		if errors.As(p.err, &rerr) && k > 0 {
			rerr.Row += rows
			if rerr.Line != 0 { // 0: not known (a quoting error)
				rerr.Line += lines
			}
		}
		for _, b := range p.src.bad {
			if k > 0 {
				b.Row += rows
				if b.Line != 0 {
					b.Line += lines
				}
			}
		}
		rows += p.src.sc.record
		if k == 0 {
			lines += p.src.sc.lines
		} else {
			lines += p.src.sc.lines - p.src.sc.firstLines
		}
		if k > 0 {
			src.rows += p.src.rows
			src.nbad += p.src.nbad
			for _, b := range p.src.bad {
				if src.opts.MaxBadRows <= 0 || len(src.bad) < src.opts.MaxBadRows {
					src.bad = append(src.bad, b)
				}
			}
			if p.err == nil {
				if err := acc.absorb(p.acc); err != nil {
					return err
				}
				p.acc = nil
				p.src.b = eventBuilder{} // its dictionary and batch buffers
			}
		}
		if p.err != nil {
			return p.err
		}
	}
	return nil
}

// newPart returns a part reading src's input from offset from (after the
// first newline there when guess is set) to the first record starting at
// or after limit.
func newPart(src *csvSource, sopts *SummaryOptions, from, limit int64, guess bool) (*csvPart, error) {
	in := src.in
	sc := newCSVScanner(io.NewSectionReader(in.ra, in.base+from, in.size-in.base-from), src.sc.comma)
	sc.off, sc.limit, sc.noBOM = from, limit, true
	ps := &csvSource{name: src.name, opts: src.opts, sc: sc, header: src.header}
	ps.col, ps.kinds, ps.tp, ps.tpSet = src.col, src.kinds, src.tp, src.tpSet
	ps.b.init(NewDictionary())
	ps.b.hasCost, ps.b.hasQuantity, ps.b.hasReferred, ps.b.hasScore = src.b.hasCost, src.b.hasQuantity, src.b.hasReferred, src.b.hasScore
	acc, err := NewAccumulator(sopts)
	if err != nil {
		return nil, err
	}
	p := &csvPart{src: ps, acc: acc}
	if guess {
		if err := sc.skipLine(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// readPart reads batches of p into its accumulator until its limit, the end
// of the input, an error, or stop (when not nil) reporting true.
func readPart(ctx context.Context, p *csvPart, stop func() bool) {
	for (stop == nil || !stop()) && readBatch(ctx, p) {
	}
}

// readBatch reads one batch of p into its accumulator. It reports whether
// there is more to read.
func readBatch(ctx context.Context, p *csvPart) bool {
	src := p.src
	if err := ctx.Err(); err != nil {
		p.err = err
		return false
	}
	err := src.readRows(batchRows(src.opts))
	p.first = src.sc.firstStart
	if ev := src.b.events(true); ev.Len() > 0 {
		if aerr := p.acc.Add(ev); aerr != nil && (err == nil || err == io.EOF) {
			err = aerr
		}
	}
	switch {
	case err == io.EOF:
		p.next, p.done = src.sc.recStart, true
		return false
	case err != nil:
		p.err, p.done = err, true
		return false
	}
	return true
}

// batchRows returns the number of rows per batch.
func batchRows(opts *ReadOptions) int {
	if opts.BatchSize > 0 {
		return opts.BatchSize
	}
	return 1 << 16
}
