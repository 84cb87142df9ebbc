package pipeline

import (
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/valuekit/valuekit"
)

// Accumulators cross Beam's shuffle in their binary encoding.
func init() {
	beam.RegisterCoder(reflect.TypeOf((*valuekit.Accumulator)(nil)), encodeAccumulator, decodeAccumulator)
}

func encodeAccumulator(a *valuekit.Accumulator) ([]byte, error) { return a.MarshalBinary() }

func decodeAccumulator(b []byte) (*valuekit.Accumulator, error) {
	a := new(valuekit.Accumulator)
	if err := a.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return a, nil
}

// mergeFn merges a shard's accumulators from every file with
// Accumulator.Merge; Beam lifts it before the shuffle, so a hot shard's
// partial states are merged on the workers that read them.
type mergeFn struct {
	O Options
}

func (f *mergeFn) CreateAccumulator() (*valuekit.Accumulator, error) {
	return valuekit.NewAccumulator(f.O.summaryOptions())
}

func (f *mergeFn) AddInput(a, in *valuekit.Accumulator) (*valuekit.Accumulator, error) {
	return a, a.Merge(in)
}

func (f *mergeFn) MergeAccumulators(a, b *valuekit.Accumulator) (*valuekit.Accumulator, error) {
	return a, a.Merge(b)
}

func (f *mergeFn) ExtractOutput(a *valuekit.Accumulator) *valuekit.Accumulator { return a }
