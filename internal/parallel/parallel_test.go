package parallel

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDo checks that every index is called once, f(0) on the calling
// goroutine (it runs before Do returns even when the others block until
// it has run), and that n < 1 still calls f(0).
func TestDo(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 2, 7} {
		var calls [8]atomic.Int32
		first := make(chan struct{})
		Do(n, func(w int) {
			calls[w].Add(1)
			if w == 0 {
				close(first)
			} else {
				<-first
			}
		})
		for w := range calls {
			want := int32(0)
			if w < max(n, 1) {
				want = 1
			}
			assert.Equal(t, want, calls[w].Load(), "n=%d w=%d", n, w)
		}
	}
}
