package valuekit

import (
	"bytes"
	"errors"
	"io"
	"math"
)

// csvScanner splits RFC 4180 CSV into records without allocating per record:
// the fields returned by next are valid until the following call. It accepts
// LF and CRLF line ends, a UTF-8 byte-order mark at the start, quoted fields
// holding separators, newlines and doubled quotes, and a last line without a
// line end. Empty lines are skipped. Unlike encoding/csv it does not check
// that every record has the same number of fields; the caller does.
type csvScanner struct {
	r      io.Reader
	comma  byte
	buf    []byte
	pos    int // start of the unread data in buf
	end    int // end of the data in buf
	eof    bool
	record int // records returned so far
	// lines counts the line ends consumed (blank lines, line ends inside
	// quoted fields, record ends); recLine is the 1-based line, counted from
	// where the scanner started, of the last record returned, and
	// firstLines the lines before the first record it returned.
	lines, recLine, firstLines int

	// For reading part of an input (see csvsplit.go): off is the offset in
	// the input of buf[0]; next stops with errLimit at the first record
	// starting at or after limit; recStart is the offset of the record
	// next last looked at, -1 when it met the end of the input instead;
	// noBOM is set when the scanner does not start at the input's start.
	off      int64
	limit    int64
	recStart int64
	noBOM    bool
	// bomChecked is set once the input's first bytes were looked at.
	bomChecked bool
	// firstStart is recStart after the first call to next.
	firstStart int64
	started    bool

	spans   []span
	fields  [][]byte
	scratch []byte
}

type span struct {
	quoted     bool // the bytes are in scratch, not buf
	start, end int
}

var errQuote = errors.New(`bare or unterminated quote (")`)

// errLimit reports that the next record starts at or after the scanner's limit.
var errLimit = errors.New("record past the limit")

func newCSVScanner(r io.Reader, comma byte) *csvScanner {
	return &csvScanner{r: r, comma: comma, buf: make([]byte, 64<<10), limit: math.MaxInt64}
}

// offset returns the input offset of the unread data.
func (s *csvScanner) offset() int64 { return s.off + int64(s.pos) }

// fill reads more input, moving unread data to the front and growing the
// buffer when a record is longer than it. It reports false at the end of
// input, after having appended a final newline if the input lacks one.
func (s *csvScanner) fill() (bool, error) {
	if s.eof {
		return false, nil
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.off += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		// A byte-order mark at the input's start, however few bytes the
		// first reads return.
		if !s.bomChecked && (s.end >= 3 || err != nil) {
			s.bomChecked = true
			if !s.noBOM && s.off == 0 && s.record == 0 && s.end >= 3 && s.buf[0] == 0xEF && s.buf[1] == 0xBB && s.buf[2] == 0xBF {
				s.pos = 3
			}
		}
		if err == io.EOF {
			s.eof = true
			if s.end > s.pos && s.buf[s.end-1] != '\n' {
				if s.end == len(s.buf) {
					nb := make([]byte, len(s.buf)+1)
					copy(nb, s.buf)
					s.buf = nb
				}
				s.buf[s.end] = '\n'
				s.end++
			}
			return n > 0 || s.end > s.pos, nil
		}
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
}

// next returns the fields of the next record, or io.EOF after the last one.
func (s *csvScanner) next() ([][]byte, error) {
	fields, err := s.next1()
	if !s.started {
		s.firstStart, s.started = s.recStart, true
		s.firstLines = s.lines // no record: every line consumed is before it
		if err == nil {
			s.firstLines = s.recLine - 1
		}
	}
	return fields, err
}

func (s *csvScanner) next1() ([][]byte, error) {
	s.recStart = -1
	for {
		ok, err := s.parse()
		if err != nil {
			return nil, err
		}
		if ok {
			s.record++
			s.fields = s.fields[:0]
			for _, sp := range s.spans {
				if sp.quoted {
					s.fields = append(s.fields, s.scratch[sp.start:sp.end:sp.end])
				} else {
					s.fields = append(s.fields, s.buf[sp.start:sp.end:sp.end])
				}
			}
			return s.fields, nil
		}
		more, err := s.fill()
		if err != nil {
			return nil, err
		}
		if !more {
			if s.pos < s.end {
				return nil, errQuote
			}
			return nil, io.EOF
		}
	}
}

// parse tries to parse one record at s.pos. It reports false, leaving s.pos
// unchanged, when the buffer does not hold a complete record.
func (s *csvScanner) parse() (bool, error) {
	buf, end := s.buf, s.end
	i := s.pos
	// Skip empty lines.
	for i < end && (buf[i] == '\n' || (buf[i] == '\r' && i+1 < end && buf[i+1] == '\n')) {
		if buf[i] == '\r' {
			i++
		}
		i++
		s.pos = i
		s.lines++
	}
	if i >= end || buf[i] == '\r' && i+1 >= end {
		return false, nil // (a lone \r may start an empty line)
	}
	s.recStart = s.off + int64(i)
	if s.recStart >= s.limit {
		return false, errLimit
	}
	s.spans = s.spans[:0]
	s.scratch = s.scratch[:0]
	comma := s.comma
	quotedLines := 0 // line ends inside quoted fields of this record
	for {
		if i < end && buf[i] == '"' {
			start := len(s.scratch)
			j := i + 1
			for {
				k := bytes.IndexByte(buf[j:end], '"')
				if k < 0 {
					return false, nil
				}
				k += j
				s.scratch = append(s.scratch, buf[j:k]...)
				quotedLines += bytes.Count(buf[j:k], newline)
				if k+1 >= end {
					return false, nil
				}
				if buf[k+1] == '"' {
					s.scratch = append(s.scratch, '"')
					j = k + 2
					continue
				}
				i = k + 1
				break
			}
			s.spans = append(s.spans, span{quoted: true, start: start, end: len(s.scratch)})
			switch {
			case buf[i] == comma:
				i++
				continue
			case buf[i] == '\n':
				return s.done(i+1, quotedLines)
			case buf[i] == '\r' && i+1 < end && buf[i+1] == '\n':
				return s.done(i+2, quotedLines)
			case buf[i] == '\r' && i+1 >= end:
				return false, nil
			default:
				return false, errQuote
			}
		}
		j := i
		for j < end {
			c := buf[j]
			if c == comma || c == '\n' {
				break
			}
			j++
		}
		if j >= end {
			return false, nil
		}
		if buf[j] == comma {
			s.spans = append(s.spans, span{start: i, end: j})
			i = j + 1
			continue
		}
		fe := j
		if fe > i && buf[fe-1] == '\r' {
			fe--
		}
		s.spans = append(s.spans, span{start: i, end: fe})
		return s.done(j+1, quotedLines)
	}
}

var newline = []byte{'\n'}

// done ends a record whose next byte is at pos, holding quoted line ends
// inside.
func (s *csvScanner) done(pos, quoted int) (bool, error) {
	s.pos = pos
	s.recLine = s.lines + 1
	s.lines += quoted + 1
	return true, nil
}

// skipLine discards the input up to and including the next newline: a
// scanner started inside the input then stands at a line start, which is a
// record start unless the newline was inside a quoted field.
func (s *csvScanner) skipLine() error {
	for {
		if k := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); k >= 0 {
			s.pos += k + 1
			return nil
		}
		s.pos = s.end
		more, err := s.fill()
		if err != nil || !more {
			return err
		}
	}
}
