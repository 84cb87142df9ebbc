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
	// One go list for all packages (each line: a package and its
	// dependencies) rather than one process per package: it took 1.3 s.
	args := append([]string{"list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}"}, pkgs...)
	out, err := exec.Command(gobin, args...).CombinedOutput()
	require.NoError(t, err, string(out))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, len(pkgs), string(out))
	for _, line := range lines {
		deps := strings.Fields(line)
		p := deps[0]
		for _, dep := range deps {
			require.NotContains(t, dep, "apache/arrow", "%s links %s", p, dep)
			require.NotEqual(t, "github.com/valuekit/valuekit", dep, "%s imports the root package (and with it Arrow)", p)
		}
	}
}
