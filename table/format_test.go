package table

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendFloat checks the short cuts of appendFloat against
// strconv.AppendFloat(b, v, 'f', -1, 64), whose output it must repeat byte
// for byte.
func TestAppendFloat(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.05, -0.05, 0.1, 0.01, 0.99, 1.005, 11.77, 12.5, 12.50, 100.1, 1e11 + 0.01,
		1e12 - 0.01, 1e12 + 0.01, 1 << 53, 1<<53 + 2, -(1 << 53), 1e21, 1e22, 1e-7, 5e-324, math.MaxFloat64, math.Inf(1),
		math.Inf(-1), math.NaN(), 545, 1.0 / 3, 2.675, 0.07, 0.29, 9007199254740.99}
	rng := rand.New(rand.NewPCG(5, 8))
	for range 200_000 {
		switch rng.IntN(4) {
		case 0:
			vals = append(vals, float64(rng.Int64N(1e15)-5e14)/100)
		case 1:
			vals = append(vals, float64(rng.Int64N(1e6))/100)
		case 2:
			vals = append(vals, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(30)-10)))
		default:
			vals = append(vals, math.Float64frombits(rng.Uint64()))
		}
	}
	for _, v := range vals {
		want := strconv.AppendFloat(nil, v, 'f', -1, 64)
		if got := appendFloat(nil, v); string(got) != string(want) {
			t.Fatalf("appendFloat(%v (%#x)) = %s, want %s", v, math.Float64bits(v), got, want)
		}
	}
}
