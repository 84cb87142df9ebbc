package segment

import (
	"errors"
	"fmt"

	"github.com/valuekit/valuekit/event"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// that callers can branch with errors.Is.
var (
	// ErrLength reports per-customer columns of different lengths.
	ErrLength = errors.New("columns differ in length")
	// ErrNotFinite reports a NaN or infinite input value.
	ErrNotFinite = errors.New("value is not finite")
	// ErrOutOfRange reports a finite input value outside its allowed range,
	// such as a negative count or a probability above 1.
	ErrOutOfRange = errors.New("value out of range")
	// ErrOption reports an invalid option or scheme definition. It is
	// event.ErrOption, so errors.Is matches the option errors of every
	// valuekit package.
	ErrOption = event.ErrOption
	// ErrEmpty reports that a quantity needs at least one known value and
	// there is none, such as the median of an axis that nobody has a value on.
	ErrEmpty = errors.New("no values")
	// ErrDuplicateID reports a customer id that occurs twice in a snapshot.
	ErrDuplicateID = errors.New("duplicate customer id")
)

// ValueError reports a bad per-customer input value and where it is: the
// column, the 0-based index and the value, wrapping ErrNotFinite or
// ErrOutOfRange. Its message reads like "experience[812] = NaN: value is
// not finite". It is event.ValueError, the positioned error of every
// package that computes on slices; package rfm uses the same type.
type ValueError = event.ValueError

func optionError(format string, args ...any) error {
	return fmt.Errorf("segment: "+format+": %w", append(args, ErrOption)...)
}

func lengthError(name string, got int, wantName string, want int) error {
	return fmt.Errorf("segment: %s has %d values, %s has %d: %w", name, got, wantName, want, ErrLength)
}
