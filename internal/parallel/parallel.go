// Package parallel runs a fixed number of calls of one function on their
// own goroutines: the fan-out that the readers, the summary and the
// likelihood's tuple grouping share.
package parallel

import "sync"

// Do calls f(0), …, f(n−1), all but f(0) on their own goroutines (f(0) on
// the calling one), and returns when every call has returned. n < 1 is 1.
func Do(n int, f func(int)) {
	var wg sync.WaitGroup
	for w := 1; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w)
		}()
	}
	f(0)
	wg.Wait()
}
