package comments

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// redditExpect is what a Reddit response holds, found by walking the JSON
// generically, independent of the parser under test.
type redditExpect struct {
	postID   string
	names    []string
	authors  []string
	parents  []string
	depths   []int
	deleted  []bool
	edited   []float64 // 0 when never edited
	created  []float64
	more     int
	maxDepth int
}

func walkRedditJSON(t *testing.T, data []byte) redditExpect {
	t.Helper()
	var doc []map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	post := doc[0]["data"].(map[string]any)["children"].([]any)[0].(map[string]any)["data"].(map[string]any)
	e := redditExpect{postID: post["id"].(string)}
	var walk func(children []any, depth int)
	walk = func(children []any, depth int) {
		for _, ch := range children {
			thing := ch.(map[string]any)
			d := thing["data"].(map[string]any)
			switch thing["kind"] {
			case "more":
				e.more += int(d["count"].(float64))
			case "t1":
				body := d["body"].(string)
				gone := body == "[deleted]" || body == "[removed]"
				author := d["author"].(string)
				if gone && author == "[deleted]" {
					author = ""
				}
				e.names = append(e.names, d["name"].(string))
				e.authors = append(e.authors, author)
				e.parents = append(e.parents, d["parent_id"].(string))
				e.depths = append(e.depths, depth)
				e.deleted = append(e.deleted, gone)
				ed, _ := d["edited"].(float64)
				e.edited = append(e.edited, ed)
				e.created = append(e.created, d["created_utc"].(float64))
				e.maxDepth = max(e.maxDepth, depth)
				if r, ok := d["replies"].(map[string]any); ok {
					walk(r["data"].(map[string]any)["children"].([]any), depth+1)
				}
			}
		}
	}
	walk(doc[1]["data"].(map[string]any)["children"].([]any), 0)
	return e
}

// redditServer serves bodies at /comments/<id>.json, as Reddit does.
func redditServer(t *testing.T, bodies map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.Path, "/comments/")
		id, ok2 := strings.CutSuffix(id, ".json")
		body, found := bodies[id]
		if !ok || !ok2 || !found {
			http.Error(w, `{"message": "Not Found", "error": 404}`, http.StatusNotFound)
			return
		}
		if r.URL.Query().Get("raw_json") != "1" {
			http.Error(w, "want raw_json=1 so bodies come unescaped", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRedditSamples(t *testing.T) {
	dir := sampleDir(t, "reddit")
	for _, name := range []string{"reddit_3hahrw.json", "reddit_n49rw.json", "reddit_57dw9a_context.json"} {
		t.Run(name, func(t *testing.T) {
			data := readFile(t, filepath.Join(dir, name))
			want := walkRedditJSON(t, data)
			srv := redditServer(t, map[string][]byte{want.postID: data})

			cs, st, err := Reddit(context.Background(), httpGetter(), srv.URL, want.postID, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d comments, max depth %d, %d more, stats %+v", name, len(want.names), want.maxDepth, want.more, st)
			checkThread(t, cs)
			if len(cs) != len(want.names) || st.Fetched != len(want.names) || st.More != want.more || st.Dropped != 0 {
				t.Fatalf("got %d comments, stats %+v; want %d comments, %d more", len(cs), st, len(want.names), want.more)
			}
			at := map[string]int{}
			for i, c := range cs {
				if c.ExternalID != want.names[i] || c.Author != want.authors[i] || c.ParentID != want.parents[i] ||
					c.Depth != want.depths[i] || c.Deleted != want.deleted[i] {
					t.Fatalf("comment %d = %s by %q parent %s depth %d deleted %v; want %s by %q parent %s depth %d deleted %v",
						c.Index, c.ExternalID, c.Author, c.ParentID, c.Depth, c.Deleted,
						want.names[i], want.authors[i], want.parents[i], want.depths[i], want.deleted[i])
				}
				if wantReply := at[c.ParentID]; c.ReplyTo != wantReply {
					t.Fatalf("comment %d replies to %d, want %d", c.Index, c.ReplyTo, wantReply)
				}
				at[c.ExternalID] = c.Index
				if got := float64(c.PostedAt.UnixMilli()) / 1000; math.Abs(got-want.created[i]) > 0.001 {
					t.Fatalf("comment %d posted %v, want %v", c.Index, c.PostedAt, want.created[i])
				}
				if (want.edited[i] != 0) != c.Edited() || (c.Edited() && c.EditedAt.Unix() != int64(want.edited[i])) {
					t.Fatalf("comment %d edited at %v, want %v", c.Index, c.EditedAt, want.edited[i])
				}
			}
		})
	}
}

func TestRedditCap(t *testing.T) {
	data := readFile(t, filepath.Join(sampleDir(t, "reddit"), "reddit_3hahrw.json"))
	all, _, err := ParseReddit(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, cap := range []int{1, 100, len(all) - 1} {
		cs, st, err := ParseReddit(data, cap)
		if err != nil {
			t.Fatal(err)
		}
		checkThread(t, cs)
		if len(cs) != cap || st.Dropped != len(all)-cap {
			t.Fatalf("cap %d: got %d comments, %d dropped; want %d and %d", cap, len(cs), st.Dropped, cap, len(all)-cap)
		}
		if render(cs) != render(all[:cap]) {
			t.Fatalf("cap %d: the kept comments are not the first %d in page order", cap, cap)
		}
	}
}

func TestRedditFixture(t *testing.T) {
	data := readFile(t, filepath.Join("testdata", "reddit_thread.json"))
	srv := redditServer(t, map[string][]byte{"abc123": data})
	cs, st, err := Reddit(context.Background(), httpGetter(), srv.URL, "t3_abc123", 0)
	if err != nil {
		t.Fatal(err)
	}
	checkThread(t, cs)
	golden(t, "reddit_thread.txt", render(cs))
	if st != (Stats{Fetched: 6, More: 10}) {
		t.Errorf("stats %+v, want 6 fetched and 10 more", st)
	}
	tests := []struct {
		id      string
		author  string
		replyTo int
		depth   int
		deleted bool
		edited  time.Time
		score   string
	}{
		{"t1_c1", "alice", 0, 0, false, time.Unix(1700000500, 5e8).UTC(), "10"},
		{"t1_c2", "", 1, 1, true, time.Time{}, "3"},
		{"t1_c3", "carol", 2, 2, false, time.Time{}, "1"},
		{"t1_c4", "", 1, 1, true, time.Time{}, "0"},
		{"t1_c5", "erin", 0, 0, false, time.Time{}, "hidden"},
		{"t1_c6", "frank", 0, 0, false, time.Time{}, "-2"}, // parent t1_gone is not in the response
	}
	if len(cs) != len(tests) {
		t.Fatalf("got %d comments, want %d:\n%s", len(cs), len(tests), render(cs))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := cs[i]
			score := "hidden"
			if c.HasScore {
				score = strconv.Itoa(c.Score)
			}
			if c.ExternalID != tt.id || c.Author != tt.author || c.ReplyTo != tt.replyTo || c.Depth != tt.depth ||
				c.Deleted != tt.deleted || !c.EditedAt.Equal(tt.edited) || score != tt.score {
				t.Errorf("got %s", render([]news.Comment{c}))
			}
		})
	}
	if want := "Top **markdown** & <angle> text\n\n> a quote"; cs[0].Body != want {
		t.Errorf("markdown body = %q, want it verbatim %q", cs[0].Body, want)
	}
}

func TestRedditErrors(t *testing.T) {
	full := readFile(t, filepath.Join("testdata", "reddit_thread.json"))
	srv := redditServer(t, map[string][]byte{
		"trunc1": full[:len(full)/2],
		"empty1": []byte(""),
		"err403": []byte(`{"message": "Forbidden", "error": 403}`),
		"html01": []byte("<!doctype html><title>reddit</title>"),
		"short1": []byte(`[{"kind": "Listing", "data": {"children": []}}]`),
	})
	tests := []struct {
		name, id string
		notFound bool
		invalid  bool
		msg      []string
	}{
		{"truncated", "trunc1", false, false, []string{"reddit: post trunc1", srv.URL + "/comments/trunc1.json", "unexpected end of JSON input"}},
		{"empty body", "empty1", false, false, []string{"empty response"}},
		{"error object", "err403", false, false, []string{"not a comment listing", "Forbidden"}},
		{"html page", "html01", false, false, []string{"not a Reddit JSON response"}},
		{"one listing", "short1", false, false, []string{"got 1 element"}},
		{"404", "gone42", true, false, []string{"reddit: post gone42", "404"}},
		{"bad id", "../etc", false, true, []string{`post id "../etc"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, _, err := Reddit(context.Background(), httpGetter(), srv.URL, tt.id, 0)
			if err == nil {
				t.Fatalf("got %d comments and no error", len(cs))
			}
			if errors.Is(err, ErrNotFound) != tt.notFound || errors.Is(err, news.ErrInvalid) != tt.invalid {
				t.Errorf("error %q: not found %v, invalid %v; want %v, %v", err, errors.Is(err, ErrNotFound), errors.Is(err, news.ErrInvalid), tt.notFound, tt.invalid)
			}
			for _, m := range tt.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not say %q", err, m)
				}
			}
		})
	}
}

func TestRedditPostID(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss/", "3hahrw"},
		{"https://old.reddit.com/r/IAmA/comments/57dw9a/im_american/d8r4im1/?context=3", "57dw9a"},
		{"reddit.com/comments/n49rw", "n49rw"},
		{"https://www.reddit.com/user/someone/comments/AbC12/title/", "abc12"},
		{"https://redd.it/3hahrw", "3hahrw"},
		{"https://www.reddit.com/r/funny/", ""},
		{"https://example.com/r/funny/comments/3hahrw/", ""},
		{"https://www.reddit.com/r/x/comments/not-an-id/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, ok := RedditPostID(tt.url)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("RedditPostID(%q) = %q, %v; want %q", tt.url, got, ok, tt.want)
			}
		})
	}
}
