package clv

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/valuekit/valuekit/internal/mle"
)

// histories are the distinct (x, t_x, T) of a data set, with index[i] the
// distinct history of row i: predictions are computed once per history and
// scattered back (a million customers hold some 150,000 histories, far
// fewer at weekly or daily resolution over a short period).
type histories struct {
	x, tx, T []float64
	index    []int32
	// progress, if not nil, is told the histories done after each block.
	progress func(done, total int)
}

// groupHistories checks d's rows and groups them by history.
func groupHistories(d Data) (*histories, error) {
	if err := checkRows(d); err != nil {
		return nil, err
	}
	cols, index, err := mle.Group(d.Frequency, d.Recency, d.T)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadData, err)
	}
	return &histories{x: cols[0], tx: cols[1], T: cols[2], index: index}, nil
}

func (h *histories) len() int { return len(h.x) }

// historyBlock is the number of histories a worker takes at a time; ctx is
// checked between blocks.
const historyBlock = 256

// each calls f(j, history j, buf) for every history on up to GOMAXPROCS
// goroutines, each with its own scratch buf of length bufLen, and returns
// ctx's error if it was cancelled. Histories are independent, so the
// results do not depend on the number of goroutines.
func (h *histories) each(ctx context.Context, bufLen int, f func(j int, c Customer, buf []float64)) error {
	n := h.len()
	workers := min(runtime.GOMAXPROCS(0), (n+historyBlock-1)/historyBlock)
	var next, done atomic.Int64
	var stop atomic.Bool
	var report sync.Mutex
	work := func() {
		buf := make([]float64, bufLen)
		for !stop.Load() {
			lo := int(next.Add(historyBlock)) - historyBlock
			if lo >= n {
				return
			}
			if ctx.Err() != nil {
				stop.Store(true)
				return
			}
			hi := min(lo+historyBlock, n)
			for j := lo; j < hi; j++ {
				f(j, Customer{Frequency: h.x[j], Recency: h.tx[j], T: h.T[j]}, buf)
			}
			if h.progress != nil {
				d := done.Add(int64(hi - lo))
				report.Lock()
				h.progress(int(d), n)
				report.Unlock()
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	return ctx.Err()
}

// members returns the rows of each history: rows[start[j]:start[j+1]] are
// the rows whose history is j, in row order.
func (h *histories) members() (start, rows []int32) {
	start = make([]int32, h.len()+1)
	for _, j := range h.index {
		start[j+1]++
	}
	for j := 1; j < len(start); j++ {
		start[j] += start[j-1]
	}
	rows = make([]int32, len(h.index))
	next := make([]int32, h.len())
	copy(next, start)
	for i, j := range h.index {
		rows[next[j]] = int32(i)
		next[j]++
	}
	return start, rows
}
