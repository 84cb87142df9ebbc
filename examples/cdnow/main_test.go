package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example reproduces Fader, Hardie & Lee's (2005) figures on the CDNOW
// sample: the estimates and log-likelihood, the 1,411 customers without a
// repeat purchase, the 2,457 calibration repeat purchase days, the holdout
// forecast of 1,653.4 against 1,882 observed, and customer 1's P(alive)
// 0.727 and 1.226 expected purchases.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	for _, row := range []string{
		`r +0\.243 +0\.013 +0\.243`, `α +4\.414 +0\.378 +4\.414`, `a +0\.793 +0\.186 +0\.793`, `b +2\.426 +0\.705 +2\.426`,
		`log-likelihood +-9582\.4 +-9582\.4`,
		`\n  0 +1411 +1407\.7\n`, `7\+ +64 +71\.9`,
		`39 +1997-09-30 +2457 +2494\.0\n`, `78 +1998-06-30 +4339 +4160\.6 +1882 +1653\.4\n`,
		`0 +1411 +0\.237 +0\.225`,
		`Holdout in total: 1653\.4 purchase days forecast for the 2357 customers, 1882 observed \(-12\.1 %\)`,
		`P\(alive\) 0\.727 \(published 0\.727\)`, `39 holdout weeks 1\.226 \(published 1\.226\); actual 1\.`,
	} {
		assert.Regexp(t, regexp.MustCompile(row), s)
	}
	for _, line := range strings.Split(s, "\n") {
		assert.Equal(t, strings.TrimRight(line, " "), line, "trailing spaces")
		assert.LessOrEqual(t, len([]rune(line)), 110, line)
	}
}
