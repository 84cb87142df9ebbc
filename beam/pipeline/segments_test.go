package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
)

// segmentCase is one run of a segment scheme's one-machine comparison
// (tiers_test.go, quadrant_test.go, rfm_test.go).
type segmentCase struct {
	name      string
	customers int64
	o         Options
}

// segmentRun is a finished pipeline run with Options.Segments set, and the
// one-machine summary and prediction of the same events to compare with.
type segmentRun struct {
	o       Options
	predict *analysis.Prediction
	sum     *valuekit.Summary
}

// runSegments generates c.customers customers with seed, writes them as the
// files (in the order order returns, nil for as generated), runs the
// pipeline with c.o and segments scheme, and computes the one-machine
// summary and prediction.
func runSegments(t *testing.T, c segmentCase, scheme string, seed uint64, order func([]string) []string, files ...string) segmentRun {
	t.Helper()
	header, rows := generated(t, c.customers, seed)
	written := rows
	if order != nil {
		written = order(rows)
	}
	dir := t.TempDir()
	writeParts(t, dir, header, written, files...)
	o := c.o
	o.Input, o.Output, o.Segments, o.ReferralShare = filepath.Join(dir, "*"), filepath.Join(t.TempDir(), "run"), scheme, 1
	run(t, o)
	require.NoError(t, o.check())
	p, sum := oneMachineSummary(t, header, rows, o)
	return segmentRun{o: o, predict: p, sum: sum}
}

// modelValue is the CLV of the one-machine models with the run's horizon
// and discount, for analysis.Segment.
func (r segmentRun) modelValue() *analysis.ModelValueOptions {
	po := r.o.predictOptions()
	return &analysis.ModelValueOptions{Model: r.predict.Model, Spend: analysis.Spend{Model: r.predict.SpendModel},
		Horizon: po.Horizon, DiscountRate: po.DiscountRate}
}

// shardRows reads the run's per-shard files PREFIX-kind-*.csv, one per
// shard, each with header, and returns their rows by customer id.
func (r segmentRun) shardRows(t *testing.T, kind string, header []string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(r.o.Output + "-" + kind + "-*.csv")
	require.NoError(t, err)
	require.Len(t, files, r.o.Shards)
	got := map[string][]string{}
	for _, f := range files {
		rec := readCSV(t, f)
		require.Equal(t, header, rec[0])
		for _, row := range rec[1:] {
			got[row[0]] = row
		}
	}
	return got
}

// summary decodes the run's PREFIX-name.json into v.
func (r segmentRun) summary(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(r.o.Output + "-" + name + ".json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}
