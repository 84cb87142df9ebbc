package segment

import (
	"fmt"
	"io"
	"strconv"

	"github.com/valuekit/valuekit/internal/textfmt"
)

// Names of the rows and columns of a Migration for customers present in only
// one snapshot.
const (
	NewCustomers  = "new"  // row: customers only in the later snapshot
	GoneCustomers = "gone" // column: customers only in the earlier snapshot
)

// Snapshot is a classification of customers at one point in time, keyed by
// customer id.
type Snapshot struct {
	// IDs holds one distinct customer id per customer, aligned with Class.
	IDs []string
	Assignment
}

// Migration is the segment transition matrix between two snapshots.
type Migration struct {
	// From names the rows: the earlier snapshot's classes, then
	// NewCustomers ("new").
	From []string
	// To names the columns: the later snapshot's classes, then
	// GoneCustomers ("gone").
	To []string
	// Counts[i][j] is the number of customers in class From[i] before and
	// To[j] after. Counts[len(From)−1][len(To)−1] (new and gone) is 0.
	Counts [][]int
	// Shares[i][j] is Counts[i][j] divided by the row total: the share of
	// the customers of class From[i] that moved to To[j] (a row of the
	// Markov transition matrix). Rows of an empty class are all 0.
	Shares [][]float64
}

// Migrate compares two snapshots, e.g. last quarter's segments and this
// quarter's, and counts the customers moving between each pair of classes:
// who moved from low to high value, from potential to loyal, who slipped.
// Customers are matched by id. A customer only in before is counted in
// column "gone", one only in after in row "new". The snapshots may use
// different schemes.
//
// Errors: an invalid assignment, IDs not aligned with Class (ErrLength), an
// id that occurs twice in a snapshot (ErrDuplicateID, naming both indices),
// and a class named "new" in before or "gone" in after (ErrOption).
func Migrate(before, after Snapshot) (*Migration, error) {
	for _, s := range []struct {
		name string
		snap Snapshot
		bad  string
	}{{"before", before, NewCustomers}, {"after", after, GoneCustomers}} {
		if err := s.snap.Validate(); err != nil {
			return nil, fmt.Errorf("%s snapshot: %w", s.name, err)
		}
		if len(s.snap.IDs) != len(s.snap.Class) {
			return nil, lengthError(s.name+" ids", len(s.snap.IDs), s.name+" classes", len(s.snap.Class))
		}
		if s.snap.Index(s.bad) >= 0 {
			return nil, optionError("%s snapshot has a class named %q, which is reserved", s.name, s.bad)
		}
	}
	rows, cols := len(before.Names)+1, len(after.Names)+1
	counts := make([][]int, rows)
	flat := make([]int, rows*cols)
	for i := range counts {
		counts[i] = flat[i*cols : (i+1)*cols]
	}
	index := make(map[string]int32, len(before.IDs))
	for i, id := range before.IDs {
		if j, dup := index[id]; dup {
			return nil, fmt.Errorf("segment: before snapshot: id %q at indices %d and %d: %w", id, j, i, ErrDuplicateID)
		}
		index[id] = int32(i)
	}
	matched := make([]bool, len(before.IDs))
	seen := make(map[string]int32, len(after.IDs))
	for i, id := range after.IDs {
		if j, dup := seen[id]; dup {
			return nil, fmt.Errorf("segment: after snapshot: id %q at indices %d and %d: %w", id, j, i, ErrDuplicateID)
		}
		seen[id] = int32(i)
		to := after.Class[i]
		if j, ok := index[id]; ok {
			matched[j] = true
			counts[before.Class[j]][to]++
		} else {
			counts[rows-1][to]++
		}
	}
	for j, ok := range matched {
		if !ok {
			counts[before.Class[j]][cols-1]++
		}
	}
	shares := make([][]float64, rows)
	for i, row := range counts {
		shares[i] = make([]float64, cols)
		total := 0
		for _, c := range row {
			total += c
		}
		if total > 0 {
			for j, c := range row {
				shares[i][j] = float64(c) / float64(total)
			}
		}
	}
	return &Migration{
		From:   append(append([]string{}, before.Names...), NewCustomers),
		To:     append(append([]string{}, after.Names...), GoneCustomers),
		Counts: counts,
		Shares: shares,
	}, nil
}

// Count returns the number of customers that moved from class from to class
// to ("new" and "gone" included), and false if either name is not in the matrix.
func (m *Migration) Count(from, to string) (int, bool) {
	i, j := indexOf(m.From, from), indexOf(m.To, to)
	if i < 0 || j < 0 {
		return 0, false
	}
	return m.Counts[i][j], true
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// Records returns the count matrix as CSV records: a header "from", the To
// names, then one record per From class.
func (m *Migration) Records() [][]string {
	out := [][]string{append([]string{"from"}, m.To...)}
	for i, row := range m.Counts {
		rec := []string{m.From[i]}
		for _, c := range row {
			rec = append(rec, strconv.Itoa(c))
		}
		out = append(out, rec)
	}
	return out
}

// WriteText writes the matrix as an aligned text table, each cell showing
// the count and, in parentheses, the row share as a percentage.
func (m *Migration) WriteText(w io.Writer) error {
	rows := [][]string{append([]string{"from \\ to"}, m.To...)}
	for i, row := range m.Counts {
		r := []string{m.From[i]}
		for j, c := range row {
			r = append(r, fmt.Sprintf("%d (%.1f%%)", c, 100*m.Shares[i][j]))
		}
		rows = append(rows, r)
	}
	return textfmt.WriteAligned(w, rows)
}
