package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/generate"
)

// run builds the pipeline for o, runs it on Prism and returns the
// valuekit counters by name.
func run(t *testing.T, o Options) map[string]int64 {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	_, err := Build(s, o)
	require.NoError(t, err)
	res, err := prism.Execute(context.Background(), p)
	require.NoError(t, err)
	counters := map[string]int64{}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Namespace() == "valuekit" {
			counters[c.Name()] += c.Result()
		}
	}
	return counters
}

// readModels reads PREFIX-models.json.
func readModels(t *testing.T, prefix string) Models {
	t.Helper()
	b, err := os.ReadFile(prefix + "-models.json")
	require.NoError(t, err)
	var m Models
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// outputs returns the contents of every output file of a run, by the
// name after the prefix.
func outputs(t *testing.T, prefix string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(prefix + "-*")
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out[strings.TrimPrefix(f, prefix)] = b
	}
	return out
}

// customerRows reads every customer file of a run into rows by customer
// id, failing on a customer written twice; it returns the header too.
func customerRows(t *testing.T, prefix string) ([]string, map[string][]string) {
	t.Helper()
	files, err := filepath.Glob(prefix + "-customers-*.csv")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	rows := map[string][]string{}
	var header []string
	for _, file := range files {
		rec := readCSV(t, file)
		if header == nil {
			header = rec[0]
		}
		require.Equal(t, header, rec[0], "header of %s", file)
		for _, r := range rec[1:] {
			_, dup := rows[r[0]]
			require.False(t, dup, "customer %s twice", r[0])
			rows[r[0]] = r
		}
	}
	return header, rows
}

// generated simulates a base of n customers with referrals, shares and
// feedback (generate's CSV: customer_id,time,kind,amount,referred_id,score)
// and returns its header and data rows.
func generated(t *testing.T, n int64, seed uint64) (string, []string) {
	t.Helper()
	m, err := generate.ParseModel(clv.NameBGNBD, "r=1,alpha=6,a=0.3,b=10")
	require.NoError(t, err)
	gg, err := generate.ParseSpend("p=6.25,q=3.74,v=15.44")
	require.NoError(t, err)
	var b bytes.Buffer
	_, err = generate.Write(context.Background(), &b, generate.CSV, &generate.Options{
		Customers: n, Model: m, Spend: gg, Unit: valuekit.Week,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		ReferralRate: 0.05, ShareRate: 0.01, Feedback: true, Seed: seed,
	})
	require.NoError(t, err)
	lines := strings.SplitAfter(b.String(), "\n")
	return lines[0], lines[1 : len(lines)-1] // every row ends in a newline
}

// sortedByTime returns the rows sorted by their time column (the second),
// then by the whole row.
func sortedByTime(rows []string) []string {
	out := append([]string(nil), rows...)
	sort.Slice(out, func(i, j int) bool {
		ti, tj := strings.Split(out[i], ",")[1], strings.Split(out[j], ",")[1]
		if ti != tj {
			return ti < tj
		}
		return out[i] < out[j]
	})
	return out
}

// shuffled returns the rows in a random order.
func shuffled(rows []string, seed uint64) []string {
	out := append([]string(nil), rows...)
	rand.New(rand.NewPCG(seed, 1)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// writeParts writes rows as len(names) files of about equal size, the
// format of each chosen by its extension (.csv, .csv.gz, .parquet).
func writeParts(t *testing.T, dir, header string, rows []string, names ...string) {
	t.Helper()
	per := (len(rows) + len(names) - 1) / len(names)
	for k, name := range names {
		lo, hi := min(k*per, len(rows)), min((k+1)*per, len(rows))
		body := header + strings.Join(rows[lo:hi], "")
		path := filepath.Join(dir, name)
		switch {
		case strings.HasSuffix(name, ".gz"):
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			_, err := zw.Write([]byte(body))
			require.NoError(t, err)
			require.NoError(t, zw.Close())
			require.NoError(t, os.WriteFile(path, gz.Bytes(), 0o600))
		case strings.HasSuffix(name, ".parquet"):
			ev, err := valuekit.ReadCSV(strings.NewReader(body), name, nil)
			require.NoError(t, err)
			require.NoError(t, ev.WriteFile(path))
		default:
			require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		}
	}
}

// deadLetters reads PREFIX-dead-letters.csv* (textio may shard it) as
// records.
func deadLetters(t *testing.T, prefix string) [][]string {
	t.Helper()
	files, err := filepath.Glob(prefix + "-dead-letters.csv*")
	require.NoError(t, err)
	var out [][]string
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		rec, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		require.NoError(t, err)
		out = append(out, rec...)
	}
	return out
}
