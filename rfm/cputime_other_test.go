//go:build !unix

package rfm

// cpuTime is not measured on this platform.
func cpuTime() int64 { return 0 }
