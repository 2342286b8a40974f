package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// TestCheckFetch is issue 12's second acceptance: `check --fetch` on a
// config with a good feed, a 404, a private address and an HN-sourced feed
// whose API base is a local server prints one clear line each, exits
// non-zero and writes nothing.
func TestCheckFetch(t *testing.T) {
	site := feedserver.New()
	srv := httptest.NewServer(site)
	defer srv.Close()
	site.Set("/good.xml", item(3), item(2), item(1))
	hn := item(4)
	hn.Comments = "https://news.ycombinator.com/item?id=100"
	site.Set("/hn.xml", hn)
	site.SetPage("/hn/v0/item/100.json", "application/json", []byte(`{"id":100,"type":"story","title":"Story number 4","kids":[101,102]}`))
	site.SetPage("/hn/v0/item/101.json", "application/json", []byte(`{"id":101,"type":"comment","by":"alice","text":"One.","parent":100}`))
	site.SetPage("/hn/v0/item/102.json", "application/json", []byte(`{"id":102,"type":"comment","by":"bob","text":"Two.","parent":100}`))
	site.Set("/plain.xml", item(5))

	dir := t.TempDir()
	write := func(feeds string) string {
		t.Helper()
		path := filepath.Join(dir, "config.yaml")
		body := "database: news.db\nfeeds:\n" + strings.ReplaceAll(feeds, "SITE", srv.URL)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const ch = `channels: ["100000000000000001"], schedule: "@every 5m"`
	path := write(fmt.Sprintf(`  - {id: good, url: SITE/good.xml, allow_private: true, backfill: 2, %[1]s}
  - {id: missing, url: SITE/missing.xml, allow_private: true, %[1]s}
  - {id: private, url: "http://10.255.255.1/feed.xml", %[1]s}
  - {id: hn, url: SITE/hn.xml, allow_private: true, backfill: 1, comments: {source: hackernews, api_url: SITE/hn}, %[1]s}
`, ch))
	code, stdout, stderr := runCheckMain(t, nil, "--config", path, "--fetch")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	want := []string{
		`^ok      good     3 items, newest "Story number 3"; run would post 2 first: "Story number 3", "Story number 2"$`,
		`^error   missing  fetch http://127\.0\.0\.1:\d+/missing\.xml: 404 Not Found$`,
		`^error   private  url http://10\.255\.255\.1/feed\.xml: 10\.255\.255\.1 is a private address \(set fetch\.allow_private to allow, or allow_private: true on this feed if it is yours\)$`,
		`^ok      hn       1 item, newest "Story number 4"; run would post 1 first: "Story number 4"; comments: hackernews reachable, 2 comments on "Story number 4"$`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want one per feed:\n%s\nstderr:\n%s", len(lines), stdout, stderr)
	}
	for i, w := range want {
		if !regexp.MustCompile(w).MatchString(lines[i]) {
			t.Errorf("line %d:\n%s\nwant:\n%s", i+1, lines[i], w)
		}
	}
	if !strings.Contains(stderr, "newsbot check: "+path+": 2 of 4 feeds cannot work") {
		t.Errorf("stderr: %q", stderr)
	}
	// Nothing written: no database, nothing beside the config.
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("check --fetch left files behind: %v", names)
	}

	t.Run("a comment source that never fits", func(t *testing.T) {
		path := write(fmt.Sprintf("  - {id: plain, url: SITE/plain.xml, allow_private: true, comments: {source: hackernews}, %s}\n", ch))
		code, stdout, _ := runCheckMain(t, nil, "--config", path, "--fetch")
		if code != 1 || !strings.Contains(stdout, "error   plain  1 item, newest \"Story number 5\"; run would post nothing at first (backfill 0), then each new item; "+
			"comments: no item links to the comment source: none of its 1 items links to a Hacker News item (news.ycombinator.com/item?id=…), "+
			"so comments: {source: hackernews} can never find a thread") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
	t.Run("the comment source down", func(t *testing.T) {
		site.Fail("/hn/v0/item/100.json", 503)
		defer site.Fail("/hn/v0/item/100.json", 0)
		path := write(fmt.Sprintf("  - {id: hn, url: SITE/hn.xml, allow_private: true, comments: {source: hackernews, api_url: SITE/hn}, %s}\n", ch))
		code, stdout, _ := runCheckMain(t, nil, "--config", path, "--fetch")
		if code != 1 || !regexp.MustCompile(`^error   hn  .*; comments: hackernews unreachable for "Story number 4": hacker news: item 100 \(.*/hn/v0/item/100\.json\): .*503 Service Unavailable\n$`).MatchString(stdout) {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
}

// Static checks run without --fetch too: a missing local file fails the
// check, a hammering schedule only warns.
func TestCheckStatic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte(`feeds:
  - {id: local, url: gone.xml, channels: ["100000000000000001"]}
  - {id: fast, url: "https://example.com/feed.xml", schedule: "@every 1s", channels: ["100000000000000001"]}
`), 0o644)
	code, stdout, stderr := runCheckMain(t, nil, "--config", path)
	if code != 1 || stdout != "" || !strings.Contains(stderr, path+`:2: error: feed "local": local file `+filepath.Join(dir, "gone.xml")+` cannot be read: no such file or directory`) ||
		!strings.Contains(stderr, path+`:3: warning: feed "fast"`) || !strings.HasSuffix(stderr, path+": 1 problem\n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	os.WriteFile(filepath.Join(dir, "gone.xml"), []byte("<rss/>"), 0o644)
	code, stdout, stderr = runCheckMain(t, nil, "--config", path)
	if code != 0 || !strings.Contains(stdout, "2 feeds:") || !strings.Contains(stderr, path+`:3: warning: feed "fast": schedule "@every 1s" polls example.com every 1s`) {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
