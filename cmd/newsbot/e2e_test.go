package main

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const worldFeeds = `  - id: world
    url: SITE/world.xml
    channels: ["100000000000000001"]
    schedule: "@every 1s"
    backfill: 10
  - id: quiet
    url: SITE/quiet.xml
    channels: ["100000000000000002"]
    schedule: "@every 1s"
    backfill: 0
`

const lead2 = "Story 2 happened today, and readers have strong views about what it means."
const update2 = "Update: Officials have now confirmed the figures, and the council will meet on Friday."

// TestBotEndToEnd is issue 4's acceptance: the bot, the emulator and a
// news site, first as they are, then with Discord misbehaving throughout.
func TestBotEndToEnd(t *testing.T) {
	for _, faulty := range []bool{false, true} {
		name := "calm"
		if faulty {
			name = "under faults"
		}
		t.Run(name, func(t *testing.T) { endToEnd(t, faulty) })
	}
}

func endToEnd(t *testing.T, faulty bool) {
	w := newWorld(t, emulator.Options{HeartbeatInterval: 200 * time.Millisecond})
	inject := func(f emulator.Fault) {
		if !faulty {
			return
		}
		st := w.emu.GatewayStats()
		w.emu.Inject(f)
		if f.Kind == "drop_gateway" || f.Kind == "reconnect" {
			// discordgo rejoins about a second later; waiting for it keeps
			// the faults from landing on the restart below instead.
			w.waitFor("the gateway rejoined after "+f.Kind, func() bool {
				now := w.emu.GatewayStats()
				return now.Resumes+now.Identifies > st.Resumes+st.Identifies
			})
		}
	}
	w.site.Set("/world.xml", item(3), item(2, lead2), item(1))
	w.site.Set("/quiet.xml", item(7), item(8))
	w.writeConfig(worldFeeds)
	var crashNext atomic.Bool
	crashed := make(chan news.Delivery, 1)
	opts := appOptions{afterSend: func(d news.Delivery) error {
		if crashNext.CompareAndSwap(true, false) {
			crashed <- d
			return errors.New("killed between send and record")
		}
		return nil
	}}
	w.start(opts)

	// The first scheduled poll posts the backfill, oldest first.
	inject(emulator.Fault{Kind: "429", Count: 5, RetryAfter: 0.05, Path: "/messages"})
	w.waitFor("3 posts from the first poll", func() bool { return w.messages(newsChannel) == 3 })
	if got := strings.Join(w.cards(newsChannel), "|"); got != "Story number 1|Story number 2|Story number 3" {
		t.Errorf("first poll posted %q", got)
	}
	// A feed with backfill 0 posts nothing old.
	w.pollNow("quiet")
	if n := w.messages(techChannel); n != 0 {
		t.Errorf("backfill 0 posted %d stories", n)
	}

	// One added item: exactly one new post.
	inject(emulator.Fault{Kind: "5xx", Status: 500, Count: 2, Path: "/messages"})
	inject(emulator.Fault{Kind: "drop_gateway"})
	w.site.Set("/world.xml", item(4), item(3), item(2, lead2), item(1))
	w.pollNow("world")
	w.waitFor("the post of story 4", func() bool { return w.messages(newsChannel) == 4 })

	// An item that gains an Update: paragraph: its post is edited and one
	// reply quotes what was added.
	inject(emulator.Fault{Kind: "5xx", Status: 502, Count: 2})
	inject(emulator.Fault{Kind: "reconnect"})
	w.site.Set("/world.xml", item(4), item(3), item(2, lead2, update2), item(1))
	if res := w.pollNow("world"); res.Updated != 1 {
		t.Fatalf("poll after the update: %+v", res)
	}
	// The reply is in the channel a moment before the bot records it: the
	// polls below must start from an outbox with nothing owed.
	w.waitFor("the update reply, sent and recorded", func() bool {
		return w.messages(newsChannel) == 5 && len(w.pending()) == 0
	})
	msgs := w.emu.Messages(newsChannel)
	card, reply := msgs[1], msgs[4]
	if card.EditedTimestamp == nil || card.Embeds[0].Title != "Updated: Story number 2" {
		t.Errorf("story 2's post was not edited and marked updated: %+v", card.Embeds[0])
	}
	if !strings.Contains(reply.Content, "> "+update2) || reply.MessageReference == nil || reply.MessageReference.MessageID != card.ID {
		t.Errorf("the reply does not quote the added paragraph in reply to the post:\n%s", reply.Content)
	}

	// The same feed ten more times: 304s, and nothing is posted.
	for i := 0; i < 10; i++ {
		if res := w.pollNow("world"); !res.NotModified {
			t.Errorf("poll %d of an unchanged feed: %+v", i+1, res)
		}
	}
	if reqs := w.site.Requests(); reqs[len(reqs)-1].Status != http.StatusNotModified || reqs[len(reqs)-1].IfNoneMatch == "" {
		t.Errorf("the site did not see the stored ETag: %+v", reqs[len(reqs)-1])
	}
	if pending := w.pending(); len(pending) != 0 || w.messages(newsChannel) != 5 {
		t.Errorf("after 10 unchanged polls: %d pending, %d messages", len(pending), w.messages(newsChannel))
	}

	// Killed between send and record, then restarted: no duplicate, no loss.
	crashNext.Store(true)
	w.site.Set("/world.xml", item(5), item(4), item(3), item(2, lead2, update2), item(1))
	w.pollNow("world")
	d := <-crashed
	w.app.stop()
	if d.Kind != news.DeliveryNew {
		t.Fatalf("crashed on a %s delivery", d.Kind)
	}
	w.start(opts)
	w.waitFor("story 5's delivery recorded", func() bool {
		sent, _ := w.app.db.Deliveries(t.Context(), store.DeliveryFilter{ChannelID: newsChannel, Kind: news.DeliveryNew, State: news.DeliverySent})
		return len(sent) == 5
	})
	cards := w.cards(newsChannel)
	want := []string{"Story number 1", "Updated: Story number 2", "Story number 3", "Story number 4", "Story number 5"}
	if !slices.Equal(cards, want) {
		t.Errorf("cards after the restart = %q, want each story exactly once: %q", cards, want)
	}
	if faulty {
		assertFaultsHit(t, w)
	}
}

// assertFaultsHit makes sure the faulty run really met the faults, so it
// cannot pass by accident.
func assertFaultsHit(t *testing.T, w *world) {
	t.Helper()
	seen := map[int]int{}
	for _, r := range w.emu.Requests() {
		seen[r.Status]++
	}
	for _, status := range []int{429, 500, 502} {
		if seen[status] == 0 {
			t.Errorf("no request met a %d; statuses seen: %v", status, seen)
		}
	}
	if st := w.emu.GatewayStats(); st.Resumes+st.Identifies < 3 {
		t.Errorf("the gateway was not dropped and rejoined: %+v", st)
	}
}
