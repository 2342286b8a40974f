package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestDecideCut(t *testing.T) {
	// Documents from oldest to newest: K a stored story, U an unseen item.
	for _, tc := range []struct {
		name, doc string
		limit     int
		episode   bool
		skip      string // '-' left out, '.' taken
		fresh     int
	}{
		{"under the cap", "KKUU", 3, false, "....", 2},
		{"the oldest unseen are cut", "UUUUKKUU", 3, false, "---.....", 6},
		{"no cap", "UUUUUU", 0, false, "......", 6},
		{"first sight", "UUUUU", 2, false, "---..", 5},
		{"an old unseen item outside an episode is news", "UKKU", 5, false, "....", 2},
		{"within an episode the older unseen are a cut's backlog", "UUUKKUU", 5, true, "---....", 2},
		{"a new cut within an episode", "UUKUUU", 2, true, "--.-..", 3},
		{"an episode with the cap turned off", "UUKUUU", 0, true, "--....", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unseen := make([]bool, len(tc.doc))
			order := make([]int, len(tc.doc))
			for i, c := range tc.doc {
				unseen[i], order[i] = c == 'U', i
			}
			c := decideCut(unseen, order, tc.limit, tc.episode)
			var got strings.Builder
			for _, s := range c.skip {
				got.WriteByte(".-"[boolInt(s)])
			}
			if got.String() != tc.skip || c.fresh != tc.fresh {
				t.Errorf("skip %s, %d fresh; want %s, %d", got.String(), c.fresh, tc.skip, tc.fresh)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// items returns items from..to, newest first, as a feed lists them; desk,
// when given, words their text apart from other feeds' items.
func items(from, to int, desk ...string) []feedserver.Item {
	var out []feedserver.Item
	for n := to; n >= from; n-- {
		if len(desk) > 0 {
			out = append(out, item(n, fmt.Sprintf("The %s desk filed note %d on the harbour timetable and the new ferry fares.", desk[0], n)))
			continue
		}
		out = append(out, item(n))
	}
	return out
}

func storyRange(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, fmt.Sprintf("Story number %d", n))
	}
	return out
}

// pendingOf returns the pending deliveries of one kind.
func (r *rig) pendingOf(kind news.DeliveryKind) []news.Delivery {
	var out []news.Delivery
	for _, d := range r.deliveries(news.DeliveryPending) {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

// sendAll marks every pending delivery sent, as the outbox would.
func (r *rig) sendAll() {
	r.t.Helper()
	for i, d := range r.deliveries(news.DeliveryPending) {
		if err := r.db.MarkSent(context.Background(), d.ID, fmt.Sprint(9000+i), "", r.now); err != nil {
			r.t.Fatal(err)
		}
	}
}

// TestCapTakesTheNewestAndSkipsTheRest is a hostile feed that adds
// hundreds of items at once: a poll stores and posts only the newest
// max_new_per_poll, the channel is told once, the skipped items are never
// posted later (after a 304, a new item or a restart), and the next burst
// after the feed came back to normal is told again.
func TestCapTakesTheNewestAndSkipsTheRest(t *testing.T) {
	r := newRig(t)
	const ch = "100000000000000001"
	f := r.feed(0, ch)
	f.MaxNewPerPoll = 5
	r.site.Set("/world.xml", items(1, 3)...)
	r.poll(f) // first sight: stored, nothing posted

	flood := items(4, 240)
	r.site.Set("/world.xml", append(flood, items(1, 3)...)...)
	res := r.poll(f)
	if res.New != 5 || res.Capped != 232 || res.Stories != 240 {
		t.Fatalf("flooded poll: %+v, want 5 new and 232 capped of 240", res)
	}
	ds := r.deliveries(news.DeliveryPending)
	if len(ds) != 6 || ds[0].Kind != news.DeliveryNotice {
		t.Fatalf("owed %d deliveries, want the notice first and 5 posts: %+v", len(ds), ds)
	}
	if got, want := titles(t, r.db, ds[1:]), storyRange(236, 240); !slices.Equal(got, want) {
		t.Errorf("posts = %q, want the newest five, oldest first: %q", got, want)
	}
	n, err := r.db.Notice(context.Background(), ds[0].ID)
	if want := (news.Notice{Kind: news.NoticeCapped, Since: t0.Add(time.Minute), NewItems: 237, Kept: 5}); err != nil || n != want {
		t.Errorf("notice = %+v, %v; want %+v", n, err, want)
	}
	if ss, _ := r.db.LatestStories(context.Background(), "world", 50); len(ss) != 8 {
		t.Errorf("%d stories stored, want 8 (3 + the newest 5)", len(ss))
	}
	r.sendAll()

	// The same document again: a 304, nothing owed.
	if res := r.poll(f); !res.NotModified {
		t.Errorf("unchanged flood: %+v, want a 304", res)
	}
	// A restart, then one real new item: it alone is posted, without another notice.
	r.poller = &Poller{Store: r.db, Fetcher: &feed.Fetcher{}, Now: r.poller.Now, Log: r.poller.Log}
	r.site.Set("/world.xml", append(items(241, 241), append(flood, items(1, 3)...)...)...)
	res = r.poll(f)
	if got := titles(t, r.db, r.pendingOf(news.DeliveryNew)); res.New != 1 || !slices.Equal(got, storyRange(241, 241)) {
		t.Errorf("after a restart and a new item: %+v, owed %q; want only story 241", res, got)
	}
	if n := len(r.pendingOf(news.DeliveryNotice)); n != 0 {
		t.Errorf("%d more notices after a restart within one episode", n)
	}
	r.sendAll()

	// Another wave while the first one is still listed: cut again, one notice still.
	r.site.Set("/world.xml", append(items(242, 260), append(items(4, 241), items(1, 3)...)...)...)
	res = r.poll(f)
	if got := titles(t, r.db, r.pendingOf(news.DeliveryNew)); res.New != 5 || !slices.Equal(got, storyRange(256, 260)) {
		t.Errorf("second wave: %+v, owed %q; want stories 256-260", res, got)
	}
	if n := len(r.pendingOf(news.DeliveryNotice)); n != 0 {
		t.Errorf("%d more notices within one episode", n)
	}
	r.sendAll()

	// The feed is normal again: the episode ends, and the next flood is a
	// new one with its own notice.
	r.site.Set("/world.xml", items(256, 261)...)
	if res := r.poll(f); res.New != 1 || res.Capped != 0 {
		t.Errorf("back to normal: %+v, want story 261 alone", res)
	}
	r.sendAll()
	r.site.Set("/world.xml", items(256, 300)...)
	if res := r.poll(f); res.New != 5 || res.Capped != 34 {
		t.Errorf("a later flood: %+v, want 5 new and 34 capped", res)
	}
	if n := len(r.pendingOf(news.DeliveryNotice)); n != 1 {
		t.Errorf("%d notices for the later flood, want 1", n)
	}
}

// TestCapLeavesOtherFeedsAlone: a flood from one feed costs another feed
// none of its posts, and a feed without the cap takes everything.
func TestCapLeavesOtherFeedsAlone(t *testing.T) {
	r := newRig(t)
	flood := r.feed(10, "100000000000000001")
	flood.MaxNewPerPoll = 3
	calm := r.feed(10, "100000000000000002")
	calm.ID, calm.URL = "calm", r.url+"/calm.xml"
	calm.MaxNewPerPoll = 3
	open := r.feed(0, "100000000000000003")
	open.ID, open.URL = "open", r.url+"/open.xml"
	r.site.Set("/world.xml", items(1, 50)...)
	r.site.Set("/calm.xml", items(1001, 1002, "calm")...)
	r.site.Set("/open.xml", items(2001, 2040, "open")...)
	for _, f := range []config.Feed{flood, calm, open} {
		r.poll(f)
	}
	byChannel := map[string][]string{}
	for _, d := range r.pendingOf(news.DeliveryNew) {
		byChannel[d.ChannelID] = append(byChannel[d.ChannelID], titles(t, r.db, []news.Delivery{d})...)
	}
	if got := byChannel["100000000000000001"]; !slices.Equal(got, storyRange(48, 50)) {
		t.Errorf("flooded feed posted %q, want its newest 3", got)
	}
	if got := byChannel["100000000000000002"]; !slices.Equal(got, storyRange(1001, 1002)) {
		t.Errorf("calm feed posted %q, want both its stories", got)
	}
	if ss, _ := r.db.LatestStories(context.Background(), "open", 100); len(ss) != 40 {
		t.Errorf("feed without a cap stored %d stories, want all 40", len(ss))
	}
	for _, d := range r.pendingOf(news.DeliveryNotice) {
		if d.ChannelID != "100000000000000001" {
			t.Errorf("notice in channel %s, which the flood does not post to", d.ChannelID)
		}
	}
}
