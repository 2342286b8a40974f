package comments

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSeeds adds our fixtures and, when present, the shared samples.
func addSeeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		for _, dir := range []string{"testdata", filepath.Join("..", "..", "..", "..", "shared", "testdata", "comments")} {
			files, _ := filepath.Glob(filepath.Join(dir, g))
			for _, file := range files {
				if b, err := os.ReadFile(file); err == nil {
					f.Add(b)
				}
			}
		}
	}
}

func FuzzReddit(f *testing.F) {
	addSeeds(f, "reddit_*.json", "reddit/*.json")
	f.Add([]byte(`[{}, {"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_a","parent_id":"t1_a","replies":""}}]}}]`))
	f.Add([]byte(`{"kind":"Listing","data":{"children":[{"kind":"more","data":{"count":-5}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, st, err := ParseReddit(data, 50)
		if err != nil {
			return
		}
		checkThread(t, cs)
		if len(cs) > 50 || st.More < 0 || len(cs)+st.Dropped != st.Fetched {
			t.Fatalf("%d comments, stats %+v", len(cs), st)
		}
	})
}

// FuzzHNItem serves the fuzzed bytes as every item of the thread, so kids
// point back at the item itself and at each other.
func FuzzHNItem(f *testing.F) {
	addSeeds(f, "hackernews/item_*.json")
	f.Add([]byte(`{"id":1,"type":"story","kids":[1,2,3]}`))
	f.Add([]byte(`{"id":2,"type":"comment","by":"x","dead":true,"kids":[1,2],"text":"<p><a href=\"x\">y...</a>"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"kids":[2,3,`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := GetterFunc(func(ctx context.Context, url string) ([]byte, error) {
			if strings.HasSuffix(url, "/7.json") {
				return nil, ErrNotFound
			}
			return data, nil
		})
		cs, st, err := HackerNews(context.Background(), g, "http://hn.invalid", "1", 20)
		if err != nil {
			return
		}
		checkThread(t, cs)
		if len(cs) > 20 || st.Fetched > 20+hnInFlight*20 {
			t.Fatalf("%d comments, stats %+v", len(cs), st)
		}
	})
}

func FuzzWXR(f *testing.F) {
	addSeeds(f, "wxr_*.xml", "exports/wordpress.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		threads, err := ParseWXR(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, th := range threads {
			checkThread(t, th.Comments)
		}
	})
}

func FuzzDisqus(f *testing.F) {
	addSeeds(f, "disqus_*.xml", "exports/disqus.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		threads, err := ParseDisqus(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, th := range threads {
			checkThread(t, th.Comments)
		}
	})
}

func FuzzGenericJSON(f *testing.F) {
	addSeeds(f, "exports/generic.json")
	f.Add([]byte(`[{"id":"/a/","title":"A+b","comments":[{"id":1,"parent":2},{"id":2,"parent":1}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		threads, err := ParseGenericJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, th := range threads {
			checkThread(t, th.Comments)
		}
	})
}

func FuzzFeedComments(f *testing.F) {
	addSeeds(f, "*.xml", "*.rss", "*.atom", "threading/*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, st, err := ParseFeedComments(bytes.NewReader(data), 30)
		if err == nil {
			checkThread(t, cs)
			if len(cs) > 30 || len(cs)+st.Dropped != st.Fetched {
				t.Fatalf("%d comments, stats %+v", len(cs), st)
			}
		}
		links, err := CommentFeedLinks(bytes.NewReader(data), "http://example.org/feed")
		if err == nil {
			for _, l := range links {
				if l.FeedURL == "" {
					t.Fatalf("link without a feed: %+v", l)
				}
			}
		}
	})
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"a<p>b", `<a href="x">x...</a>`, "<pre>a\n</pre>", "</a><a>", "&amp;&#0;", " plain\ttext \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := htmlText(s)
		// Text without markup only has its whitespace collapsed.
		if !strings.ContainsAny(s, "<&\x00") && utf8.ValidString(s) {
			if want := strings.TrimSpace(strings.Join(strings.FieldsFunc(s, isHTMLSpace), " ")); got != want {
				t.Fatalf("htmlText(%q) = %q, want %q", s, got, want)
			}
		}
	})
}

func FuzzImportJSON(f *testing.F) {
	addSeeds(f, "hn_algolia.json", "reddit_thread.json", "hackernews/item_*.json")
	f.Add([]byte(`{"id": 1, "title": "t", "comments": ["a", {"id": 2, "parent": 2, "author": "x", "body": "y"}]}` + "\n{\"id\": 3"))
	f.Add([]byte(`{"id": 1, "type": "story", "title": "t", "kids": [{"id": 1, "kids": [{"id": 1}]}, 7]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		format := SniffJSON(data)
		if a, _, err := ParseHNItem(data, 30); err == nil {
			checkThread(t, a.Comments)
			if a.Title == "" || len(a.Comments) > 30 {
				t.Fatalf("HN item %q with %d comments", a.Title, len(a.Comments))
			}
		}
		if a, _, err := ParseRedditPost(data, 30); err == nil {
			checkThread(t, a.Comments)
		}
		as, err := ParseThreadLines(data, 30)
		if err == nil && format != JSONThreadLines && format != JSONUnknown {
			// A file of threads is never taken for another format.
			t.Fatalf("threads sniffed as %q", format)
		}
		for _, a := range as {
			checkThread(t, a.Comments)
			if a.Title == "" || len(a.Comments) > 30 {
				t.Fatalf("thread without a title: %+v", a)
			}
		}
	})
}
