package comments

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// wxrSample is a WXR file read with encoding/xml, independent of ParseWXR.
type wxrSample struct {
	Items []struct {
		Title    string `xml:"title"`
		Link     string `xml:"link"`
		Comments []struct {
			ID       string `xml:"comment_id"`
			Author   string `xml:"comment_author"`
			DateGMT  string `xml:"comment_date_gmt"`
			Approved string `xml:"comment_approved"`
			Parent   string `xml:"comment_parent"`
		} `xml:"http://wordpress.org/export/1.0/ comment"`
	} `xml:"channel>item"`
}

func TestParseWXRSample(t *testing.T) {
	data := readFile(t, filepath.Join(sampleDir(t, "exports"), "wordpress.xml"))
	var want wxrSample
	if err := xml.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	threads, err := ParseWXR(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for _, it := range want.Items {
		if len(it.Comments) == 0 {
			continue // nothing to import
		}
		if i >= len(threads) {
			t.Fatalf("got %d threads; %s is missing", len(threads), it.Link)
		}
		th := threads[i]
		i++
		checkThread(t, th.Comments)
		t.Logf("%s: %d comments, stats %+v", it.Link, len(it.Comments), th.Stats)
		if th.URL != it.Link || th.Title != it.Title || len(th.Comments) != len(it.Comments) {
			t.Fatalf("thread %q %q with %d comments, want %q %q with %d", th.URL, th.Title, len(th.Comments), it.Link, it.Title, len(it.Comments))
		}
		// Depth by following wp:comment_parent in the file.
		parent := map[string]string{}
		for _, c := range it.Comments {
			parent[strings.TrimSpace(c.ID)] = strings.TrimSpace(c.Parent)
		}
		byID := map[string]int{}
		for _, c := range th.Comments {
			byID[c.ExternalID] = c.Index
		}
		for _, wc := range it.Comments {
			id := strings.TrimSpace(wc.ID)
			c := th.Comments[byID[id]-1]
			depth := 0
			for p := parent[id]; p != "0" && p != ""; p = parent[p] {
				depth++
			}
			posted, _ := time.Parse(time.DateTime, wc.DateGMT)
			if c.Author != wc.Author || c.Depth != depth || !c.PostedAt.Equal(posted) {
				t.Errorf("comment %s: got %s; want author %q depth %d posted %v", id, render(th.Comments[c.Index-1:c.Index]), wc.Author, depth, posted)
			}
			if p := parent[id]; p != "0" && th.Comments[c.ReplyTo-1].ExternalID != p {
				t.Errorf("comment %s replies to %d, want comment %s", id, c.ReplyTo, p)
			}
		}
	}
	if i != len(threads) {
		t.Errorf("got %d threads, want %d", len(threads), i)
	}
}

// disqusSample is a Disqus export read with encoding/xml.
type disqusSample struct {
	Threads []struct {
		ID   string `xml:"http://disqus.com/disqus-internals id,attr"`
		Link string `xml:"link"`
	} `xml:"thread"`
	Posts []struct {
		ID      string `xml:"http://disqus.com/disqus-internals id,attr"`
		Deleted bool   `xml:"isDeleted"`
		Spam    bool   `xml:"isSpam"`
		Author  string `xml:"author>name"`
		Thread  struct {
			ID string `xml:"http://disqus.com/disqus-internals id,attr"`
		} `xml:"thread"`
		Parent struct {
			ID string `xml:"http://disqus.com/disqus-internals id,attr"`
		} `xml:"parent"`
	} `xml:"post"`
}

func TestParseDisqusSample(t *testing.T) {
	data := readFile(t, filepath.Join(sampleDir(t, "exports"), "disqus.xml"))
	var want disqusSample
	if err := xml.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	threads, err := ParseDisqus(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Thread{}
	for _, th := range threads {
		checkThread(t, th.Comments)
		got[th.URL] = th
		t.Logf("%s: %d comments, stats %+v", th.URL, len(th.Comments), th.Stats)
	}
	links := map[string]string{}
	for _, th := range want.Threads {
		links[th.ID] = th.Link
	}
	answered := map[string]bool{}
	for _, p := range want.Posts {
		if !p.Deleted && !p.Spam {
			answered[p.Parent.ID] = true
		}
	}
	perThread := map[string]int{}
	for _, p := range want.Posts {
		link, known := links[p.Thread.ID]
		found := false
		for _, c := range got[link].Comments {
			if c.ExternalID == p.ID {
				found = true
				if c.Deleted != p.Deleted || (!p.Deleted && c.Author != p.Author) {
					t.Errorf("post %s: got %s", p.ID, render(got[link].Comments[c.Index-1:c.Index]))
				}
				if p.Parent.ID != "" && (c.ReplyTo == 0 || got[link].Comments[c.ReplyTo-1].ExternalID != p.Parent.ID) {
					t.Errorf("post %s replies to %d, want post %s", p.ID, c.ReplyTo, p.Parent.ID)
				}
			}
		}
		// Kept: live posts of a known thread, and deleted ones a live post answers.
		keep := known && !p.Spam && (!p.Deleted || answered[p.ID])
		if found != keep {
			t.Errorf("post %s (thread %s, deleted %v): listed %v, want %v", p.ID, p.Thread.ID, p.Deleted, found, keep)
		}
		if known {
			perThread[link]++
		}
	}
	for link, n := range perThread {
		if got[link].Stats.Fetched != n {
			t.Errorf("thread %s read %d posts, want %d", link, got[link].Stats.Fetched, n)
		}
	}
	if len(threads) != len(perThread) {
		t.Errorf("got %d threads, want the %d with posts", len(threads), len(perThread))
	}
}

func TestParseGenericJSONSample(t *testing.T) {
	data := readFile(t, filepath.Join(sampleDir(t, "exports"), "generic.json"))
	var want []struct {
		ID       string `json:"id"`
		Comments []struct {
			Author  string `json:"author"`
			Created string `json:"created"`
			Text    string `json:"text"`
		} `json:"comments"`
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	threads, err := ParseGenericJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(threads) != len(want) {
		t.Fatalf("got %d threads, want %d", len(threads), len(want))
	}
	for i, w := range want {
		th := threads[i]
		checkThread(t, th.Comments)
		if th.URL != w.ID || len(th.Comments) != len(w.Comments) {
			t.Fatalf("thread %q with %d comments, want %q with %d", th.URL, len(th.Comments), w.ID, len(w.Comments))
		}
		for j, wc := range w.Comments {
			c := th.Comments[j]
			posted, _ := time.Parse(time.DateTime, wc.Created)
			if c.Author != wc.Author || c.Body != strings.TrimSpace(wc.Text) || !c.PostedAt.Equal(posted) {
				t.Errorf("got %s", render(th.Comments[j:j+1]))
			}
		}
	}
	// isso leaves titles form-encoded.
	if threads[1].Title != "Nat & Miguel" {
		t.Errorf("title %q, want it decoded", threads[1].Title)
	}
}

func TestExportFixtures(t *testing.T) {
	tests := []struct {
		file    string
		parse   func([]byte) ([]Thread, error)
		threads []string
		stats   []Stats
	}{
		{
			file:    "wxr_moderation.xml",
			parse:   func(b []byte) ([]Thread, error) { return ParseWXR(bytes.NewReader(b)) },
			threads: []string{"https://blog.example.org/2024/moderated/", "https://blog.example.org/2024/spam-only/"},
			// pending, spam, trash and the pingback are skipped
			stats: []Stats{{Fetched: 10, Skipped: 4}, {Fetched: 1, Skipped: 1}},
		},
		{
			file:    "disqus_moderation.xml",
			parse:   func(b []byte) ([]Thread, error) { return ParseDisqus(bytes.NewReader(b)) },
			threads: []string{"https://news.example.org/story-1"},
			// spam and the deleted post nobody answered are skipped
			stats: []Stats{{Fetched: 9, Skipped: 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			threads, err := tt.parse(readFile(t, filepath.Join("testdata", tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			if len(threads) != len(tt.threads) {
				t.Fatalf("got %d threads, want %d", len(threads), len(tt.threads))
			}
			for i, th := range threads {
				checkThread(t, th.Comments)
				if th.URL != tt.threads[i] || th.Stats != tt.stats[i] {
					t.Errorf("thread %d: %s %+v; want %s %+v", i, th.URL, th.Stats, tt.threads[i], tt.stats[i])
				}
				fmt.Fprintf(&out, "thread %s %q %+v\n%s", th.URL, th.Title, th.Stats, render(th.Comments))
			}
			golden(t, strings.TrimSuffix(tt.file, ".xml")+".txt", out.String())
		})
	}
}

func TestExportFixtureThreading(t *testing.T) {
	threads, err := ParseWXR(bytes.NewReader(readFile(t, filepath.Join("testdata", "wxr_moderation.xml"))))
	if err != nil {
		t.Fatal(err)
	}
	wxr := threads[0].Comments
	dq, err := ParseDisqus(bytes.NewReader(readFile(t, filepath.Join("testdata", "disqus_moderation.xml"))))
	if err != nil {
		t.Fatal(err)
	}
	disqus := dq[0].Comments
	tests := []struct {
		name    string
		cs      []news.Comment
		authors string // page order, "-" for a deleted placeholder, with reply_to
	}{
		// Bea answers pending Pete: top-level. Dee and Eli answer each
		// other: Dee, the first, is top-level. Fay's parent 99 was never exported.
		{"wxr", wxr, "Ann:0 Cid:1 Bea:0 Dee:0 Eli:4 Fay:0"},
		// Bea answers spam: top-level. 105 and 106 are deleted but lead to Cid.
		{"disqus", disqus, "Ann:0 bea_user:0 -:0 -:3 Cid:4 Dee:0 Eli:6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range tt.cs {
				a := c.Author
				if c.Deleted {
					a = "-"
				}
				got = append(got, fmt.Sprintf("%s:%d", a, c.ReplyTo))
			}
			if g := strings.Join(got, " "); g != tt.authors {
				t.Errorf("got  %s\nwant %s", g, tt.authors)
			}
		})
	}
	if want := "First line\nsecond line\n\nNew paragraph & more."; wxr[0].Body != want {
		t.Errorf("WordPress body %q, want %q", wxr[0].Body, want)
	}
	if want := "First!\n\nWith a link (https://example.org/)."; disqus[0].Body != want {
		t.Errorf("Disqus body %q, want %q", disqus[0].Body, want)
	}
	if dq[0].Title != "Story & one" {
		t.Errorf("Disqus title %q", dq[0].Title)
	}
}

func TestExportErrors(t *testing.T) {
	wxr := readFile(t, filepath.Join("testdata", "wxr_moderation.xml"))
	disqus := readFile(t, filepath.Join("testdata", "disqus_moderation.xml"))
	tests := []struct {
		name  string
		parse func([]byte) ([]Thread, error)
		input []byte
		msg   []string
	}{
		{"wxr truncated", func(b []byte) ([]Thread, error) { return ParseWXR(bytes.NewReader(b)) }, wxr[:len(wxr)/2], []string{"wxr:", "XML syntax error on line", "unexpected EOF"}},
		{"disqus truncated", func(b []byte) ([]Thread, error) { return ParseDisqus(bytes.NewReader(b)) }, disqus[:len(disqus)/2], []string{"disqus:", "line"}},
		{"generic object", func(b []byte) ([]Thread, error) { return ParseGenericJSON(bytes.NewReader(b)) }, []byte(`{"threads": []}`), []string{"generic json:", "want a list of threads"}},
		{"generic truncated", func(b []byte) ([]Thread, error) { return ParseGenericJSON(bytes.NewReader(b)) }, []byte(`[{"id": "/a/", "comments": [`), []string{"generic json:", "unexpected end of JSON input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.parse(tt.input)
			if err == nil {
				t.Fatal("no error")
			}
			for _, m := range tt.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not say %q", err, m)
				}
			}
		})
	}
}
