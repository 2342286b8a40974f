// Package deploy holds no code: its tests keep the service unit, the
// container recipe and the README's release command honest.
package deploy

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSystemdUnit runs systemd-analyze verify on the unit, with ExecStart
// pointed at an executable that exists (the test binary itself): verify
// refuses a unit whose program is missing. Any warning fails too.
func TestSystemdUnit(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed here: the unit is not verified (install systemd to run this test)")
	}
	unit, err := os.ReadFile("newsbot.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=newsbot", "ExecStart=/usr/local/bin/newsbot run --config "} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("the unit lacks %s", want)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "newsbot.service")
	if err := os.WriteFile(path, bytes.ReplaceAll(unit, []byte("/usr/local/bin/newsbot"), []byte(self)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "verify", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

var buildLine = regexp.MustCompile(`CGO_ENABLED=0 go build [^\n]*`)

// releaseCommand is the release build command of a document, its output
// path replaced, so the README's and the Dockerfile's can be compared.
func releaseCommand(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	all := buildLine.FindAllString(string(data), -1)
	if len(all) != 1 {
		t.Fatalf("%s holds %d release build commands (CGO_ENABLED=0 go build …), want 1", file, len(all))
	}
	return regexp.MustCompile(`-o \S+`).ReplaceAllString(strings.TrimSpace(all[0]), "-o OUT")
}

// The container builds exactly the README's release binary. (Docker does
// not run where these tests run: this compares the recipes, and
// TestReleaseBuild builds the command.)
func TestDockerfileBuildsTheReleaseBinary(t *testing.T) {
	readme := releaseCommand(t, filepath.Join("..", "README.md"))
	docker := releaseCommand(t, "Dockerfile")
	if readme != docker {
		t.Errorf("the Dockerfile builds\n  %s\nbut the README releases\n  %s", docker, readme)
	}
	df, _ := os.ReadFile("Dockerfile")
	for _, want := range []string{"AS build", "USER 65532:65532", `VOLUME ["/data"]`, "FROM gcr.io/distroless/static"} {
		if !bytes.Contains(df, []byte(want)) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
}

// TestReleaseBuild runs the README's release command and checks the
// binary is static and knows its version. It compiles everything again
// (-trimpath misses the build cache), minutes on a small machine, so it
// runs only when asked: NEWSBOT_TEST_RELEASE=1 go test ./deploy.
func TestReleaseBuild(t *testing.T) {
	if os.Getenv("NEWSBOT_TEST_RELEASE") == "" {
		t.Skip("set NEWSBOT_TEST_RELEASE=1 to build the release binary (a full rebuild)")
	}
	out := filepath.Join(t.TempDir(), "newsbot")
	cmd := strings.ReplaceAll(releaseCommand(t, filepath.Join("..", "README.md")), "-o OUT", "-o "+out)
	sh := exec.Command("sh", "-c", cmd)
	sh.Dir = ".."
	sh.Env = append(os.Environ(), "VERSION=v0.0.0-test", "REVISION=0123456789abcdef")
	if b, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the release binary is dynamically linked (program header %v)", p.Type)
		}
	}
	v, err := exec.Command(out, "version").Output()
	if err != nil || !strings.HasPrefix(string(v), "newsbot v0.0.0-test (revision 0123456789abcdef)") {
		t.Errorf("version: %q, %v", v, err)
	}
}
