//go:build !linux

package valuekit

// makeHuge returns a zeroed slice of n values (see hugepage_linux.go).
func makeHuge[T any](n int) []T { return make([]T, n) }
