package event

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

var errTest = errors.New("value is not finite")

func TestValueErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		e    ValueError
		want string
	}{
		{"sentinel only", ValueError{Column: "experience", Index: 812, Value: math.NaN(), Err: errTest},
			"experience[812] = NaN: value is not finite"},
		{"reason and sentinel", ValueError{Column: "frequency", Index: 3, Value: 2.5, Reason: "want a whole number >= 0", Err: errTest},
			"frequency[3] = 2.5, want a whole number >= 0: value is not finite"},
		{"reason only", ValueError{Column: "T", Index: 0, Value: -1, Reason: "want finite and >= 0"},
			"T[0] = -1, want finite and >= 0"},
		{"neither", ValueError{Column: "weight", Index: 7, Value: math.Inf(1)}, "weight[7] = +Inf"},
		{"no column", ValueError{Index: 2, Value: math.Inf(-1), Err: errTest}, "value[2] = -Inf: value is not finite"},
		{"wrapped sentinel", ValueError{Column: "amount", Index: 5, Value: -5, Reason: "want a refund >= 0",
			Err: fmt.Errorf("cohort: %w", errTest)}, "amount[5] = -5, want a refund >= 0: cohort: value is not finite"},
		{"large plain", ValueError{Column: "amount", Index: 1, Value: 1234567.5}, "amount[1] = 1234567.5"},
		{"whole large plain", ValueError{Column: "amount", Index: 1, Value: 1e6}, "amount[1] = 1000000"},
		{"small plain", ValueError{Column: "p", Index: 1, Value: -0.00012}, "p[1] = -0.00012"},
		{"tiny exponent", ValueError{Column: "p", Index: 1, Value: 1e-300}, "p[1] = 1e-300"},
		{"huge exponent", ValueError{Column: "p", Index: 1, Value: -1e21}, "p[1] = -1e+21"},
		{"zero", ValueError{Column: "p", Index: 0, Value: 0}, "p[0] = 0"},
		{"negative zero", ValueError{Column: "p", Index: 0, Value: math.Copysign(0, -1)}, "p[0] = -0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValueErrorUnwrap(t *testing.T) {
	other := errors.New("other")
	tests := []struct {
		name   string
		err    error // the error as a caller receives it
		target error
		is     bool
	}{
		{"sentinel", &ValueError{Err: errTest}, errTest, true},
		{"wrapped in the sentinel", &ValueError{Err: fmt.Errorf("x: %w", ErrOption)}, ErrOption, true},
		{"wrapped around", fmt.Errorf("reading: %w", &ValueError{Err: errTest}), errTest, true},
		{"other sentinel", &ValueError{Err: errTest}, other, false},
		{"nil sentinel", &ValueError{}, errTest, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.is {
				t.Errorf("errors.Is = %v, want %v", got, tt.is)
			}
			var ve *ValueError
			if !errors.As(tt.err, &ve) {
				t.Fatalf("errors.As found no *ValueError in %v", tt.err)
			}
		})
	}
	if got := (&ValueError{}).Unwrap(); got != nil {
		t.Errorf("Unwrap of a ValueError without Err = %v, want nil", got)
	}
}
