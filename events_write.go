package valuekit

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/valuekit/valuekit/internal/atomicfile"
)

// Record returns the events as an Arrow record with the columns
// customer_id (dictionary<int32, utf8>), time (timestamp[us, UTC]), kind
// (utf8), amount (float64) and, when present, cost, quantity (float64),
// referred_id (dictionary<int32, utf8>, null for none) and score (float64,
// null for none). mem nil means memory.DefaultAllocator. The record must be
// Release()'d after use.
func (e *Events) Record(mem memory.Allocator) arrow.Record {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	fields := []arrow.Field{
		{Name: "customer_id", Type: dictType},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
		{Name: "kind", Type: arrow.BinaryTypes.String},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
	}
	if e.cost != nil {
		fields = append(fields, arrow.Field{Name: "cost", Type: arrow.PrimitiveTypes.Float64})
	}
	if e.quantity != nil {
		fields = append(fields, arrow.Field{Name: "quantity", Type: arrow.PrimitiveTypes.Float64})
	}
	if e.referred != nil {
		fields = append(fields, arrow.Field{Name: "referred_id", Type: dictType, Nullable: true})
	}
	if e.score != nil {
		fields = append(fields, arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	dict := array.NewStringBuilder(mem)
	dict.AppendValues(e.dict.ids, nil)
	dictArr := dict.NewArray()
	dict.Release()
	defer dictArr.Release()

	n := e.Len()
	col := 0
	next := func() array.Builder { col++; return b.Field(col - 1) }
	cb := next().(*array.BinaryDictionaryBuilder)
	_ = cb.InsertStringDictValues(dictArr.(*array.String))
	idx := make([]int, n)
	for i, c := range e.customer {
		idx[i] = int(c)
	}
	cb.AppendIndices(idx, nil)
	tb := next().(*array.TimestampBuilder)
	tb.Reserve(n)
	for _, t := range e.time {
		tb.UnsafeAppend(arrow.Timestamp(t))
	}
	kb := next().(*array.StringBuilder)
	for _, k := range e.kind {
		kb.Append(k.String())
	}
	next().(*array.Float64Builder).AppendValues(e.amount, nil)
	if e.cost != nil {
		next().(*array.Float64Builder).AppendValues(e.cost, nil)
	}
	if e.quantity != nil {
		next().(*array.Float64Builder).AppendValues(e.quantity, nil)
	}
	if e.referred != nil {
		rb := next().(*array.BinaryDictionaryBuilder)
		_ = rb.InsertStringDictValues(dictArr.(*array.String))
		valid := make([]bool, n)
		for i, r := range e.referred {
			idx[i], valid[i] = max(int(r), 0), r >= 0
		}
		rb.AppendIndices(idx, valid)
	}
	if e.score != nil {
		next().(*array.Float64Builder).AppendValues(e.score, e.hasScore)
	}
	return b.NewRecord()
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
		line = appendCSVField(line, []byte(e.dict.ids[e.customer[i]]))
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
				line = appendCSVField(line, []byte(e.dict.ids[r]))
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
