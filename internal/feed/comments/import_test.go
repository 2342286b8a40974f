package comments

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHackerNewsAlgolia(t *testing.T) {
	tree := readFile(t, filepath.Join("testdata", "hn_algolia.json"))
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.URL.Path != "/mirror/api/v1/items/200" {
			http.NotFound(w, r)
			return
		}
		w.Write(tree)
	}))
	defer srv.Close()
	cs, st, err := HackerNewsAlgolia(context.Background(), httpGetter(), srv.URL+"/mirror/", "200", 0)
	if err != nil {
		t.Fatal(err)
	}
	checkThread(t, cs)
	got := render(cs)
	for _, want := range []string{
		`1 reply_to=0 id=201 parent=200 author="alice" posted=2023-11-14T22:15:00Z` + "\n    \"First, with markup & an entity.\"",
		`2   reply_to=1 id=203 parent=201 author="" posted=2023-11-14T22:18:20Z deleted`,
		`3     reply_to=2 id=204 parent=203 author="carol"`,
		`4 reply_to=0 id=202 parent=200 author="bob"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("thread lacks %q:\n%s", want, got)
		}
	}
	if len(cs) != 4 || st.Skipped != 1 || len(paths) != 1 {
		t.Errorf("%d comments, stats %+v, requests %v; want 4, one skipped (deleted, no replies), one request", len(cs), st, paths)
	}
	_, _, err = HackerNewsAlgolia(context.Background(), httpGetter(), srv.URL, "999", 0)
	if err == nil || !strings.Contains(err.Error(), "/api/v1/items/999") {
		t.Errorf("missing item: %v, want an error naming the URL", err)
	}
}

func TestParseHNItem(t *testing.T) {
	tree := readFile(t, filepath.Join("testdata", "hn_algolia.json"))
	a, st, err := ParseHNItem(tree, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "A story with a tree" || a.URL != "https://example.com/tree" || a.CommentsURL != "https://news.ycombinator.com/item?id=200" ||
		a.ExternalID != "200" || a.Author != "poster" || len(a.Comments) != 4 || st.Unfetched != 0 {
		t.Errorf("algolia tree read as %+v (stats %+v)", a, st)
	}
	tests := []struct{ name, doc, wantErr string }{
		{"comment", `{"id": 5, "type": "comment", "by": "x", "parent": 4, "text": "hi"}`, "Hacker News item 5 is a comment, not a story: import its story (item 4) instead"},
		{"no title", `{"id": 6, "type": "story", "by": "x"}`, "Hacker News item 6 has no title"},
		{"not an item", `{"type": "story"}`, `not a Hacker News item (no "id")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := ParseHNItem([]byte(tt.doc), 0); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
	// A dump may expand kids into items; ids stay unfetched.
	a, st, err = ParseHNItem([]byte(`{"id": 1, "type": "story", "title": "Ask HN: expanded?", "text": "Is it<p>two paragraphs?",
		"kids": [{"id": 2, "type": "comment", "by": "ann", "text": "Yes.", "kids": [3]}, 4]}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Comments) != 1 || a.Comments[0].Author != "ann" || st.Unfetched != 2 || a.URL != "https://news.ycombinator.com/item?id=1" ||
		strings.Join(a.Paragraphs, "|") != "Is it|two paragraphs?" {
		t.Errorf("expanded dump read as %+v, stats %+v", a, st)
	}
}

func TestParseHNItemSamples(t *testing.T) {
	dir := sampleDir(t, "hackernews")
	a, st, err := ParseHNItem(readFile(t, filepath.Join(dir, "item_8863.json")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "My YC app: Dropbox - Throw away your USB drive" || a.URL != "http://www.getdropbox.com/u/2/screencast.html" ||
		len(a.Comments) != 0 || st.Unfetched != 33 {
		t.Errorf("item 8863 read as %q %q with %d comments, %d unfetched", a.Title, a.URL, len(a.Comments), st.Unfetched)
	}
	if _, _, err := ParseHNItem(readFile(t, filepath.Join(dir, "item_2921983.json")), 0); err == nil ||
		!strings.Contains(err.Error(), "is a comment, not a story: import its story (item 2921506)") {
		t.Errorf("a comment item: %v", err)
	}
}

func TestParseRedditPost(t *testing.T) {
	a, _, err := ParseRedditPost(readFile(t, filepath.Join("testdata", "reddit_thread.json")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "A post" || a.GUID != "t3_abc123" || len(a.Comments) == 0 {
		t.Errorf("read as %+v", a)
	}
	for _, bad := range []string{`[]`, `{"kind":"Listing"}`, `[{"kind":"Listing","data":{"children":[]}},{"kind":"Listing"}]`} {
		if _, _, err := ParseRedditPost([]byte(bad), 0); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestParseRedditPostSamples(t *testing.T) {
	dir := sampleDir(t, "reddit")
	tests := []struct {
		file, title, url string
		min              int
	}{
		{"reddit_3hahrw.json", "Ba Dum Tsss", "http://i.imgur.com/eoF76hj.gifv", 400},
		{"reddit_n49rw.json", "We're back", "https://www.reddit.com/r/announcements/comments/n49rw/were_back/", 400},
		{"reddit_57dw9a_context.json", "", "", 100},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, _, err := ParseRedditPost(readFile(t, filepath.Join(dir, tt.file)), 0)
			if err != nil {
				t.Fatal(err)
			}
			checkThread(t, a.Comments)
			if (tt.title != "" && a.Title != tt.title) || (tt.url != "" && a.URL != tt.url) || len(a.Comments) < tt.min {
				t.Errorf("read as %q %q with %d comments", a.Title, a.URL, len(a.Comments))
			}
			if !strings.HasPrefix(a.CommentsURL, "https://www.reddit.com/r/") {
				t.Errorf("discussion at %q", a.CommentsURL)
			}
		})
	}
}

func TestParseThreadLines(t *testing.T) {
	data := []byte(`{"id": 1, "title": "Bridge vote", "question": "Should it be built?", "comments": ["Yes, at last.", {"author": "kai", "body": "No: too dear."}]}

{"id": "b", "title": "Ferry landing",
 "url": "https://example.com/ferry",
 "comments": [{"id": "c1", "author": "lena", "body": "A cafe."}, {"id": "c2", "parent": "c1", "author": "ola", "body": "A museum."}]}
`)
	as, err := ParseThreadLines(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].GUID != "thread:1" || as[0].Paragraphs[0] != "Should it be built?" || len(as[0].Comments) != 2 ||
		as[0].Comments[1].Author != "kai" || as[1].URL != "https://example.com/ferry" || as[1].Comments[1].ReplyTo != 1 {
		t.Errorf("read as %+v", as)
	}
	tests := []struct{ doc, want string }{
		{`{"id": 1, "title": "ok", "comments": []}` + "\n" + `{"id": 2, "comments": ["x"]}`, `threads: line 2: thread 2 has no "title"`},
		{`{"title": "t", "comments": []}`, `threads: line 1: thread has no "id"`},
		{`{"id": 1, "title": "t", "comments": [3]}`, `threads: line 1: thread 1: comment 1: want a string or {"author","body"}, got 3`},
		{"\n\n{\"id\": 1, \"title\": \"t\", \"comments\": [\"x\"]}\n{\"id\": 2,", "threads: line 4: unexpected EOF"},
		{"  \n", "threads: no thread in the file"},
	}
	for _, tt := range tests {
		if _, err := ParseThreadLines([]byte(tt.doc), 0); err == nil || err.Error() != tt.want {
			t.Errorf("%q: error %v, want %q", tt.doc, err, tt.want)
		}
	}
}

func TestSniffJSON(t *testing.T) {
	tests := []struct {
		doc  string
		want JSONFormat
	}{
		{`[{"kind": "Listing", "data": {}}, {"kind": "Listing"}]`, JSONRedditThread},
		{`{"kind": "Listing", "data": {"children": []}}`, JSONRedditListing},
		{`{"id": 8863, "by": "dhouston", "kids": [1], "type": "story"}`, JSONHNItem},
		{`{"id": 1, "children": [], "created_at_i": 1}`, JSONHNItem},
		{`{"id": 1, "title": "t", "comments": ["a"]}` + "\n" + `{"id": 2, "title": "u", "comments": []}`, JSONThreadLines},
		{`[{"id": "/posts/1/", "title": "x", "comments": []}]`, JSONExport},
		{`{"version": "https://jsonfeed.org/version/1.1", "items": []}`, JSONUnknown},
		{`{"name": "something else"}`, JSONUnknown},
		{`[1, 2]`, JSONUnknown},
		{`not json`, JSONUnknown},
	}
	for _, tt := range tests {
		if got := SniffJSON([]byte(tt.doc)); got != tt.want {
			t.Errorf("%.40s: %q, want %q", tt.doc, got, tt.want)
		}
	}
	for _, dir := range []string{"reddit", "hackernews"} {
		d := filepath.Join("..", "..", "..", "..", "shared", "testdata", "comments", dir)
		files, _ := filepath.Glob(filepath.Join(d, "*.json"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			want := map[string]JSONFormat{"reddit": JSONRedditThread, "hackernews": JSONHNItem}[dir]
			if got := SniffJSON(b); got != want {
				t.Errorf("%s: %q, want %q", f, got, want)
			}
		}
	}
}
