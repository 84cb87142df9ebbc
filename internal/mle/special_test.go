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

// TestLogHyp2F1C1NearOne: the quadrature branch (z within 2e-3 of 1, where
// the series would need 37/(1−z) terms) against mpmath 1.3 (40 digits):
// log(hyp2f1(a, b, a+1, z)) and its derivatives by mpmath.diff, with 1−z
// given exactly.
func TestLogHyp2F1C1NearOne(t *testing.T) {
	for _, tc := range []struct{ a, b, omz, want, da, db, dz float64 }{
		{0.0003, 0.0002, 1.0e-6, 9.8687944040929349718e-8, 0.00032888770962951099861, 0.00049351183374786852096, 8.3004804072383008878e-7},
		{100.5, 100.2, 1.0e-5, 1142.0952257058720931, 0.0099501469232492504199, 11.502844922990001914, 9920000.0132382846932},
		{2.5, 3.0, 1.0e-8, 37.064505034218941973, 0.39999999000000334128, 17.920680758952349773, 200000000.4999997529},
		{10000.5, 1.5, 0.0001, 13.090454199621782962, 0.000043490691720525413627, 8.8217442257272781374, 10650.072111626160813},
	} {
		var d [3]float64
		got := LogHyp2F1C1Grad(tc.a, tc.b, 1-tc.omz, tc.omz, &d)
		assert.True(t, scalar.EqualWithinAbsOrRel(got, tc.want, 1e-15, 1e-10), "%+v: got %v", tc, got)
		assert.True(t, scalar.EqualWithinRel(d[0], tc.da, 1e-7), "%+v: d/da %v", tc, d[0])
		assert.True(t, scalar.EqualWithinRel(d[1], tc.db, 1e-7), "%+v: d/db %v", tc, d[1])
		assert.True(t, scalar.EqualWithinRel(d[2], tc.dz, 1e-7), "%+v: d/dz %v", tc, d[2])
		// Without the derivatives the value is the same.
		assert.Equal(t, got, LogHyp2F1C1Grad(tc.a, tc.b, 1-tc.omz, tc.omz, nil))
	}
}

func TestIntegrate(t *testing.T) {
	// ∫_0^1 x^−½ dx = 2 (end-point singularity, graded panels),
	// ∫_0^π sin = 2, a narrow peak placed on an edge.
	edges := []float64{0}
	for k := 40; k >= 1; k-- {
		edges = append(edges, math.Ldexp(1, -k))
	}
	edges = append(edges, 1)
	assert.InDelta(t, 2, Integrate(func(x float64) float64 { return 1 / math.Sqrt(x) }, edges, 1e-12), 1e-9)
	assert.InDelta(t, 2, Integrate(math.Sin, []float64{0, math.Pi}, 1e-12), 1e-13)
	// A peak of width 1e-4 needs panels of its width around it (edges at
	// 1, 2, 4 and 8 widths, as betaMean places them): on [0.3, 1] alone no
	// node comes near it (the documented caller's duty).
	peak := func(x float64) float64 { return math.Exp(-(x - 0.3) * (x - 0.3) / 2e-8) }
	assert.InDelta(t, math.Sqrt(2*math.Pi*1e-8), Integrate(peak, []float64{0, 0.2992, 0.2996, 0.2998, 0.2999, 0.3, 0.3001, 0.3002, 0.3004, 0.3008, 1}, 1e-12), 1e-15)
	assert.Equal(t, 0.0, Integrate(math.Sin, []float64{1}, 1e-12))
}

// TestHyp2F1C1Split: LogHyp2F1C1Grad near z = 1, where it splits the
// incomplete beta integral at w₀ (see Hyp2F1C1), including integer and
// nearly integer b (where the connection formula of A&S 15.3.6 has poles)
// and a up to 1e4. References from mpmath 1.3 at 40 digits by
// clv/testdata/mpmath/limits.py hyp: log(hyp2f1(a, b, a+1, 1−omz)) and
// its derivatives by mpmath.diff, at the float64 inputs.
func TestHyp2F1C1Split(t *testing.T) {
	for _, tc := range []struct{ a, b, omz, want, da, db, dz float64 }{
		{0.80000000000000004441, 0.79659999999999997478, 1.0000000000000000818e-5, 1.3429407017180051241, 0.81779521673585955, 3.4643613096359699853, 2.0076572487904201603e+3},
		{2.7966451999999999423, 2.7966451000000001059, 2.5000000000000002045e-6, 23.617816420447020545, 0.35756814148495758165, 12.342633943505234927, 7.1865929474406165708e+5},
		{3.0000000999999998363, 3.0, 9.9999999999999995475e-7, 28.036485257394076531, 0.33333232225737947736, 13.315512557751873857, 2.000000999953837743e+6},
		{2.5, 2.0000000001000000083, 9.9999999999999995475e-8, 17.034384158682728888, 0.3999985897775860732, 15.118113733321172527, 1.0000020757642403401e+7},
		{1.0000000000000000479e-4, 5.0000000000000002396e-5, 1.0000000000000000364e-10, 8.2243698350514057973e-9, 8.2237688742373339072e-5, 1.6449340671485730506e-4, 1.1519473044401622515e-7},
		{5.7999999999999998224, 1.0000000099999999392, 9.9999999999999995475e-7, 4.2062031574056398979, 0.15615380710708949814, 7.9679955284860335632, 8.6430798270758864531e+4},
		{1.5, 1.0, 9.9999999999999997989e-13, 3.7019430825248466331, 0.63206655248023791765, 14.109221215539796194, 3.7013299889416050833e+10},
		{277.80000000000001137, 276.80000000000001137, 1.0000000000000000818e-5, 3.1752720686309699501e+3, 3.5996756329402614153e-3, 11.509299685816617173, 2.7580000007278018194e+7},
		{1.0000799999999999272e+4, 1.0000100000000000655, 9.9999999999999995475e-8, 11.057087335820936928, 8.431471841748422257e-5, 12.823646027070250249, 1.5678748330140309823e+6},
		{50.5, 30.199999999999999289, 1.0000000000000000208e-3, 202.25350378790723675, 0.01976654923314012963, 6.8735708945021470723, 2.9200754651833762148e+4},
		{1.0, 1.9999999989999999173, 0.2999999999999999889, 1.2039728036059748211, 0.4840116550931844697, 0.71996114892453134056, 3.3333333310285158601},
		{0.2999999999999999889, 1.1999999999999999556, 0.2000000000000000111, 0.43283836904906545125, 1.0010210718022147762, 0.48721819664191872623, 1.3030927369222824076},
	} {
		var d [3]float64
		got := LogHyp2F1C1Grad(tc.a, tc.b, 1-tc.omz, tc.omz, &d)
		// log F is accurate to 1e-12 relative or 1e-14 absolute (when it is
		// near 0, log p − p log z + log J cancel); so are the derivatives,
		// which the Pareto/NBD gradient adds to terms of order 1 and above
		// (∂/∂a to −1/a: ∂/∂a log F is formed as 1/a + … − 1/a + …, which
		// leaves absolute errors of order 1e-16/a).
		assert.True(t, scalar.EqualWithinAbsOrRel(got, tc.want, 1e-14, 1e-12), "%+v: got %v (rel %.2g)", tc, got, math.Abs(got/tc.want-1))
		for i, want := range []float64{tc.da, tc.db, tc.dz} {
			assert.True(t, scalar.EqualWithinAbsOrRel(d[i], want, 1e-12+1e-15/tc.a, 1e-10), "%+v: d[%d] = %v, want %v (rel %.2g)", tc, i, d[i], want, math.Abs(d[i]/want-1))
		}
		assert.Equal(t, got, LogHyp2F1C1Grad(tc.a, tc.b, 1-tc.omz, tc.omz, nil))
		// One evaluator serves several z: the split part is shared.
		h := NewHyp2F1C1(tc.a, tc.b)
		h.LogGrad(0.5, 0.5, nil)
		assert.Equal(t, got, h.LogGrad(1-tc.omz, tc.omz, nil))
	}
}
