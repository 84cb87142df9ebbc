package report_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The report package computes on plain columns: a program that builds
// reports from its own data links no Arrow (see ARCHITECTURE.md).
func TestReportLinksNoArrow(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	for _, dep := range strings.Fields(string(out)) {
		require.NotContains(t, dep, "apache/arrow", "report links %s", dep)
		require.NotEqual(t, "github.com/valuekit/valuekit", dep, "report imports the root package (and with it Arrow)")
	}
}
