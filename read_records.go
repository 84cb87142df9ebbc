package valuekit

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow/array"
)

// NewRecordReader returns a batch reader of the events in the Arrow records
// of rr — from a Flight stream, a Parquet or IPC reader of the caller's own,
// or records a service built in memory — so that Arrow data need not be
// serialised to a file to be read. Columns are found and decoded as in
// Parquet and Arrow IPC files (ReadOptions.Columns, TimeLayout, KindNames,
// SkipBadRows), with the same *RowError values: rows are numbered from 1
// across all records, and name is the "file" of the errors. The reader
// holds a reference to rr (Retain) that Close releases.
func NewRecordReader(rr array.RecordReader, name string, opts *ReadOptions) (*EventReader, error) {
	if rr == nil {
		return nil, fmt.Errorf("%w: nil record reader", ErrOption)
	}
	opts = optsOrZero(opts)
	rr.Retain()
	src, err := newArrowSource(rr, rr.Schema(), name, opts)
	if err != nil {
		rr.Release()
		return nil, err
	}
	return newEventReader(src, opts, func() error {
		src.release()
		return nil
	}), nil
}

// ReadRecords reads every record of rr into one event table; see
// NewRecordReader.
func ReadRecords(rr array.RecordReader, name string, opts *ReadOptions) (*Events, error) {
	er, err := NewRecordReader(rr, name, opts)
	if err != nil {
		return nil, err
	}
	defer er.Close()
	return readAll(er.src)
}
