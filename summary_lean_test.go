package valuekit

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSummaryLeanColumns checks that Referred and Experience are nil when
// the events have no referred customers or scores, filled when they have,
// and that the accessors and the written table are the same either way.
func TestSummaryLeanColumns(t *testing.T) {
	plain := "customer_id,time,amount\na,2024-01-01,5\nb,2024-01-02,7\na,2024-01-05,3\n"
	rich := "customer_id,time,kind,amount,referred_id,score\n" +
		"a,2024-01-01,purchase,5,,4\nb,2024-01-02,purchase,7,,\na,2024-01-03,referral,,b,\na,2024-01-05,purchase,3,,2\n"
	summarize := func(t *testing.T, in string) *Summary {
		ev, err := ReadCSV(strings.NewReader(in), "in.csv", nil)
		require.NoError(t, err)
		s, err := Summarize(context.Background(), ev, nil)
		require.NoError(t, err)
		return s
	}

	s := summarize(t, plain)
	assert.Nil(t, s.Referred)
	assert.Nil(t, s.Experience)
	assert.Nil(t, s.ExperienceCount)
	assert.Nil(t, s.ReferredOf(0))
	e, n := s.ExperienceOf(1)
	assert.Equal(t, 0.0, e)
	assert.Equal(t, int32(0), n)
	var b strings.Builder
	require.NoError(t, s.WriteCSV(&b))
	header, rows, _ := strings.Cut(b.String(), "\n")
	assert.Contains(t, header, "referrals,referred,shares,experience,experience_count")
	assert.Contains(t, rows, ",0,,0,,0")

	s = summarize(t, rich)
	require.Len(t, s.Referred, 2)
	assert.Equal(t, []string{"b"}, s.ReferredOf(0))
	assert.Nil(t, s.ReferredOf(1))
	e, n = s.ExperienceOf(0)
	assert.Equal(t, 3.0, e)
	assert.Equal(t, int32(2), n)
	e, n = s.ExperienceOf(1)
	assert.Equal(t, 0.0, e)
	assert.Equal(t, int32(0), n)
}
