package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/config"
)

func runNewsbot(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code = runMain(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// opmlList writes an OPML file of n feeds in two folders, the way feed
// readers export them.
func opmlList(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<opml version="2.0"><head><title>My feeds</title></head><body>` + "\n")
	for folder := range 2 {
		fmt.Fprintf(&b, "<outline text=\"Folder %d\">\n", folder)
		for i := folder; i < n; i += 2 {
			fmt.Fprintf(&b, "  <outline type=\"rss\" text=\"Site &amp; News %d\" title=\"Site &amp; News %d\" xmlUrl=\"https://news%d.example.com/feed.xml?format=rss&amp;n=%d\" htmlUrl=\"https://news%d.example.com/\"/>\n", i, i, i, i, i)
		}
		b.WriteString("</outline>\n")
	}
	b.WriteString("</body></opml>\n")
	path := filepath.Join(dir, "list.opml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const commentedConfig = `# newsbot for the Riverside Gazette
discord:
  token: ${DISCORD_TOKEN}          # never logged
  guild_id: "100000000000000000"

database: newsbot.db

feeds:
  # the front page, every five minutes
  - id: front
    name: Front Page
    url: https://gazette.example.com/front.xml
    channels: ["100000000000000001"]   # #news
    schedule: "*/5 * * * *"

# log quietly
log:
  level: warn   # debug | info | warn | error
`

// TestImportOPML: 200 feeds from a reader's export join a commented config,
// which then passes check; every comment and the file's layout survive;
// a second import adds nothing.
func TestImportOPML(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(commentedConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	list := opmlList(t, dir, 200)
	code, out, errOut := runNewsbot(t, "feeds", "import-opml", "--config", cfgPath, "--channel", "100000000000000002",
		"--schedule", "*/30 * * * *", "--backfill", "2", list)
	if code != 0 || !strings.Contains(out, "added 200 feeds posting in channel 100000000000000002") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	data, _ := os.ReadFile(cfgPath)
	got := string(data)
	// The file as it was is all there, in order, with the feeds spliced in
	// after the last one: nothing was re-serialised.
	cut := strings.Index(commentedConfig, "\n\n# log quietly") + 1
	if !strings.HasPrefix(got, commentedConfig[:cut]) || !strings.HasSuffix(got, commentedConfig[cut:]) ||
		len(got) <= len(commentedConfig) {
		t.Errorf("the file around the new feeds changed:\n%s", got)
	}
	if st, _ := os.Stat(cfgPath); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v; want the file's own 0600", st.Mode().Perm())
	}
	code, out, errOut = runNewsbot(t, "check", "--config", cfgPath)
	if code != 0 || !strings.Contains(out, "201 feeds:") {
		t.Fatalf("check after the import: exit %d\n%s%s", code, out, errOut)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := cfg.Feed("site-news-7")
	if !ok || f.Name != "Site & News 7" || f.URL != "https://news7.example.com/feed.xml?format=rss&n=7" ||
		!slices.Equal(f.Channels, []string{"100000000000000002"}) || f.Schedule != "*/30 * * * *" || f.Backfill != 2 {
		t.Errorf("imported feed = %+v", f)
	}

	code, out, _ = runNewsbot(t, "feeds", "import-opml", "--config", cfgPath, "--channel", "100000000000000002", list)
	after, _ := os.ReadFile(cfgPath)
	if code != 0 || !strings.Contains(out, "nothing to add") || string(after) != got {
		t.Errorf("a second import: exit %d, %s; the file changed: %v", code, out, string(after) != got)
	}
}

// TestOPMLRoundTrip: export-opml then import-opml into an empty config
// gives the same feeds, names and addresses.
func TestOPMLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	from := filepath.Join(dir, "from.yaml")
	if err := os.WriteFile(from, []byte(commentedConfig+`  # (log comes after feeds in this file)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	list := opmlList(t, dir, 5)
	if code, out, errOut := runNewsbot(t, "feeds", "import-opml", "--config", from, "--channel", "100000000000000002", list); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	exported := filepath.Join(dir, "exported.opml")
	if code, out, errOut := runNewsbot(t, "feeds", "export-opml", "--config", from, "--out", exported); code != 0 {
		t.Fatalf("export: %s%s", out, errOut)
	}
	to := filepath.Join(dir, "to.yaml")
	if err := os.WriteFile(to, []byte("database: other.db\nfeeds: []   # filled from OPML\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runNewsbot(t, "feeds", "import-opml", "--config", to, "--channel", "100000000000000001", exported); code != 0 {
		t.Fatalf("import of the export: %s%s", out, errOut)
	}
	feeds := func(path string) []string {
		cfg, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range cfg.Feeds {
			out = append(out, f.Name+" <"+f.URL+">")
		}
		return out
	}
	a, b := feeds(from), feeds(to)
	if len(a) != 6 || !slices.Equal(a, b) {
		t.Errorf("round trip:\n%s\nbecame\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

func TestImportOPMLRefuses(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(commentedConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	hostile := filepath.Join(dir, "hostile.opml")
	if err := os.WriteFile(hostile, []byte(`<opml version="2.0"><body>
		<outline text="Passwords" xmlUrl="/etc/passwd"/>
		<outline text="Front again" xmlUrl="https://gazette.example.com/front.xml/"/>
		<outline text="Good" xmlUrl="https://good.example.com/rss"/>
		</body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"no channel", []string{"--config", cfgPath, hostile}, 2, []string{"--channel is required"}},
		{"bad channel", []string{"--config", cfgPath, "--channel", "news", hostile}, 1,
			[]string{"was not changed", `"news" is not a Discord channel id`}},
		{"bad schedule", []string{"--config", cfgPath, "--channel", "100000000000000002", "--schedule", "every day", hostile}, 1,
			[]string{"was not changed", `bad cron expression "every day"`}},
		{"not OPML", []string{"--config", cfgPath, "--channel", "100000000000000002", cfgPath}, 1,
			[]string{"config.yaml: not an OPML document"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runNewsbot(t, append([]string{"feeds", "import-opml"}, tc.args...)...)
			for _, want := range tc.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if code != tc.code {
				t.Errorf("exit %d; want %d", code, tc.code)
			}
			if data, _ := os.ReadFile(cfgPath); string(data) != commentedConfig {
				t.Error("the config changed")
			}
		})
	}
	code, out, errOut := runNewsbot(t, "feeds", "import-opml", "--config", cfgPath, "--channel", "100000000000000002", hostile)
	if code != 0 || !strings.Contains(out, "added 1 feeds") ||
		!strings.Contains(errOut, `left out "Passwords": "/etc/passwd" is not an http(s) address`) ||
		!strings.Contains(errOut, `left out "Front again": the config already has`) {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
