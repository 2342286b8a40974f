package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/outbox"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const tech = emulator.DefaultTechChannel

// TestRateLimitBurstThenServerErrorStallsOnlyItsChannel: twelve 429s and
// then a 502 on one channel. Each 429 waits as told and is not a failure,
// so the 502 is the first failure and backs off RetryBase (2 s), not the
// maximum: the channel posts again well within 30 s of the faults ending,
// in order. The other channel posts as if nothing happened.
func TestRateLimitBurstThenServerErrorStallsOnlyItsChannel(t *testing.T) {
	r := newRig(t, emulator.Options{RateLimit: emulator.DiscordRateLimit()})
	ctx := context.Background()
	for i, title := range []string{"Harbour reopens", "Rail strike ends", "Library extends hours", "Market moves indoors", "Bridge repainted"} {
		a := news.Article{GUID: title, URL: "https://example.com/" + strings.ReplaceAll(title, " ", "-"), Title: title,
			Paragraphs: []string{title + " after a long wait, officials said on day " + string(rune('1'+i)) + "."}}
		if _, err := r.db.SaveArticle(ctx, a, store.SaveOptions{FeedID: "world", Now: r.now, Post: []string{news1, tech}}); err != nil {
			t.Fatal(err)
		}
	}
	onNews := "/channels/" + news1 + "/messages"
	r.emu.Inject(emulator.Fault{Kind: "429", Count: 12, Path: onNews, Method: "POST", RetryAfter: 0.05})
	// discordgo resends a 502 at once, MaxRestRetries times: one failure
	// reaches the outbox when every one of those is a 502 too.
	r.emu.Inject(emulator.Fault{Kind: "5xx", Status: 502, Count: 1 + r.dl.Session.MaxRestRetries, Path: onNews, Method: "POST"})

	posted := make(chan news.Delivery, 10)
	r.dl.OnPost = func(d news.Delivery, _ *discordgo.Message) { posted <- d }
	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() {
		outbox.New(r.db, r.dl, outbox.Options{Log: r.dl.Log}).Run(runCtx) // production clock and backoff
		close(stopped)
	}()
	defer func() { stop(); <-stopped }()
	for n := 0; n < 10; n++ {
		select {
		case <-posted:
		case <-time.After(60 * time.Second):
			t.Fatalf("%d of 10 posts after a minute; faults left: %+v", n, r.emu.Faults())
		}
	}

	if left := r.emu.Faults(); len(left) != 0 {
		t.Errorf("faults not all met: %+v", left)
	}
	var lastFault, firstNewsPost, lastTechPost time.Time
	for _, q := range r.emu.Requests() {
		if q.Method != "POST" || !strings.HasSuffix(q.Route, "/channels/{channel_id}/messages") {
			continue
		}
		switch {
		case strings.Contains(q.Path, news1) && q.Status >= 400:
			lastFault = q.Time
		case strings.Contains(q.Path, news1) && firstNewsPost.IsZero():
			firstNewsPost = q.Time
		case strings.Contains(q.Path, tech):
			lastTechPost = q.Time
		}
	}
	if gap := firstNewsPost.Sub(lastFault); gap > 30*time.Second || gap < 0 {
		t.Errorf("the faulted channel posted %v after its faults ended; want within 30 s", gap)
	}
	if !lastTechPost.Before(firstNewsPost) {
		t.Errorf("the other channel's last post came at %v, after the faulted channel recovered at %v: it was held back",
			lastTechPost, firstNewsPost)
	}
	for _, ch := range []string{news1, tech} {
		ds, _ := r.db.Deliveries(ctx, store.DeliveryFilter{ChannelID: ch})
		msgs := r.emu.Messages(ch)
		if len(ds) != 5 || len(msgs) != 5 {
			t.Fatalf("channel %s: %d deliveries, %d messages; want 5 of each", ch, len(ds), len(msgs))
		}
		for i, d := range ds {
			if d.State != news.DeliverySent || d.MessageID != msgs[i].ID {
				t.Errorf("channel %s: delivery %d is %s as message %s, want message %d (%s): out of order",
					ch, d.ID, d.State, d.MessageID, i, msgs[i].ID)
			}
		}
		if ch == tech {
			for _, d := range ds {
				if d.Attempts != 1 || d.LastError != "" {
					t.Errorf("the other channel's delivery %d took %d attempts (%q): it met its neighbour's trouble", d.ID, d.Attempts, d.LastError)
				}
			}
		}
	}
}

// TestSlowSendIsRecorded: a send that succeeds after longer than the time
// allowed for recording it is still recorded (issue 11: "mark sent delivery
// 54: context deadline exceeded").
func TestSlowSendIsRecorded(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.dl.recordTimeout = 100 * time.Millisecond
	r.emu.Inject(emulator.Fault{Kind: "slow", DelayMS: 300, Path: "/channels/" + news1 + "/messages", Method: "POST"})
	ds := r.save(story)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.dl.Deliver(ctx, ds[0]); err != nil {
		t.Fatalf("slow send: %v", err)
	}
	d, err := r.db.Delivery(context.Background(), ds[0].ID)
	if msgs := r.emu.Messages(news1); err != nil || d.State != news.DeliverySent || len(msgs) != 1 || d.MessageID != msgs[0].ID {
		t.Errorf("after a slow send the delivery is %s with message %q (err %v); the channel holds %d messages", d.State, d.MessageID, err, len(msgs))
	}
}
