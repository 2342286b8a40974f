//go:build linux

package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// newsbot is the binary under test, built once by TestMain.
var newsbot string

// repoRoot is the module's directory; shared test data sits beside it.
var repoRoot string

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	dir, err := os.MkdirTemp("", "newsbot-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if repoRoot, err = filepath.Abs(filepath.Join("..", "..")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if newsbot = os.Getenv("NEWSBOT_RELIABILITY_BIN"); newsbot != "" {
		// A binary built elsewhere: an older revision, to see a test fail.
		return runTests(m)
	}
	newsbot = filepath.Join(dir, "newsbot")
	args := []string{"build", "-o", newsbot}
	if os.Getenv("NEWSBOT_RELIABILITY_RACE") == "1" {
		args = append(args, "-race") // the bot itself under the race detector: slower, sees more
	}
	build := exec.Command("go", append(args, "./cmd/newsbot")...)
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build newsbot: %v\n%s", err, out)
		return 1
	}
	return runTests(m)
}

func runTests(m *testing.M) int {
	code := m.Run()
	figures.print()
	return code
}

// tally is what the suite measured, for RELIABILITY.md: each test adds
// its counts under a name, and the sums are printed when the suite ends.
type tally struct {
	mu     sync.Mutex
	counts map[string]int64
}

var figures tally

func (t *tally) add(name string, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int64{}
	}
	t.counts[name] += n
}

// max keeps the largest value seen under name.
func (t *tally) max(name string, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int64{}
	}
	t.counts[name] = max(t.counts[name], n)
}

func (t *tally) print() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.counts) == 0 {
		return
	}
	names := make([]string, 0, len(t.counts))
	for n := range t.counts {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Println("reliability figures:")
	for _, n := range names {
		fmt.Printf("  %-62s %d\n", n, t.counts[n])
	}
}
