//go:build !unix

package summarize

import "time"

// cpuTime is unknown here; the benchmarks then report 0.
func cpuTime() time.Duration { return 0 }
