package segment

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMigrationMoves(t *testing.T) {
	snap := func(ids []string, names []string, class ...int32) Snapshot {
		return Snapshot{IDs: ids, Assignment: Assignment{Names: names, Class: class}}
	}
	abc := []string{"A", "B", "C"}
	for _, tc := range []struct {
		name          string
		before, after Snapshot
		rank          map[string]int
		want          Moves
	}{
		{"tiers", snap([]string{"1", "2", "3", "4", "5"}, abc, 0, 1, 2, 2, 0),
			snap([]string{"1", "2", "3", "6"}, abc, 1, 1, 0, 2), Ranks("abc", abc),
			Moves{Up: 1, Same: 1, Slipped: 1, Gone: 2, New: 1}},
		{"quadrant: premium to fragile slips, abandonable to free-rider moves up, unknown is unranked",
			snap([]string{"1", "2", "3"}, []string{Premium, Abandonable, Unknown}, 0, 1, 2),
			snap([]string{"1", "2", "3"}, []string{Fragile, FreeRider, Premium}, 0, 1, 2),
			Ranks("quadrant", nil), Moves{Up: 1, Slipped: 1, Unranked: 1}},
		{"fragile to free-rider: value first", snap([]string{"1"}, []string{Fragile}, 0),
			snap([]string{"1"}, []string{FreeRider}, 0), Ranks("quadrant", nil), Moves{Slipped: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Migrate(tc.before, tc.after)
			require.NoError(t, err)
			assert.Equal(t, tc.want, m.Moves(tc.rank))
		})
	}
	assert.Equal(t, map[string]int{Champions: 0, Affluents: 1, Advocates: 2, Misers: 3}, Ranks("referral", nil))
	assert.Equal(t, "1 moved up, 2 stayed, 3 slipped to a worse segment, 4 gone, 5 new, 6 moved from or to an unranked segment",
		Moves{1, 2, 3, 4, 5, 6}.String())
}
