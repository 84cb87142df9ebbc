package civil

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDaysAndDate(t *testing.T) {
	tests := []struct {
		name         string
		y, m, d, day int64
	}{
		{"epoch", 1970, 1, 1, 0},
		{"day before the epoch", 1969, 12, 31, -1},
		{"leap day 2000", 2000, 2, 29, 11016},
		{"1900 is not leap", 1900, 3, 1, -25508},
		{"1900-01-01, the readers' first day", 1900, 1, 1, -25567},
		{"2100-12-31, the readers' last day", 2100, 12, 31, 47846},
		{"CDNOW start", 1997, 1, 1, 9862},
		{"year 0 (proleptic)", 0, 3, 1, -719468},
		{"negative year", -1, 12, 31, -719529},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.day, Days(tt.y, tt.m, tt.d))
			y, m, d := Date(tt.day)
			assert.Equal(t, [3]int64{tt.y, tt.m, tt.d}, [3]int64{y, m, d})
		})
	}
}

// Every day from 1600 to 2400 agrees with the time package, both ways.
func TestAgreesWithTime(t *testing.T) {
	first := Days(1600, 1, 1)
	last := Days(2400, 12, 31)
	for d := first; d <= last; d++ {
		tm := time.Unix(d*86400, 0).UTC()
		y, m, day := Date(d)
		if y != int64(tm.Year()) || m != int64(tm.Month()) || day != int64(tm.Day()) {
			t.Fatalf("Date(%d) = %d-%d-%d, time says %s", d, y, m, day, tm.Format(time.DateOnly))
		}
		if got := Days(y, m, day); got != d {
			t.Fatalf("Days(%d, %d, %d) = %d, want %d", y, m, day, got, d)
		}
		if day == 1 {
			require.Equal(t, int64(time.Date(int(y), time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()), DaysIn(y, m), "%d-%d", y, m)
		}
	}
}

func TestFloorDivAndDayOf(t *testing.T) {
	tests := []struct{ a, b, want int64 }{
		{7, 2, 3}, {-7, 2, -4}, {-8, 2, -4}, {0, 5, 0}, {-1, 5, -1}, {7, -2, -4}, {-7, -2, 3},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FloorDiv(tt.a, tt.b), "FloorDiv(%d, %d)", tt.a, tt.b)
	}
	assert.Equal(t, int64(0), DayOf(0))
	assert.Equal(t, int64(-1), DayOf(-1))
	assert.Equal(t, int64(0), DayOf(MicrosPerDay-1))
	assert.Equal(t, int64(1), DayOf(MicrosPerDay))
	assert.Equal(t, int64(-1), DayOf(-MicrosPerDay))
	assert.Equal(t, int64(-2), DayOf(-MicrosPerDay-1))
}

func TestValidAndAppendDate(t *testing.T) {
	tests := []struct {
		y, m, d int64
		ok      bool
	}{
		{2024, 2, 29, true}, {2023, 2, 29, false}, {2100, 2, 29, false}, {2000, 2, 29, true},
		{2024, 4, 31, false}, {2024, 12, 31, true}, {2024, 13, 1, false}, {2024, 0, 1, false}, {2024, 1, 0, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, Valid(tt.y, tt.m, tt.d), "%d-%d-%d", tt.y, tt.m, tt.d)
	}
	assert.Equal(t, "1997-01-01", string(AppendDate(nil, Days(1997, 1, 1))))
	assert.Equal(t, "x0999-12-31", string(AppendDate([]byte("x"), Days(999, 12, 31))))
}
