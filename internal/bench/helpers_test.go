package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
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
// serverCPU is the CPU time of the PostgreSQL server's processes on this
// machine (every process named postgres), 0 where there are none.
func serverCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(data, []byte("(postgres)")) {
			continue
		}
		_, rest, _ := bytes.Cut(data, []byte(") "))
		f := strings.Fields(string(rest))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
