package valuekit

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on Linux (x86-64, arm64
// with 4 KiB pages).
const hugePage = 2 << 20

// makeHuge returns a zeroed slice of n values whose pages the kernel is
// asked to back by transparent huge pages (madvise MADV_HUGEPAGE), where
// the system allows them "on request" (the usual default): a table read
// at random then misses the TLB far less, and its first touch costs one
// fault per 2 MiB instead of one per 4 KiB. Small slices are plain ones.
func makeHuge[T any](n int) []T {
	s := make([]T, n)
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if size < 2*hugePage {
		return s
	}
	p := unsafe.Pointer(unsafe.SliceData(s))
	start := uintptr(p)
	lo := (start + hugePage - 1) &^ (hugePage - 1)
	hi := (start + size) &^ (hugePage - 1)
	if lo < hi {
		// A hint: an error (no THP support) changes nothing.
		_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, lo-start)), hi-lo), 14 /* MADV_HUGEPAGE */)
	}
	return s
}
