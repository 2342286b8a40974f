//go:build linux

package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// capRig is a poller over a store file and a local feed site, for one feed
// whose channel has seen it before.
type capRig struct {
	site   *feedserver.Server
	poller *ingest.Poller
	feed   config.Feed
	now    time.Time
}

func newCapRig(b *testing.B, limit int) *capRig {
	b.Helper()
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "news.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	site := feedserver.New()
	srv := httptest.NewServer(site)
	b.Cleanup(srv.Close)
	r := &capRig{site: site, now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	r.poller = &ingest.Poller{Store: db, Fetcher: &feed.Fetcher{}, Now: func() time.Time { return r.now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r.feed = config.Feed{ID: "world", Name: "World", URL: srv.URL + "/world.xml", Kind: config.KindAuto,
		Channels: []string{"100000000000000001"}, AllowPrivate: true, Updates: config.UpdatesEditAndReply,
		MaxNewPerPoll: limit}
	return r
}

// set makes the feed list items from..to, newest first.
func (r *capRig) set(from, to int) {
	var items []feedserver.Item
	for n := to; n >= from; n-- {
		items = append(items, feedserver.Item{GUID: fmt.Sprintf("item-%d", n), Title: fmt.Sprintf("Item number %d", n),
			Link:       fmt.Sprintf("https://example.com/items/%d", n),
			Paragraphs: []string{fmt.Sprintf("Item %d says something new: %s.", n, words(12+n%7))},
			Published:  r.now.Add(time.Duration(n-1_000_000) * time.Minute)})
	}
	r.site.Set("/world.xml", items...)
}

func (r *capRig) poll(b *testing.B) ingest.Result {
	res, err := r.poller.Poll(context.Background(), r.feed)
	if err != nil {
		b.Fatal(err)
	}
	r.now = r.now.Add(time.Minute)
	return res
}

// BenchmarkFloodedPoll is the poll in which a feed the channel follows
// suddenly lists 2,000 new items (issue 11), under the default cap and
// with none: what the poll costs in CPU and the stories it stores, each of
// which owes the channel a post.
//
//	go test -run '^$' -bench FloodedPoll -benchtime 5x ./internal/bench
func BenchmarkFloodedPoll(b *testing.B) {
	for _, limit := range []int{100, 0} {
		b.Run(fmt.Sprintf("max_new_per_poll=%d", limit), func(b *testing.B) {
			var stored int
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				r := newCapRig(b, limit)
				r.set(1, 3)
				r.poll(b)
				r.set(1, 2003)
				b.StartTimer()
				start := cpuTime()
				stored = r.poll(b).New
				cpu += cpuTime() - start
			}
			b.ReportMetric(float64(stored), "stories/poll")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkBigFeedPoll is a feed that always lists 500 items, 5 of them
// new at each poll: what the cap costs a feed above it, whose polls ask
// the store which items are new before saving (its first poll cut 400
// items, which the cap then skips while they are listed).
//
//	go test -run '^$' -bench BigFeedPoll -benchtime 20x ./internal/bench
func BenchmarkBigFeedPoll(b *testing.B) {
	for _, limit := range []int{100, 0} {
		b.Run(fmt.Sprintf("max_new_per_poll=%d", limit), func(b *testing.B) {
			r := newCapRig(b, limit)
			top := 500
			r.set(top-499, top)
			r.poll(b)
			var cpu time.Duration
			for b.Loop() {
				top += 5
				r.set(top-499, top)
				start := cpuTime()
				if res := r.poll(b); res.New != 5 {
					b.Fatalf("poll: %+v, want 5 new", res)
				}
				cpu += cpuTime() - start
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}
