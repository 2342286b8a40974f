package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportJSONThreads(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	code, out, errOut := run(t, "import", "--db", db, fixture("reddit.json"), fixture("hn_item.json"), fixture("threads.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs := decodeLines(t, out)
	if len(rs) != 3 {
		t.Fatalf("%d lines:\n%s", len(rs), out)
	}
	if r := rs[0]; r.Status != "new" || r.Title != "Council approves the footbridge" || r.Comments != 3 {
		t.Errorf("reddit: %+v", r)
	}
	if r := rs[1]; r.Status != "new" || r.Title != "Show HN: A footbridge tracker" || r.Comments != 0 {
		t.Errorf("hn item: %+v", r)
	}
	if r := rs[2]; r.Status != "new" || len(r.Stories) != 2 || r.Stories[0].Comments != 2 || r.Stories[1].Title != "Readers' photos of the first frost" {
		t.Errorf("threads: %+v", r)
	}
	for _, note := range []string{
		"reddit.json: 4 more comments of the thread (Reddit's \"load more\" stubs) are not in the file",
		"hn_item.json: the item names 2 replies only by id; a feed with comments: {source: hackernews} fetches them",
	} {
		if !strings.Contains(errOut, note) {
			t.Errorf("stderr lacks %q:\n%s", note, errOut)
		}
	}
	_, out, _ = run(t, "comments", "--db", db, "1")
	if !strings.Contains(out, `"author": "bob77"`) || !strings.Contains(out, `"reply_to": 1`) {
		t.Errorf("the Reddit thread's structure:\n%s", out)
	}
}

func TestImportUnknownJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	code, out, errOut := run(t, "import", "--db", db, fixture("other.json"))
	if code != 1 || out != "" || !strings.Contains(errOut, "other.json: JSON that import does not read; it expects a Reddit /comments/<id>.json response") ||
		!strings.Contains(errOut, "JSON lines of threads") || strings.Contains(errOut, "no title line") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestImportRedditSamples is part of issue 12's third acceptance: the real
// Reddit responses import with their threads and answer /quote and
// /summarize through `newsbot ask`; the HN story item imports as a story.
func TestImportRedditSamples(t *testing.T) {
	dir := filepath.Join(shared, "testdata", "comments")
	files, _ := filepath.Glob(filepath.Join(dir, "reddit", "*.json"))
	if len(files) == 0 {
		t.Skipf("shared samples absent (%s)", dir)
	}
	db := filepath.Join(t.TempDir(), "news.db")
	code, out, errOut := run(t, append([]string{"import", "--db", db}, append(files, filepath.Join(dir, "hackernews", "item_8863.json"))...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs := decodeLines(t, out)
	for i, r := range rs[:len(files)] {
		if r.Status != "new" || r.Comments < 100 {
			t.Errorf("%s: %+v, want a new story with its thread", files[i], r)
			continue
		}
		id := itoa(r.Story)
		q := askJSON(t, "--db", db, "/quote story:"+id)
		if q.Flags != 0 || !strings.Contains(q.Content, "\n> ") || !strings.Contains(q.Content, "story "+id) {
			t.Errorf("/quote story:%s: %q", id, q.Content)
		}
		s := askJSON(t, "--db", db, "/summarize story:"+id)
		if len(s.Embeds) == 0 || !strings.Contains(s.Embeds[0].Description, "comments** from **") || !strings.Contains(s.Embeds[0].Description, "” — **") {
			t.Errorf("/summarize story:%s: %+v", id, s)
		}
	}
	hn := rs[len(rs)-1]
	if hn.Status != "new" || hn.Title != "My YC app: Dropbox - Throw away your USB drive" || hn.Comments != 0 {
		t.Errorf("HN story item: %+v", hn)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}
}
