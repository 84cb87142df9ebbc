package table

import (
	"io"
	"math"
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
		_, err := w.Write(t.appendCSVRows(nil, 0, n, t.newFloatTexts()))
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
			texts := t.newFloatTexts()
			for b := range queue {
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				b.out <- t.appendCSVRows(buf[:0], b.lo, b.hi, texts)
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

// appendCSVRows appends rows [lo, hi) as CSV lines, with texts (from
// newFloatTexts, one per goroutine) remembering float columns' texts.
func (t *Table) appendCSVRows(line []byte, lo, hi int, texts []*floatTexts) []byte {
	cols := t.Columns
	var field []byte
	for i := lo; i < hi; i++ {
		for j := range cols {
			if j > 0 {
				line = append(line, ',')
			}
			c := &cols[j]
			if ft := texts[j]; ft != nil && (c.Valid == nil || c.Valid(i)) {
				// Digits and a point need no quoting.
				line = ft.appendFloat(line, c.Float[i])
				continue
			}
			field = c.appendText(field[:0], i)
			line = AppendCSVField(line, field)
		}
		line = append(line, '\n')
	}
	return line
}

// floatTexts remembers the texts of float values written lately in one
// column, in a small table indexed by a hash of the value's bits: tables
// of predictions repeat values (customers with the same history have the
// same P(alive) and CLV; one-time buyers of the same age share all of
// theirs), and the shortest decimal of a float that is not a whole number
// or an amount in cents costs about a hundred nanoseconds to find
// (strconv), a lookup a few.
type floatTexts struct {
	bits [floatTextSlots]uint64
	text [floatTextSlots][floatTextMax + 1]byte // the text's length (0: none), then the text
}

const (
	floatTextBits  = 9
	floatTextSlots = 1 << floatTextBits
	floatTextMax   = 23 // longer texts (very large or small numbers) are not kept
)

// newFloatTexts returns a floatTexts for each float column of t (nil for
// the others).
func (t *Table) newFloatTexts() []*floatTexts {
	texts := make([]*floatTexts, len(t.Columns))
	for j, c := range t.Columns {
		if c.Kind == FloatColumn {
			texts[j] = new(floatTexts)
		}
	}
	return texts
}

// appendFloat appends v as appendFloat does.
func (f *floatTexts) appendFloat(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return appendFloat(b, v) // a whole number: as fast as a lookup
	}
	bits := math.Float64bits(v)
	k := bits * 0x9e3779b97f4a7c15 >> (64 - floatTextBits)
	if t := &f.text[k]; t[0] != 0 && f.bits[k] == bits {
		return append(b, t[1:1+t[0]]...)
	}
	n := len(b)
	b = appendFloat(b, v)
	if m := len(b) - n; m <= floatTextMax {
		f.bits[k] = bits
		f.text[k][0] = byte(m)
		copy(f.text[k][1:], b[n:])
	}
	return b
}
