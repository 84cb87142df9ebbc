package valuekit

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// recordIterator is the shape shared by the Parquet and IPC record readers.
type recordIterator interface {
	Next() bool
	Record() arrow.Record
	Err() error
	Release()
}

// arrowSource decodes Arrow record batches (from Parquet or Arrow IPC files)
// into events. Numeric, timestamp, date and string columns are read natively;
// time and number columns stored as strings go through the CSV parsers, with
// the same errors.
type arrowSource struct {
	name   string
	opts   *ReadOptions
	it     recordIterator
	header []string
	srcCommon

	rec  arrow.Record           // current record, rows [next, rec.NumRows()) unread
	cols [numFields]arrow.Array // rec's column of each field, nil for none
	next int
	buf  []byte

	// lastNum and lastCode are the previous row's integer customer id and
	// its code in lastDict: files grouped by customer repeat the id row
	// after row, and comparing two integers skips writing it out as text
	// and looking it up.
	lastNum  int64
	lastCode int32
	lastDict *Dictionary

	// views are typed views of the current record's most common columns,
	// set when it is taken (setViews): decode reads them without a type
	// switch per row and column.
	views recordViews

	// nums, when not nil, collects the integer id of each code of the
	// builder's dictionary (noNum for codes of text ids), for a routed
	// split's dense id lookup (addParquetSplit).
	nums []int64
}

// noNum marks a code whose id was not read as an integer.
const noNum = math.MinInt64

// noteNum records that code c of the builder's dictionary is integer id num.
func (s *arrowSource) noteNum(c int32, num int64) {
	for int(c) >= len(s.nums) {
		s.nums = append(s.nums, noNum)
	}
	s.nums[c] = num
}

// recordViews are typed views of a record's columns of the most common
// types (nil, false where a column is of another type or has nulls).
type recordViews struct {
	customer   []int64           // int64 customer ids, none null
	time       []arrow.Timestamp // timestamp[µs] times, none null
	amount     []float64         // float64 amounts, none null
	noReferred bool              // the referred column is all null
	// kind words of a string column without nulls: row i's is
	// kindData[kindOffsets[i]-kindOffsets[0]:kindOffsets[i+1]-kindOffsets[0]]
	// (the offsets of a sliced array do not start at 0)
	kindOffsets []int32
	kindData    []byte
}

// kind returns row i's kind word (kindData is set).
func (v *recordViews) kind(i int) []byte {
	off := v.kindOffsets
	return v.kindData[off[i]-off[0] : off[i+1]-off[0]]
}

// noRecordViews makes decode go through the generic path, for tests.
var noRecordViews bool

// setViews sets s.views for the current record.
func (s *arrowSource) setViews() {
	s.views = recordViews{}
	if noRecordViews {
		return
	}
	if c, ok := s.cols[fCustomer].(*array.Int64); ok && c.NullN() == 0 {
		s.views.customer = c.Int64Values()
	}
	if c, ok := s.cols[fTime].(*array.Timestamp); ok && c.NullN() == 0 && c.DataType().(*arrow.TimestampType).Unit == arrow.Microsecond {
		s.views.time = c.TimestampValues()
	}
	if c, ok := s.cols[fAmount].(*array.Float64); ok && c.NullN() == 0 {
		s.views.amount = c.Float64Values()
	}
	if c := s.cols[fReferred]; c != nil && c.NullN() == c.Len() {
		s.views.noReferred = true
	}
	if c, ok := s.cols[fKind].(*array.String); ok && c.NullN() == 0 {
		s.views.kindOffsets, s.views.kindData = c.ValueOffsets(), c.ValueBytes()
	}
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return v-v == 0 }

// intID returns the integer customer id of row i of a, for an int32 or
// int64 column without a null there.
func intID(a arrow.Array, i int) (int64, bool) {
	switch c := a.(type) {
	case *array.Int64:
		return c.Value(i), c.IsValid(i)
	case *array.Int32:
		return int64(c.Value(i)), c.IsValid(i)
	}
	return 0, false
}

func newArrowSource(it recordIterator, schema *arrow.Schema, name string, opts *ReadOptions) (*arrowSource, error) {
	s := &arrowSource{name: name, opts: opts, it: it}
	s.header = make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		s.header[i] = f.Name
	}
	col, err := resolveColumns(name, s.header, opts.Columns)
	if err != nil {
		return nil, err
	}
	for f, i := range col {
		if i < 0 {
			continue
		}
		if !supportedType(f, schema.Field(i).Type) {
			return nil, fmt.Errorf("%s: %w: column %q has type %s, which cannot hold %s", name, ErrFormat, s.header[i], schema.Field(i).Type, fieldNames[f])
		}
	}
	s.setup(col, opts)
	return s, nil
}

func supportedType(f int, t arrow.DataType) bool {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		return true
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return true
	case arrow.FLOAT32, arrow.FLOAT64:
		return f != fTime && f != fKind
	case arrow.TIMESTAMP, arrow.DATE32, arrow.DATE64:
		return f == fTime
	}
	return false
}

func (s *arrowSource) readRows(limit int) (err error) {
	// The Parquet and IPC decoders panic on some corrupt files; a corrupt
	// file is an error, not a crash.
	defer recoverCorrupt(s.name, &err)
	var v rowValues
	for n := 0; limit <= 0 || n < limit; {
		if s.rec == nil || s.next >= int(s.rec.NumRows()) {
			if s.rec != nil {
				s.rec.Release()
				s.rec, s.cols, s.views = nil, [numFields]arrow.Array{}, recordViews{}
			}
			if !s.it.Next() {
				if err := s.it.Err(); err != nil && err != io.EOF {
					return fmt.Errorf("%s: %w: %v", s.name, ErrFormat, err)
				}
				return io.EOF
			}
			s.rec = s.it.Record()
			s.rec.Retain()
			for f, c := range s.col {
				s.cols[f] = nil
				if c >= 0 {
					s.cols[f] = s.rec.Column(c)
				}
			}
			s.setViews()
			s.next = 0
			continue
		}
		i := s.next
		s.next++
		s.rows++
		n++
		if rerr := s.decode(i, &v); rerr != nil {
			if !s.opts.SkipBadRows {
				return rerr
			}
			s.nbad++
			if s.opts.MaxBadRows <= 0 || len(s.bad) < s.opts.MaxBadRows {
				s.bad = append(s.bad, rerr)
			}
			continue
		}
		s.b.append(&v)
	}
	return nil
}

func (s *arrowSource) release() {
	if s.rec != nil {
		s.rec.Release()
		s.rec, s.cols, s.views = nil, [numFields]arrow.Array{}, recordViews{}
	}
	s.it.Release()
}

func (s *arrowSource) rowErr(f int, value, reason string) *RowError {
	return &RowError{File: s.name, Row: s.rows, Column: s.header[s.col[f]], Value: value, Reason: reason}
}

// column returns field f's array in the current record, or nil.
func (s *arrowSource) column(f int) arrow.Array { return s.cols[f] }

// text returns the value of a string-like or integer column as bytes.
func (s *arrowSource) text(a arrow.Array, i int) []byte {
	if d, ok := a.(*array.Dictionary); ok {
		return s.text(d.Dictionary(), d.GetValueIndex(i))
	}
	switch c := a.(type) {
	case *array.String:
		return stringBytes(c.Value(i))
	case *array.LargeString:
		return stringBytes(c.Value(i))
	case *array.Binary:
		return c.Value(i)
	case *array.LargeBinary:
		return c.Value(i)
	}
	s.buf = s.buf[:0]
	switch c := a.(type) {
	case *array.Int8:
		s.buf = strconv.AppendInt(s.buf, int64(c.Value(i)), 10)
	case *array.Int16:
		s.buf = strconv.AppendInt(s.buf, int64(c.Value(i)), 10)
	case *array.Int32:
		s.buf = strconv.AppendInt(s.buf, int64(c.Value(i)), 10)
	case *array.Int64:
		s.buf = strconv.AppendInt(s.buf, c.Value(i), 10)
	case *array.Uint8:
		s.buf = strconv.AppendUint(s.buf, uint64(c.Value(i)), 10)
	case *array.Uint16:
		s.buf = strconv.AppendUint(s.buf, uint64(c.Value(i)), 10)
	case *array.Uint32:
		s.buf = strconv.AppendUint(s.buf, uint64(c.Value(i)), 10)
	case *array.Uint64:
		s.buf = strconv.AppendUint(s.buf, c.Value(i), 10)
	case *array.Float32:
		s.buf = strconv.AppendFloat(s.buf, float64(c.Value(i)), 'g', -1, 32)
	case *array.Float64:
		s.buf = strconv.AppendFloat(s.buf, c.Value(i), 'g', -1, 64)
	}
	return s.buf
}

// number returns a numeric field's value; present is false for null or an
// empty string.
func (s *arrowSource) number(f int, a arrow.Array, i int) (v float64, present bool, rerr *RowError) {
	if a.IsNull(i) {
		return 0, false, nil
	}
	switch c := a.(type) {
	case *array.Float64:
		v = c.Value(i)
	case *array.Float32:
		v = float64(c.Value(i))
	default:
		b := trimSpace(s.text(a, i))
		if len(b) == 0 {
			return 0, false, nil
		}
		v, reason := summedValue(b)
		if reason != "" {
			return 0, false, s.rowErr(f, string(b), reason)
		}
		return v, true, nil
	}
	if v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308 {
		return 0, false, s.rowErr(f, strconv.FormatFloat(v, 'g', -1, 64), "is not a finite number")
	}
	if tooLarge(v) {
		return 0, false, s.rowErr(f, strconv.FormatFloat(v, 'g', -1, 64), tooLargeReason)
	}
	return v, true, nil
}

func (s *arrowSource) timeValue(a arrow.Array, i int) (int64, *RowError) {
	if a.IsNull(i) {
		return 0, s.rowErr(fTime, "", "is empty")
	}
	switch c := a.(type) {
	case *array.Timestamp:
		unit := c.DataType().(*arrow.TimestampType).Unit
		v := int64(c.Value(i))
		switch unit {
		case arrow.Second:
			return v * microsPerSecond, nil
		case arrow.Millisecond:
			return v * 1000, nil
		case arrow.Microsecond:
			return v, nil
		default:
			return floorDiv(v, 1000), nil
		}
	case *array.Date32:
		return int64(c.Value(i)) * microsPerDay, nil
	case *array.Date64:
		return int64(c.Value(i)) * 1000, nil
	}
	b := trimSpace(s.text(a, i))
	t, reason := s.parseTime(b)
	if reason != "" {
		return 0, s.rowErr(fTime, string(b), reason)
	}
	return t, nil
}

// recoverCorrupt turns a panic of a file decoder into an ErrFormat error.
func recoverCorrupt(name string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %w: corrupt file (%v)", name, ErrFormat, r)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func (s *arrowSource) decode(i int, v *rowValues) *RowError {
	*v = rowValues{referred: -1}
	a := s.column(fCustomer)
	var num int64
	var isNum bool
	if s.views.customer != nil {
		num, isNum = s.views.customer[i], true
	} else {
		num, isNum = intID(a, i)
	}
	if isNum && s.lastDict == s.b.dict && num == s.lastNum {
		v.customer = s.lastCode
	} else {
		var id []byte
		switch {
		case s.views.customer != nil:
			s.buf = strconv.AppendInt(s.buf[:0], num, 10)
			id = s.buf
		case !a.IsNull(i):
			id = trimSpace(s.text(a, i))
		}
		if len(id) == 0 {
			return s.rowErr(fCustomer, "", "is empty (every event needs a customer id)")
		}
		var c int32
		var err error
		if isNum && s.nums != nil {
			c, err = s.b.dict.appendPending(id) // may repeat an id: see appendPending
		} else {
			c, err = s.b.dict.intern(id)
		}
		if err != nil {
			return s.rowErr(fCustomer, string(id), err.Error())
		}
		v.customer = c
		if isNum {
			s.lastNum, s.lastCode, s.lastDict = num, c, s.b.dict
			if s.nums != nil {
				s.noteNum(c, num)
			}
		}
	}
	var rerr *RowError
	if s.views.time != nil {
		v.time = int64(s.views.time[i])
	} else if v.time, rerr = s.timeValue(s.column(fTime), i); rerr != nil {
		return rerr
	}
	if reason := checkTimeRange(v.time); reason != "" {
		return s.rowErr(fTime, time.UnixMicro(v.time).UTC().Format(time.RFC3339), reason)
	}
	v.kind = Purchase
	if a := s.column(fKind); a != nil {
		var kb []byte
		switch {
		case s.views.kindData != nil:
			kb = s.views.kind(i)
		case !a.IsNull(i):
			kb = s.text(a, i)
		}
		k, ok := s.kinds.lookup(kb)
		if !ok {
			return s.rowErr(fKind, string(kb), "is not a known kind (purchase, refund, referral, share, feedback, or a word mapped to one)")
		}
		v.kind = k
	}
	money := v.kind == Purchase || v.kind == Refund
	if a := s.column(fAmount); a != nil {
		var present bool
		if s.views.amount != nil && finite(s.views.amount[i]) && !tooLarge(s.views.amount[i]) {
			v.amount, present = s.views.amount[i], true
		} else if v.amount, present, rerr = s.number(fAmount, a, i); rerr != nil {
			return rerr // (number refuses what the view did not take)
		}
		if !present && money {
			return s.rowErr(fAmount, "", "is empty (a "+v.kind.String()+" needs an amount)")
		}
	} else if money {
		return &RowError{File: s.name, Row: s.rows, Reason: "is a " + v.kind.String() + " but the file has no amount column"}
	}
	if a := s.column(fCost); a != nil {
		if v.cost, _, rerr = s.number(fCost, a, i); rerr != nil {
			return rerr
		}
	}
	if a := s.column(fQuantity); a != nil {
		if v.quantity, _, rerr = s.number(fQuantity, a, i); rerr != nil {
			return rerr
		}
	}
	if a := s.column(fReferred); a != nil && !s.views.noReferred && !a.IsNull(i) {
		if b := trimSpace(s.text(a, i)); len(b) > 0 {
			var err error
			if v.referred, err = s.b.dict.intern(b); err != nil {
				return s.rowErr(fReferred, string(b), err.Error())
			}
		}
	}
	if a := s.column(fScore); a != nil {
		if v.score, v.hasScore, rerr = s.number(fScore, a, i); rerr != nil {
			return rerr
		}
	}
	if v.kind == Feedback && !v.hasScore {
		if s.col[fScore] < 0 {
			return &RowError{File: s.name, Row: s.rows, Reason: "is a feedback event but the file has no score column"}
		}
		return s.rowErr(fScore, "", "is empty (a feedback event needs a score)")
	}
	return nil
}

// lowerExt returns the lower-cased extension of name, treating ".gz" as part
// of a compound extension (".csv.gz").
func lowerExt(name string) string {
	n := strings.ToLower(name)
	gz := strings.HasSuffix(n, ".gz")
	if gz {
		n = strings.TrimSuffix(n, ".gz")
	}
	ext := ""
	if i := strings.LastIndexByte(n, '.'); i >= 0 && !strings.ContainsAny(n[i:], `/\`) {
		ext = n[i:]
	}
	if gz {
		ext += ".gz"
	}
	return ext
}
