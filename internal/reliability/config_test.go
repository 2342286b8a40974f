//go:build linux

package reliability

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileConfigs are files that are not a config: one that never ends, one
// that never answers, one far too large. Each is made in dir.
func hostileConfigs(t *testing.T, dir string) map[string]struct{ path, want string } {
	t.Helper()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// 50 MB of real bytes, not a sparse file: a reader that ignores the
	// size and reads it all pays for every one of them.
	chunk := []byte(strings.Repeat("# not a config.\n", 1<<16)) // 1 MiB
	for n := 0; n < 50<<20; n += len(chunk) {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	return map[string]struct{ path, want string }{
		"/dev/zero": {"/dev/zero", "/dev/zero: is a character device, not a regular file"},
		"FIFO":      {fifo, fifo + ": is a named pipe (FIFO), not a regular file"},
		"50 MB":     {big, big + ": file is 52428800 bytes; a config may be at most 1048576 bytes"},
	}
}

// TestCheckRefusesHostileConfigs: `newsbot check` on each fails at once,
// naming the file and what is wrong with it, in little memory.
func TestCheckRefusesHostileConfigs(t *testing.T) {
	t.Parallel()
	// The kernel's peak-memory figure for a child includes what its parent
	// (this test, under -race a big one) had when it started it; checking
	// a small valid config gives that floor.
	dir := t.TempDir()
	valid := writeConfig(t, dir, "http://127.0.0.1:1", "  - id: a\n    url: a.xml\n    channels: [\""+newsChannel+"\"]\n")
	// check refuses a local feed file that is not there (issue 12).
	if err := os.WriteFile(filepath.Join(dir, "a.xml"), []byte("<rss version=\"2.0\"><channel></channel></rss>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, c := range hostileConfigs(t, dir) {
		t.Run(name, func(t *testing.T) {
			good := exec.Command(newsbot, "check", "--config", valid)
			if out, err := good.CombinedOutput(); err != nil {
				t.Fatalf("check of a valid config: %v\n%s", err, out)
			}
			floor := good.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			// The bound only stops a hang from stalling the suite; the
			// refusal itself takes milliseconds.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, newsbot, "check", "--config", c.path)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if ctx.Err() != nil || !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("check --config %s: %v (ctx %v)\n%s", c.path, err, ctx.Err(), out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("check --config %s said:\n%s\nwant %q", c.path, out, c.want)
			}
			kb := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			if kb > max(50<<10, floor+8<<10) {
				t.Errorf("check --config %s peaked at %d KiB (a valid config: %d KiB); want under 50 MiB", c.path, kb, floor)
			}
			figures.add("hostile inputs tried", 1)
			figures.max("check on a hostile config: peak RSS above a valid config's, KiB", max(kb-floor, 0))
			t.Logf("%s: exit 1, %d KiB peak (a valid config: %d KiB), %q", name, kb, floor, strings.TrimSpace(string(out)))
		})
	}
}

// TestReloadKeepsConfigOnHostileFile: a running bot whose config file is
// replaced by a FIFO, /dev/zero or a 50 MB file logs why it did not
// reload, stays small, and keeps posting with the config it had.
func TestReloadKeepsConfigOnHostileFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := startDiscord(t, "127.0.0.1:0")
	s := newSite(t)
	s.feeds.Set("/world.xml", story("r01"))
	cfg := writeConfig(t, dir, d.url, `  - id: world
    url: `+s.url+`/world.xml
    channels: ["`+newsChannel+`"]
    schedule: "@every 1s"
    backfill: 5
`)
	bot := startBot(t, cfg)
	waitUntil(t, "the first story", 30*time.Second, func() bool { return cards(d.messages(newsChannel))["https://news.example/r01"] == 1 }, bot.stderr)

	hostile := hostileConfigs(t, t.TempDir())
	for i, name := range []string{"FIFO", "/dev/zero", "50 MB"} {
		c := hostile[name]
		// The config's path now names the hostile file; SIGHUP (or the
		// file watcher, whichever comes first) reloads it.
		os.Remove(cfg)
		if err := os.Symlink(c.path, cfg); err != nil {
			t.Fatal(err)
		}
		bot.signal(syscall.SIGHUP)
		want := strings.Replace(c.want, c.path, cfg, 1)
		waitUntil(t, "the refused reload of the "+name, 20*time.Second, func() bool {
			_, ok := bot.stderr.find(func(l logLine) bool {
				return l.str("msg") == "config not reloaded; the previous one keeps running" && strings.Contains(l.str("err"), want)
			})
			return ok
		}, bot.stderr)
		key := "r1" + string(rune('a'+i))
		s.feeds.Set("/world.xml", story(key), story("r01"))
		waitUntil(t, "a story posted after the refused reload", 30*time.Second, func() bool {
			return cards(d.messages(newsChannel))["https://news.example/"+key] == 1
		}, bot.stderr)
		if !bot.running() {
			t.Fatalf("the bot died reloading the %s", name)
		}
		figures.add("hostile inputs tried", 1)
	}
	kb := bot.peakRSS()
	if kb > 150<<10 {
		t.Errorf("the bot peaked at %d KiB through the reloads", kb)
	}
	figures.max("bot through hostile reloads: peak RSS KiB", kb)
	bot.stop()
}
