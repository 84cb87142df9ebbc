package segment

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMigrateByHand(t *testing.T) {
	before := Snapshot{
		IDs:        []string{"c1", "c2", "c3", "c4", "c5"},
		Assignment: Assignment{Names: []string{"A", "B", "C"}, Class: []int32{0, 1, 2, 2, 1}},
	}
	// c1 stays A, c2 B→A, c3 C→B, c4 gone, c5 B→C, c6 and c7 are new.
	after := Snapshot{
		IDs:        []string{"c7", "c3", "c1", "c2", "c5", "c6"},
		Assignment: Assignment{Names: []string{"A", "B", "C"}, Class: []int32{2, 1, 0, 0, 2, 0}},
	}
	m, err := Migrate(before, after)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C", "new"}, m.From)
	assert.Equal(t, []string{"A", "B", "C", "gone"}, m.To)
	assert.Equal(t, [][]int{
		{1, 0, 0, 0},
		{1, 0, 1, 0},
		{0, 1, 0, 1},
		{1, 0, 1, 0},
	}, m.Counts)
	assert.Equal(t, [][]float64{
		{1, 0, 0, 0},
		{0.5, 0, 0.5, 0},
		{0, 0.5, 0, 0.5},
		{0.5, 0, 0.5, 0},
	}, m.Shares)
	n, ok := m.Count("B", "A")
	assert.True(t, ok)
	assert.Equal(t, 1, n)
	_, ok = m.Count("Z", "A")
	assert.False(t, ok)
	var buf bytes.Buffer
	require.NoError(t, m.WriteText(&buf))
	assert.Contains(t, buf.String(), "1 (50.0%)")
	assert.Equal(t, []string{"from", "A", "B", "C", "gone"}, m.Records()[0])
}

func TestMigrateEmptyRow(t *testing.T) {
	m, err := Migrate(
		Snapshot{IDs: []string{"a"}, Assignment: Assignment{Names: []string{"x", "y"}, Class: []int32{0}}},
		Snapshot{IDs: nil, Assignment: Assignment{Names: []string{"x", "y"}}},
	)
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0, 1}, m.Shares[0])
	assert.Equal(t, []float64{0, 0, 0}, m.Shares[1]) // empty class: zeros, not NaN
}

func TestMigrateErrors(t *testing.T) {
	ok := Snapshot{IDs: []string{"a"}, Assignment: Assignment{Names: []string{"x"}, Class: []int32{0}}}
	_, err := Migrate(Snapshot{IDs: []string{"a", "a"}, Assignment: Assignment{Names: []string{"x"}, Class: []int32{0, 0}}}, ok)
	assert.ErrorIs(t, err, ErrDuplicateID)
	assert.ErrorContains(t, err, "indices 0 and 1")
	_, err = Migrate(ok, Snapshot{IDs: []string{"b", "b"}, Assignment: Assignment{Names: []string{"x"}, Class: []int32{0, 0}}})
	assert.ErrorIs(t, err, ErrDuplicateID)
	_, err = Migrate(Snapshot{IDs: []string{"a"}, Assignment: Assignment{Names: []string{"x"}, Class: []int32{0, 0}}}, ok)
	assert.ErrorIs(t, err, ErrLength)
	_, err = Migrate(Snapshot{IDs: []string{"a"}, Assignment: Assignment{Names: []string{"new"}, Class: []int32{0}}}, ok)
	assert.ErrorIs(t, err, ErrOption)
	_, err = Migrate(ok, Snapshot{IDs: []string{"a"}, Assignment: Assignment{Names: []string{"gone"}, Class: []int32{0}}})
	assert.ErrorIs(t, err, ErrOption)
	_, err = Migrate(ok, Snapshot{IDs: []string{"a"}, Assignment: Assignment{Names: []string{"x"}, Class: []int32{3}}})
	assert.ErrorIs(t, err, ErrOutOfRange)
}
