package valuekit

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/valuekit/valuekit/internal/atomicfile"
	"github.com/valuekit/valuekit/table"
)

// Record returns the events as an Arrow record with the columns
// customer_id (dictionary<int32, utf8>), time (timestamp[us, UTC]), kind
// (dictionary<int8, utf8>), amount (float64) and, when present, cost,
// quantity (float64), referred_id (dictionary<int32, utf8>, null for none)
// and score (float64, null for none).
//
// The customer codes, times, kinds and numbers are not copied: the record's
// buffers are the table's own slices, so the table is its Arrow columns and
// hot loops read the same memory as plain slices. Only the id dictionary,
// the referred column and validity bitmaps are built, with mem (nil means
// memory.DefaultAllocator). The record must be Release()'d after use; for a
// batch of an EventReader it is valid, like the batch, until the next call
// to Next.
func (e *Events) Record(mem memory.Allocator) arrow.Record {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	n := e.Len()
	idType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	kindType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	tsType := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

	sb := array.NewStringBuilder(mem)
	sb.Reserve(e.dict.Len())
	for c := range int32(e.dict.Len()) {
		sb.Append(e.dict.ID(c))
	}
	ids := sb.NewArray()
	sb.AppendValues(kindNames[:], nil)
	kindDict := sb.NewArray()
	sb.Release()
	defer ids.Release()
	defer kindDict.Release()

	var fields []arrow.Field
	var cols []arrow.Array
	add := func(f arrow.Field, a arrow.Array) {
		fields = append(fields, f)
		cols = append(cols, a)
	}
	// wrap returns a column whose values buffer is b, not a copy of it.
	wrap := func(t arrow.DataType, b []byte, valid *memory.Buffer, nulls int) arrow.Array {
		d := array.NewData(t, n, []*memory.Buffer{valid, memory.NewBufferBytes(b)}, nil, nulls, 0)
		defer d.Release()
		return array.MakeFromData(d)
	}
	dictCol := func(t *arrow.DictionaryType, indices arrow.Array, dict arrow.Array) arrow.Array {
		d := array.NewDictionaryArray(t, indices, dict)
		indices.Release()
		return d
	}
	add(arrow.Field{Name: "customer_id", Type: idType}, dictCol(idType, wrap(arrow.PrimitiveTypes.Int32, arrow.Int32Traits.CastToBytes(e.customer), nil, 0), ids))
	add(arrow.Field{Name: "time", Type: tsType}, wrap(tsType, arrow.Int64Traits.CastToBytes(e.time), nil, 0))
	add(arrow.Field{Name: "kind", Type: kindType}, dictCol(kindType, wrap(arrow.PrimitiveTypes.Int8, kindBytes(e.kind), nil, 0), kindDict))
	add(arrow.Field{Name: "amount", Type: arrow.PrimitiveTypes.Float64}, wrap(arrow.PrimitiveTypes.Float64, arrow.Float64Traits.CastToBytes(e.amount), nil, 0))
	if e.cost != nil {
		add(arrow.Field{Name: "cost", Type: arrow.PrimitiveTypes.Float64}, wrap(arrow.PrimitiveTypes.Float64, arrow.Float64Traits.CastToBytes(e.cost), nil, 0))
	}
	if e.quantity != nil {
		add(arrow.Field{Name: "quantity", Type: arrow.PrimitiveTypes.Float64}, wrap(arrow.PrimitiveTypes.Float64, arrow.Float64Traits.CastToBytes(e.quantity), nil, 0))
	}
	if e.referred != nil {
		// No referral is -1 in the table; Arrow wants a valid index under a
		// null, so this column is built.
		b := array.NewInt32Builder(mem)
		b.Reserve(n)
		for _, r := range e.referred {
			if r >= 0 {
				b.UnsafeAppend(r)
			} else {
				b.AppendNull()
			}
		}
		add(arrow.Field{Name: "referred_id", Type: idType, Nullable: true}, dictCol(idType, b.NewArray(), ids))
		b.Release()
	}
	if e.score != nil {
		valid := memory.NewResizableBuffer(mem)
		valid.Resize(int(bitutilBytes(n)))
		bits := valid.Bytes()
		clear(bits)
		nulls := 0
		for i, ok := range e.hasScore {
			if ok {
				bits[i/8] |= 1 << (i % 8)
			} else {
				nulls++
			}
		}
		add(arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, wrap(arrow.PrimitiveTypes.Float64, arrow.Float64Traits.CastToBytes(e.score), valid, nulls))
		valid.Release()
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

func bitutilBytes(n int) int64 { return int64((n + 7) / 8) }

// kindBytes returns the kinds as the bytes of an int8 index column.
func kindBytes(k []Kind) []byte {
	if len(k) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&k[0])), len(k))
}

// WriteCSV writes the events as CSV with the default column names and
// RFC 3339 times, readable by ReadCSV.
func (e *Events) WriteCSV(w io.Writer) error {
	line := []byte("customer_id,time,kind,amount")
	opt := []struct {
		name string
		on   bool
	}{{"cost", e.cost != nil}, {"quantity", e.quantity != nil}, {"referred_id", e.referred != nil}, {"score", e.score != nil}}
	for _, o := range opt {
		if o.on {
			line = append(line, ',')
			line = append(line, o.name...)
		}
	}
	line = append(line, '\n')
	for i := range e.Len() {
		line = table.AppendCSVField(line, []byte(e.dict.ID(e.customer[i])))
		line = append(line, ',')
		line = time.UnixMicro(e.time[i]).UTC().AppendFormat(line, time.RFC3339Nano)
		line = append(line, ',')
		line = append(line, e.kind[i].String()...)
		line = append(line, ',')
		line = strconv.AppendFloat(line, e.amount[i], 'f', -1, 64)
		if e.cost != nil {
			line = strconv.AppendFloat(append(line, ','), e.cost[i], 'f', -1, 64)
		}
		if e.quantity != nil {
			line = strconv.AppendFloat(append(line, ','), e.quantity[i], 'f', -1, 64)
		}
		if e.referred != nil {
			line = append(line, ',')
			if r := e.referred[i]; r >= 0 {
				line = table.AppendCSVField(line, []byte(e.dict.ID(r)))
			}
		}
		if e.score != nil {
			line = append(line, ',')
			if e.hasScore[i] {
				line = strconv.AppendFloat(line, e.score[i], 'f', -1, 64)
			}
		}
		line = append(line, '\n')
		if len(line) > 64<<10 {
			if _, err := w.Write(line); err != nil {
				return err
			}
			line = line[:0]
		}
	}
	_, err := w.Write(line)
	return err
}

// WriteParquet writes the events as a Parquet file with the schema of Record.
func (e *Events) WriteParquet(w io.Writer) error {
	rec := e.Record(nil)
	defer rec.Release()
	return writeParquetRecord(w, rec)
}

// WriteIPC writes the events as an Arrow IPC stream. (WriteFile writes the
// IPC file format, which needs a seekable file.)
func (e *Events) WriteIPC(w io.Writer) error {
	rec := e.Record(nil)
	defer rec.Release()
	sw := ipc.NewWriter(w, ipc.WithSchema(rec.Schema()))
	if err := sw.Write(rec); err != nil {
		sw.Close()
		return err
	}
	return sw.Close()
}

func (e *Events) writeIPCFile(f *os.File) error {
	rec := e.Record(nil)
	defer rec.Release()
	fw, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// WriteFile writes the events to path as CSV, Parquet or Arrow IPC by
// extension (.csv, .parquet, .arrow/.ipc/.feather), atomically.
func (e *Events) WriteFile(path string) error {
	var write func(io.Writer) error
	switch lowerExt(path) {
	case ".csv":
		write = e.WriteCSV
	case ".parquet", ".pq":
		write = e.WriteParquet
	case ".arrow", ".ipc", ".feather":
		return atomicfile.WriteFile(path, e.writeIPCFile)
	default:
		return fmt.Errorf("%w: cannot tell the output format of %q (use .csv, .parquet or .arrow)", ErrOption, path)
	}
	return atomicfile.Write(path, write)
}
