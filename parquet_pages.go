package valuekit

import (
	"io"
	"unsafe"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/metadata"
)

// Reusing page readers across row groups.
//
// Arrow's RowGroupReader.Column gives every column chunk a new page reader,
// whose decompression buffer then grows to the page size again, and every
// page a new buffer: about 2 MB of fresh memory per column chunk and 1 MB
// per page, which this VM charges for in page faults and zeroing (a third
// of the time of reading a large file). The fast path keeps one page
// reader per column instead and Resets it onto each row group's column
// chunk, and gives the page readers of fixed-width columns an allocator
// that hands a released page buffer to the next page.
//
// Why recycling is safe there: a page reader allocates a buffer for each
// page, decodes the page into it and releases it while the page still
// reads from it (a v1 data page aliases the released buffer); the page is
// in use until the reader's next Next, which drops it before allocating
// the next buffer. Only the page reader allocates from its pageAlloc, and
// fixed-width values are copied out of the page as they are decoded, so a
// buffer released by one Next can be reused by the following one. The
// first buffer of a column chunk — its dictionary page, if it has one,
// whose values the decoder may keep for the whole chunk — is never reused.
// Byte-array columns, whose values point into their pages until the batch
// is copied, keep fresh buffers.

// pageAlloc is the memory.Allocator of one page reader (see above).
type pageAlloc struct {
	recycle bool   // reuse released buffers (fixed-width columns)
	spare   []byte // a released buffer, for the next page
	first   *byte  // the chunk's first buffer, never reused
	fresh   bool   // the next allocation is the chunk's first
}

func (a *pageAlloc) Allocate(size int) []byte {
	var b []byte
	if a.spare != nil && cap(a.spare) >= size && !a.fresh {
		b, a.spare = a.spare[:size], nil
	} else {
		b = make([]byte, size)
	}
	if a.fresh {
		a.fresh = false
		if size > 0 {
			a.first = unsafe.SliceData(b)
		}
	}
	return b
}

func (a *pageAlloc) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		return b[:size]
	}
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

func (a *pageAlloc) Free(b []byte) {
	if !a.recycle || cap(b) == 0 || unsafe.SliceData(b) == a.first {
		return
	}
	if a.spare == nil || cap(b) > cap(a.spare) {
		a.spare = b[:cap(b)]
	}
}

// chunkPages is the reused page reader of one column.
type chunkPages struct {
	alloc pageAlloc
	pager file.PageReader
}

// columnReader returns a reader of column leaf of row group g of pf, whose
// data src holds, on the column's reused page reader; ok is false when the
// file needs Arrow's own (encrypted column chunks, files of old parquet-mr
// writers whose chunk lengths need padding).
func (cp *chunkPages) columnReader(pf *file.Reader, src io.ReaderAt, props *parquet.ReaderProperties, g, leaf int) (rd file.ColumnChunkReader, ok bool, err error) {
	md := pf.MetaData()
	if md.WriterVersion().LessThan(metadata.Parquet816FixedVersion) {
		return nil, false, nil
	}
	rgm := md.RowGroup(g)
	col, err := rgm.ColumnChunk(leaf)
	if err != nil {
		return nil, false, err
	}
	if col.CryptoMetadata() != nil {
		return nil, false, nil
	}
	start := col.DataPageOffset()
	if col.HasDictionaryPage() && col.DictionaryPageOffset() > 0 && start > col.DictionaryPageOffset() {
		start = col.DictionaryPageOffset()
	}
	stream, err := props.GetStream(src, start, col.TotalCompressedSize())
	if err != nil {
		return nil, false, err
	}
	cp.alloc.fresh, cp.alloc.first = true, nil
	if cp.pager == nil {
		if cp.pager, err = file.NewPageReader(stream, col.NumValues(), col.Compression(), &cp.alloc, nil); err != nil {
			return nil, false, err
		}
	} else {
		cp.pager.Reset(stream, col.NumValues(), col.Compression(), nil)
		if err := cp.pager.Err(); err != nil {
			return nil, false, err
		}
	}
	return file.NewColumnReader(md.Schema.Column(leaf), cp.pager, props.Allocator(), pf.BufferPool()), true, nil
}
