package valuekit

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"github.com/stretchr/testify/require"
)

func pageReuseRecord(n int, seed uint64) arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond}}, {Name: "kind", Type: arrow.BinaryTypes.String},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
		{Name: "cost", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "quantity", Type: arrow.PrimitiveTypes.Int32, Nullable: true}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	rng := rand.New(rand.NewPCG(seed, 3))
	start := date("2020-01-01").UnixMicro()
	for i := range n {
		// ids: runs of few distinct values then many distinct (dictionary fallback)
		var id int64
		if (i/2000)%2 == 0 {
			id = int64(rng.IntN(50))
		} else {
			id = int64(rng.IntN(1 << 20))
		}
		b.Field(0).(*array.Int64Builder).Append(id)
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(start + int64(rng.IntN(300*86400))*1_000_000))
		b.Field(2).(*array.StringBuilder).Append("purchase")
		b.Field(3).(*array.Float64Builder).Append(float64(rng.IntN(90000)) / 100)
		if rng.IntN(4) == 0 {
			b.Field(4).(*array.Float32Builder).AppendNull()
		} else {
			b.Field(4).(*array.Float32Builder).Append(float32(rng.IntN(1000)) / 4)
		}
		if rng.IntN(3) == 0 {
			b.Field(5).(*array.Int32Builder).AppendNull()
		} else {
			b.Field(5).(*array.Int32Builder).Append(int32(1 + rng.IntN(5)))
		}
	}
	return b.NewRecord()
}

// TestPageReuse reads files written with data pages v1 and v2, without
// compression, with Snappy and zstd, with dictionary, plain and delta
// encodings and the dictionary's fall-back to plain, in small pages and
// with nullable float32 and int32 columns, through pqarrow, the fast path
// with Arrow's page readers and the fast path with reused page readers and
// buffers, on 1 and 3 workers: the same events every way. (Written by a
// review of the page reuse, 2026-11-29.)
func TestPageReuse(t *testing.T) {
	// -short: a fifth of the rows, in row groups a fifth as long (still
	// several row groups per run and several pages per column chunk).
	rows, group := 30000, int64(7001)
	if testing.Short() {
		rows, group = 6000, 1401
	}
	rec := pageReuseRecord(rows, 7)
	defer rec.Release()
	type cfg struct {
		name string
		opts []parquet.WriterProperty
	}
	var cfgs []cfg
	for _, v2 := range []bool{false, true} {
		for _, codec := range []compress.Compression{compress.Codecs.Uncompressed, compress.Codecs.Snappy, compress.Codecs.Zstd} {
			if testing.Short() && v2 != (codec == compress.Codecs.Zstd) {
				continue // -short: v1 pages uncompressed and snappy, v2 pages zstd
			}
			for _, enc := range []string{"dict", "plain", "delta", "dictfallback"} {
				o := []parquet.WriterProperty{parquet.WithCompression(codec), parquet.WithMaxRowGroupLength(group),
					parquet.WithDataPageSize(3000), parquet.WithBatchSize(500)}
				if v2 {
					o = append(o, parquet.WithDataPageVersion(parquet.DataPageV2))
				}
				switch enc {
				case "dict":
					o = append(o, parquet.WithDictionaryDefault(true))
				case "plain":
					o = append(o, parquet.WithDictionaryDefault(false))
				case "delta":
					o = append(o, parquet.WithDictionaryDefault(false), parquet.WithEncodingFor("customer_id", parquet.Encodings.DeltaBinaryPacked),
						parquet.WithEncodingFor("time", parquet.Encodings.DeltaBinaryPacked), parquet.WithEncodingFor("quantity", parquet.Encodings.DeltaBinaryPacked))
				case "dictfallback":
					o = append(o, parquet.WithDictionaryDefault(true), parquet.WithDictionaryPageSizeLimit(2000))
				}
				cfgs = append(cfgs, cfg{fmt.Sprintf("v2=%v/%v/%s", v2, codec, enc), o})
			}
		}
	}
	for _, c := range cfgs {
		var buf bytes.Buffer
		fw, err := pqarrow.NewFileWriter(rec.Schema(), &buf, parquet.NewWriterProperties(c.opts...), pqarrow.DefaultWriterProps())
		require.NoError(t, err)
		require.NoError(t, fw.Write(rec))
		require.NoError(t, fw.Close())
		noFastParquet = true
		want := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, 1)
		noFastParquet = false
		require.Empty(t, want.err, c.name)
		reuses := []bool{false, true}
		if testing.Short() {
			reuses = reuses[1:] // the reusing path alone against pqarrow
		}
		for _, reuse := range reuses {
			noPageReuse = !reuse
			for _, w := range []int{1, 3} {
				got := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, w)
				require.Equal(t, want, got, "%s reuse=%v workers=%d", c.name, reuse, w)
			}
		}
		noPageReuse = false
	}
}
