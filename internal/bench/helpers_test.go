package bench

import (
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"
)

// profile starts a CPU profile written to name.pprof and returns what
// stops it and writes the allocations to name.allocs.
func profile(tb testing.TB, name string) (stop func()) {
	f, err := os.Create(name + ".pprof")
	if err != nil {
		tb.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		tb.Fatal(err)
	}
	runtime.MemProfileRate = 64 << 10
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		if m, err := os.Create(name + ".allocs"); err == nil {
			pprof.Lookup("allocs").WriteTo(m, 0)
			m.Close()
		}
	}
}

// cpuTime is the user and system time this process has used so far: on a
// shared machine it is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
