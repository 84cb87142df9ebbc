package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/sampledata"
)

// The quickstart runs on the embedded data and shows each block with the
// figures the library's tests check: the summary of Fader, Hardie & Lee's
// (2005) calibration period, their BG/NBD estimates and the Gamma-Gamma
// ones, the 1,653 holdout purchase days BG/NBD predicts against 1,882,
// the top customers by CLV and the tiers.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	for _, want := range []string{
		"CDNOW sample: 6919 purchases by 2357 customers",
		"946 of 2357 customers bought again, on 2457 repeat purchase days",
		"on 1882 purchase days",
		"BG/NBD log-likelihood -9582.4 (published -9582.4)",
		"Recommended: pnbd",
		"with pnbd: the top 10 customers",
		"The profit × experience quadrant needs feedback scores",
	} {
		assert.Contains(t, s, want)
	}
	// The fitted and the published estimates, side by side.
	for _, row := range []string{`BG/NBD +r +0\.243 +0\.243`, `α +4\.414 +4\.414`, `a +0\.793 +0\.793`, `b +2\.426 +2\.426`,
		`Gamma-Gamma +p +6\.250 +6\.25`, `q +3\.744 +3\.74`, `γ +15\.444 +15\.44`,
		`bgnbd +1653\.4 +1882 +-12\.1%`, `A +424 +18\.0% +\$56,909 +80\.0%`, `total +2357 +100\.0%`} {
		assert.Regexp(t, regexp.MustCompile(row), s)
	}
	// Five numbered blocks, and lines that fit a terminal.
	for _, n := range []string{"1. ", "2. ", "3. ", "4. ", "5. "} {
		assert.Equal(t, 1, strings.Count(s, "\n"+n), n)
	}
	for _, line := range strings.Split(s, "\n") {
		assert.LessOrEqual(t, len([]rune(line)), 110, line)
	}
}

// What the quickstart says about the quadrant holds: the CDNOW sample has
// no feedback scores.
func TestCDNOWHasNoScores(t *testing.T) {
	ev, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	require.NoError(t, err)
	scores, _ := ev.Scores()
	assert.Nil(t, scores)
}
