package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

func TestCommentsDue(t *testing.T) {
	steps := []config.RefreshStep{{Until: 6 * time.Hour, Every: 10 * time.Minute}, {Until: 48 * time.Hour, Every: time.Hour}}
	seen := t0
	for _, tc := range []struct {
		name         string
		now, checked time.Time
		want         bool
	}{
		{"never checked", t0.Add(time.Minute), time.Time{}, true},
		{"young, checked 5m ago", t0.Add(time.Hour), t0.Add(55 * time.Minute), false},
		{"young, checked 10m ago", t0.Add(time.Hour), t0.Add(50 * time.Minute), true},
		{"older, checked 30m ago", t0.Add(10 * time.Hour), t0.Add(9*time.Hour + 30*time.Minute), false},
		{"older, checked 1h ago", t0.Add(10 * time.Hour), t0.Add(9 * time.Hour), true},
		{"past the last step", t0.Add(49 * time.Hour), t0.Add(30 * time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := commentsDue(seen, tc.checked, tc.now, steps); got != tc.want {
				t.Errorf("commentsDue = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMilestone(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 4: 3, 40: 30, 41: 30, 50: 50, 99999: 10000} {
		if got := milestone(n); got != want {
			t.Errorf("milestone(%d) = %d, want %d", n, got, want)
		}
	}
}

// hnItem serves one Hacker News API item.
func hnItem(site *feedserver.Server, id int, by, text string, parent int, kids ...int) {
	item := map[string]any{"id": id, "by": by, "time": t0.Unix() + int64(id), "kids": kids, "type": "comment", "text": text, "parent": parent}
	if parent == 0 {
		item["type"], item["title"] = "story", "Show HN: a story"
	}
	body, _ := json.Marshal(item)
	site.SetPage(fmt.Sprintf("/v0/item/%d.json", id), "application/json", body)
}

func commentFeed(r *rig, source string) config.Feed {
	f := r.feed(1, "100000000000000001")
	f.Comments = config.Comments{Source: config.CommentSource(source), Max: 100, Refresh: []config.RefreshStep{{Until: 6 * time.Hour, Every: 10 * time.Minute}}}
	return f
}

func storyComments(t *testing.T, db *store.DB) []news.Comment {
	t.Helper()
	cs, err := db.Comments(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestRefreshHackerNewsComments(t *testing.T) {
	r := newRig(t)
	r.poller.Sources.HackerNews = r.url
	it := item(1)
	it.Comments = "https://news.ycombinator.com/item?id=100"
	r.site.Set("/world.xml", it)
	hnItem(r.site, 100, "pg", "", 0, 101, 102)
	hnItem(r.site, 101, "alice", "<p>First point.<p>Second paragraph.", 100, 103)
	hnItem(r.site, 102, "bob", "I disagree with the premise.", 100)
	hnItem(r.site, 103, "carol", "Reply to alice.", 101)
	f := commentFeed(r, "hackernews")
	r.poll(f) // a new story's comments come with the poll that found it
	cs := storyComments(t, r.db)
	var got []string
	for _, c := range cs {
		got = append(got, fmt.Sprintf("%s>%d", c.Author, c.ReplyTo))
	}
	if strings.Join(got, " ") != "alice>0 carol>1 bob>0" || cs[0].Body != "First point.\n\nSecond paragraph." {
		t.Errorf("thread = %v, first body %q", got, cs[0].Body)
	}
	// Not due again for ten minutes: nothing fetched.
	before := len(r.site.Requests())
	r.now = r.now.Add(5 * time.Minute)
	if n, _ := r.poller.RefreshComments(context.Background(), f); n != 0 || len(r.site.Requests()) != before {
		t.Errorf("refreshed %d stories (%d requests) before they were due", n, len(r.site.Requests())-before)
	}
	// Due: a new reply arrives, the stored ones stay.
	hnItem(r.site, 102, "bob", "I disagree with the premise.", 100, 104)
	hnItem(r.site, 104, "dave", "So do I.", 102)
	r.now = r.now.Add(10 * time.Minute)
	r.poller.RefreshComments(context.Background(), f)
	if cs := storyComments(t, r.db); len(cs) != 4 || cs[3].Author != "dave" || cs[3].ReplyTo != 3 {
		t.Errorf("after refresh: %+v", cs)
	}
}

func TestRefreshFromCommentFeedAndPage(t *testing.T) {
	for _, source := range []string{"rss", "page"} {
		t.Run(source, func(t *testing.T) {
			r := newRig(t)
			it := item(1)
			it.Link = r.url + "/story/1"
			it.CommentsRSS = r.url + "/story/1/comments.xml"
			r.site.Set("/world.xml", it)
			r.site.SetPage("/story/1", "text/plain", []byte("Story number 1\n\nStory 1 happened today.\n\nalice5m ago\n\nA comment on the page.\n\nbob74m ago\n\n@alice and a reply.\n"))
			r.site.Set("/story/1/comments.xml", feedserver.Item{GUID: "c1", Title: "By: alice", Paragraphs: []string{"A comment in the feed."}, Published: t0})
			f := commentFeed(r, source)
			r.poll(f)
			if _, err := r.poller.RefreshComments(context.Background(), f); err != nil {
				t.Fatal(err)
			}
			cs := storyComments(t, r.db)
			want := map[string]int{"rss": 1, "page": 2}[source]
			if len(cs) != want {
				t.Fatalf("%d comments from the %s source, want %d: %+v", len(cs), source, want, cs)
			}
		})
	}
}

func TestRefreshKeepsCommentsWhenTheThreadGoes(t *testing.T) {
	r := newRig(t)
	r.poller.Sources.HackerNews = r.url
	it := item(1)
	it.Comments = "https://news.ycombinator.com/item?id=100"
	r.site.Set("/world.xml", it)
	hnItem(r.site, 100, "pg", "", 0, 101)
	hnItem(r.site, 101, "alice", "Still here.", 100)
	f := commentFeed(r, "hackernews")
	r.poll(f)
	r.poller.RefreshComments(context.Background(), f)
	r.site.Fail("/v0/item/100.json", http.StatusNotFound)
	r.now = r.now.Add(time.Hour)
	if n, err := r.poller.RefreshComments(context.Background(), f); n != 0 || err != nil {
		t.Errorf("refresh of a vanished thread: %d, %v", n, err)
	}
	if cs := storyComments(t, r.db); len(cs) != 1 || cs[0].Body != "Still here." {
		t.Errorf("stored comments changed: %+v", cs)
	}
}

func TestCommentCountEditsOnlyAtMilestones(t *testing.T) {
	r := newRig(t)
	r.poller.Sources.HackerNews = r.url
	it := item(1)
	it.Comments = "https://news.ycombinator.com/item?id=100"
	r.site.Set("/world.xml", it)
	var kids []int
	setKids := func(n int) {
		for len(kids) < n {
			id := 101 + len(kids)
			kids = append(kids, id)
			hnItem(r.site, id, fmt.Sprintf("user%d", id), fmt.Sprintf("Comment number %d.", id), 100)
		}
		hnItem(r.site, 100, "pg", "", 0, kids...)
	}
	f := commentFeed(r, "hackernews")
	setKids(0)
	r.poll(f)
	post, _ := r.db.PendingDeliveries(context.Background(), r.now, 10)
	if err := r.db.MarkSent(context.Background(), post[0].ID, "m1", "", r.now); err != nil {
		t.Fatal(err)
	}
	var edits []int
	for _, n := range []int{3, 4, 5, 6, 9, 10} {
		setKids(n)
		r.now = r.now.Add(10 * time.Minute)
		r.poller.RefreshComments(context.Background(), f)
		ds, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{Kind: news.DeliveryComments})
		if len(ds) > len(edits) {
			edits = append(edits, n)
			r.db.MarkSent(context.Background(), ds[len(ds)-1].ID, "m1", "", r.now)
		}
	}
	if fmt.Sprint(edits) != "[3 5 10]" {
		t.Errorf("post edited at counts %v, want [3 5 10]", edits)
	}
}
