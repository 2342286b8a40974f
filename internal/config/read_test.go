package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFileRefusesWhatIsNotAConfig: files that never end, never answer
// or are far too large are refused from their type or size, without being
// read, and the message names the file and what it is.
func TestReadFileRefusesWhatIsNotAConfig(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "config.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 50 MB as far as Stat can tell, no disk used.
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	tests := []struct{ name, path, want string }{
		{"never ends", "/dev/zero", "/dev/zero: is a character device, not a regular file"},
		{"never answers", fifo, fifo + ": is a named pipe (FIFO), not a regular file"},
		{"directory", dir, dir + ": is a directory, not a regular file"},
		{"50 MB", big, big + ": file is 52428800 bytes; a config may be at most 1048576 bytes"},
		{"missing", filepath.Join(dir, "nope.yaml"), "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			done := make(chan error, 1)
			go func() {
				_, err := Load(tt.path)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("Load(%s) still blocked after 10s", tt.path)
			}
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%s) = %v\nwant an error containing %q", tt.path, err, tt.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 2<<20 {
				t.Errorf("Load(%s) allocated %d bytes refusing it", tt.path, grew)
			}
		})
	}
}

func TestReadFileReadsAConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := oneFeed("")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := ReadFile(path)
	if err != nil || string(data) != yaml {
		t.Fatalf("ReadFile = %q, %v", data, err)
	}
	// Exactly at the limit is still a config (if a strange one).
	limit := filepath.Join(t.TempDir(), "limit.yaml")
	if err := os.WriteFile(limit, []byte(strings.Repeat("#", maxFileSize)), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(limit); err != nil || len(data) != maxFileSize {
		t.Errorf("a file of exactly %d bytes: %d bytes, %v", maxFileSize, len(data), err)
	}
}
