package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFile writes content to name in a temporary directory and returns
// its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// One future-dated row moves the end for everyone: the commands warn and
// name the end used, unless --end sets it.
func TestFutureDatedRowWarns(t *testing.T) {
	path := writeFile(t, "orders.csv", "customer_id,date,amount\n1,2011-01-03,10\n1,2011-06-01,20\n2,2011-02-01,5\n2,2011-11-30,7\n3,2030-01-05,4\n")
	tests := []struct {
		name string
		args []string
		warn bool
	}{
		{"summary", []string{"summary", path}, true},
		{"predict", []string{"predict", path, "--model", "bgnbd", "--spend", "10", "--intervals", "0"}, true},
		{"--end given", []string{"summary", path, "--end", "2011-12-31"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, stderr := runCLI(t, tt.args...)
			if !tt.warn {
				assert.NotContains(t, stderr, "observation end used")
				return
			}
			assert.Contains(t, stderr, "the last event is on 2030-01-05, after today")
			assert.Contains(t, stderr, "the observation end used is 2030-01-05")
			assert.Contains(t, stderr, "give --end YYYY-MM-DD")
		})
	}
}
