package ingest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// noticeKinds lists the kinds of the notices queued so far, sent or not.
func (r *rig) noticeKinds() []string {
	r.t.Helper()
	ds, err := r.db.Deliveries(context.Background(), store.DeliveryFilter{Kind: news.DeliveryNotice})
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		n, err := r.db.Notice(context.Background(), d.ID)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, string(n.Kind))
	}
	return out
}

func (r *rig) sourceHealth(feedID string) news.SourceHealth {
	r.t.Helper()
	h, err := r.db.CommentHealth(context.Background(), feedID)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// refreshAfter moves the clock past the refresh interval and refreshes.
func (r *rig) refreshAfter(f config.Feed) {
	r.t.Helper()
	r.now = r.now.Add(11 * time.Minute)
	if _, err := r.poller.RefreshComments(context.Background(), f); err != nil {
		r.t.Fatal(err)
	}
}

func TestCommentSourceHealth(t *testing.T) {
	r := newRig(t)
	r.poller.NoticeAfter = 3
	f := commentFeed(r, "hackernews")
	f.Comments.APIURL = r.url + "/hn" // the feed's own api_url wins over the poller's
	it := item(1)
	it.Comments = "https://news.ycombinator.com/item?id=100"
	r.site.Set("/world.xml", it)
	r.site.Fail("/hn/v0/item/100.json", http.StatusInternalServerError)

	r.poll(f) // the poll that brings the story tries its comments: failure 1
	h := r.sourceHealth("world")
	if h.Failures != 1 || !strings.Contains(h.LastError, "500") || !strings.Contains(h.LastError, "/hn/v0/item/100.json") {
		t.Fatalf("after one failed load: %+v", h)
	}
	if st, _ := r.db.FeedState(context.Background(), "world"); st.Failures != 0 {
		t.Errorf("the feed itself is counted failing: %+v", st)
	}
	r.refreshAfter(f)
	if got := r.noticeKinds(); len(got) != 0 {
		t.Fatalf("notice after 2 failures: %v", got)
	}
	r.refreshAfter(f) // 3: the channel is told, once
	r.refreshAfter(f)
	if got := strings.Join(r.noticeKinds(), " "); got != "comments_failing" {
		t.Fatalf("notices after 4 failures: %q, want one comments_failing", got)
	}
	if h := r.sourceHealth("world"); h.Failures != 4 || !h.FailingSince.Equal(t0) {
		t.Errorf("health: %+v, failing since %v", h, t0)
	}

	r.site.SetPage("/hn/v0/item/100.json", "application/json", []byte(`{"id":100,"type":"story","title":"t","kids":[101]}`))
	r.site.SetPage("/hn/v0/item/101.json", "application/json", []byte(`{"id":101,"type":"comment","by":"alice","text":"Back again.","parent":100}`))
	r.site.Fail("/hn/v0/item/100.json", 0)
	r.refreshAfter(f)
	if got := strings.Join(r.noticeKinds(), " "); got != "comments_failing comments_recovered" {
		t.Errorf("notices after recovery: %q", got)
	}
	if h := r.sourceHealth("world"); h.Failing() || h.LastSuccess.IsZero() {
		t.Errorf("health after recovery: %+v", h)
	}
	if cs := storyComments(t, r.db); len(cs) != 1 || cs[0].Author != "alice" {
		t.Errorf("comments after recovery: %+v", cs)
	}
}

func TestCommentSourceRounds(t *testing.T) {
	tests := []struct {
		name      string
		link      string // the story's discussion link
		status    int    // what the API answers
		wantFail  bool
		wantError string
	}{
		{"a feed that never links to the source", "https://www.bbc.co.uk/news/1", 0, true, "no Hacker News item link"},
		{"an API that finds nothing", "https://news.ycombinator.com/item?id=100", http.StatusNotFound, true, "not found"},
		{"a working API", "https://news.ycombinator.com/item?id=100", 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.poller.Sources.HackerNews = r.url
			it := item(1)
			it.Comments = tt.link
			r.site.Set("/world.xml", it)
			hnItem(r.site, 100, "pg", "", 0)
			if tt.status != 0 {
				r.site.Fail("/v0/item/100.json", tt.status)
			}
			r.poll(commentFeed(r, "hackernews"))
			h := r.sourceHealth("world")
			if h.Failing() != tt.wantFail || !strings.Contains(h.LastError, tt.wantError) {
				t.Errorf("health %+v, want failing=%v with %q", h, tt.wantFail, tt.wantError)
			}
		})
	}
}
