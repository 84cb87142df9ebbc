package valuekit

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestModelPackagesLinkNoArrow holds ARCHITECTURE.md's import rule: the
// packages that compute on plain slices (clv, rfm, segment, cohort, event,
// table, customers, analysis and the internal numerics), and chart, which
// draws their results, link no Arrow, so a program using them stays small
// (a cohort-only program: 2.7 MB, 42.9 MB when cohort imported the root
// package for its event kinds).
func TestModelPackagesLinkNoArrow(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	pkgs := []string{"./clv", "./rfm", "./segment", "./cohort", "./event", "./internal/mle", "./table", "./customers", "./analysis", "./chart"}
	for _, p := range pkgs {
		out, err := exec.Command(gobin, "list", "-deps", p).CombinedOutput()
		require.NoError(t, err, string(out))
		for _, dep := range strings.Fields(string(out)) {
			require.NotContains(t, dep, "apache/arrow", "%s links %s", p, dep)
			require.NotEqual(t, "github.com/valuekit/valuekit", dep, "%s imports the root package (and with it Arrow)", p)
		}
	}
}
