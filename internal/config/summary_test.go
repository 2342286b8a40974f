package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// summaryNow is a fixed clock so next run times are stable.
var summaryNow = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func TestSummaryGolden(t *testing.T) {
	const token, key = "xyzzy-secret-token", "sk-secret-key"
	env := map[string]string{
		"NEWSBOT_TEST_TOKEN":      token,
		"NEWSBOT_TEST_KEY":        key,
		"NEWSBOT_DISCORD_API_URL": "",
	}
	defer func(v string) { Version = v }(Version)
	Version = "dev" // the default User-Agent must not depend on how the test was built
	files, _ := filepath.Glob(filepath.Join("testdata", "summary", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no testdata/summary/*.yaml")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := Parse(data, filepath.ToSlash(file), envOf(env))
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.SummaryAt(summaryNow)
			for _, secret := range []string{token, key, "hunter2", "literal-token-in-file"} {
				if strings.Contains(got, secret) {
					t.Errorf("summary shows the secret %q", secret)
				}
			}
			golden := strings.TrimSuffix(file, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Summary() differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
		})
	}
}

func TestSummaryAPIURLFromEnv(t *testing.T) {
	cfg := mustParse(t, "database: a.db\n", map[string]string{"NEWSBOT_DISCORD_API_URL": "http://127.0.0.1:7777"})
	if s := cfg.SummaryAt(summaryNow); !strings.Contains(s, "discord   http://127.0.0.1:7777 (from NEWSBOT_DISCORD_API_URL)") ||
		!strings.Contains(s, "feeds     none") {
		t.Errorf("summary:\n%s", s)
	}
}
