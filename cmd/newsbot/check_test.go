package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCheckMain(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return env[k] }}
	code = runMain(context.Background(), e, append([]string{"check"}, args...))
	return code, out.String(), errOut.String()
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.yaml")
	err := os.WriteFile(typo, []byte(`feeds:
  - id: example
    url: http://127.0.0.1:8000/feed.xml
    channels: ["100000000000000001"]
    schedul: "@every 2s"
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	example := filepath.Join("..", "..", "config.example.yaml")
	const token = "secret-token-value"

	tests := []struct {
		name        string
		env         map[string]string
		args        []string
		code        int
		stdout      []string // substrings
		stderr      []string
		notAnywhere []string
	}{
		{"example without token", nil, []string{"--config", example}, 0,
			[]string{"config    " + example, "token     not set (needed by `run`; set DISCORD_TOKEN)",
				"commands  guild 100000000000000000", "  world \"World News\"", "@every 2s, next run ",
				"channels  100000000000000001"}, nil, nil},
		{"example with token and emulator", map[string]string{"DISCORD_TOKEN": token, "NEWSBOT_DISCORD_API_URL": "http://127.0.0.1:7777"},
			[]string{"--config", example}, 0,
			[]string{"token     set\n", "discord   http://127.0.0.1:7777 (from NEWSBOT_DISCORD_API_URL)"}, nil, []string{token}},
		{"typo", nil, []string{"--config", typo}, 1, nil,
			[]string{typo + `:5: feeds[0] ("example"): unknown key "schedul" (did you mean "schedule"?)`,
				"newsbot check: " + typo + ": 1 problem\n"}, nil},
		{"missing file", nil, []string{"--config", filepath.Join(dir, "nope.yaml")}, 1, nil,
			[]string{"nope.yaml: no such file or directory"}, nil},
		{"no --config", nil, nil, 2, nil, []string{"--config is required", "usage: newsbot check --config FILE"}, nil},
		{"stray argument", nil, []string{"--config", example, "extra"}, 2, nil, []string{`unexpected argument "extra"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCheckMain(t, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for _, s := range tt.notAnywhere {
				if strings.Contains(stdout+stderr, s) {
					t.Errorf("output shows %q", s)
				}
			}
			if tt.code != 0 && stdout != "" {
				t.Errorf("a failed check wrote to stdout:\n%s", stdout)
			}
		})
	}
}
