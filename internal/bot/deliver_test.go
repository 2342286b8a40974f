package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/outbox"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const news1 = emulator.DefaultNewsChannel

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// rig is a deliverer over a real store, talking to the emulator through
// an unmodified discordgo session.
type rig struct {
	t   *testing.T
	emu *emulator.Emulator
	db  *store.DB
	now time.Time
	dl  *Deliverer
}

// withSpec turns on the emulator's check of every request body against
// Discord's OpenAPI description, when the shared test data has it.
func withSpec(opts emulator.Options) emulator.Options {
	spec := filepath.Join("..", "..", "..", "shared", "testdata", "discord", "openapi.json")
	if _, err := os.Stat(spec); err == nil && opts.OpenAPIFile == "" {
		opts.OpenAPIFile = spec
	}
	return opts
}

func newRig(t *testing.T, opts emulator.Options) *rig {
	t.Helper()
	emu := emulator.Start(t, withSpec(opts))
	db, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &rig{t: t, emu: emu, db: db, now: t0}
	r.dl = r.deliverer()
	return r
}

// deliverer is a new process's deliverer: a fresh session, paced by a
// fresh limiter, as bot.New makes them.
func (r *rig) deliverer() *Deliverer {
	s, _ := discordgo.New("Bot test-token")
	lim := NewLimiter(GlobalLimit)
	s.Client = r.emu.Client()
	s.Client.Transport = lim.Transport(s.Client.Transport)
	return &Deliverer{
		Session: s, Limiter: lim, Store: r.db, Now: func() time.Time { return r.now },
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		BotID: func() string { return emulator.DefaultBotID },
		Feeds: func(id string) (config.Feed, bool) {
			return config.Feed{ID: id, Name: "World", Updates: config.UpdatesEditAndReply}, true
		},
	}
}

// save stores an article for the news channel and returns the deliveries
// it made owed.
func (r *rig) save(a news.Article) []news.Delivery {
	r.t.Helper()
	res, err := r.db.SaveArticle(context.Background(), a, store.SaveOptions{FeedID: "world", Now: r.now, Post: []string{news1}})
	if err != nil {
		r.t.Fatal(err)
	}
	ds, err := r.db.Deliveries(context.Background(), store.DeliveryFilter{StoryID: res.Story.ID, State: news.DeliveryPending})
	if err != nil {
		r.t.Fatal(err)
	}
	return ds
}

// drain sends what is due through the real outbox, on the rig's clock.
func (r *rig) drain() {
	r.t.Helper()
	ob := outbox.New(r.db, r.dl, outbox.Options{Now: func() time.Time { return r.now }, Log: r.dl.Log})
	for {
		if full, progress := ob.Drain(context.Background()); !full || !progress {
			return
		}
	}
}

func (r *rig) posts(method, route string) []emulator.Request {
	var out []emulator.Request
	for _, q := range r.emu.Requests() {
		if q.Method == method && strings.HasSuffix(q.Route, route) {
			out = append(out, q)
		}
	}
	return out
}

var story = news.Article{
	GUID: "nk-1", URL: "https://example.com/nk?utm_source=rss", Title: "North Korea denies attacking Sony",
	Paragraphs: []string{"North Korea has ratcheted the absurdity level of the Sony hack up a notch by pleading its innocence."},
}

func TestDeliverNewStory(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.save(story)
	r.drain()
	msgs := r.emu.Messages(news1)
	if len(msgs) != 1 || len(msgs[0].Embeds) != 1 {
		t.Fatalf("channel has %d messages, want one story card: %+v", len(msgs), msgs)
	}
	if e := msgs[0].Embeds[0]; e.Title != "North Korea denies attacking Sony" || e.URL != "https://example.com/nk" {
		t.Errorf("card title %q url %q", e.Title, e.URL)
	}
	reqs := r.posts("POST", "/channels/{channel_id}/messages")
	var body struct {
		Nonce           string `json:"nonce"`
		EnforceNonce    bool   `json:"enforce_nonce"`
		AllowedMentions struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Nonce == "" || !body.EnforceNonce || body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) != 0 {
		t.Errorf("post body = %s; want a nonce, enforce_nonce and allowed_mentions {parse: []}", reqs[0].Body)
	}
	d, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{State: news.DeliverySent})
	if len(d) != 1 || d[0].MessageID != msgs[0].ID {
		t.Errorf("recorded %+v, want message %s", d, msgs[0].ID)
	}
}

var errCrash = errors.New("killed between send and record")

func TestCrashBetweenSendAndRecordPostsOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		downtime time.Duration // between the crash and the restart
		posts    int           // POSTs the emulator should see in all
	}{
		{"restart within the nonce window", 30 * time.Second, 2}, // resent; Discord answers with the first
		{"restart after a long outage", 30 * time.Minute, 1},     // found in the channel; not resent
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, emulator.Options{})
			r.save(story)
			r.dl.AfterSend = func(news.Delivery) error { return errCrash }
			ds, _ := r.db.PendingDeliveries(context.Background(), r.now, 10)
			if err := r.dl.Deliver(context.Background(), ds[0]); !errors.Is(err, errCrash) {
				t.Fatalf("first attempt: %v", err)
			}
			// A new process: a fresh session, no hook.
			r.now = r.now.Add(tc.downtime)
			r.dl = r.deliverer()
			r.drain()
			if n := len(r.emu.Messages(news1)); n != 1 {
				t.Fatalf("%d messages in the channel, want exactly 1", n)
			}
			if n := len(r.posts("POST", "/channels/{channel_id}/messages")); n != tc.posts {
				t.Errorf("%d POSTs, want %d", n, tc.posts)
			}
			sent, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{State: news.DeliverySent})
			if len(sent) != 1 || sent[0].MessageID != r.emu.Messages(news1)[0].ID {
				t.Errorf("recorded %+v", sent)
			}
		})
	}
}

func TestUpdateEditsPostAndRepliesWithWhatChanged(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.save(story)
	r.drain()
	updated := story
	updated.Paragraphs = append(append([]string(nil), story.Paragraphs...),
		"Update: The US isn't exactly buying North Korea's version of events.")
	r.now = r.now.Add(time.Hour)
	if ds := r.save(updated); len(ds) != 1 || ds[0].Kind != news.DeliveryUpdated {
		t.Fatalf("deliveries after update: %+v", ds)
	}
	r.drain()
	msgs := r.emu.Messages(news1)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want the card and one reply", len(msgs))
	}
	card, reply := msgs[0], msgs[1]
	if card.EditedTimestamp == nil || !strings.HasPrefix(card.Embeds[0].Title, "Updated: ") {
		t.Errorf("card not edited and marked updated: %+v", card.Embeds[0])
	}
	if !strings.Contains(reply.Content, "> Update: The US isn't exactly buying") {
		t.Errorf("reply does not quote the added paragraph:\n%s", reply.Content)
	}
	if reply.MessageReference == nil || reply.MessageReference.MessageID != card.ID {
		t.Errorf("reply does not reference the card: %+v", reply.MessageReference)
	}
}

func TestRefusedChannelBreaksSubscriptionOnce(t *testing.T) {
	seed := emulator.DefaultSeed()
	g := &seed.Guilds[0]
	for i := range g.Channels {
		if g.Channels[i].ID == news1 {
			g.Channels[i].Overwrites = append(g.Channels[i].Overwrites, emulator.SeedOverwrite{
				ID: emulator.DefaultBotID, Type: 1, Deny: emulator.PermSendMessages,
			})
		}
	}
	r := newRig(t, emulator.Options{Seed: &seed})
	if _, _, err := r.db.EnsureSubscription(context.Background(), "world", news1, r.now); err != nil {
		t.Fatal(err)
	}
	r.save(story)
	r.drain()
	r.now = r.now.Add(time.Hour)
	r.drain() // nothing left to retry
	if n := len(r.posts("POST", "/channels/{channel_id}/messages")); n != 1 {
		t.Errorf("%d attempts at a refused channel, want 1", n)
	}
	if failed, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{State: news.DeliveryFailed}); len(failed) != 1 {
		t.Errorf("the refused delivery is not given up: %+v", failed)
	}
	subs, _ := r.db.Subscriptions(context.Background(), "world")
	if len(subs) != 1 || !strings.Contains(subs[0].Broken, "50013") && !strings.Contains(subs[0].Broken, "Missing Permissions") {
		t.Errorf("subscription not marked broken: %+v", subs)
	}
}

func TestServerErrorsRetryLater(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.emu.Inject(emulator.Fault{Kind: "5xx", Status: 500, Count: 1, Path: "/messages"})
	r.save(story)
	r.drain()
	if n := len(r.emu.Messages(news1)); n != 0 {
		t.Fatalf("%d messages after a 500", n)
	}
	if ds, _ := r.db.PendingDeliveries(context.Background(), r.now, 10); len(ds) != 0 {
		t.Fatalf("retried at once; want a backoff")
	}
	r.now = r.now.Add(time.Minute)
	r.drain()
	if n := len(r.emu.Messages(news1)); n != 1 {
		t.Errorf("%d messages after the retry, want 1", n)
	}
}

func TestThreadPerPostCarriesTheUpdates(t *testing.T) {
	r := newRig(t, emulator.Options{})
	r.dl.Feeds = func(id string) (config.Feed, bool) {
		return config.Feed{ID: id, Name: "World", Thread: true, Updates: config.UpdatesReply}, true
	}
	r.save(story)
	r.drain()
	sent, _ := r.db.Deliveries(context.Background(), store.DeliveryFilter{State: news.DeliverySent})
	if len(sent) != 1 || sent[0].ThreadID == "" {
		t.Fatalf("no thread recorded for the post: %+v", sent)
	}
	updated := story
	updated.Paragraphs = append(append([]string(nil), story.Paragraphs...), "Update: talks resumed on Friday.")
	r.save(updated)
	r.drain()
	if msgs := r.emu.Messages(news1); len(msgs) != 1 || msgs[0].EditedTimestamp != nil {
		t.Errorf("with updates: reply, the channel should hold only the unedited card: %+v", msgs)
	}
	in := r.emu.Messages(sent[0].ThreadID)
	if len(in) != 1 || !strings.Contains(in[0].Content, "> Update: talks resumed on Friday.") {
		t.Errorf("thread messages = %+v; want the update reply", in)
	}
}

// TestNoticeIsRenderedWhenSent: a failure notice is stored as facts and
// written at send time with the feed's name as the config has it; after a
// crash and a long outage it is found in the channel, not posted twice.
func TestNoticeIsRenderedWhenSent(t *testing.T) {
	r := newRig(t, emulator.Options{})
	n := news.Notice{Kind: news.NoticeFailing, Failures: 5, Since: t0.Add(-time.Hour), LastError: "fetch https://example.com/world.xml?key=SECRET: 503"}
	if _, err := r.db.EnqueueNotice(context.Background(), "world", news1, n, r.now); err != nil {
		t.Fatal(err)
	}
	r.dl.AfterSend = func(news.Delivery) error { return errCrash }
	r.drain()
	r.now = r.now.Add(30 * time.Minute)
	r.dl = r.deliverer()
	r.drain()
	msgs := r.emu.Messages(news1)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the notice exactly once", len(msgs))
	}
	for _, want := range []string{"**World**", "failed 5 times", "503", "<t:"} {
		if !strings.Contains(msgs[0].Content, want) {
			t.Errorf("notice lacks %q:\n%s", want, msgs[0].Content)
		}
	}
	if strings.Contains(msgs[0].Content, "SECRET") {
		t.Errorf("notice shows a query string: %s", msgs[0].Content)
	}
	if n := len(r.posts("POST", "/channels/{channel_id}/messages")); n != 1 {
		t.Errorf("%d POSTs, want 1 (the lost send found in the channel)", n)
	}
}
