package main

import (
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// stderrIsTerminal reports whether standard error is a terminal, where the
// CLI draws progress bars.
func stderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

// bar is a progress bar on standard error (rate and ETA included), or a
// no-op when standard error is not a terminal or --quiet is given.
type bar struct{ pb *progressbar.ProgressBar }

// newBar returns a bar for work of total units (bytes when bytes is set,
// otherwise items named its).
func (e *env) newBar(quiet bool, desc string, total int64, bytes bool, its string) *bar {
	if quiet || !e.terminal {
		return &bar{}
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	}
	if bytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(its))
	}
	return &bar{pb: progressbar.NewOptions64(total, opts...)}
}

// set moves the bar to done of total (total may change as work is found).
func (b *bar) set(done, total int64) {
	if b.pb == nil {
		return
	}
	if total != b.pb.GetMax64() {
		b.pb.ChangeMax64(total)
	}
	_ = b.pb.Set64(done)
}

// done clears the bar.
func (b *bar) done() {
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}
