package valuekit

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

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

// TestSummaryModelColumns checks SummaryOptions.ModelColumns: the columns
// a fit reads equal the full summary's, the others are nil, and the
// summary still writes (with those columns only).
func TestSummaryModelColumns(t *testing.T) {
	for _, cal := range []time.Time{{}, date("1997-09-30")} {
		full, _, err := SummarizeFile(context.Background(), "testdata/cdnow_sample.csv", nil, &SummaryOptions{Unit: Week, CalibrationEnd: cal})
		require.NoError(t, err)
		lean, _, err := SummarizeFile(context.Background(), "testdata/cdnow_sample.csv", nil, &SummaryOptions{Unit: Week, CalibrationEnd: cal, ModelColumns: true})
		require.NoError(t, err)
		require.Equal(t, full.CustomerID, lean.CustomerID)
		require.Equal(t, full.FirstPurchase, lean.FirstPurchase)
		require.Equal(t, full.LastPurchase, lean.LastPurchase)
		require.Equal(t, full.Frequency, lean.Frequency)
		require.Equal(t, full.Recency, lean.Recency)
		require.Equal(t, full.T, lean.T)
		require.Equal(t, full.MonetaryValue, lean.MonetaryValue)
		require.Equal(t, full.Purchases, lean.Purchases)
		require.Equal(t, full.HoldoutFrequency, lean.HoldoutFrequency)
		require.Equal(t, full.HoldoutRevenue, lean.HoldoutRevenue)
		require.Equal(t, full.End, lean.End)
		require.Nil(t, lean.Revenue)
		require.Nil(t, lean.Referrals)
		var buf bytes.Buffer
		require.NoError(t, lean.WriteCSV(&buf))
		header, _, _ := strings.Cut(buf.String(), "\n")
		want := "customer_id,frequency,recency,T,monetary_value,first_purchase,last_purchase,purchases"
		if !cal.IsZero() {
			want += ",holdout_frequency,holdout_revenue"
		}
		require.Equal(t, want+",unit", header)
	}
}
