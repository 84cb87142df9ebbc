package valuekit

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ReadOptions.Progress sees the bytes read grow to the file's size, for CSV
// read in parts on several goroutines and for Parquet, and the summary is
// the same as without it.
func TestSummarizeFileProgress(t *testing.T) {
	ctx := context.Background()
	ev, err := ReadFile("testdata/cdnow_sample.csv", nil)
	require.NoError(t, err)
	pq := filepath.Join(t.TempDir(), "cdnow.parquet")
	require.NoError(t, ev.WriteFile(pq))
	for _, path := range []string{"testdata/cdnow_sample.csv", pq} {
		want, _, err := SummarizeFile(ctx, path, nil, nil)
		require.NoError(t, err)
		var mu sync.Mutex
		var calls int
		var last, size int64
		opts := &ReadOptions{Progress: func(read, total int64) {
			mu.Lock()
			defer mu.Unlock()
			assert.GreaterOrEqual(t, read, last, "never backwards")
			calls++
			last, size = read, total
		}}
		got, _, err := SummarizeFile(ctx, path, opts, nil)
		require.NoError(t, err)
		assert.Equal(t, want, got, path)
		assert.Positive(t, calls, path)
		assert.Equal(t, size, last, "%s: ends at the file's size", path)
	}
}
