package valuekit

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/valuekit/valuekit/internal/ipccheck"
)

// srcCommon is the state every source keeps, and the field parsing the
// CSV and Arrow sources share.
type srcCommon struct {
	b     eventBuilder
	bad   []*RowError
	nbad  int
	rows  int
	col   [numFields]int // column index of each field, -1 when absent
	kinds kindLookup
	tp    timeParser
	tpSet bool
}

// setup prepares the parsing of a file whose fields are in the columns col.
func (c *srcCommon) setup(col [numFields]int, opts *ReadOptions) {
	c.col = col
	c.kinds = newKindLookup(opts.KindNames)
	if opts.TimeLayout != "" {
		c.tp, c.tpSet = newTimeParser(opts.TimeLayout), true
	}
	c.b.init(NewDictionary())
	c.b.hasCost = col[fCost] >= 0
	c.b.hasQuantity = col[fQuantity] >= 0
	c.b.hasReferred = col[fReferred] >= 0
	c.b.hasScore = col[fScore] >= 0
}

// parseTime parses a time value, detecting the layout on the first one
// when none was given, and checks its range. It returns the reason when b
// is not a usable time.
func (c *srcCommon) parseTime(b []byte) (int64, string) {
	if !c.tpSet {
		if len(b) == 0 {
			return 0, "is empty"
		}
		l, ok := detectLayout(string(b))
		if !ok {
			return 0, "is not a time in a recognised layout (RFC 3339, 2006-01-02, 2006-01-02 15:04:05, 20060102); give the layout with the time-format option"
		}
		c.tp, c.tpSet = newTimeParser(l), true
	}
	t, ok := c.tp.parse(b)
	if !ok {
		return 0, fmt.Sprintf("is not a time in layout %q", c.tp.layout)
	}
	return t, checkTimeRange(t)
}

// checkTimeRange returns the reason a time is refused, or "".
func checkTimeRange(t int64) string {
	if t < minMicros || t >= maxMicros {
		return timeRangeReason
	}
	return ""
}

func (c *srcCommon) common() *srcCommon { return c }

// source decodes rows of one input into its builder.
type source interface {
	// readRows reads up to limit rows (all when limit <= 0), returning
	// io.EOF at the end of the input.
	readRows(limit int) error
	common() *srcCommon
}

// EventReader reads a file of events in batches, so that a file larger than
// memory can be summarised: memory then grows with customers, not events.
// It has the shape of bufio.Scanner and Arrow's record readers:
//
//	r, err := valuekit.OpenFile("orders.csv", nil)
//	if err != nil { … }
//	defer r.Close()
//	for r.Next() {
//		batch := r.Events() // valid until the next call to Next
//		…
//	}
//	if err := r.Err(); err != nil { … }
//
// All batches of one reader share one customer Dictionary.
type EventReader struct {
	src    source
	batch  int
	ev     *Events
	err    error
	closer func() error
	done   bool
}

func newEventReader(src source, opts *ReadOptions, closer func() error) *EventReader {
	n := opts.BatchSize
	if n <= 0 {
		n = 1 << 16
	}
	return &EventReader{src: src, batch: n, closer: closer}
}

// Next reads the next batch. It returns false at the end of the input or on
// an error; Err tells which.
func (r *EventReader) Next() bool { return r.next(true, nil) }

// next reads the next batch. With reuse it reuses the previous batch's
// storage; without, the batch has storage of its own — recycled's, when
// given, a batch the caller is done with — and a snapshot of the
// dictionary, so that another goroutine may read it while this one reads
// on (the pipeline of SummarizeReader).
func (r *EventReader) next(reuse bool, recycled *Events) bool {
	if r.done {
		return false
	}
	c := r.src.common()
	if recycled != nil {
		c.b.recycle(recycled)
	}
	err := r.src.readRows(r.batch)
	r.ev = c.b.events(reuse)
	if !reuse {
		r.ev.dict = c.b.dict.snapshot()
	}
	if err == io.EOF {
		r.done = true
		return r.ev.Len() > 0
	}
	if err != nil {
		r.err, r.done = err, true
		return false
	}
	return true
}

// Events returns the current batch. It is valid until the next call to Next.
func (r *EventReader) Events() *Events { return r.ev }

// Err returns the first error met, or nil at a clean end of input.
func (r *EventReader) Err() error { return r.err }

// Rows returns the number of data rows read so far, good and bad.
func (r *EventReader) Rows() int { return r.src.common().rows }

// BadRows returns the bad rows skipped so far (with ReadOptions.SkipBadRows)
// and how many there were in all.
func (r *EventReader) BadRows() ([]*RowError, int) {
	c := r.src.common()
	return c.bad, c.nbad
}

// Dictionary returns the customer dictionary shared by all batches.
func (r *EventReader) Dictionary() *Dictionary { return r.src.common().b.dict }

// Close releases the input. It is safe to call more than once.
func (r *EventReader) Close() error {
	if r.closer == nil {
		return nil
	}
	err := r.closer()
	r.closer = nil
	return err
}

// readAll reads every row of src into one table.
func readAll(src source) (*Events, error) {
	return readAllContext(context.Background(), src, 0)
}

// readAllContext reads the rest of src into one table, batch rows at a
// time (all at once for 0), checking ctx between batches.
func readAllContext(ctx context.Context, src source, batch int) (*Events, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := src.readRows(batch)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if batch <= 0 {
			return nil, fmt.Errorf("internal error: unbounded read stopped early")
		}
	}
	c := src.common()
	ev := c.b.events(false)
	ev.Rows, ev.BadRows, ev.BadRowCount = c.rows, c.bad, c.nbad
	return ev, nil
}

func optsOrZero(opts *ReadOptions) *ReadOptions {
	if opts == nil {
		return &ReadOptions{}
	}
	return opts
}

// format returns the file format to read name as.
func format(name string, opts *ReadOptions) (string, error) {
	switch opts.Format {
	case "csv", "parquet", "arrow":
		return opts.Format, nil
	case "":
	default:
		return "", fmt.Errorf("%w: format %q (want csv, parquet or arrow)", ErrOption, opts.Format)
	}
	switch lowerExt(name) {
	case ".parquet", ".pq":
		return "parquet", nil
	case ".arrow", ".ipc", ".feather", ".arrows":
		return "arrow", nil
	}
	// CSV, by name or not: told by its first bytes, as gzip is (a Parquet
	// file named .csv was read as CSV, its binary "header" in the error).
	return sniffFormat(name), nil
}

// sniffFormat returns the format of the regular file at path by its first
// bytes: "parquet" or "arrow" for their magic numbers, "csv" otherwise —
// also for anything but a regular file (a pipe, a FIFO: reading it here
// would take the bytes from its reader, or wait for a writer) and when the
// file cannot be read (opening it again reports why).
func sniffFormat(path string) string {
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return "csv"
	}
	f, err := os.Open(path)
	if err != nil {
		return "csv"
	}
	defer f.Close()
	var magic [6]byte
	n, _ := io.ReadFull(f, magic[:])
	switch {
	case n >= 4 && string(magic[:4]) == "PAR1":
		return "parquet"
	case n == 6 && string(magic[:]) == "ARROW1", n >= 4 && string(magic[:4]) == "\xff\xff\xff\xff":
		return "arrow"
	}
	return "csv"
}

// OpenFile opens a file of events for reading in batches. The format is
// chosen by ReadOptions.Format or by extension: .csv (also .csv.gz, .tsv,
// and any unknown extension: CSV, gzip-compressed when it starts with the
// gzip magic bytes), .parquet, .arrow/.ipc/.feather (Arrow IPC file or
// stream); any other file (a .csv too) that starts with Parquet's or
// Arrow's magic bytes is read as such. A .tsv file defaults to a tab separator. Error messages name the
// file by its base name.
func OpenFile(path string, opts *ReadOptions) (*EventReader, error) {
	opts = optsOrZero(opts)
	name := filepath.Base(path)
	osf, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	kind, err := format(path, opts)
	if err != nil {
		osf.Close()
		return nil, err
	}
	f, err := withProgress(osf, opts.Progress)
	if err != nil {
		osf.Close()
		return nil, err
	}
	var r *EventReader
	switch kind {
	case "parquet":
		r, err = openParquet(f, name, opts, f.Close)
	case "arrow":
		r, err = openIPC(f, name, opts, f.Close)
	default:
		if opts.Comma == 0 && (lowerExt(path) == ".tsv" || lowerExt(path) == ".tsv.gz") {
			o := *opts
			o.Comma = '\t'
			opts = &o
		}
		r, err = openCSV(f, name, opts, f.Close)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// ReadFile reads a whole file of events; see OpenFile for the formats.
func ReadFile(path string, opts *ReadOptions) (*Events, error) {
	return ReadFileContext(context.Background(), path, opts)
}

// ReadFileContext is ReadFile, stopping with ctx's error once ctx is done
// (checked between batches of rows).
func ReadFileContext(ctx context.Context, path string, opts *ReadOptions) (*Events, error) {
	r, err := OpenFile(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readAllContext(ctx, r.src, batchRows(optsOrZero(opts)))
}

// NewCSVReader returns a batch reader of CSV events from r, which may be
// gzip-compressed. name is used in error messages.
func NewCSVReader(r io.Reader, name string, opts *ReadOptions) (*EventReader, error) {
	return openCSV(r, name, optsOrZero(opts), nil)
}

// ReadCSV reads CSV events from r (plain or gzip-compressed). name is used in
// error messages.
func ReadCSV(r io.Reader, name string, opts *ReadOptions) (*Events, error) {
	er, err := openCSV(r, name, optsOrZero(opts), nil)
	if err != nil {
		return nil, err
	}
	return readAll(er.src)
}

func openCSV(r io.Reader, name string, opts *ReadOptions, closer func() error) (*EventReader, error) {
	in := randomAccess(r)
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
		}
		c := closer
		closer = func() error {
			zr.Close()
			if c != nil {
				return c()
			}
			return nil
		}
		r, in = gzipErrors{zr}, nil
	} else {
		r = br
	}
	src, err := newCSVSource(r, name, opts, in)
	if err != nil {
		return nil, err
	}
	return newEventReader(src, opts, closer), nil
}

// NewParquetReader returns a reader of the events of a Parquet file in
// batches (row group by row group, only the needed columns): the file is
// read where needed, never held whole. name is used in error messages.
func NewParquetReader(r parquet.ReaderAtSeeker, name string, opts *ReadOptions) (*EventReader, error) {
	return openParquet(r, name, optsOrZero(opts), nil)
}

// ReadParquet reads a Parquet file of events. name is used in error messages.
func ReadParquet(r parquet.ReaderAtSeeker, name string, opts *ReadOptions) (*Events, error) {
	er, err := openParquet(r, name, optsOrZero(opts), nil)
	if err != nil {
		return nil, err
	}
	defer er.Close()
	return readAll(er.src)
}

func openParquet(r parquet.ReaderAtSeeker, name string, opts *ReadOptions, closer func() error) (er *EventReader, err error) {
	defer recoverCorrupt(name, &err)
	// Buffered streams: without, every column chunk is read whole into a
	// fresh buffer and copied into a second one before its pages are
	// decoded — two chunk-sized allocations, their page faults and a copy
	// per column per row group. With, the pages are read from the file into
	// the page reader's own (reused) buffer.
	props := parquet.NewReaderProperties(nil)
	props.BufferedStreamEnabled = true
	props.BufferSize = 64 << 10
	pf, err := file.NewParquetReader(r, file.WithReadProps(props))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: not a Parquet file: %v", name, ErrFormat, err)
	}
	// The Arrow schema that Arrow writers store in the metadata is not
	// needed (the Parquet types say all the readers need) and decoding a
	// corrupt one can exhaust memory: hide it from pqarrow.
	for _, kv := range pf.MetaData().KeyValueMetadata() {
		if kv != nil && kv.Key == "ARROW:schema" {
			kv.Key = "ARROW:schema (ignored by valuekit)"
		}
	}
	batch := opts.BatchSize
	if batch <= 0 {
		batch = 1 << 16
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: int64(batch)}, opts.allocator())
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	it := newParquetIter(fr, schema, batch, opts.allocator())
	it.src, it.props = r, props
	src, err := newArrowSource(it, schema, name, opts)
	if err != nil {
		pf.Close()
		return nil, err
	}
	for _, c := range src.col {
		if c >= 0 {
			it.needed[c] = true
		}
	}
	return newEventReader(src, opts, func() error {
		src.release()
		err := pf.Close()
		if closer != nil {
			if cerr := closer(); err == nil {
				err = cerr
			}
		}
		return err
	}), nil
}

// ReadIPC reads events from an Arrow IPC stream. name is used in error
// messages. (OpenFile and ReadFile also read the IPC file format.)
func ReadIPC(r io.Reader, name string, opts *ReadOptions) (*Events, error) {
	er, err := openIPC(r, name, optsOrZero(opts), nil)
	if err != nil {
		return nil, err
	}
	defer er.Close()
	return readAll(er.src)
}

// ipcFile adapts an IPC file reader to recordIterator.
type ipcFile struct {
	fr  *ipc.FileReader
	i   int
	rec arrow.Record
	err error
}

func (f *ipcFile) Next() bool {
	if f.i >= f.fr.NumRecords() {
		return false
	}
	f.rec, f.err = f.fr.RecordAt(f.i)
	f.i++
	return f.err == nil
}
func (f *ipcFile) Record() arrow.Record  { return f.rec }
func (f *ipcFile) Err() error            { return f.err }
func (f *ipcFile) Release()              { f.fr.Close() }
func (f *ipcFile) Schema() *arrow.Schema { return f.fr.Schema() }

func isIPCFile(r io.ReaderAt) bool {
	var magic [6]byte
	n, _ := r.ReadAt(magic[:], 0)
	return n == 6 && string(magic[:]) == "ARROW1"
}

func openIPC(r io.Reader, name string, opts *ReadOptions, closer func() error) (er *EventReader, err error) {
	defer recoverCorrupt(name, &err)
	// Check the framing and schema before the decoder trusts them; an
	// input that cannot be read at random is read into memory for that.
	size := int64(-1)
	if sz, ok := r.(interface{ Size() int64 }); ok {
		size = sz.Size()
	} else if st, ok := r.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil {
			size = fi.Size()
		}
	}
	ra, ok := r.(ipc.ReadAtSeeker)
	if !ok || size < 0 {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		br := bytes.NewReader(b)
		r, ra, size = br, br, int64(len(b))
	}
	if err := ipccheck.Check(ra, size); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	if _, err := ra.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	alloc := ipc.WithAllocator(opts.allocator())
	var it recordIterator
	if isIPCFile(ra) {
		fr, err := ipc.NewFileReader(ra, alloc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: not an Arrow IPC file: %v", name, ErrFormat, err)
		}
		it = &ipcFile{fr: fr}
	} else {
		sr, err := ipc.NewReader(r, alloc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: not an Arrow IPC stream: %v", name, ErrFormat, err)
		}
		it = sr
	}
	schema := it.(interface{ Schema() *arrow.Schema }).Schema()
	src, err := newArrowSource(it, schema, name, opts)
	if err != nil {
		it.Release()
		return nil, err
	}
	return newEventReader(src, opts, func() error {
		src.release()
		if closer != nil {
			return closer()
		}
		return nil
	}), nil
}

// gzipErrors says which stream ended early: a truncated .csv.gz read as
// "unexpected EOF" alone.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err == io.ErrUnexpectedEOF {
		err = fmt.Errorf("gzip: %w (is the file cut short?)", err)
	}
	return n, err
}
