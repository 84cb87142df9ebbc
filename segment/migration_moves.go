package segment

import "fmt"

// Moves counts the customers of a Migration by the direction they moved,
// given an order of the classes from best to worst.
type Moves struct {
	// Up counts customers who moved to a better class, Same those who
	// stayed in theirs, Slipped those who moved to a worse class.
	Up, Same, Slipped int
	// Gone counts customers of the earlier snapshot absent from the later
	// one, New those only in the later one.
	Gone, New int
	// Unranked counts customers who moved from or to a class without a
	// rank (e.g. "unknown"), whose direction is not defined.
	Unranked int
}

// Moves summarises m given each class's rank, 0 the best: a move from rank
// i to rank j is up when j < i, slipped when j > i. Classes missing from
// rank are unranked. Customers who stayed in the same class count as Same
// whether or not it is ranked.
func (m *Migration) Moves(rank map[string]int) Moves {
	var mv Moves
	last, lastCol := len(m.From)-1, len(m.To)-1
	for i, row := range m.Counts {
		for j, c := range row {
			if c == 0 {
				continue
			}
			switch {
			case i == last:
				mv.New += c
			case j == lastCol:
				mv.Gone += c
			case m.From[i] == m.To[j]:
				mv.Same += c
			default:
				ri, okI := rank[m.From[i]]
				rj, okJ := rank[m.To[j]]
				switch {
				case !okI || !okJ:
					mv.Unranked += c
				case rj < ri:
					mv.Up += c
				case rj > ri:
					mv.Slipped += c
				default:
					mv.Same += c
				}
			}
		}
	}
	return mv
}

// String describes the moves in one line, e.g. "12 moved up, 300 stayed,
// 45 slipped to a worse segment, 800 gone, 3 new".
func (mv Moves) String() string {
	s := fmt.Sprintf("%d moved up, %d stayed, %d slipped to a worse segment, %d gone, %d new", mv.Up, mv.Same, mv.Slipped, mv.Gone, mv.New)
	if mv.Unranked > 0 {
		s += fmt.Sprintf(", %d moved from or to an unranked segment", mv.Unranked)
	}
	return s
}

// Ranks returns the order of the classes of a preset scheme from best to
// worst, for Migration.Moves: for the grids (quadrant, referral, private)
// the high-high cell first, then high X, then high Y, then low-low —
// value before the second axis (e.g. premium, fragile, free-rider,
// abandonable); unknown is unranked. For any other scheme (tiers such as
// abc, whose names run from the best), names in their given order.
func Ranks(scheme string, names []string) map[string]int {
	r := make(map[string]int, len(names))
	if g, err := Preset(scheme); err == nil {
		// Cells[x][y]: [1][1] high-high, [1][0] high X only, [0][1] high Y only, [0][0] low-low.
		for k, name := range []string{g.Cells[1][1], g.Cells[1][0], g.Cells[0][1], g.Cells[0][0]} {
			r[name] = k
		}
		return r
	}
	for k, name := range names {
		r[name] = k
	}
	return r
}
