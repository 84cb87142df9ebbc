package clv

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/event"
)

// A model's rates are per unit of time, so the unit (and the period of the
// data fitted) travels with the model through SaveModel/LoadModel and
// json.Marshal; files without it still load, with the timing unknown.
func TestTimingRoundTrip(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	bg, err := NewBGNBD(0.243, 4.414, 0.793, 2.426)
	require.NoError(t, err)
	bb, err := NewBGBB(1.204, 0.750, 0.657, 2.783)
	require.NoError(t, err)
	gg, err := NewGammaGamma(6.25, 3.74, 15.44)
	require.NoError(t, err)
	tests := []struct {
		name   string
		m      Model
		timing Timing
		want   []string // in the JSON
	}{
		{"weekly bgnbd", bg, Timing{Unit: event.Week, HasUnit: true, End: day("1998-06-30"), CalibrationEnd: day("1997-09-30")},
			[]string{`"unit": "week"`, `"end": "1998-06-30"`, `"calibration_end": "1997-09-30"`}},
		{"yearly bgbb", bb, Timing{Unit: event.Year, HasUnit: true}, []string{`"unit": "year"`}},
		{"gg with end only", gg, Timing{End: day("2011-12-09")}, []string{`"end": "2011-12-09"`}},
		{"unknown", bg, Timing{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			SetTiming(tt.m, tt.timing)
			var buf bytes.Buffer
			require.NoError(t, SaveModel(&buf, tt.m))
			for _, w := range tt.want {
				assert.Contains(t, buf.String(), w)
			}
			if !tt.timing.HasUnit {
				assert.NotContains(t, buf.String(), `"unit"`)
			}
			got, err := LoadModel(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			assert.Equal(t, tt.timing, ModelTiming(got))

			b, err := json.Marshal(tt.m)
			require.NoError(t, err)
			back := ModelTiming(tt.m)
			switch m := tt.m.(type) {
			case *BGNBD:
				var v BGNBD
				require.NoError(t, json.Unmarshal(b, &v))
				assert.Equal(t, back, v.Timing)
			case *BGBB:
				var v BGBB
				require.NoError(t, json.Unmarshal(b, &v))
				assert.Equal(t, back, v.Timing)
			case *GammaGamma:
				var v GammaGamma
				require.NoError(t, json.Unmarshal(b, &v))
				assert.Equal(t, back, v.Timing)
			default:
				t.Fatalf("untested model %T", m)
			}
		})
	}
}

func TestTimingLoadErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"old file without unit", `{"model":"bgnbd","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}}`, ""},
		{"bad unit", `{"model":"bgnbd","unit":"fortnight","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}}`, `"unit"`},
		{"bad end", `{"model":"bgnbd","end":"30/9/1997","params":{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}}`, `"end": "30/9/1997" is not a date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadModel(strings.NewReader(tt.json))
			if tt.want == "" {
				require.NoError(t, err)
				assert.False(t, ModelTiming(m).HasUnit)
				assert.Equal(t, "", ModelTiming(m).UnitName())
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrBadParams))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// Every model NewModel builds carries a Timing and a FitInfo that
// SetTiming, ModelTiming and LoadModel reach through the annotated
// interface: a model added to ModelNames without implementing it fails
// here instead of silently dropping its timing or fit description.
func TestEveryModelAnnotated(t *testing.T) {
	params := map[string][]float64{
		NameBGNBD: {0.243, 4.414, 0.793, 2.426}, NameParetoNBD: {0.55, 10.58, 0.61, 11.67},
		NameMBGNBD: {0.5, 5, 0.8, 2.5}, NameBGBB: {1.204, 0.750, 0.657, 2.783},
		NameSBG: {0.704, 1.182}, NameGammaGamma: {6.25, 3.74, 15.44},
	}
	want := Timing{Unit: event.Month, HasUnit: true, End: time.Date(2001, 5, 31, 0, 0, 0, 0, time.UTC)}
	tests := ModelNames()
	for _, name := range tests {
		t.Run(name, func(t *testing.T) {
			m, err := NewModel(name, params[name])
			require.NoError(t, err)
			require.Implements(t, (*annotated)(nil), m)
			assert.Equal(t, Timing{}, ModelTiming(m))
			SetTiming(m, want)
			assert.Equal(t, want, ModelTiming(m))

			m.(annotated).setInfo(&FitInfo{LogLikelihood: -1, Customers: 10, Converged: true})
			var buf bytes.Buffer
			require.NoError(t, SaveModel(&buf, m))
			got, err := LoadModel(&buf)
			require.NoError(t, err)
			assert.Equal(t, want, ModelTiming(got))
			require.NotNil(t, got.FitInfo())
			assert.Equal(t, -1.0, got.FitInfo().LogLikelihood)
			assert.Equal(t, 10.0, got.FitInfo().Customers)
		})
	}
}
