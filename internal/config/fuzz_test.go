package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: no input may panic, every error must be located in the file,
// and whatever parses must hold the promises the rest of newsbot relies on.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	seeds = append(seeds, filepath.Join("..", "..", "config.example.yaml"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		oneFeed(`    schedule: "CRON_TZ=UTC"`),
		oneFeed("    comments:\n      source: page\n      selectors: {container: \"div[\"}"),
		oneFeed(`    template: "{{range .Paragraphs}}{{.X}}{{end}}{{$.Titel}}"`),
		"a: &a [*a]\n", "feeds: [&f {id: a, url: b, channels: [\"100000000000000001\"]}, *f]\n",
		"database: \"${A:-${B}}\"\n", "feeds:\n\t- id: a\n", "---\n---\n", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	env := envOf(map[string]string{"A": "1", "NEWSBOT_TEST_TOKEN": "t"})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "fuzz.yaml", env)
		if err != nil {
			if cfg != nil {
				t.Fatal("config returned with an error")
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml") {
					t.Fatalf("error line does not name the file: %q", line)
				}
			}
			return
		}
		for _, feed := range cfg.Feeds {
			if !feedIDPattern.MatchString(feed.ID) || len(feed.Channels) == 0 || feed.URL == "" || feed.Comments.Max < 1 {
				t.Fatalf("invalid feed accepted: %+v", feed)
			}
			if _, err := feed.NextRun(summaryNow); err != nil {
				t.Fatalf("accepted schedule does not parse: %v", err)
			}
		}
		_ = cfg.SummaryAt(summaryNow)
	})
}
