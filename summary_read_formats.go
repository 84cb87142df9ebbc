package valuekit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// summaryFormat is the format of a summary file: "json" by extension,
// else that of an event file (format).
func summaryFormat(path string) string {
	if lowerExt(path) == ".json" {
		return "json"
	}
	f, _ := format(path, &ReadOptions{}) // no Format given: no error
	return f
}

// parquetColumnNames returns the top-level column names of a Parquet file.
func parquetColumnNames(path string) ([]string, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	root := pf.MetaData().Schema.Root()
	names := make([]string, root.NumFields())
	for i := range names {
		names[i] = root.Field(i).Name()
	}
	return names, nil
}

// readSummaryParquet reads a summary written as Parquet by Table.WriteParquet
// (or any Parquet file with the summary's columns): each value is turned
// into the text the CSV writer would write, and parsed as a CSV summary is,
// with the same checks and errors.
func readSummaryParquet(f *os.File, name string, unit Unit) (_ *Summary, err error) {
	// Columns are decoded in this goroutine (ArrowReadProperties.Parallel
	// is off), so a decoder's panic on a corrupt file is recovered here.
	defer recoverCorrupt(name, &err)
	pf, err := file.NewParquetReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	defer tbl.Release()
	header := make([][]byte, tbl.NumCols())
	cols := make([]*arrow.Chunked, tbl.NumCols())
	for j := range header {
		header[j] = []byte(tbl.Schema().Field(j).Name)
		cols[j] = tbl.Column(j).Data()
	}
	n := int(tbl.NumRows())
	row := -1
	fields := make([][]byte, len(cols))
	next := func() ([][]byte, error) {
		if row < 0 {
			row = 0
			return header, nil
		}
		if row >= n {
			return nil, io.EOF
		}
		for j, c := range cols {
			fields[j] = arrowText(fields[j][:0], c, row)
		}
		row++
		return fields, nil
	}
	return parseSummary(next, name, unit)
}

// arrowText appends the text of row i of a chunked column, as the CSV
// writer writes it; a null is empty.
func arrowText(b []byte, c *arrow.Chunked, i int) []byte {
	for _, a := range c.Chunks() {
		if i >= a.Len() {
			i -= a.Len()
			continue
		}
		if a.IsNull(i) {
			return b
		}
		switch a := a.(type) {
		case *array.Float64:
			return strconv.AppendFloat(b, a.Value(i), 'f', -1, 64)
		case *array.Float32:
			return strconv.AppendFloat(b, float64(a.Value(i)), 'f', -1, 32)
		case *array.Int32:
			return strconv.AppendInt(b, int64(a.Value(i)), 10)
		case *array.Int64:
			return strconv.AppendInt(b, a.Value(i), 10)
		case *array.String:
			return append(b, a.Value(i)...)
		case *array.Boolean:
			return strconv.AppendBool(b, a.Value(i))
		case *array.Timestamp:
			unit := a.DataType().(*arrow.TimestampType).Unit
			return a.Value(i).ToTime(unit).UTC().AppendFormat(b, time.RFC3339)
		case *array.List:
			lo, hi := a.ValueOffsets(i)
			vals, ok := a.ListValues().(*array.String)
			if !ok {
				return append(b, a.ValueStr(i)...)
			}
			for k := lo; k < hi; k++ {
				if k > lo {
					b = append(b, ReferredSeparator...)
				}
				b = append(b, vals.Value(int(k))...)
			}
			return b
		default:
			return append(b, a.ValueStr(i)...)
		}
	}
	return b
}

// jsonFirstKeys returns the keys of the first object of a JSON array of
// objects, in file order.
func jsonFirstKeys(r io.Reader) ([]string, error) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, fmt.Errorf("not a JSON array")
	}
	if !dec.More() {
		return nil, io.EOF
	}
	keys, _, err := jsonObject(dec)
	return keys, err
}

// jsonObject reads one object of scalar (or string-array) values and
// returns its keys and values as the CSV writer's text (null as empty).
func jsonObject(dec *json.Decoder) ([]string, [][]byte, error) {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("want an object")
	}
	var keys []string
	var vals [][]byte
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k.(string))
		vals = append(vals, jsonText(raw))
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	return keys, vals, nil
}

// jsonText returns the text of a JSON value as the CSV writer writes it:
// strings unquoted, arrays of strings joined, null empty, numbers as they
// are.
func jsonText(raw json.RawMessage) []byte {
	switch {
	case string(raw) == "null":
		return nil
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []byte(s)
		}
	case len(raw) > 0 && raw[0] == '[':
		var l []string
		if json.Unmarshal(raw, &l) == nil {
			return []byte(strings.Join(l, ReferredSeparator))
		}
	}
	return raw
}

// readSummaryJSON reads a summary written as JSON by Table.WriteJSON: an
// array of objects with the same keys, parsed as a CSV summary is (row n
// of an error is object n−1).
func readSummaryJSON(r io.Reader, name string, unit Unit) (*Summary, error) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, fmt.Errorf("%s: %w: not a JSON array of objects", name, ErrFormat)
	}
	var pos map[string]int
	var first [][]byte // the first object's values, due after the header
	object := 0
	next := func() ([][]byte, error) {
		if first != nil {
			out := first
			first = nil
			return out, nil
		}
		if !dec.More() {
			return nil, io.EOF
		}
		object++
		keys, vals, err := jsonObject(dec)
		if err != nil {
			return nil, fmt.Errorf("object %d: %w: %v", object, ErrFormat, err)
		}
		if pos == nil {
			pos = map[string]int{}
			header := make([][]byte, len(keys))
			for i, k := range keys {
				pos[k] = i
				header[i] = []byte(k)
			}
			first = vals
			return header, nil
		}
		out := make([][]byte, len(pos))
		for i, k := range keys {
			j, ok := pos[k]
			if !ok {
				return nil, fmt.Errorf("object %d: %w: key %q is not one of the first object's", object, ErrFormat, k)
			}
			out[j] = vals[i]
		}
		return out, nil
	}
	return parseSummary(next, name, unit)
}
