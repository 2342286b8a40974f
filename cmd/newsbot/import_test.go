package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/store"
)

// run runs one newsbot invocation in-process and returns its exit status
// and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code = runMain(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func decodeLines(t *testing.T, s string) []importResult {
	t.Helper()
	var out []importResult
	dec := json.NewDecoder(strings.NewReader(s))
	for dec.More() {
		var r importResult
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output is not JSON lines: %v\n%s", err, s)
		}
		out = append(out, r)
	}
	return out
}

const now = "2026-11-04T12:00:00Z"

func fixture(name string) string { return filepath.Join("testdata", "import", name) }

func TestImportPageThenUpdatedCopy(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	code, out, errOut := run(t, "import", "--db", db, "--now", now, fixture("council.txt"), fixture("council_updated.html"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs := decodeLines(t, out)
	if len(rs) != 2 {
		t.Fatalf("%d lines, want one per file:\n%s", len(rs), out)
	}
	first, second := rs[0], rs[1]
	if first.Status != "new" || first.Revision != 1 || first.Comments != 3 || first.Title != "City council approves the new bridge" {
		t.Errorf("first file: %+v", first)
	}
	if second.Status != "updated" || second.Story != first.Story || second.Revision != 2 || second.Comments != 3 {
		t.Errorf("updated copy: %+v; want the same story, revision 2, comments kept", second)
	}
	if len(second.Added) != 1 || !strings.HasPrefix(second.Added[0], "Update: The mayor said") || len(second.Removed) != 0 {
		t.Errorf("added %q removed %q", second.Added, second.Removed)
	}
	_, out, _ = run(t, "import", "--db", db, "--now", now, fixture("council_updated.html"))
	if r := decodeLines(t, out); r[0].Status != "unchanged" || r[0].Revision != 2 {
		t.Errorf("importing the same copy again: %+v", r[0])
	}
}

func TestCommentsJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if code, _, errOut := run(t, "import", "--db", db, "--now", now, fixture("council.txt")); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := run(t, "comments", "--db", db, "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var cs []map[string]any
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	want := []map[string]any{
		{"index": 1.0, "author": "Marta_K", "posted_at": "2026-11-04T09:00:00Z", "edited_at": nil, "reply_to": nil,
			"body": "Finally. The old bridge has been closed to trucks since 2019."},
		{"index": 2.0, "author": "bob77", "posted_at": "2026-11-04T11:15:00Z", "edited_at": "2026-11-04T11:30:00Z", "reply_to": nil,
			"body": "Seven to two is not exactly unanimous. Who voted against?"},
		{"index": 3.0, "author": "Marta_K", "posted_at": "2026-11-04T11:20:00Z", "edited_at": nil, "reply_to": 2.0,
			"body": "@bob77 the two members from the east side, they wanted a tunnel."},
	}
	if len(cs) != len(want) {
		t.Fatalf("%d comments, want %d", len(cs), len(want))
	}
	for i := range want {
		for k, v := range want[i] {
			if cs[i][k] != v {
				t.Errorf("comment %d %s = %v, want %v", i+1, k, cs[i][k], v)
			}
		}
		if len(cs[i]) != 6 {
			t.Errorf("comment %d has fields %v; the contract is index, author, posted_at, edited_at, reply_to, body", i+1, cs[i])
		}
	}
}

func TestImportFeedDocument(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	code, out, errOut := run(t, "import", "--db", db, "--now", now, fixture("feed.xml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs := decodeLines(t, out)
	if len(rs) != 1 || rs[0].Status != "new" || len(rs[0].Stories) != 2 {
		t.Fatalf("one line per file with every entry under stories; got %s", out)
	}
	if rs[0].Stories[0].Title != "Library extends opening hours" || rs[0].Story != rs[0].Stories[0].Story {
		t.Errorf("stories = %+v", rs[0].Stories)
	}
	_, out, _ = run(t, "import", "--db", db, fixture("feed.xml"))
	if r := decodeLines(t, out); r[0].Status != "unchanged" {
		t.Errorf("second import of the same feed: %s", out)
	}
}

func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.txt", bytes.Repeat([]byte("All work and no play. "), 50<<20/22+1))
	cases := []struct {
		name, file, want string
	}{
		{"empty file", write("empty.txt", nil), "empty.txt: page is empty"},
		{"binary file", write("binary.bin", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00")), "binary.bin: page"},
		{"50 MB page", big, "big.txt: larger than the 10 MiB import limit"},
		{"no title", fixture("notitle.txt"), "notitle.txt: no title line found"},
		{"malformed XML", fixture("broken.xml"), "broken.xml: parse feed"},
		{"missing file", filepath.Join(dir, "nope.txt"), "nope.txt: no such file"},
	}
	db := filepath.Join(t.TempDir(), "news.db")
	if code, _, errOut := run(t, "import", "--db", db, "--now", now, fixture("council.txt")); code != 0 {
		t.Fatal(errOut)
	}
	before := snapshot(t, db)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, "import", "--db", db, "--now", now, tc.file)
			if code != 1 || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and an error containing %q", code, out, errOut, tc.want)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	t.Run("good and bad files together", func(t *testing.T) {
		code, out, errOut := run(t, "import", "--db", db, "--now", now, fixture("broken.xml"), fixture("feed.xml"))
		if code != 1 || len(decodeLines(t, out)) != 1 || !strings.Contains(errOut, "1 of 2 files not imported") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
}

// snapshot summarises what a database holds, to show a failed import
// changed nothing.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stories, err := db.LatestStories(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range stories {
		cs, _ := db.Comments(context.Background(), s.ID)
		b.WriteString(s.Title + "/" + string(rune('0'+s.Revision)) + "/" + string(rune('0'+len(cs))) + ";")
	}
	return b.String()
}

func TestImportUsage(t *testing.T) {
	for _, args := range [][]string{{"import"}, {"import", "--now", "yesterday", "x.txt"}} {
		if code, _, errOut := run(t, args...); code != 2 || !strings.Contains(errOut, "usage: newsbot import") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	db := filepath.Join(t.TempDir(), "x.db")
	if code, _, errOut := run(t, "import", "--db", db, "--now", now, fixture("council.txt")); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := run(t, "comments", "--db", db, "42"); code != 1 || !strings.Contains(errOut, "story 42") {
		t.Errorf("unknown story: exit %d, stderr %q", code, errOut)
	}
}

func TestImportCommentExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if code, _, errOut := run(t, "import", "--db", db, "--now", now, fixture("feed.xml")); code != 0 {
		t.Fatal(errOut)
	}
	before := snapshot(t, db)
	// One thread's story was never stored: the file fails, naming it and
	// the way out, and nothing is written.
	code, out, errOut := run(t, "import", "--db", db, "--now", now, fixture("wordpress.xml"))
	if code != 1 || out != "" || !strings.Contains(errOut, "wordpress.xml: WordPress export: 1 of 2 threads belong to no stored story "+
		"(https://riverside.example/unknown): import their stories first (their feed or pages), or import --create") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("a refused export changed the database:\nbefore %s\nafter  %s", before, after)
	}
	code, out, errOut = run(t, "import", "--db", db, "--now", now, "--create", fixture("wordpress.xml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := decodeLines(t, out)[0]
	if len(r.Threads) != 2 || r.Threads[0].Story == 0 || r.Threads[0].Added != 2 || r.Threads[0].Status != "" ||
		r.Threads[1].Story == 0 || r.Threads[1].Status != "new" || r.Threads[1].Comments != 1 {
		t.Fatalf("threads = %+v; want the festival's 2 approved comments matched and the unknown post stored as a new story", r.Threads)
	}
	_, out, _ = run(t, "comments", "--db", db, fmt.Sprint(r.Threads[0].Story))
	if !strings.Contains(out, `"author": "Lena"`) || !strings.Contains(out, `"reply_to": 1`) || strings.Contains(out, "cheap-pills") {
		t.Errorf("comments after the export:\n%s", out)
	}
	// Importing it again adds nothing, and needs no --create.
	code, out, errOut = run(t, "import", "--db", db, fixture("wordpress.xml"))
	if r := decodeLines(t, out); code != 0 || r[0].Threads[0].Added != 0 || r[0].Threads[0].Comments != 2 || r[0].Threads[1].Added != 0 {
		t.Errorf("second import: exit %d %s %s", code, out, errOut)
	}
}
