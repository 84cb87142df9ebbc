package cohort

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteSummary(t *testing.T) {
	tb, err := Build(handEvents(t), &Options{End: time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	var buf bytes.Buffer
	sum, err := Summarize(tb)
	require.NoError(t, err)
	require.NoError(t, WriteSummary(&buf, sum))
	// Figures as worked out in TestBuildHandMonthly, except that the end at
	// 30 April 00:00 leaves out customer 4 (18:00) and so the April cohort.
	assert.Equal(t, `  age  cohorts  customers  active  retention   churn  revenue/customer  cumulative/customer
    0        2          4       4     100.0%       -             56.25                56.25
    1        2          4       2      50.0%   50.0%              8.75                65.00
    2        2          4       0       0.0%  100.0%              0.00                65.00
    3        1          3       1      33.3%    0.0%             10.00                78.33
`, buf.String())
}
