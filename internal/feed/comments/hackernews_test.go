package comments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// hnServer serves items at /v0/item/<id>.json from a map of raw JSON, 404
// for the rest, and counts requests.
type hnServer struct {
	*httptest.Server
	requests atomic.Int64
}

func newHNServer(t testing.TB, item func(id int64) (string, bool)) *hnServer {
	t.Helper()
	s := &hnServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		name, ok := strings.CutPrefix(r.URL.Path, "/v0/item/")
		name, ok2 := strings.CutSuffix(name, ".json")
		id, err := strconv.ParseInt(name, 10, 64)
		body, found := "", false
		if ok && ok2 && err == nil {
			body, found = item(id)
		}
		if !found {
			http.Error(w, `{"error": "not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func mapItems(m map[int64]string) func(int64) (string, bool) {
	return func(id int64) (string, bool) { b, ok := m[id]; return b, ok }
}

// loadHNSamples reads the shared items keyed by id.
func loadHNSamples(t *testing.T) map[int64]string {
	dir := sampleDir(t, "hackernews")
	files, err := filepath.Glob(filepath.Join(dir, "item_*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("no Hacker News samples in %s", dir)
	}
	items := map[int64]string{}
	for _, f := range files {
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "item_"), ".json"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		items[id] = string(readFile(t, f))
	}
	return items
}

type sampleItem struct {
	By     string  `json:"by"`
	Type   string  `json:"type"`
	Time   int64   `json:"time"`
	Text   string  `json:"text"`
	Parent int64   `json:"parent"`
	Kids   []int64 `json:"kids"`
}

func TestHackerNewsSamples(t *testing.T) {
	items := loadHNSamples(t)
	srv := newHNServer(t, mapItems(items))
	for id, raw := range items {
		t.Run(strconv.FormatInt(id, 10), func(t *testing.T) {
			var it sampleItem
			if err := json.Unmarshal([]byte(raw), &it); err != nil {
				t.Fatal(err)
			}
			// The sample set holds single items: count the kids it lacks and
			// the comments it has, walking the set independently.
			wantMissing, wantComments := 0, 0
			var walk func(kids []int64)
			walk = func(kids []int64) {
				for _, k := range kids {
					raw, ok := items[k]
					if !ok {
						wantMissing++
						continue
					}
					var kid sampleItem
					json.Unmarshal([]byte(raw), &kid)
					if kid.Type == "comment" {
						wantComments++
					}
					walk(kid.Kids)
				}
			}
			walk(it.Kids)
			cs, st, err := HackerNews(context.Background(), httpGetter(), srv.URL, strconv.FormatInt(id, 10), 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("item %d (%s): %d kids, %d missing, %d comments", id, it.Type, len(it.Kids), wantMissing, wantComments)
			checkThread(t, cs)
			if len(cs) != wantComments || st.Missing != wantMissing {
				t.Errorf("got %d comments, stats %+v; want %d comments, %d missing", len(cs), st, wantComments, wantMissing)
			}
		})
	}
}

// TestHackerNewsSampleComment hangs the real comment 2921983 under a story
// of our own and checks it against the file.
func TestHackerNewsSampleComment(t *testing.T) {
	items := loadHNSamples(t)
	raw, ok := items[2921983]
	if !ok {
		t.Skip("item_2921983.json absent")
	}
	var want sampleItem
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		t.Fatal(err)
	}
	items[1] = `{"id": 1, "type": "story", "by": "us", "kids": [2921983, 99999999]}`
	srv := newHNServer(t, mapItems(items))
	cs, st, err := HackerNews(context.Background(), httpGetter(), srv.URL, "1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || st.Missing != 1+len(want.Kids) || st.Fetched != 1 {
		t.Fatalf("got %d comments, stats %+v; want 1 comment, %d missing", len(cs), st, 1+len(want.Kids))
	}
	c := cs[0]
	if c.Author != want.By || c.ParentID != strconv.FormatInt(want.Parent, 10) || c.ExternalID != "2921983" ||
		!c.PostedAt.Equal(time.Unix(want.Time, 0)) || c.ReplyTo != 0 || c.Depth != 0 {
		t.Errorf("got %s", render(cs))
	}
	paras := strings.Split(c.Body, "\n\n")
	if len(paras) != strings.Count(want.Text, "<p>")+1 || strings.Contains(c.Body, "<") {
		t.Errorf("body %q: want %d plain paragraphs", c.Body, strings.Count(want.Text, "<p>")+1)
	}
}

func TestHackerNewsFixture(t *testing.T) {
	var items map[int64]json.RawMessage
	if err := json.Unmarshal(readFile(t, filepath.Join("testdata", "hn_thread.json")), &items); err != nil {
		t.Fatal(err)
	}
	srv := newHNServer(t, func(id int64) (string, bool) { b, ok := items[id]; return string(b), ok })
	cs, st, err := HackerNews(context.Background(), httpGetter(), srv.URL+"/", "100", 0)
	if err != nil {
		t.Fatal(err)
	}
	checkThread(t, cs)
	golden(t, "hn_thread.txt", render(cs))
	// 107 (deleted, no replies) and 102 (dead) are skipped; 103 is deleted
	// but answered, so it stays as a placeholder; 104 is null and 105 absent.
	if st != (Stats{Fetched: 7, Skipped: 2, Missing: 2}) {
		t.Errorf("stats %+v", st)
	}
	tests := []struct {
		id, author string
		replyTo    int
		deleted    bool
		body       string
	}{
		{"101", "alice", 0, false, "First paragraph with emphasis & an entity.\n\n" +
			"See https://example.com/a/very/long/path and a site (https://example.org/).\n\n" +
			"  indented code\n  line two"},
		{"106", "bob", 1, false, "That's a reply; its kids loop back to 101."},
		{"103", "", 0, true, ""},
		{"108", "carol", 3, false, "Answering a comment that is gone."},
		{"109", "dave", 0, false, "Last word."},
	}
	if len(cs) != len(tests) {
		t.Fatalf("got %d comments, want %d:\n%s", len(cs), len(tests), render(cs))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := cs[i]
			if c.ExternalID != tt.id || c.Author != tt.author || c.ReplyTo != tt.replyTo || c.Deleted != tt.deleted || c.Body != tt.body {
				t.Errorf("got %s", render([]news.Comment{c}))
			}
		})
	}
}

// generated serves a synthetic thread of n comments under story 1, either
// flat (all kids of the story) or as one reply chain.
func generated(n int64, chain bool) func(int64) (string, bool) {
	return func(id int64) (string, bool) {
		switch {
		case id == 1 && chain:
			return fmt.Sprintf(`{"id":1,"type":"story","descendants":%d,"kids":[2]}`, n), true
		case id == 1:
			var b strings.Builder
			fmt.Fprintf(&b, `{"id":1,"type":"story","descendants":%d,"kids":[`, n)
			for k := int64(2); k <= n+1; k++ {
				if k > 2 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.FormatInt(k, 10))
			}
			b.WriteString("]}")
			return b.String(), true
		case id >= 2 && id <= n+1:
			parent, kids := int64(1), "[]"
			if chain {
				parent = id - 1
				if id <= n {
					kids = fmt.Sprintf("[%d]", id+1)
				}
			}
			return fmt.Sprintf(`{"id":%d,"type":"comment","by":"user%d","parent":%d,"time":1700000000,"text":"comment %d","kids":%s}`,
				id, id, parent, id, kids), true
		}
		return "", false
	}
}

func TestHackerNewsHugeThreadStopsAtCap(t *testing.T) {
	const n, cap = 100000, 500
	for _, chain := range []bool{false, true} {
		t.Run(fmt.Sprintf("chain=%v", chain), func(t *testing.T) {
			srv := newHNServer(t, generated(n, chain))
			cs, st, err := HackerNews(context.Background(), httpGetter(), srv.URL, "1", cap)
			if err != nil {
				t.Fatal(err)
			}
			checkThread(t, cs)
			if len(cs) != cap || cs[0].ExternalID != "2" || cs[cap-1].ExternalID != strconv.Itoa(cap+1) {
				t.Fatalf("got %d comments from %s to %s, want the first %d", len(cs), cs[0].ExternalID, cs[len(cs)-1].ExternalID, cap)
			}
			if chain && cs[cap-1].Depth != cap-1 {
				t.Errorf("last comment of the chain has depth %d, want %d", cs[cap-1].Depth, cap-1)
			}
			// The root, the capped comments and at most one window of
			// prefetches per level still open when the cap was hit.
			t.Logf("%d requests for %d comments out of %d; stats %+v", srv.requests.Load(), len(cs), n, st)
			if got, limit := srv.requests.Load(), int64(1+cap+hnInFlight); got > limit {
				t.Errorf("made %d requests for a cap of %d, want at most %d", got, cap, limit)
			}
			if st.Dropped != n-cap {
				t.Errorf("Dropped = %d, want %d (from the story's descendants)", st.Dropped, n-cap)
			}
		})
	}
}

func TestHackerNewsConcurrencyLimit(t *testing.T) {
	const kids = 40
	var inFlight, peak atomic.Int64
	release := make(chan struct{})
	var once sync.Once
	srv := newHNServer(t, func(id int64) (string, bool) {
		if id == 1 {
			return generated(kids, false)(1)
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if n >= hnInFlight {
			once.Do(func() { close(release) })
		}
		select { // hold requests until the limit is reached, proving it is used
		case <-release:
		case <-time.After(5 * time.Second): // a serial walk never gets there: fail, don't hang
			once.Do(func() { close(release) })
		}
		return generated(kids, false)(id)
	})
	cs, _, err := HackerNews(context.Background(), httpGetter(), srv.URL, "1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != kids {
		t.Fatalf("got %d comments, want %d", len(cs), kids)
	}
	if got := peak.Load(); got != hnInFlight {
		t.Errorf("peak of %d requests in flight, want exactly %d", got, hnInFlight)
	}
}

func TestHackerNewsErrors(t *testing.T) {
	srv := newHNServer(t, mapItems(map[int64]string{
		1: `{"id":1,"type":"story","kids":[2,3]}`,
		2: `{"id":2,"type":"comment","by":"a","text":"ok"}`,
		3: `{"id":3,"type":"comment","by":"b","te`,
		4: `{"id":4,"type":"story","kids":[5]}`,
		6: `null`,
		7: `not json`,
	}))
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer bad.Close()
	tests := []struct {
		name, base, id    string
		notFound, invalid bool
		msg               []string
	}{
		{"truncated kid", srv.URL, "1", false, false, []string{"hacker news: item 3", srv.URL + "/v0/item/3.json", "unexpected end of JSON input"}},
		{"root 404", srv.URL, "9", true, false, []string{"hacker news: item 9", "/v0/item/9.json"}},
		{"root null", srv.URL, "6", true, false, []string{"item 6"}},
		{"root garbage", srv.URL, "7", false, false, []string{"item 7", "parse"}},
		{"server error", bad.URL, "1", false, false, []string{"item 1", "500"}},
		{"bad id", srv.URL, "abc", false, true, []string{`item id "abc"`}},
		{"zero id", srv.URL, "0", false, true, []string{`item id "0"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := HackerNews(context.Background(), httpGetter(), tt.base, tt.id, 0)
			if err == nil {
				t.Fatal("no error")
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
	t.Run("missing kid is counted", func(t *testing.T) {
		cs, st, err := HackerNews(context.Background(), httpGetter(), srv.URL, "4", 0)
		if err != nil || len(cs) != 0 || st.Missing != 1 {
			t.Errorf("got %d comments, %+v, %v; want none, 1 missing, no error", len(cs), st, err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := HackerNews(ctx, httpGetter(), srv.URL, "1", 0); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}

func TestHNItemID(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://news.ycombinator.com/item?id=8863", "8863"},
		{"news.ycombinator.com/item?id=2921983&p=2", "2921983"},
		{"http://NEWS.ycombinator.com/item/?id=126809", "126809"},
		{"https://news.ycombinator.com/user?id=pg", ""},
		{"https://news.ycombinator.com/item?id=abc", ""},
		{"https://news.ycombinator.com/item?id=-5", ""},
		{"https://example.com/item?id=8863", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, ok := HNItemID(tt.url)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("HNItemID(%q) = %q, %v; want %q", tt.url, got, ok, tt.want)
			}
		})
	}
}
