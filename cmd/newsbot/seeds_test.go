package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/store/pgtest"
)

// shared is the folder of real-world test material beside the repository;
// tests that read it skip when it is absent.
var shared = filepath.Join("..", "..", "..", "shared")

func needShared(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{shared}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not present (the shared test data lives beside the repository): %v", p, err)
	}
	return p
}

// TestSeeds is issue 2's acceptance: the seed page, then its updated copy
// from another site, into a fresh database: a SQLite file, and a
// PostgreSQL database (--db postgres://…) when NEWSBOT_TEST_POSTGRES names
// a server.
func TestSeeds(t *testing.T) {
	seeds := needShared(t, "seeds")
	t.Run("sqlite", func(t *testing.T) { testSeeds(t, seeds, filepath.Join(t.TempDir(), "news.db")) })
	t.Run("postgres", func(t *testing.T) { testSeeds(t, seeds, pgtest.URL(t)) })
}

func testSeeds(t *testing.T, seeds, db string) {
	first := filepath.Join(seeds, "000_fe0adea8449b3ec9.txt")
	second := filepath.Join(seeds, "002_d80e6e28c6beaa5f.txt")
	code, out, errOut := run(t, "import", "--db", db, "--now", "2020-11-01T00:00:00Z", first, second)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs := decodeLines(t, out)
	if rs[0].Status != "new" || rs[0].Comments != 22 {
		t.Errorf("first seed: %+v", rs[0])
	}
	if rs[1].Status != "updated" || rs[1].Story != rs[0].Story || rs[1].Revision != 2 || rs[1].Comments != 22 || len(rs[1].Removed) != 0 {
		t.Errorf("second seed: status %s story %d revision %d comments %d removed %q",
			rs[1].Status, rs[1].Story, rs[1].Revision, rs[1].Comments, rs[1].Removed)
	}
	if n := len(rs[1].Added); n == 0 || !strings.HasPrefix(rs[1].Added[n-1], "Update: The US isn't exactly buying") {
		t.Errorf("added = %q; want the new paragraphs ending with the Update: one", rs[1].Added)
	}
	_, out, _ = run(t, "import", "--db", db, second)
	if r := decodeLines(t, out); r[0].Status != "unchanged" {
		t.Errorf("second seed again: %+v", r[0])
	}

	_, out, _ = run(t, "comments", "--db", db, "1")
	var cs []struct {
		Index    int     `json:"index"`
		Author   string  `json:"author"`
		PostedAt string  `json:"posted_at"`
		EditedAt *string `json:"edited_at"`
		ReplyTo  *int    `json:"reply_to"`
	}
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		t.Fatal(err)
	}
	authors := "Devil-X ChrisW plmkoh ChrisW SilentNegotiator ChrisW amiga-man BeastBoxOne ChrisW SilentNegotiator " +
		"BeastBoxOne SilentNegotiator sonic989 SmielmaN NarooN Rute Devil-X Jrmy84 sonic989 SilentNegotiator TechImperia Whatever4Ever"
	var got []string
	edited := 0
	replies := map[int]int{}
	for _, c := range cs {
		got = append(got, c.Author)
		if c.EditedAt != nil {
			edited++
		}
		if c.ReplyTo != nil {
			replies[c.Index] = *c.ReplyTo
		}
	}
	if strings.Join(got, " ") != authors {
		t.Errorf("authors in page order:\n got %s\nwant %s", strings.Join(got, " "), authors)
	}
	if edited != 5 {
		t.Errorf("%d edited, want 5", edited)
	}
	if cs[0].PostedAt != "2014-12-24T00:00:00Z" || cs[1].PostedAt != "2014-12-25T00:00:00Z" {
		t.Errorf("ages against --now: %s, %s", cs[0].PostedAt, cs[1].PostedAt)
	}
	// sonic989 answers "@ jrmy"; SilentNegotiator quotes Rute's question.
	for from, to := range map[int]int{19: 18, 20: 16} {
		if replies[from] != to {
			t.Errorf("comment %d replies to %d, want %d (all: %v)", from, replies[from], to, replies)
		}
	}
}

// TestImportFeedparserSuite: every well-formed feed of feedparser's test
// suite that gofeed parses imports without error.
func TestImportFeedparserSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 600 feeds")
	}
	dir := needShared(t, "testdata", "feedparser", "wellformed_rss_atom")
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") {
			files = append(files, p)
		}
		return nil
	})
	db := filepath.Join(t.TempDir(), "news.db")
	code, out, errOut := run(t, append([]string{"import", "--db", db}, files...)...)
	if code != 0 {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if n := len(decodeLines(t, out)); n != len(files) {
		t.Errorf("%d result lines for %d files", n, len(files))
	}
	t.Logf("imported %d feed documents", len(files))
}
