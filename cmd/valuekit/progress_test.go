package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bars are drawn only on a terminal and without --quiet.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	e := &env{stderr: &buf, terminal: true}
	b := e.newBar(false, "scoring", 0, false, "histories")
	b.set(50, 100)
	b.set(100, 100)
	b.done()
	assert.Contains(t, buf.String(), "scoring")

	buf.Reset()
	b = e.newBar(true, "scoring", 0, false, "histories")
	b.set(50, 100)
	b.done()
	assert.Empty(t, buf.String(), "--quiet")

	e.terminal = false
	b = e.newBar(false, "scoring", 0, false, "histories")
	b.set(50, 100)
	b.done()
	assert.Empty(t, buf.String(), "not a terminal")
}

// Ctrl-C (a cancelled context) stops predict with exit status 1 and leaves
// no output file, whether it comes before reading or while scoring.
func TestPredictCancelledLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "p.csv")
	for _, after := range []int{0, 1} {
		ctx, cancel := context.WithCancel(context.Background())
		if after == 0 {
			cancel()
		}
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
		args := []string{"--model", "bgnbd", "--unit", "week", "-o", out, "../../testdata/cdnow_sample.csv"}
		var err error
		if after == 1 {
			// Cancel from the progress callback, mid-scoring.
			e.onScore = func(int, int) { cancel() }
			err = runPredict(ctx, e, args)
		} else {
			err = runPredict(ctx, e, args)
		}
		cancel()
		require.ErrorIs(t, err, context.Canceled, "cancel %d: %s", after, stderr.String())
		entries, _ := os.ReadDir(dir)
		assert.Empty(t, entries, "no output and no temporary file")
	}
}
