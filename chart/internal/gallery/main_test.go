package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGallery draws every chart on the CDNOW sample and the shop log and
// checks the figures it prints against Fader, Hardie & Lee (2005): BG/NBD
// r = 0.243, α = 4.414, a = 0.793, b = 2.426, and 1,653.4 predicted against
// 1,882 actual holdout purchase-days (issue 13).
func TestGallery(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs", "palive_heatmap.png")
	var out bytes.Buffer
	require.NoError(t, run(&out, []string{"-docs", docs, "-out", dir, "-shop", "../../../testdata/shop_events.csv"}))
	assert.Contains(t, out.String(), "r 0.243, alpha 4.414, a 0.793, b 2.426")
	assert.Contains(t, out.String(), "holdout purchases: predicted 1653.4, actual 1882")
	for _, name := range []string{
		"palive_heatmap", "expected_heatmap", "calibration_holdout", "repeat_purchases", "tracking",
		"clv_distribution", "lorenz", "rfm_segments", "cohort_retention", "cohort_retention_weekly",
		"cohort_value", "profit_experience",
	} {
		for _, ext := range []string{".png", ".svg"} {
			fi, err := os.Stat(filepath.Join(dir, name+ext))
			require.NoError(t, err, name+ext)
			assert.Greater(t, fi.Size(), int64(5000), name+ext)
		}
	}
	f, err := os.Open(docs)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, 768, img.Bounds().Dx())
}
