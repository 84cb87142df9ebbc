package mle

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/floats/scalar"
)

func TestLogHyp2F1C1(t *testing.T) {
	// Reference values from mpmath 1.3.0 (40 digits), computed offline:
	//   mpmath.log(mpmath.hyp2f1(a, b, a+1, z))
	for _, tc := range []struct{ a, b, z, want float64 }{
		{27.159, 1.606, 0.09, 0.1458558839694572148},
		{10001.159, 10000.553, 0.05, 512.9100238012531696},
		{10001.159, 1.606, 0.5, 1.1130338355750899882},
		{2.5, 0.7, 0.99, 1.3717073097463527238},
		{1.159, 0.553, 0.9, 0.50534682197490884807},
		{3, 2, 0, 0},
	} {
		got := LogHyp2F1C1(tc.a, tc.b, tc.z)
		assert.True(t, scalar.EqualWithinAbsOrRel(got, tc.want, 1e-13, 1e-12), "a=%v b=%v z=%v: got %v want %v", tc.a, tc.b, tc.z, got, tc.want)
	}
	for _, bad := range [][3]float64{{-1, 1, 0.5}, {1, 0, 0.5}, {1, 3, 0.5}, {1, 1, 1}, {1, 1, -0.1}, {math.NaN(), 1, 0.1}} {
		assert.True(t, math.IsNaN(LogHyp2F1C1(bad[0], bad[1], bad[2])), "%v", bad)
	}
}

func TestHyp2F1(t *testing.T) {
	// Reference values from mpmath 1.3.0 (mpmath.hyp2f1), computed offline,
	// and closed forms: 2F1(1,1;2;z) = −log(1−z)/z, 2F1(a,b;b;z) = (1−z)^−a.
	for _, tc := range []struct{ a, b, c, z, want float64 }{
		{0.243, 2.426, 2.219, 0.3, 1.1005185330854730311},
		{0.243, 2.426, 2.219, 0.946, 2.3834119091635900506},
		{2.243, 4.426, 4.219, 0.5, 5.1616939013836130481},
		{1002.243, 1002.426, 1004.219, 0.3, 9.3783376168037892171e+154},
		{1, 1, 2, 0.7, -math.Log(0.3) / 0.7},
		{1, 1, 2, 0.95, -math.Log(0.05) / 0.95},
		{1.7, 3.2, 3.2, 0.4, math.Pow(0.6, -1.7)},
		{1, 2, 3, 0, 1},
	} {
		got := Hyp2F1(tc.a, tc.b, tc.c, tc.z)
		assert.True(t, scalar.EqualWithinRel(got, tc.want, 1e-12), "%+v: got %v", tc, got)
	}
	assert.True(t, math.IsNaN(Hyp2F1(1, 1, 2, 1)))
	assert.True(t, math.IsNaN(Hyp2F1(1, 1, -2, 0.5)))
}

func TestLogSumExp(t *testing.T) {
	assert.InDelta(t, math.Log(math.Exp(1)+math.Exp(2)), LogSumExp2(1, 2), 1e-15)
	assert.Equal(t, 1000+math.Log(2), LogSumExp2(1000, 1000))
	assert.Equal(t, 3.0, LogSumExp2(math.Inf(-1), 3))
	assert.InDelta(t, math.Log(math.Exp(2)-math.Exp(1)), LogDiffExp(2, 1), 1e-15)
	assert.InDelta(t, math.Log(math.Exp(-1e-3)*(math.Expm1(1e-3))), LogDiffExp(0, -1e-3), 1e-12)
	assert.True(t, math.IsInf(LogDiffExp(1, 1), -1))
	assert.True(t, math.IsNaN(LogDiffExp(1, 2)))
}

func TestLogGammaRatio(t *testing.T) {
	// Reference values from mpmath (50 digits): loggamma(x+e) - loggamma(x).
	for _, tc := range []struct{ x, e, want float64 }{
		{1e8, 1e4, 184207.30737286032},
		{1e4, 1e-4, 0.00092102903761430998},
		{100, 0.5, 2.3013350982022228},
		{2.5, 3, 3.6731310971457971},
		{1e5, -0.9999, -11.511764173873692},
	} {
		got := LogGammaRatio(tc.x, tc.e)
		assert.True(t, scalar.EqualWithinRel(got, tc.want, 1e-14), "x=%v e=%v: got %v want %v", tc.x, tc.e, got, tc.want)
	}
}
