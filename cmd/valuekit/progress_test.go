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

// Ctrl-C (a cancelled context) stops predict and leaves no output file,
// whether it comes before reading or while scoring; run says "interrupted"
// and exits with 130, as shells report an interrupted command (it said
// "context canceled" with the exit status of a data error).
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
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, &stdout, &stderr, []string{"predict", "--model", "bgnbd", "-o", out, "../../testdata/cdnow_sample.csv"})
	assert.Equal(t, 130, code)
	assert.Equal(t, "valuekit predict: interrupted\n", stderr.String())
}

// generate shows a bar of customers written on a terminal, none with
// --quiet; its closing line is there either way.
func TestGenerateProgress(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, terminal: true}
		args := []string{"--customers", "20000", "--params", "r=1,alpha=6,a=0.3,b=10", "--seed", "3", "-o", filepath.Join(t.TempDir(), "g.csv")}
		if quiet {
			args = append(args, "--quiet")
		}
		require.NoError(t, runGenerate(context.Background(), e, args))
		assert.Equal(t, !quiet, strings.Contains(stderr.String(), "generating"), "quiet=%v: %q", quiet, stderr.String())
		assert.Contains(t, stderr.String(), "20000 customers")
	}
}

// cohort, history and the other commands that read whole event files stop
// on Ctrl-C too (cohort read a million rows through it).
func TestReadingCommandsCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"cohort", "../../testdata/cdnow_sample.csv", "-o", filepath.Join(dir, "c.csv")},
		{"report", "../../testdata/cdnow_sample.csv", "-o", filepath.Join(dir, "r.html")},
	} {
		var stdout, stderr bytes.Buffer
		code := run(ctx, &stdout, &stderr, args)
		assert.Equal(t, 130, code, "%v: %s", args, stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries)
}
