package comments

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fileServer serves files at the given paths and 404s the rest.
func fileServer(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

var (
	expectLine   = regexp.MustCompile(`entries\[0\]\['(wfw_\w+)'\] == '([^']*)'`)
	headerLine   = regexp.MustCompile(`Header:\s*Content-Location:\s*(\S+)`)
	sampleOrigin = "http://127.0.0.1:8097" // where feedparser's suite served these files
)

// TestCommentFeedLinksSamples serves feedparser's wfw samples and checks the
// resolved link each one's own Expect line names.
func TestCommentFeedLinksSamples(t *testing.T) {
	dir := sampleDir(t, "threading")
	files, _ := filepath.Glob(filepath.Join(dir, "http_item_wfw_*.xml"))
	if len(files) == 0 {
		t.Skip("no wfw samples")
	}
	served := map[string][]byte{}
	for _, f := range files {
		served["/"+filepath.Base(f)] = readFile(t, f)
	}
	srv := fileServer(t, served)
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data := served["/"+name]
			m := expectLine.FindSubmatch(data)
			if m == nil {
				t.Fatalf("no Expect line in %s", name)
			}
			field, want := string(m[1]), strings.Replace(string(m[2]), sampleOrigin, srv.URL, 1)
			base := srv.URL + "/" + name
			if h := headerLine.FindSubmatch(data); h != nil {
				base = string(h[1])
			}
			body, err := httpGetter().Get(context.Background(), srv.URL+"/"+name)
			if err != nil {
				t.Fatal(err)
			}
			links, err := CommentFeedLinks(bytes.NewReader(body), base)
			if err != nil {
				t.Fatal(err)
			}
			if field == "wfw_comment" {
				// The posting endpoint is no comment feed.
				if len(links) != 0 {
					t.Errorf("wfw:comment taken as a comment feed: %+v", links)
				}
				return
			}
			if len(links) != 1 || links[0].FeedURL != want {
				t.Errorf("links %+v, want one to %s", links, want)
			}
		})
	}
}

// atomSample is the sample's shape read with encoding/xml, independent of
// the parser under test.
type atomSample struct {
	Entries []struct {
		ID        string `xml:"id"`
		Published string `xml:"published"`
		Author    string `xml:"author>name"`
		InReplyTo struct {
			Ref string `xml:"ref,attr"`
		} `xml:"http://purl.org/syndication/thread/1.0 in-reply-to"`
	} `xml:"entry"`
	InReplyTo struct {
		Ref string `xml:"ref,attr"`
	} `xml:"http://purl.org/syndication/thread/1.0 in-reply-to"`
	Self []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
}

func TestFeedCommentsSamples(t *testing.T) {
	dir := sampleDir(t, "threading")
	for _, name := range []string{"atomthreadingwithentry.xml", "atomthreading.xml"} {
		t.Run(name, func(t *testing.T) {
			data := readFile(t, filepath.Join(dir, name))
			var want atomSample
			if err := xml.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			path := "/comments.xml" // served where the feed says it lives, when it says
			for _, l := range want.Self {
				if l.Rel == "self" {
					path = strings.TrimPrefix(l.Href, "http://www.blogger.com")
				}
			}
			srv := fileServer(t, map[string][]byte{path: data})
			cs, st, err := FeedComments(context.Background(), httpGetter(), srv.URL+path, 0)
			if err != nil {
				t.Fatal(err)
			}
			checkThread(t, cs)
			t.Logf("%s: %d entries, stats %+v", name, len(want.Entries), st)
			if len(cs) != len(want.Entries) || st.Fetched != len(want.Entries) {
				t.Fatalf("got %d comments, want %d", len(cs), len(want.Entries))
			}
			ids := map[string]bool{}
			for _, e := range want.Entries {
				ids[e.ID] = true
			}
			for i, e := range want.Entries {
				c := cs[i]
				posted, _ := time.Parse(time.RFC3339, e.Published)
				if c.ExternalID != e.ID || c.Author != e.Author || c.ParentID != e.InReplyTo.Ref || !c.PostedAt.Equal(posted) {
					t.Errorf("got %s", render(cs[i:i+1]))
				}
				// A reply to the story itself (or to anything outside the
				// feed) is top-level.
				if !ids[e.InReplyTo.Ref] && (c.ReplyTo != 0 || c.Depth != 0) {
					t.Errorf("comment %d answers %s, outside the feed, yet replies to %d", c.Index, e.InReplyTo.Ref, c.ReplyTo)
				}
			}
		})
	}
}

func TestFeedCommentsFixtures(t *testing.T) {
	tests := []struct {
		file    string
		authors []string
		replyTo []int
		edited  []bool
		bodies  []string
	}{
		{
			file:    "atom_comments.xml",
			authors: []string{"Alice", "Bob", "Carol", "Dan", "Eve"},
			// Bob answers Alice; Carol's parent is gone; Dan and Eve answer
			// each other, so the first of them is top-level.
			replyTo: []int{0, 1, 0, 0, 4},
			edited:  []bool{false, true, false, false, false},
			bodies: []string{"Plain text.\n\nSecond paragraph.", "I agree & more.\n\nEdited later.",
				"Para one.\n\nPara two.", "Loop one.", "Loop two: my parent answers me."},
		},
		{
			file:    "wp_comments.rss",
			authors: []string{"Grace", "Frank"},
			replyTo: []int{0, 0},
			edited:  []bool{false, false},
			bodies:  []string{"Hello\nworld", "Thanks & see this (https://example.org/x).\n\nSecond\u00a0para"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			srv := fileServer(t, map[string][]byte{"/story/feed/": readFile(t, filepath.Join("testdata", tt.file))})
			cs, st, err := FeedComments(context.Background(), httpGetter(), srv.URL+"/story/feed/", 0)
			if err != nil {
				t.Fatal(err)
			}
			checkThread(t, cs)
			golden(t, strings.TrimSuffix(tt.file, filepath.Ext(tt.file))+".txt", render(cs))
			if len(cs) != len(tt.authors) || st.Fetched != len(tt.authors) {
				t.Fatalf("got %d comments:\n%s", len(cs), render(cs))
			}
			for i, c := range cs {
				if c.Author != tt.authors[i] || c.ReplyTo != tt.replyTo[i] || c.Edited() != tt.edited[i] || c.Body != tt.bodies[i] {
					t.Errorf("comment %d: got %s", i+1, render(cs[i:i+1]))
				}
			}
		})
	}
}

func TestFeedCommentsCap(t *testing.T) {
	data := readFile(t, filepath.Join("testdata", "atom_comments.xml"))
	cs, st, err := ParseFeedComments(bytes.NewReader(data), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || st.Dropped != 3 || cs[0].Author != "Alice" || cs[1].Author != "Bob" {
		t.Errorf("got %+v:\n%s", st, render(cs))
	}
}

func TestFeedCommentsErrors(t *testing.T) {
	atom := readFile(t, filepath.Join("testdata", "atom_comments.xml"))
	srv := fileServer(t, map[string][]byte{
		"/page.html":  []byte("<!doctype html><html><body><p>Comments</p></body></html>"),
		"/trunc.xml":  atom[:len(atom)/2],
		"/empty.xml":  nil,
		"/json.xml":   []byte(`{"items": []}`),
		"/latin1.xml": []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>By: Ren\xe9</title><description>caf\xe9</description></item></channel></rss>"),
	})
	tests := []struct {
		name, path string
		notFound   bool
		msg        []string
	}{
		{"html page", "/page.html", false, []string{"comment feed " + srv.URL + "/page.html", "not an RSS or Atom feed", "<html>"}},
		{"truncated", "/trunc.xml", false, []string{srv.URL + "/trunc.xml", "XML syntax error", "unexpected EOF"}},
		{"empty", "/empty.xml", false, []string{"no root element"}},
		{"json", "/json.xml", false, []string{"/json.xml", "no root element"}},
		{"404", "/missing.xml", true, []string{"comment feed " + srv.URL + "/missing.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := FeedComments(context.Background(), httpGetter(), srv.URL+tt.path, 0)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("error %q: errors.Is(ErrNotFound) = %v", err, !tt.notFound)
			}
			for _, m := range tt.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not say %q", err, m)
				}
			}
		})
	}
	t.Run("declared charset", func(t *testing.T) {
		cs, _, err := FeedComments(context.Background(), httpGetter(), srv.URL+"/latin1.xml", 0)
		if err != nil || len(cs) != 1 || cs[0].Author != "René" || cs[0].Body != "café" {
			t.Errorf("got %v:\n%s", err, render(cs))
		}
	})
}

func TestCommentFeedLinksFixtures(t *testing.T) {
	tests := []struct {
		file, base string
		want       []FeedLink
	}{
		{"story_feed.rss", "https://ignored.example/feed", []FeedLink{
			{ItemID: "https://blog.example.org/?p=1", ItemURL: "https://blog.example.org/2024/one/", FeedURL: "https://blog.example.org/2024/one/feed/"},
			{ItemID: "https://blog.example.org/?p=2", ItemURL: "https://blog.example.org/2024/two/", FeedURL: "https://blog.example.org/2024/two/feed/"},
		}},
		{"story_feed.atom", "https://x.example/feed.atom", []FeedLink{
			{ItemID: "tag:x.example,2024:1", ItemURL: "https://x.example/1", FeedURL: "https://x.example/1/comments.atom"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := CommentFeedLinks(f, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("link %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{
		"2024-05-01T12:00:00Z", "2024-05-01T14:00:00+02:00", "Wed, 01 May 2024 12:00:00 +0000",
		"Wed, 1 May 2024 12:00:00 GMT", "Wed, 01 May 2024 08:00:00 -0400", "2024-05-01 12:00:00", " 2024-05-01T12:00:00 ",
	} {
		if got := parseTime(s); !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"", "yesterday", "0000-00-00 00:00:00"} {
		if got := parseTime(s); !got.IsZero() {
			t.Errorf("parseTime(%q) = %v, want zero", s, got)
		}
	}
}
