package clv

import (
	"fmt"
	"time"

	"github.com/valuekit/valuekit/event"
)

// Timing is the time axis a model refers to: the unit of its rates — and so
// of the recency, T and horizon it must be given — and the period of the
// data it was fitted on. The zero value means unknown: a model built from
// parameters, or a file saved before the unit was recorded.
//
// A model's rates are per unit of time (BG/NBD's α, Pareto/NBD's α and β):
// a weekly model scored on days, or over a horizon of 365 taken as days,
// gives a plausible but wrong number. SaveModel writes the timing as
// "unit", "end" and "calibration_end"; LoadModel reads it back.
type Timing struct {
	// Unit is the time unit of the data the model was fitted on (for the
	// discrete BG/BB and sBG models, the length of one period); meaningful
	// only when HasUnit.
	Unit    event.Unit
	HasUnit bool
	// End is the last day observed in the data the model was fitted on;
	// CalibrationEnd the last day of its calibration period, when the fit
	// saw only that (the later purchases being held out). Zero when
	// unknown.
	End, CalibrationEnd time.Time
}

// UnitName returns the unit's name, or "" when it is unknown.
func (t Timing) UnitName() string {
	if !t.HasUnit {
		return ""
	}
	return t.Unit.String()
}

// FittedThrough returns the last day of the data the model was fitted on:
// the calibration end when there is one, else the end (zero when unknown).
func (t Timing) FittedThrough() time.Time {
	if !t.CalibrationEnd.IsZero() {
		return t.CalibrationEnd
	}
	return t.End
}

// ModelTiming returns the timing of m (see Timing); the zero Timing for nil
// or a model of another package.
func ModelTiming(m Model) Timing {
	if a, ok := m.(annotated); ok {
		return *a.timing()
	}
	return Timing{}
}

// SetTiming sets the timing of m, one of the package's models; it does
// nothing for a model of another type.
func SetTiming(m Model, t Timing) {
	if a, ok := m.(annotated); ok {
		*a.timing() = t
	}
}

// timingJSON fills the timing fields of j.
func (j *modelJSON) setTiming(t Timing) {
	j.Unit = t.UnitName()
	if !t.End.IsZero() {
		j.End = t.End.UTC().Format(time.DateOnly)
	}
	if !t.CalibrationEnd.IsZero() {
		j.CalibrationEnd = t.CalibrationEnd.UTC().Format(time.DateOnly)
	}
}

// timing parses the timing fields of j; absent fields leave the timing
// unknown.
func (j *modelJSON) timing() (Timing, error) {
	var t Timing
	if j.Unit != "" {
		u, err := event.ParseUnit(j.Unit)
		if err != nil {
			return Timing{}, fmt.Errorf("%w: model JSON \"unit\": %v", ErrBadParams, err)
		}
		t.Unit, t.HasUnit = u, true
	}
	for _, f := range []struct {
		name, value string
		dst         *time.Time
	}{{"end", j.End, &t.End}, {"calibration_end", j.CalibrationEnd, &t.CalibrationEnd}} {
		if f.value == "" {
			continue
		}
		d, err := time.Parse(time.DateOnly, f.value)
		if err != nil {
			return Timing{}, fmt.Errorf("%w: model JSON %q: %q is not a date YYYY-MM-DD", ErrBadParams, f.name, f.value)
		}
		*f.dst = d
	}
	return t, nil
}
