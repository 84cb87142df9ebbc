package clv

import (
	"runtime"
	"sync"
)

// maxChunks bounds the chunks of inChunks.
const maxChunks = 4

// minChunkLen is the smallest chunk worth a goroutine: below it the loop
// runs in one piece on the calling goroutine.
const minChunkLen = 32_768

// inChunks splits [0, n) into up to maxChunks contiguous chunks of at least
// minChunkLen (at most GOMAXPROCS of them), calls f(c, lo, hi) for chunk c
// on its own goroutine (chunk 0 on the caller's), waits for all and returns
// the number of chunks. The split depends on n and GOMAXPROCS only, so
// partial results combined in chunk order are reproducible. Every goroutine
// has returned when inChunks returns.
func inChunks(n int, f func(c, lo, hi int)) int {
	nc := min(maxChunks, runtime.GOMAXPROCS(0), n/minChunkLen)
	if nc <= 1 {
		f(0, 0, n)
		return 1
	}
	var wg sync.WaitGroup
	for c := 1; c < nc; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(c, c*n/nc, (c+1)*n/nc)
		}()
	}
	f(0, 0, n/nc)
	wg.Wait()
	return nc
}
