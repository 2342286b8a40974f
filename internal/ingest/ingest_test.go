package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// rig is a poller over a real store and a real HTTP feed server, with a
// clock the test moves by hand.
type rig struct {
	t      *testing.T
	db     *store.DB
	site   *feedserver.Server
	url    string
	now    time.Time
	poller *Poller
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	site := feedserver.New()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	r := &rig{t: t, db: db, site: site, url: srv.URL, now: t0}
	r.poller = &Poller{
		Store: db, Fetcher: &feed.Fetcher{}, Now: func() time.Time { return r.now },
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		NoticeAfter: 5, BackoffBase: time.Minute, BackoffMax: 10 * time.Minute,
	}
	return r
}

func (r *rig) feed(backfill int, channels ...string) config.Feed {
	return config.Feed{
		ID: "world", Name: "World", URL: r.url + "/world.xml", Kind: config.KindAuto,
		Channels: channels, Schedule: "@every 1m", Backfill: backfill, AllowPrivate: true,
		Updates: config.UpdatesEditAndReply,
	}
}

func (r *rig) poll(f config.Feed) Result {
	r.t.Helper()
	res, err := r.poller.Poll(context.Background(), f)
	if err != nil {
		r.t.Fatalf("poll: %v", err)
	}
	r.now = r.now.Add(time.Minute)
	return res
}

func (r *rig) deliveries(state news.DeliveryState) []news.Delivery {
	r.t.Helper()
	ds, err := r.db.Deliveries(context.Background(), store.DeliveryFilter{State: state})
	if err != nil {
		r.t.Fatal(err)
	}
	return ds
}

// notices returns what the pending notices say, oldest first.
func (r *rig) notices() []news.Notice {
	r.t.Helper()
	var out []news.Notice
	for _, d := range r.deliveries(news.DeliveryPending) {
		n, err := r.db.Notice(context.Background(), d.ID)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func mustRegexp(t *testing.T, s string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return re
}

func item(n int, paras ...string) feedserver.Item {
	if len(paras) == 0 {
		paras = []string{fmt.Sprintf("Story %d happened today, and people have views about it.", n)}
	}
	return feedserver.Item{
		GUID: fmt.Sprintf("story-%d", n), Title: fmt.Sprintf("Story number %d", n),
		Link:       fmt.Sprintf("https://example.com/%d", n),
		Paragraphs: paras, Published: t0.Add(time.Duration(n) * time.Hour),
	}
}

func titles(t *testing.T, db *store.DB, ds []news.Delivery) []string {
	var out []string
	for _, d := range ds {
		s, err := db.Story(context.Background(), d.StoryID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s.Title)
	}
	return out
}

func TestFirstPollBackfill(t *testing.T) {
	for _, tc := range []struct {
		backfill int
		want     []string
	}{
		{0, nil},
		{2, []string{"Story number 2", "Story number 3"}},
		{10, []string{"Story number 1", "Story number 2", "Story number 3"}},
	} {
		t.Run(fmt.Sprintf("backfill %d", tc.backfill), func(t *testing.T) {
			r := newRig(t)
			r.site.Set("/world.xml", item(3), item(2), item(1))
			res := r.poll(r.feed(tc.backfill, "100000000000000001"))
			if res.New != 3 {
				t.Errorf("new stories = %d, want 3", res.New)
			}
			got := titles(t, r.db, r.deliveries(news.DeliveryPending))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("posts owed = %q, want %q (oldest first)", got, tc.want)
			}
			// Nothing seen on the first poll is ever posted later.
			r.site.Set("/world.xml", item(4), item(3), item(2), item(1))
			r.poll(r.feed(tc.backfill, "100000000000000001"))
			got = titles(t, r.db, r.deliveries(news.DeliveryPending))
			if want := append(tc.want, "Story number 4"); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("after a new item, posts owed = %q, want %q", got, want)
			}
		})
	}
}

func TestConditionalGETAndNoRepeats(t *testing.T) {
	r := newRig(t)
	f := r.feed(3, "100000000000000001")
	r.site.Set("/world.xml", item(3), item(2), item(1))
	r.poll(f)
	for i := 0; i < 10; i++ {
		if res := r.poll(f); !res.NotModified {
			t.Fatalf("poll %d: not a 304 (%+v)", i+2, res)
		}
	}
	reqs := r.site.Requests()
	if reqs[1].IfNoneMatch == "" || reqs[1].Status != http.StatusNotModified {
		t.Errorf("second request: If-None-Match %q, status %d; want the stored ETag and 304", reqs[1].IfNoneMatch, reqs[1].Status)
	}
	if n := len(r.deliveries(news.DeliveryPending)); n != 3 {
		t.Errorf("%d deliveries after 11 polls of the same feed, want 3", n)
	}
}

// TestUpdatedItemOwesOneUpdatePerChannel: a story already posted that
// changes owes each channel one "updated" delivery.
func TestUpdatedItemOwesOneUpdatePerChannel(t *testing.T) {
	r := newRig(t)
	chans := []string{"100000000000000001", "100000000000000002"}
	f := r.feed(1, chans...)
	r.site.Set("/world.xml", item(1, "The first paragraph of the story, with enough words to compare."))
	r.poll(f)
	for i, d := range r.deliveries(news.DeliveryPending) {
		if err := r.db.MarkSent(context.Background(), d.ID, fmt.Sprint(500+i), "", r.now); err != nil {
			t.Fatal(err)
		}
	}
	r.site.Set("/world.xml", item(1, "The first paragraph of the story, with enough words to compare.",
		"Update: officials have now confirmed the figures."))
	if res := r.poll(f); res.Updated != 1 {
		t.Fatalf("updated = %d, want 1", res.Updated)
	}
	var kinds []string
	for _, d := range r.deliveries(news.DeliveryPending) {
		kinds = append(kinds, string(d.Kind)+"@"+d.ChannelID)
	}
	want := "updated@" + chans[0] + " updated@" + chans[1]
	if strings.Join(kinds, " ") != want {
		t.Errorf("deliveries = %v, want %s", kinds, want)
	}
}

func TestFiltersSkipStories(t *testing.T) {
	r := newRig(t)
	f := r.feed(10, "100000000000000001")
	f.Exclude = append(f.Exclude, mustRegexp(t, "(?i)number 2"))
	r.site.Set("/world.xml", item(3), item(2), item(1))
	r.poll(f)
	got := titles(t, r.db, r.deliveries(news.DeliveryPending))
	if strings.Join(got, "|") != "Story number 1|Story number 3" {
		t.Errorf("posted %q; the excluded story must not be", got)
	}
}

func TestFailingFeedNotifiesOnceAndOnRecovery(t *testing.T) {
	r := newRig(t)
	f := r.feed(0, "100000000000000001")
	r.site.Set("/world.xml", item(1))
	r.poll(f)
	r.site.Fail("/world.xml", http.StatusInternalServerError)
	failures := 0
	for failures < 8 {
		res, err := r.poller.Poll(context.Background(), f)
		if res.Skipped {
			r.now = r.now.Add(time.Minute) // backing off: time passes
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "500") {
			t.Fatalf("poll against a failing feed: err = %v", err)
		}
		failures++
	}
	notices := r.notices()
	if len(notices) != 1 || notices[0].Kind != news.NoticeFailing || notices[0].Failures != 5 ||
		!strings.Contains(notices[0].LastError, "500") || !notices[0].Since.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after 8 failures, notices = %+v; want one that says 5 failures since the first, and the error", notices)
	}
	r.site.Fail("/world.xml", 0)
	for {
		res, err := r.poller.Poll(context.Background(), f)
		r.now = r.now.Add(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Skipped {
			break
		}
	}
	notices = r.notices()
	if len(notices) != 2 || notices[1].Kind != news.NoticeRecovered || notices[1].Failures != 8 {
		t.Fatalf("after recovery, notices = %+v; want a second, recovery notice after 8 failures", notices)
	}
	st, _ := r.db.FeedState(context.Background(), "world")
	if st.Failures != 0 || st.NoticeSent {
		t.Errorf("state after recovery: %+v", st)
	}
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	r := newRig(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer slow.Close()
	f := r.feed(0, "100000000000000001")
	f.URL = slow.URL + "/feed.xml"
	if _, err := r.poller.Poll(context.Background(), f); err == nil {
		t.Fatal("429 did not fail the poll")
	}
	st, _ := r.db.FeedState(context.Background(), "world")
	if got := st.NextPoll.Sub(r.now); got != time.Hour {
		t.Errorf("next poll in %v, want the server's Retry-After of 1h", got)
	}
	r.now = r.now.Add(30 * time.Minute)
	if res, _ := r.poller.Poll(context.Background(), f); !res.Skipped {
		t.Error("polled again before Retry-After passed")
	}
}

// TestBrokenDocumentIsFetchedAgain: a document that failed to parse must
// not leave its ETag behind, or the fixed one is answered 304 and lost.
func TestBrokenDocumentIsFetchedAgain(t *testing.T) {
	r := newRig(t)
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Truncated`
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if req.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(body))
	}))
	defer site.Close()
	f := r.feed(5, "100000000000000001")
	f.URL = site.URL + "/feed.xml"
	if _, err := r.poller.Poll(context.Background(), f); err == nil {
		t.Fatal("a truncated feed parsed")
	}
	// The site fixes the document but keeps the ETag it had.
	body = string(feedserver.Render("/feed.xml", []feedserver.Item{item(1)}))
	r.now = r.now.Add(time.Hour)
	res, err := r.poller.Poll(context.Background(), f)
	if err != nil || res.NotModified || res.New != 1 {
		t.Errorf("poll after the fix: %+v, %v; want the story, not a 304", res, err)
	}
}

func TestChannelThatLeftAndCameBackGetsOnlyTheBackfill(t *testing.T) {
	r := newRig(t)
	both := r.feed(1, "100000000000000001", "100000000000000002")
	r.site.Set("/world.xml", item(1))
	r.poll(both)
	onlyA := r.feed(1, "100000000000000001")
	var items []feedserver.Item
	for n := 30; n >= 1; n-- {
		items = append(items, item(n))
	}
	r.site.Set("/world.xml", items...)
	r.poll(onlyA)
	r.poll(both)
	ds, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{ChannelID: "100000000000000002", State: news.DeliveryPending})
	if len(ds) != 2 { // story 1 from before, and the backfill of 1
		t.Errorf("the returning channel is owed %d posts, want 2 (its old one and the backfill)", len(ds))
	}
}

func TestBrokenChannelNeitherGetsNorForfeitsStories(t *testing.T) {
	r := newRig(t)
	f := r.feed(0, "100000000000000001")
	r.site.Set("/world.xml", item(1))
	r.poll(f)
	ctx := context.Background()
	r.db.MarkSubscriptionBroken(ctx, "world", "100000000000000001", "50013 Missing Permissions")
	r.site.Set("/world.xml", item(2), item(1))
	r.poll(f)
	if ds, _ := r.db.Deliveries(ctx, store.DeliveryFilter{StoryID: 2}); len(ds) != 0 {
		t.Errorf("a broken channel got deliveries: %+v", ds)
	}
	r.db.HealSubscription(ctx, "world", "100000000000000001")
	r.site.Set("/world.xml", item(3), item(2), item(1))
	r.poll(f)
	got := titles(t, r.db, r.deliveries(news.DeliveryPending))
	if strings.Join(got, "|") != "" {
		t.Errorf("healed channel with backfill 0 is owed %q; want nothing old", got)
	}
}

// TestNotModifiedPollsKeepStateInMemory: a poll answered 304 changes only
// the poll times, which wait in memory until Flush writes them in one go.
func TestNotModifiedPollsKeepStateInMemory(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	f := r.feed(0, "100000000000000001")
	r.site.Set("/world.xml", item(1))
	first := r.now
	r.poll(f)
	for i := 0; i < 3; i++ {
		if res := r.poll(f); !res.NotModified {
			t.Fatalf("poll %d: %+v, want a 304", i+2, res)
		}
	}
	last := r.now.Add(-time.Minute)
	if st, _ := r.db.FeedState(ctx, "world"); !st.LastPoll.Equal(first) || st.ETag == "" {
		t.Errorf("stored state after 304s: %+v; want the first poll's, with its ETag", st)
	}
	if st, _ := r.poller.State(ctx, "world"); !st.LastPoll.Equal(last) || !st.LastSuccess.Equal(last) {
		t.Errorf("state in memory: %+v; want the last poll at %v", st, last)
	}
	if err := r.poller.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.db.FeedState(ctx, "world"); !st.LastPoll.Equal(last) {
		t.Errorf("stored state after Flush: %+v; want the last poll at %v", st, last)
	}
	// A restarted bot starts from what was stored: still a 304.
	again := &Poller{Store: r.db, Fetcher: r.poller.Fetcher, Now: r.poller.Now, Log: r.poller.Log}
	if res, err := again.Poll(ctx, f); err != nil || !res.NotModified {
		t.Errorf("first poll after a restart: %+v, %v; want a 304", res, err)
	}
}

// TestBadItemDoesNotHoldBackTheRest: an item the store refuses fails its
// batch, the others are saved one by one, and the feed is fetched whole
// again next time rather than answered 304.
func TestBadItemDoesNotHoldBackTheRest(t *testing.T) {
	r := newRig(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if req.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><guid>a</guid><title>First story</title><description>Something happened first.</description></item>
<item><description>  </description></item>
<item><guid>c</guid><title>Third story</title><description>Something else happened.</description></item>
</channel></rss>`))
	}))
	defer site.Close()
	f := r.feed(5, "100000000000000001")
	f.URL = site.URL + "/feed.xml"
	res := r.poll(f)
	if res.Stories != 3 || res.New != 2 {
		t.Fatalf("poll: %+v; want 3 items read and the 2 good ones stored", res)
	}
	if got := titles(t, r.db, r.deliveries(news.DeliveryPending)); strings.Join(got, "|") != "Third story|First story" {
		t.Errorf("posts owed %q", got)
	}
	if res := r.poll(f); res.NotModified {
		t.Error("a document with a lost item was answered 304 the next time")
	}
}

// TestLoadRetriesRefusedChannels: a bot that starts (or reloads) gives a
// channel Discord refused another chance, with the backfill only.
func TestLoadRetriesRefusedChannels(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	f := r.feed(1, "100000000000000001")
	r.site.Set("/world.xml", item(1))
	r.poll(f)
	r.db.MarkSubscriptionBroken(ctx, "world", "100000000000000001", "50013 Missing Permissions")
	r.site.Set("/world.xml", item(3), item(2), item(1))
	r.poll(f) // the broken channel neither gets nor forfeits 2 and 3
	restarted := &Poller{Store: r.db, Fetcher: r.poller.Fetcher, Now: r.poller.Now, Log: r.poller.Log}
	if err := restarted.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if subs, _ := r.db.Subscriptions(ctx, "world"); len(subs) != 1 || subs[0].Broken != "" || subs[0].Seeded {
		t.Fatalf("subscription after Load: %+v; want healed and new to the feed", subs)
	}
	if _, err := restarted.Poll(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, r.db, r.deliveries(news.DeliveryPending)); strings.Join(got, "|") != "Story number 1|Story number 3" {
		t.Errorf("posts owed %q; want story 1 from before and the backfill of 1", got)
	}
}
