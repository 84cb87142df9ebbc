package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every row read is either an event, summarised or left out as after the
// end, or a dead letter with its reason: rows in = rows summarised + rows
// after the end + rows rejected, in the counters, the models file and the
// dead-letter file alike.
func TestRowsAddUp(t *testing.T) {
	header, good := generated(t, 400, 3)
	half := len(good) / 2
	first, second := strings.Join(good[:half], ""), strings.Join(good[half:], "")
	// Bad rows after the first half of a.csv: rows half+2 … half+6 (the
	// header is row 1).
	bad := "1,2024-13-01T00:00:00Z,purchase,10,,\n" +
		"2,2024-01-05T00:00:00Z,purchase,1x,,\n" +
		",2024-01-05T00:00:00Z,purchase,3,,\n" +
		"3,2024-01-05T00:00:00Z,gift,3,,\n" +
		"3,2024-01-06T00:00:00Z,purchase,3,\n"
	row := func(k int) string { return strconv.Itoa(half + 2 + k) }
	const end = "2024-09-30"
	afterEnd := 0
	for _, r := range good {
		if r[strings.IndexByte(r, ',')+1:][:10] > end {
			afterEnd++
		}
	}
	require.NotZero(t, afterEnd)
	type letter struct{ file, row, column, reason string }
	badLetters := []letter{
		{"a.csv", row(0), "time", "not a time"},
		{"a.csv", row(1), "amount", "not a number"},
		{"a.csv", row(2), "customer_id", "empty"},
		{"a.csv", row(3), "kind", "not a known kind"},
		{"a.csv", row(4), "", "has 5 fields, the header has 6"},
	}
	for _, c := range []struct {
		name     string
		files    map[string]string
		end      string
		rows     int
		afterEnd int
		dead     []letter
	}{
		{
			name:  "clean",
			files: map[string]string{"a.csv": header + first, "b.csv": header + second},
			rows:  len(good),
		},
		{
			name:  "bad rows in two files",
			files: map[string]string{"a.csv": header + first + bad, "b.csv": header + "9,2024-02-30,purchase,1,,\n" + second},
			rows:  len(good) + 6,
			dead:  append(badLetters, letter{"b.csv", "2", "time", "not a time"}),
		},
		{
			name:     "bad rows and events after the end",
			files:    map[string]string{"a.csv": header + first + bad, "b.csv": header + second},
			end:      end,
			rows:     len(good) + 5,
			afterEnd: afterEnd,
			dead:     badLetters,
		},
		{
			name:  "a file of bad rows only",
			files: map[string]string{"a.csv": header + first + second, "b.csv": header + "7,yesterday,purchase,1,,\n"},
			rows:  len(good) + 1,
			dead:  []letter{{"b.csv", "2", "time", "not a time"}},
		},
	} {
		// Whole files, and the files cut into ranges of about 1,500 bytes
		// (a dozen rows) read separately: the same counts and letters.
		for _, split := range []int64{-1, 1500} {
			t.Run(fmt.Sprintf("%s/split=%d", c.name, split), func(t *testing.T) {
				dir := t.TempDir()
				for name, body := range c.files {
					require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
				}
				out := filepath.Join(t.TempDir(), "run")
				counters := run(t, Options{Input: filepath.Join(dir, "*.csv"), Unit: "week", End: c.end, Shards: 3, Output: out, SplitBytes: split})
				m := readModels(t, out)
				dead := deadLetters(t, out)

				if split > 0 {
					assert.Greater(t, counters[CounterRanges], int64(len(c.files)), "the files were cut")
				}
				assert.Equal(t, int64(c.rows), counters[CounterRows], "rows")
				assert.Equal(t, counters[CounterRows], counters[CounterEvents]+counters[CounterBadRows], "rows = events + bad rows")
				assert.Equal(t, counters[CounterEvents], m.Events+m.AfterEnd, "events = summarised + after the end")
				assert.Equal(t, int64(c.afterEnd), m.AfterEnd, "after the end")
				assert.Equal(t, int64(len(c.dead)), counters[CounterBadRows], "bad rows")
				require.Len(t, dead, len(c.dead))
				got := map[string][]string{}
				for _, d := range dead {
					require.Len(t, d, 5, "file, row, column, value, reason: %q", d)
					got[d[0]+":"+d[1]] = d
				}
				for _, w := range c.dead {
					d, ok := got[w.file+":"+w.row]
					require.True(t, ok, "no dead letter for %s row %s in %q", w.file, w.row, dead)
					assert.Equal(t, w.column, d[2])
					assert.Contains(t, d[4], w.reason)
				}
			})
		}
	}
}

// The same events split across several files, in any order and any mix of
// formats, give the same output files, byte for byte, as one file sorted
// by time.
func TestSplitInAnyOrder(t *testing.T) {
	header, rows := generated(t, 3000, 11)
	base := filepath.Join(t.TempDir(), "sorted")
	one := t.TempDir()
	writeParts(t, one, header, sortedByTime(rows), "all.csv")
	run(t, Options{Input: filepath.Join(one, "*"), Unit: "week", Shards: 4, ReferralShare: 1, Output: base})
	want := outputs(t, base)
	require.Contains(t, want, "-models.json")
	require.Contains(t, want, "-customers-00003-of-00004.csv")

	for _, c := range []struct {
		name  string
		rows  []string
		files []string
		split int64 // Options.SplitBytes
	}{
		{"generated order, one file", rows, []string{"all.csv"}, 0},
		{"shuffled, three csv files", shuffled(rows, 1), []string{"a.csv", "b.csv", "c.csv"}, 0},
		{"reversed, csv gzip and parquet", reversed(rows), []string{"p1.parquet", "p2.csv.gz", "p3.csv", "p4.parquet", "p5.csv.gz"}, 0},
		{"shuffled, many small files", shuffled(rows, 2), strings.Split("f00.csv f01.csv f02.csv f03.csv f04.csv f05.csv f06.csv f07.csv f08.csv f09.csv f10.csv f11.csv", " "), 0},
		{"one file cut into ranges of 16 KiB", rows, []string{"all.csv"}, 16 << 10},
		{"shuffled, csv files cut into ranges of 4 KiB beside gzip and parquet", shuffled(rows, 3), []string{"a.csv", "b.csv.gz", "c.parquet", "d.csv"}, 4 << 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeParts(t, dir, header, c.rows, c.files...)
			out := filepath.Join(t.TempDir(), "run")
			run(t, Options{Input: filepath.Join(dir, "*"), Unit: "week", Shards: 4, ReferralShare: 1, Output: out, SplitBytes: c.split})
			got := outputs(t, out)
			require.Equal(t, keys(want), keys(got))
			for name, b := range want {
				if !assert.True(t, bytes.Equal(b, got[name]), "%s differs", name) {
					wl, gl := strings.Split(string(b), "\n"), strings.Split(string(got[name]), "\n")
					for k := range min(len(wl), len(gl)) {
						if wl[k] != gl[k] {
							t.Logf("%s line %d:\n want %s\n got  %s", name, k+1, wl[k], gl[k])
							break
						}
					}
				}
			}
		})
	}
}

// A filesystem without random access (memfs: every file opens as a plain
// stream) takes the other paths: CSV ranges are reached by reading up to
// their start, Parquet files are read whole. Same output files.
func TestSplitWithoutRandomAccess(t *testing.T) {
	header, rows := generated(t, 2000, 13)
	local := t.TempDir()
	writeParts(t, local, header, shuffled(rows, 4), "a.csv", "b.parquet", "c.csv.gz")
	base := filepath.Join(t.TempDir(), "local")
	run(t, Options{Input: filepath.Join(local, "*"), Unit: "week", Shards: 4, Output: base})
	want := outputs(t, base)

	files, err := filepath.Glob(filepath.Join(local, "*"))
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		memfs.Write("memfs://nora/"+filepath.Base(f), b)
	}
	out := filepath.Join(t.TempDir(), "memfs")
	counters := run(t, Options{Input: "memfs://nora/*", Unit: "week", Shards: 4, Output: out, SplitBytes: 8 << 10})
	assert.Greater(t, counters[CounterRanges], int64(3), "a.csv was cut")
	got := outputs(t, out)
	require.Equal(t, keys(want), keys(got))
	for name, b := range want {
		assert.True(t, bytes.Equal(b, got[name]), "%s differs", name)
	}
}

func reversed(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[len(rows)-1-i] = r
	}
	return out
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
