package pipeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/analysis"
)

// RFM quintile scores at global cuts equal valuekit rfm's on one machine:
// every customer's row, the cuts and the segment counts.
func TestRFMMatchesOneMachine(t *testing.T) {
	for _, c := range []segmentCase{
		{"5,000 customers, 7 shards", 5000, Options{Unit: "week", Shards: 7}},
		{"10,000 customers, 64 shards, days", 10000, Options{Unit: "day", Shards: 64}},
	} {
		t.Run(c.name, func(t *testing.T) {
			shuffle := func(rows []string) []string { return shuffled(rows, 4) }
			r := runSegments(t, c, "rfm", 13, shuffle, "a.csv", "b.csv", "c.csv.gz")
			want, err := analysis.RFM(r.sum, analysis.RFMOptions{})
			require.NoError(t, err)
			wt := want.Table()
			got := r.shardRows(t, "rfm", wt.Names())
			require.Len(t, got, len(want.CustomerID))
			counts := map[string]int64{}
			for i, id := range want.CustomerID {
				r := got[id]
				require.NotNil(t, r, "customer %s", id)
				for j, col := range wt.Columns {
					if !checkCell(t, col, i, r[j], id, map[string]float64{}) {
						return
					}
				}
				counts[r[len(r)-1]]++
			}
			var rs RFMSummary
			r.summary(t, "rfm", &rs)
			assert.Equal(t, want.Scores.RecencyCuts, rs.RecencyCuts)
			assert.Equal(t, want.Scores.FrequencyCuts, rs.FrequencyCuts)
			assert.Equal(t, want.Scores.MonetaryCuts, rs.MonetaryCuts)
			for _, s := range rs.Segments {
				assert.Equal(t, counts[s.Segment], s.Customers, "segment %s", s.Segment)
			}
			t.Logf("cuts R %v F %v M %v; %d segments", rs.RecencyCuts, rs.FrequencyCuts, rs.MonetaryCuts, len(rs.Segments))
		})
	}
}
