package thread

import (
	"fmt"
	"testing"
)

// BenchmarkInferReplies runs reply inference on a thread of 2000 comments
// that quote, address and repeat each other.
func BenchmarkInferReplies(b *testing.B) {
	var lines []string
	for i := range 2000 {
		lines = append(lines, fmt.Sprintf(`user%d: @user%d I read "comment number %d says" and the bridge hums in the wind number %d`,
			i, i/2, i/3, i%50))
	}
	cs := thread(lines...)
	for b.Loop() {
		InferReplies(cs)
	}
}
