package segment

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/event"
)

// TestValueErrorIsEventValueError holds the shared vocabulary: a bad value
// given to any entry point comes back as an *event.ValueError naming the
// column and the 0-based index, wrapping this package's sentinel.
func TestValueErrorIsEventValueError(t *testing.T) {
	good := []float64{1, 2, 3}
	nan := []float64{1, 2, math.NaN()}
	tests := []struct {
		name   string
		call   func() error
		column string
		index  int
		want   error
		msg    string
	}{
		{"grid x", func() error {
			_, err := ProfitExperience().Classify(Col([]float64{1, math.Inf(1), 3}), Col(good))
			return err
		}, "profit", 1, ErrNotFinite, "profit[1] = +Inf: value is not finite"},
		{"grid masked y", func() error {
			_, err := ProfitExperience().Classify(Col(good), Column{Values: nan, Known: []bool{true, true, true}})
			return err
		}, "experience", 2, ErrNotFinite, "experience[2] = NaN: value is not finite"},
		{"portfolio value", func() error {
			_, err := NewPortfolio(Assignment{Names: []string{"a"}, Class: []int32{0, 0, 0}}, nan, nil)
			return err
		}, "value", 2, ErrNotFinite, "value[2] = NaN: value is not finite"},
		{"portfolio p_alive", func() error {
			_, err := NewPortfolio(Assignment{Names: []string{"a"}, Class: []int32{0, 0, 0}}, good, &PortfolioOptions{PAlive: []float64{0.5, 1.25, 1}})
			return err
		}, "p_alive", 1, ErrOutOfRange, "p_alive[1] = 1.25, want a probability in [0, 1]: value out of range"},
		{"tiers", func() error { _, err := Tiers(nan, nil); return err }, "value", 2, ErrNotFinite, "value[2] = NaN: value is not finite"},
		{"seeds referral", func() error { _, err := Seeds(good, []float64{0, math.Inf(-1), 0}, 1); return err }, "referral", 1, ErrNotFinite, "referral[1] = -Inf: value is not finite"},
		{"order statistics", func() error { _, err := OrderStatistics(nan, []int{1}); return err }, "x", 2, ErrNotFinite, "x[2] = NaN: value is not finite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.ErrorIs(t, err, tt.want)
			var ve *event.ValueError
			require.True(t, errors.As(err, &ve), "%v is not an *event.ValueError", err)
			assert.Equal(t, tt.column, ve.Column)
			assert.Equal(t, tt.index, ve.Index)
			assert.EqualError(t, err, tt.msg)
		})
	}
}

func TestErrOptionIsEventErrOption(t *testing.T) {
	_, err := ParseAllocation("share")
	assert.ErrorIs(t, err, event.ErrOption)
}
