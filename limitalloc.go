package valuekit

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// limitAllocator refuses any single allocation above limit bytes. The Arrow
// IPC decoder sizes buffers from lengths written in the file; in a corrupt
// file they can ask for terabytes, which would end the program. The
// allocator panics instead, and the reader turns the panic into ErrFormat.
type limitAllocator struct {
	memory.Allocator
	limit int
}

type allocTooLarge struct{ size, limit int }

func (e allocTooLarge) String() string {
	return fmt.Sprintf("a buffer of %d bytes is declared, more than this input can hold (%d)", e.size, e.limit)
}

func (a *limitAllocator) Allocate(size int) []byte {
	if size > a.limit {
		panic(allocTooLarge{size, a.limit})
	}
	return a.Allocator.Allocate(size)
}

func (a *limitAllocator) Reallocate(size int, b []byte) []byte {
	if size > a.limit {
		panic(allocTooLarge{size, a.limit})
	}
	return a.Allocator.Reallocate(size, b)
}

// ipcAllocLimit bounds a single buffer of an IPC input of the given size
// (negative: unknown). Decompressed buffers may be larger than the input,
// so the bound is generous; an input of unknown size gets 4 GiB.
func ipcAllocLimit(size int64) int {
	const floor, unknown = 64 << 20, 4 << 30
	if size < 0 {
		return unknown
	}
	return int(max(floor, 64*size))
}
