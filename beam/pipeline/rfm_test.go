package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/analysis"
)

// RFM quintile scores at global cuts equal valuekit rfm's on one machine:
// every customer's row, the cuts and the segment counts.
func TestRFMMatchesOneMachine(t *testing.T) {
	for _, c := range []struct {
		name      string
		customers int64
		o         Options
	}{
		{"5,000 customers, 7 shards", 5000, Options{Unit: "week", Shards: 7}},
		{"10,000 customers, 64 shards, days", 10000, Options{Unit: "day", Shards: 64}},
	} {
		t.Run(c.name, func(t *testing.T) {
			header, rows := generated(t, c.customers, 13)
			dir := t.TempDir()
			writeParts(t, dir, header, shuffled(rows, 4), "a.csv", "b.csv", "c.csv.gz")
			o := c.o
			o.Input, o.Output, o.Segments, o.ReferralShare = filepath.Join(dir, "*"), filepath.Join(t.TempDir(), "run"), "rfm", 1
			run(t, o)
			require.NoError(t, o.check())
			_, sum := oneMachineSummary(t, header, rows, o)
			want, err := analysis.RFM(sum, analysis.RFMOptions{})
			require.NoError(t, err)
			wt := want.Table()

			files, err := filepath.Glob(o.Output + "-rfm-*.csv")
			require.NoError(t, err)
			require.Len(t, files, o.Shards)
			got := map[string][]string{}
			for _, f := range files {
				rec := readCSV(t, f)
				require.Equal(t, wt.Names(), rec[0])
				for _, r := range rec[1:] {
					got[r[0]] = r
				}
			}
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
			b, err := os.ReadFile(o.Output + "-rfm.json")
			require.NoError(t, err)
			var rs RFMSummary
			require.NoError(t, json.Unmarshal(b, &rs))
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
