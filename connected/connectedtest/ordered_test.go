package connectedtest

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The chunked set must agree with a plain sorted slice on every operation,
// across enough elements to split and empty many chunks.
func TestOrderedMatchesSortedSlice(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	o := newOrdered(cmp.Compare[int])
	var want []int
	for step := range 20_000 {
		v := rng.IntN(5_000)
		i, found := slices.BinarySearch(want, v)
		if found {
			require.True(t, o.delete(v), "step %d: delete %d", step, v)
			want = slices.Delete(want, i, i+1)
		} else {
			require.False(t, o.delete(v), "step %d: %d is not in the set", step, v)
			o.insert(v)
			want = slices.Insert(want, i, v)
		}
		require.Equal(t, len(want), o.Len())
		if step%997 == 0 {
			require.Equal(t, want, o.slice(0, o.Len()), "step %d", step)
		}
		// seek, index and at agree with the slice's binary search.
		probe := rng.IntN(5_100)
		p := o.seek(probe)
		j, _ := slices.BinarySearch(want, probe)
		require.Equal(t, j, o.index(p), "step %d: seek %d", step, probe)
		got, ok := o.at(p)
		require.Equal(t, j < len(want), ok)
		if ok {
			require.Equal(t, want[j], got)
		}
		require.Equal(t, p, o.cursorAt(j))
	}
	require.Greater(t, len(o.chunks), 5, "the test must exercise splits")
	for _, ch := range o.chunks {
		require.NotEmpty(t, ch)
		require.LessOrEqual(t, len(ch), chunkMax)
	}
	lo, hi := len(want)/3, len(want)/3+150
	require.Equal(t, want[lo:hi], o.slice(lo, hi))
	require.Empty(t, o.slice(hi, lo))
}
