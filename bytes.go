package valuekit

import "unsafe"

// bytesString returns b as a string without copying. The string must not be
// kept beyond the life of b's contents.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// stringBytes returns the bytes of s without copying; they must not be
// modified.
func stringBytes(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
