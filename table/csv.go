package table

import (
	"io"
	"runtime"
	"sync"
)

// csvBlockRows is the number of rows one worker formats at a time.
const csvBlockRows = 8192

// writeCSV formats blocks of rows on all cores and writes them in order:
// formatting numbers is most of the cost of a large CSV, and a block's
// bytes do not depend on who formats it, so the output is the same as one
// row after another. At most a few blocks per core are in memory at once.
func (t *Table) writeCSV(w io.Writer) error {
	cols := t.Columns
	var head []byte
	for j, c := range cols {
		if j > 0 {
			head = append(head, ',')
		}
		head = append(head, c.Name...)
	}
	head = append(head, '\n')
	if _, err := w.Write(head); err != nil {
		return err
	}
	n := t.Len()
	blocks := (n + csvBlockRows - 1) / csvBlockRows
	workers := min(runtime.GOMAXPROCS(0), blocks)
	if workers <= 1 {
		_, err := w.Write(t.appendCSVRows(nil, 0, n))
		return err
	}
	// Each block gets a channel its formatted bytes arrive on; the writer
	// takes them in block order. The free list and the bounded queue of
	// pending blocks keep memory to a few blocks per worker.
	type block struct {
		lo, hi int
		out    chan []byte
	}
	queue := make(chan block, 2*workers)
	pending := make(chan block, 2*workers)
	free := make(chan []byte, 3*workers) // written blocks' buffers, for reuse
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range queue {
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				b.out <- t.appendCSVRows(buf[:0], b.lo, b.hi)
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer close(queue)
		defer close(pending)
		for lo := 0; lo < n; lo += csvBlockRows {
			b := block{lo: lo, hi: min(lo+csvBlockRows, n), out: make(chan []byte, 1)}
			select {
			case pending <- b:
			case <-stop:
				return
			}
			queue <- b
		}
	}()
	var err error
	for b := range pending {
		buf := <-b.out
		if err == nil {
			if _, err = w.Write(buf); err != nil {
				close(stop)
			}
		}
		select {
		case free <- buf:
		default:
		}
	}
	wg.Wait()
	return err
}

// appendCSVRows appends rows [lo, hi) as CSV lines.
func (t *Table) appendCSVRows(line []byte, lo, hi int) []byte {
	cols := t.Columns
	var field []byte
	for i := lo; i < hi; i++ {
		for j := range cols {
			if j > 0 {
				line = append(line, ',')
			}
			field = cols[j].appendText(field[:0], i)
			line = AppendCSVField(line, field)
		}
		line = append(line, '\n')
	}
	return line
}
