package valuekit

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"github.com/stretchr/testify/require"
)

// TestRecordViews holds decoding through the typed views of a record's
// columns to the generic decoding: the same summaries, bad rows and
// errors, for row groups where the views apply (int64 ids, µs times,
// float64 amounts, an all-null referred column) and where they do not (a
// null id or time, NaN and ±Inf amounts, referrals), on one and on three
// workers.
func TestRecordViews(t *testing.T) {
	defer func() { noRecordViews = false }()
	schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
		{Name: "kind", Type: arrow.BinaryTypes.String}, {Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "referred_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	rng := rand.New(rand.NewPCG(5, 6))
	start := date("2020-01-01").UnixMicro()
	const n, group = 20000, 2000
	for i := range n {
		dirty := (i/group)%3 == 2 // every third row group has the odd values
		id := b.Field(0).(*array.Int64Builder)
		if dirty && rng.IntN(500) == 0 {
			id.AppendNull()
		} else {
			id.Append(int64(rng.IntN(3000)))
		}
		tm := b.Field(1).(*array.TimestampBuilder)
		if dirty && rng.IntN(500) == 0 {
			tm.AppendNull()
		} else {
			tm.Append(arrow.Timestamp(start + int64(rng.IntN(300*86400))*1_000_000))
		}
		kind := "purchase"
		if dirty && rng.IntN(20) == 0 {
			kind = "referral"
		}
		b.Field(2).(*array.StringBuilder).Append(kind)
		amt := b.Field(3).(*array.Float64Builder)
		switch {
		case dirty && rng.IntN(400) == 0:
			amt.Append([]float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)])
		case dirty && rng.IntN(400) == 0:
			amt.AppendNull()
		default:
			amt.Append(float64(rng.IntN(90000)) / 100)
		}
		if kind == "referral" {
			b.Field(4).(*array.Int64Builder).Append(int64(rng.IntN(5000)))
		} else {
			b.Field(4).(*array.Int64Builder).AppendNull()
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	fw, err := pqarrow.NewFileWriter(schema, &buf, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(group)), pqarrow.DefaultWriterProps())
	require.NoError(t, err)
	require.NoError(t, fw.Write(rec))
	require.NoError(t, fw.Close())
	for _, ro := range []*ReadOptions{{SkipBadRows: true}, {}} {
		for _, w := range []int{1, 3} {
			noRecordViews = true
			want := summarizeParquet(t, buf.Bytes(), ro, w)
			noRecordViews = false
			got := summarizeParquet(t, buf.Bytes(), ro, w)
			require.Equal(t, want, got, "skip=%v workers=%d", ro.SkipBadRows, w)
			if ro.SkipBadRows {
				require.NotZero(t, got.nbad, "the odd row groups have bad rows")
				require.NotNil(t, got.s)
			} else {
				require.NotEmpty(t, got.err)
			}
		}
	}
}

// TestRecordViewsSliced reads kinds through the views of a sliced string
// array, whose offsets do not start at zero.
func TestRecordViewsSliced(t *testing.T) {
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	defer sb.Release()
	for _, w := range []string{"purchase", "refund", "share", "purchase", "feedback"} {
		sb.Append(w)
	}
	full := sb.NewStringArray()
	defer full.Release()
	sl := array.NewSlice(full, 2, 5).(*array.String)
	defer sl.Release()
	s := &arrowSource{}
	s.cols[fKind] = sl
	s.setViews()
	require.NotNil(t, s.views.kindData)
	for i := range sl.Len() {
		require.Equal(t, sl.Value(i), string(s.views.kind(i)))
	}
}
