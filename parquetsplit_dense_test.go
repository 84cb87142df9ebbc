package valuekit

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/require"
)

// TestParquetSplitDenseAdversarial holds the routed split's dense id
// lookups to the one-pass summary on int64 and int32 ids, negative and
// out-of-range ids, and text referrals that look like numbers ("042",
// "-0", "+7", " 7", "00", "-03", 20 digits), at 2 to 7 workers. (Written by
// a review of the dense path, 2026-11-29.)
func TestParquetSplitDenseAdversarial(t *testing.T) {
	defer func(n int64) { parquetRowGroupRows = n }(parquetRowGroupRows)
	parquetRowGroupRows = 311
	for _, i32 := range []bool{false, true} {
		ct := arrow.DataType(arrow.PrimitiveTypes.Int64)
		if i32 {
			ct = arrow.PrimitiveTypes.Int32
		}
		schema := arrow.NewSchema([]arrow.Field{{Name: "customer_id", Type: ct},
			{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond}}, {Name: "kind", Type: arrow.BinaryTypes.String},
			{Name: "amount", Type: arrow.PrimitiveTypes.Float64}, {Name: "referred_id", Type: arrow.BinaryTypes.String}}, nil)
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		rng := rand.New(rand.NewPCG(1, 2))
		refs := []string{"042", "42", "-0", "0", " 7", "+7", "7", "-3", "-03", "999999", "1e3", "00", "-2147483648", "12345678901234567890", "x"}
		start := date("2020-01-01").UnixMicro()
		for i := range 6000 {
			id := int64(rng.IntN(400)) - 50
			if rng.IntN(97) == 0 {
				id = 20000 + int64(rng.IntN(5))
			}
			if i32 {
				b.Field(0).(*array.Int32Builder).Append(int32(id))
			} else {
				b.Field(0).(*array.Int64Builder).Append(id)
			}
			b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(start + int64(i)*3_600_000_000))
			if rng.IntN(5) == 0 {
				b.Field(2).(*array.StringBuilder).Append("referral")
				b.Field(3).(*array.Float64Builder).Append(0)
				r := refs[rng.IntN(len(refs))]
				if rng.IntN(3) == 0 {
					r = fmt.Sprint(rng.IntN(500) - 60)
				}
				b.Field(4).(*array.StringBuilder).Append(r)
			} else {
				b.Field(2).(*array.StringBuilder).Append("purchase")
				b.Field(3).(*array.Float64Builder).Append(float64(rng.IntN(900)) / 10)
				b.Field(4).(*array.StringBuilder).Append("")
			}
		}
		rec := b.NewRecord()
		var buf bytes.Buffer
		require.NoError(t, writeParquetRecord(&buf, rec))
		rec.Release()
		b.Release()
		want := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, 1)
		require.Empty(t, want.err)
		for workers := 2; workers <= 7; workers++ {
			got := summarizeParquet(t, buf.Bytes(), &ReadOptions{}, workers)
			require.Equal(t, want, got, "i32 %v workers %d", i32, workers)
		}
	}
}
