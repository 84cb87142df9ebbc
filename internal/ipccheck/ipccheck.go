// Package ipccheck checks the framing and schema of Arrow IPC input before
// Arrow's decoder trusts it. The decoder believes the lengths written in
// its input: a corrupt schema can make it allocate terabytes, which ends the
// program instead of returning an error. Check walks the framing and the
// schema flatbuffers of an IPC stream or file and rejects lengths that do
// not fit in the input. It reads only metadata, not bodies, and imports
// nothing of Arrow.
package ipccheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrCorrupt is wrapped by every rejection of Check.
var ErrCorrupt = errors.New("corrupt Arrow IPC input")

const maxFieldDepth = 64

// flatbuffer is a minimal bounds-checked view of a flatbuffer.
type flatbuffer []byte

func (b flatbuffer) u32(pos int) (int, bool) {
	if pos < 0 || pos+4 > len(b) {
		return 0, false
	}
	return int(binary.LittleEndian.Uint32(b[pos:])), true
}

func (b flatbuffer) u16(pos int) (int, bool) {
	if pos < 0 || pos+2 > len(b) {
		return 0, false
	}
	return int(binary.LittleEndian.Uint16(b[pos:])), true
}

// fbTable is a table at pos with its vtable.
type fbTable struct {
	b       flatbuffer
	pos, vt int
	vtLen   int // vtable size in bytes, as written (may be odd)
}

func (b flatbuffer) table(pos int) (fbTable, bool) {
	so, ok := b.u32(pos)
	if !ok {
		return fbTable{}, false
	}
	vt := pos - int(int32(uint32(so)))
	vtLen, ok1 := b.u16(vt)
	tLen, ok2 := b.u16(vt + 2)
	if !ok1 || !ok2 || vtLen < 4 || vt+vtLen > len(b) || pos+tLen > len(b) {
		return fbTable{}, false
	}
	return fbTable{b: b, pos: pos, vt: vt, vtLen: vtLen}, true
}

// field returns the position of field i, or -1 when absent. Like the
// flatbuffers library, it reads an entry whose start is inside the vtable's
// declared size, even when its second byte is not; an entry that is not in
// the buffer at all counts as absent.
func (t fbTable) field(i int) int {
	if 4+2*i >= t.vtLen {
		return -1
	}
	off, ok := t.b.u16(t.vt + 4 + 2*i)
	if !ok || off == 0 {
		return -1
	}
	return t.pos + off
}

// ref follows the offset stored in field i: -1 when absent, -2 when out of
// bounds.
func (t fbTable) ref(i int) int {
	p := t.field(i)
	if p < 0 {
		return -1
	}
	off, ok := t.b.u32(p)
	if !ok || p+off >= len(t.b) {
		return -2
	}
	return p + off
}

// vector checks the vector of field i with elements of elem bytes and
// returns the position of its first element and its length.
func (t fbTable) vector(i, elem int) (start, n int, ok bool) {
	p := t.ref(i)
	if p == -1 {
		return 0, 0, true
	}
	if p < 0 {
		return 0, 0, false
	}
	n, ok = t.b.u32(p)
	if !ok || n > (len(t.b)-p-4)/elem {
		return 0, 0, false
	}
	return p + 4, n, true
}

// tables checks a vector of tables in field i with check.
func (t fbTable) tables(i int, check func(fbTable) bool) bool {
	start, n, ok := t.vector(i, 4)
	if !ok {
		return false
	}
	for k := range n {
		p := start + 4*k
		off, _ := t.b.u32(p)
		sub, ok := t.b.table(p + off)
		if !ok || !check(sub) {
			return false
		}
	}
	return true
}

func (t fbTable) subtable(i int) bool {
	p := t.ref(i)
	if p == -1 {
		return true
	}
	_, ok := t.b.table(p)
	return p >= 0 && ok
}

func checkKeyValue(t fbTable) bool {
	_, _, ok1 := t.vector(0, 1)
	_, _, ok2 := t.vector(1, 1)
	return ok1 && ok2
}

func checkField(t fbTable, depth int) bool {
	if depth > maxFieldDepth {
		return false
	}
	if _, _, ok := t.vector(0, 1); !ok { // name
		return false
	}
	return t.subtable(3) && t.subtable(4) && // type, dictionary
		t.tables(5, func(c fbTable) bool { return checkField(c, depth+1) }) &&
		t.tables(6, checkKeyValue)
}

func checkSchema(t fbTable) bool {
	_, _, okFeatures := t.vector(3, 8)
	return okFeatures && t.tables(1, func(f fbTable) bool { return checkField(f, 0) }) && t.tables(2, checkKeyValue)
}

func rootTable(b flatbuffer) (fbTable, bool) {
	off, ok := b.u32(0)
	if !ok {
		return fbTable{}, false
	}
	return b.table(off)
}

// ipcChecker reads the parts of an IPC input that say how much the decoder
// will allocate, and checks them against the input's size.
type ipcChecker struct {
	r     io.ReaderAt
	size  int64
	limit int64 // largest decompressed buffer accepted
}

func (c *ipcChecker) read(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > c.size {
		return nil, fmt.Errorf("%w: a length points past the end of the input", ErrCorrupt)
	}
	buf := make([]byte, n)
	if _, err := c.r.ReadAt(buf, off); err != nil && !(err == io.EOF && off+n == c.size) {
		return nil, err
	}
	return buf, nil
}

// Check checks the IPC stream or file of the given size read through r:
// message framing within the input, schema flatbuffers, record and
// dictionary batches whose buffers lie inside their body and whose
// decompressed sizes are bounded (Decompressed buffers may be larger than
// the input, so the bound is generous: 64 times the input, at least 64 MiB.)
func Check(r io.ReaderAt, size int64) error {
	c := &ipcChecker{r: r, size: size, limit: max(64<<20, 64*size)}
	pos, end := int64(0), size
	if size >= 8 {
		magic, err := c.read(0, 6)
		if err != nil {
			return err
		}
		if string(magic) == "ARROW1" {
			footerStart, err := c.footer()
			if err != nil {
				return err
			}
			pos, end = 8, footerStart
		}
	}
	for pos < end {
		next, eos, err := c.message(pos, end)
		if err != nil || eos {
			return err
		}
		pos = next
	}
	return nil
}

// footer checks the footer of an IPC file — its schema, and every block it
// points the reader to — and returns where the footer starts.
func (c *ipcChecker) footer() (int64, error) {
	if c.size < 8+10 {
		return 0, fmt.Errorf("%w: file too small", ErrCorrupt)
	}
	tail, err := c.read(c.size-10, 10)
	if err != nil {
		return 0, err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	start := c.size - 10 - n
	footer, err := c.read(start, n)
	if err != nil {
		return 0, err
	}
	ft, ok := rootTable(footer)
	if !ok {
		return 0, fmt.Errorf("%w: bad footer", ErrCorrupt)
	}
	if p := ft.ref(1); p == -2 {
		return 0, fmt.Errorf("%w: bad footer schema", ErrCorrupt)
	} else if p >= 0 {
		st, ok := flatbuffer(footer).table(p)
		if !ok || !checkSchema(st) {
			return 0, fmt.Errorf("%w: bad footer schema", ErrCorrupt)
		}
	}
	for _, field := range []int{2, 3} { // dictionary and record batch blocks
		first, count, ok := ft.vector(field, 24)
		if !ok {
			return 0, fmt.Errorf("%w: bad footer blocks", ErrCorrupt)
		}
		for k := range count {
			b := footer[first+24*k:]
			off := int64(binary.LittleEndian.Uint64(b))
			meta := int64(int32(binary.LittleEndian.Uint32(b[8:])))
			body := int64(binary.LittleEndian.Uint64(b[16:]))
			if off < 8 || meta < 0 || body < 0 || meta > start || body > start || off > start-meta-body {
				return 0, fmt.Errorf("%w: a footer block points outside the file", ErrCorrupt)
			}
			if _, _, err := c.message(off, off+meta+body); err != nil {
				return 0, err
			}
		}
	}
	return start, nil
}

// message checks the message at pos, which must end by end, and returns
// the position after it, or eos at an end-of-stream marker.
func (c *ipcChecker) message(pos, end int64) (next int64, eos bool, err error) {
	head, err := c.read(pos, min(8, end-pos))
	if err != nil {
		return 0, false, err
	}
	if len(head) < 4 {
		return 0, false, fmt.Errorf("%w: truncated message", ErrCorrupt)
	}
	n := int64(int32(binary.LittleEndian.Uint32(head)))
	pos += 4
	if uint32(n) == 0xFFFFFFFF {
		if len(head) < 8 {
			return 0, false, fmt.Errorf("%w: truncated message", ErrCorrupt)
		}
		n = int64(int32(binary.LittleEndian.Uint32(head[4:])))
		pos += 4
	}
	if n == 0 {
		return pos, true, nil
	}
	if n < 0 || n > end-pos {
		return 0, false, fmt.Errorf("%w: a message of %d bytes does not fit in the input", ErrCorrupt, n)
	}
	meta, err := c.read(pos, n)
	if err != nil {
		return 0, false, err
	}
	pos += n
	msg, ok := rootTable(meta)
	if !ok || !msg.tables(4, checkKeyValue) {
		return 0, false, fmt.Errorf("%w: bad message", ErrCorrupt)
	}
	ht := -1
	if p := msg.field(1); p >= 0 && p < len(meta) {
		ht = int(meta[p])
	}
	hp := msg.ref(2)
	if hp == -2 {
		return 0, false, fmt.Errorf("%w: bad message header", ErrCorrupt)
	}
	var body int64
	if p := msg.field(3); p >= 0 {
		if p+8 > len(meta) {
			return 0, false, fmt.Errorf("%w: bad message", ErrCorrupt)
		}
		body = int64(binary.LittleEndian.Uint64(meta[p:]))
	}
	if body < 0 || body > end-pos {
		return 0, false, fmt.Errorf("%w: a message body of %d bytes does not fit in the input", ErrCorrupt, body)
	}
	if hp >= 0 {
		h, ok := flatbuffer(meta).table(hp)
		switch {
		case !ok:
			return 0, false, fmt.Errorf("%w: bad message header", ErrCorrupt)
		case ht == 1 && !checkSchema(h):
			return 0, false, fmt.Errorf("%w: bad schema", ErrCorrupt)
		case ht == 2: // dictionary batch: its data is a record batch
			if p := h.ref(1); p == -2 {
				return 0, false, fmt.Errorf("%w: bad dictionary batch", ErrCorrupt)
			} else if p >= 0 {
				if h, ok = flatbuffer(meta).table(p); !ok {
					return 0, false, fmt.Errorf("%w: bad dictionary batch", ErrCorrupt)
				}
				if err := c.batch(h, pos, body); err != nil {
					return 0, false, err
				}
			}
		case ht == 3:
			if err := c.batch(h, pos, body); err != nil {
				return 0, false, err
			}
		}
	}
	return pos + body, false, nil
}

// batch checks a record batch whose body of length body starts at bodyAt:
// every buffer lies inside the body and, when the batch is compressed,
// declares a decompressed size within the limit.
func (c *ipcChecker) batch(t fbTable, bodyAt, body int64) error {
	if _, _, ok := t.vector(1, 16); !ok { // field nodes
		return fmt.Errorf("%w: bad record batch nodes", ErrCorrupt)
	}
	first, n, ok := t.vector(2, 16)
	if !ok {
		return fmt.Errorf("%w: bad record batch buffers", ErrCorrupt)
	}
	compressed := t.ref(3) >= 0
	for k := range n {
		b := t.b[first+16*k:]
		off := int64(binary.LittleEndian.Uint64(b))
		length := int64(binary.LittleEndian.Uint64(b[8:]))
		if off < 0 || length < 0 || off > body || length > body-off {
			return fmt.Errorf("%w: a buffer lies outside its message body", ErrCorrupt)
		}
		if compressed && length >= 8 {
			prefix, err := c.read(bodyAt+off, 8)
			if err != nil {
				return err
			}
			if u := int64(binary.LittleEndian.Uint64(prefix)); u > c.limit || u < -1 {
				return fmt.Errorf("%w: a compressed buffer declares %d bytes, more than this input can hold", ErrCorrupt, u)
			}
		}
	}
	return nil
}
