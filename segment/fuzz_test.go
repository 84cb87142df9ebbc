package segment

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// floatsFrom decodes up to 4096 finite values from b, 2 bytes each, so that
// the fuzzer finds ties easily.
func floatsFrom(b []byte) []float64 {
	var x []float64
	for len(b) >= 2 && len(x) < 4096 {
		x = append(x, float64(int16(binary.LittleEndian.Uint16(b)))/8)
		b = b[2:]
	}
	return x
}

// FuzzOrderStatistics checks selection against sorting.
func FuzzOrderStatistics(f *testing.F) {
	f.Add([]byte{1, 0, 2, 0, 3, 0, 1, 0}, uint16(2))
	f.Add([]byte{0, 0, 0, 0, 0, 0}, uint16(0))
	f.Fuzz(func(t *testing.T, b []byte, r uint16) {
		x := floatsFrom(b)
		if len(x) == 0 {
			return
		}
		ranks := []int{1 + int(r)%len(x), len(x), (len(x) + 1) / 2}
		got, err := OrderStatistics(x, ranks)
		if err != nil {
			t.Fatal(err)
		}
		s := slices.Clone(x)
		slices.Sort(s)
		for j, rk := range ranks {
			if got[j] != s[rk-1] {
				t.Fatalf("rank %d: got %v, want %v", rk, got[j], s[rk-1])
			}
		}
	})
}

// FuzzTiers checks tiers against the definition on a sorted copy.
func FuzzTiers(f *testing.F) {
	f.Add([]byte{10, 0, 20, 0, 30, 0, 0, 0, 255, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		v := floatsFrom(b)
		for i := range v {
			v[i] = math.Round(v[i]) // integers: exact sums
		}
		tr, err := Tiers(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := tiersBySort(v, []float64{0.80, 0.95})
		if !slices.Equal(want, tr.Class) {
			t.Fatalf("values %v: got %v, want %v", v, tr.Class, want)
		}
	})
}
