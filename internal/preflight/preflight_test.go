package preflight

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
)

var now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func parse(t *testing.T, dir, feeds string) *config.Config {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	cfg, err := config.Parse([]byte("feeds:\n"+feeds), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "here.xml"), []byte("<rss/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, feed string
		want       string // the one finding, "" for none
	}{
		{"file that exists", "  - {id: a, url: here.xml}\n", ""},
		{"missing file", "  - {id: a, url: gone.xml}\n", `:2: error: feed "a": local file ` + filepath.Join(dir, "gone.xml") + ` cannot be read: no such file or directory`},
		{"private literal refused", "  - {id: a, url: \"http://192.168.1.20/feed.xml?key=SECRET\"}\n",
			`:2: error: feed "a": url http://192.168.1.20/feed.xml?…: 192.168.1.20 is a private address (set fetch.allow_private to allow, or allow_private: true on this feed if it is yours)`},
		{"private literal allowed", "  - {id: a, url: \"http://192.168.1.20/feed.xml\", allow_private: true, schedule: \"@every 1s\"}\n", ""},
		{"localhost api_url", "  - {id: a, url: \"https://news.ycombinator.com/rss\", comments: {source: hackernews, api_url: \"http://localhost:8080\"}}\n",
			`:2: error: feed "a": comments.api_url http://localhost:8080: localhost (127.0.0.1) is a loopback address (set fetch.allow_private to allow, or allow_private: true on this feed)`},
		{"hammering a public site", "  - {id: a, url: \"https://example.com/feed.xml\", schedule: \"@every 1s\"}\n",
			`:2: warning: feed "a": schedule "@every 1s" polls example.com every 1s; a public site may throttle or block a bot that polls more often than once a minute`},
		{"every minute is fine", "  - {id: a, url: \"https://example.com/feed.xml\", schedule: \"* * * * *\"}\n", ""},
		{"hammering a local file is fine", "  - {id: a, url: here.xml, schedule: \"@every 1s\"}\n", ""},
		{"hackernews on the BBC", "  - {id: a, url: \"https://feeds.bbci.co.uk/news/world/rss.xml\", comments: {source: hackernews}}\n",
			`:2: warning: feed "a": comments: {source: hackernews} needs items that link to news.ycombinator.com/item?id=…, and feeds from feeds.bbci.co.uk usually don't (check --fetch tells for sure)`},
		{"hackernews on hnrss", "  - {id: a, url: \"https://hnrss.org/frontpage\", comments: {source: hackernews}}\n", ""},
		{"reddit on a blog", "  - {id: a, url: \"https://blog.example/feed\", comments: {source: reddit}}\n",
			`:2: warning: feed "a": comments: {source: reddit} needs items that link to a Reddit post, and feeds from blog.example usually don't (check --fetch tells for sure)`},
		{"reddit on reddit", "  - {id: a, url: \"https://www.reddit.com/r/news/.rss\", comments: {source: reddit}}\n", ""},
		{"a mirror settles nothing statically", "  - {id: a, url: \"https://blog.example/feed\", comments: {source: reddit, api_url: \"https://mirror.example\"}}\n", ""},
		{"rss comments on a page", "  - {id: a, url: \"https://blog.example/story\", kind: page, comments: {source: rss}}\n",
			`:2: error: feed "a": comments: {source: rss} never runs on kind: page, which reads comments from the page itself: use source: page`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parse(t, dir, strings.Replace(tt.feed, "}\n", ", channels: [\"100000000000000001\"]}\n", 1))
			var got []string
			for _, f := range Check(cfg, now) {
				got = append(got, strings.TrimPrefix(f.String(), cfg.Path))
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("findings %q, want none", got)
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}
