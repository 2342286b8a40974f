//go:build linux

package reliability

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proc is a child process of the newsbot binary.
type proc struct {
	t      testing.TB
	name   string
	cmd    *exec.Cmd
	stdout *logBuf
	stderr *logBuf
	done   chan struct{}
}

func startProc(t testing.TB, name string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, stdout: newLogBuf(), stderr: newLogBuf(), done: make(chan struct{})}
	p.cmd = exec.Command(newsbot, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	// A test that dies must not leave bots or emulators behind.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.kill)
	return p
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	if p.running() {
		p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// stop asks the process to finish (SIGTERM) and waits for it.
func (p *proc) stop() {
	p.t.Helper()
	if !p.running() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGCONT) // a stopped process cannot act on SIGTERM
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		p.kill()
		p.t.Errorf("%s did not stop within 60s of SIGTERM; killed\n%s", p.name, p.stderr.tail(40))
	}
}

// signal sends sig (SIGSTOP, SIGCONT, SIGHUP).
func (p *proc) signal(sig syscall.Signal) {
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %s: %v", p.name, err)
	}
}

// peakRSS is the process's resident memory high-water mark in KiB: from
// /proc while it runs, from the kernel's accounting once it exited.
func (p *proc) peakRSS() int64 {
	if !p.running() {
		if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			return ru.Maxrss
		}
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// logBuf collects a child's output and wakes whoever waits on it.
type logBuf struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newLogBuf() *logBuf { return &logBuf{changed: make(chan struct{})} }

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// wake is closed at the next write.
func (l *logBuf) wake() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

func (l *logBuf) tail(n int) string {
	lines := strings.Split(strings.TrimRight(l.String(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// logLine is one line of the bot's JSON log.
type logLine map[string]any

func (l logLine) str(key string) string { s, _ := l[key].(string); return s }

// lines parses the JSON log lines written so far; other lines are skipped.
func (l *logBuf) lines() []logLine {
	var out []logLine
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		var m logLine
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// find returns the first log line for which match holds.
func (l *logBuf) find(match func(logLine) bool) (logLine, bool) {
	for _, line := range l.lines() {
		if match(line) {
			return line, true
		}
	}
	return nil, false
}

// waitUntil waits until cond holds, checking whenever one of wake's
// sources changes and at least every 100ms (for state elsewhere, such as
// the emulator's messages), failing the test after timeout.
func waitUntil(t testing.TB, what string, timeout time.Duration, cond func() bool, logs ...*logBuf) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		var wake <-chan struct{}
		if len(logs) > 0 {
			wake = logs[0].wake()
		}
		select {
		case <-wake:
		case <-tick.C:
		case <-deadline.C:
			var tails []string
			for _, l := range logs {
				tails = append(tails, l.tail(30))
			}
			t.Fatalf("timed out after %s waiting for %s\nlog tail:\n%s", timeout, what, strings.Join(tails, "\n---\n"))
		}
	}
}
