package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Bars are drawn only on a terminal and without --quiet.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	e := &env{stderr: &buf, terminal: true}
	b := e.newBar(false, "scoring", 0, false, "histories")
	b.set(50, 100)
	b.set(100, 100)
	b.done()
	assert.Contains(t, buf.String(), "scoring")

	buf.Reset()
	b = e.newBar(true, "scoring", 0, false, "histories")
	b.set(50, 100)
	b.done()
	assert.Empty(t, buf.String(), "--quiet")

	e.terminal = false
	b = e.newBar(false, "scoring", 0, false, "histories")
	b.set(50, 100)
	b.done()
	assert.Empty(t, buf.String(), "not a terminal")
}
