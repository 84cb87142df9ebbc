package valuekit

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A FIFO (or a shell's <(…), a pipe under /dev/fd) without an extension is
// read as CSV without being opened to look at its first bytes: that took
// them from the reader (the header lost "custom"), or waited for a writer
// that had gone.
func TestSniffLeavesPipesAlone(t *testing.T) {
	data, err := os.ReadFile("testdata/shop_events.csv")
	require.NoError(t, err)
	want, err := ReadFile("testdata/shop_events.csv", nil)
	require.NoError(t, err)

	fifo := filepath.Join(t.TempDir(), "events")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	assert.Equal(t, "csv", sniffFormat(fifo)) // without blocking: no writer
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Write(data)
			f.Close()
		}
		done <- err
	}()
	got, err := ReadFile(fifo, nil)
	require.NoError(t, err)
	require.NoError(t, <-done)
	assert.Equal(t, want.Len(), got.Len())
	is, err := IsSummaryFile(fifo)
	require.NoError(t, err)
	assert.False(t, is)
}
