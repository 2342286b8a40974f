package revision

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// winnowNaive is the definition: the smallest hash of every window,
// sorted and unique.
func winnowNaive(hs []uint64) []uint64 {
	if len(hs) == 0 {
		return nil
	}
	w := min(winnowWindow, len(hs))
	var out []uint64
	for i := 0; i+w <= len(hs); i++ {
		out = append(out, slices.Min(hs[i:i+w]))
	}
	return sortedUnique(out)
}

func TestWinnowTakesEveryWindowsMinimum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200; n++ {
		for _, span := range []uint64{3, 50, 1 << 62} { // few values: ties everywhere
			hs := make([]uint64, n)
			for i := range hs {
				hs[i] = r.Uint64N(span)
			}
			want := winnowNaive(slices.Clone(hs))
			if got := winnow(slices.Clone(hs)); !slices.Equal(got, want) {
				t.Fatalf("n=%d span=%d: winnow = %v, want %v", n, span, got, want)
			}
		}
	}
}
