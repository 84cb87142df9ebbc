package report_test

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/report"
	"github.com/valuekit/valuekit/sampledata"
)

// browsers are the headless browsers tried, in order (Debian's package is
// chromium).
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"}

// The CDNOW sample's report renders in a real browser: headless Chromium
// takes a screenshot of it, which must show the page — text, tables and the
// embedded charts — not a blank or an error page. Skipped only when no
// Chromium is installed (Debian: apt-get install chromium); not run with
// -short.
func TestReportRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("renders in a browser; not with -short")
	}
	var browser string
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no Chromium found (tried chromium, chromium-browser, google-chrome, headless_shell)")
	}

	o := input(t, sampledata.CDNOW(), "cdnow_sample.csv", nil, event.Week, "1997-09-30")
	o.Currency, o.AnnualDiscountRate = "US$", 0.1
	r, err := report.Build(context.Background(), o)
	require.NoError(t, err)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	require.NoError(t, err)
	require.NoError(t, r.WriteHTML(f))
	require.NoError(t, f.Close())

	shot := filepath.Join(dir, "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1280,6000", "file://"+page)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)

	sf, err := os.Open(shot)
	require.NoError(t, err)
	defer sf.Close()
	img, err := png.Decode(sf)
	require.NoError(t, err)
	b := img.Bounds()
	require.Equal(t, 1280, b.Dx())

	// Count what is on the page: ink (anything not near white), and the
	// chart colours of package chart — actual data blue #0072b2 and model
	// vermillion #d55e00 — which only the embedded charts draw in quantity.
	var ink, blue, vermillion, total int
	near := func(r, g, b uint32, c [3]uint32) bool {
		d := func(x, y uint32) uint32 { return max(x, y) - min(x, y) }
		return d(r, c[0]) < 24 && d(g, c[1]) < 24 && d(b, c[2]) < 24
	}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			total++
			if r < 230 || g < 230 || bl < 230 {
				ink++
			}
			switch {
			case near(r, g, bl, [3]uint32{0x00, 0x72, 0xb2}):
				blue++
			case near(r, g, bl, [3]uint32{0xd5, 0x5e, 0x00}):
				vermillion++
			}
		}
	}
	t.Logf("screenshot %v: %.1f %% ink, %d blue and %d vermillion samples", b.Size(), 100*float64(ink)/float64(total), blue, vermillion)
	assert.Greater(t, float64(ink)/float64(total), 0.03, "the page looks blank")
	assert.Greater(t, blue, 500, "no chart data drawn in blue: are the charts shown?")
	assert.Greater(t, vermillion, 200, "no model series drawn in vermillion: are the charts shown?")
	assert.False(t, uniformRows(img, b.Min.Y, b.Min.Y+600), "the top of the page is empty")
}

// uniformRows reports whether every pixel of rows y0..y1 has one colour.
func uniformRows(img image.Image, y0, y1 int) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, y0)
	for y := y0; y < min(y1, b.Max.Y); y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}
