package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

const (
	newsChannel = emulator.DefaultNewsChannel
	techChannel = emulator.DefaultTechChannel
)

// world is everything the bot talks to - an emulated Discord and a news
// site - plus the bot itself, wired as `newsbot run` wires it.
type world struct {
	t       *testing.T
	emu     *emulator.Emulator
	site    *feedserver.Server
	siteURL string
	dir     string
	logs    *syncBuffer
	events  chan struct{} // a poll ended or a post was recorded
	app     *app
}

func newWorld(t *testing.T, opts emulator.Options) *world {
	t.Helper()
	// With Discord's OpenAPI description beside the repository, every
	// request the bot sends is also checked against Discord's own schema.
	if spec := filepath.Join(shared, "testdata", "discord", "openapi.json"); opts.OpenAPIFile == "" {
		if _, err := os.Stat(spec); err == nil {
			opts.OpenAPIFile = spec
		}
	}
	site := feedserver.New()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	return &world{
		t: t, emu: emulator.Start(t, opts), site: site, siteURL: srv.URL,
		dir: t.TempDir(), logs: &syncBuffer{}, events: make(chan struct{}, 1),
	}
}

// writeConfig writes the bot's config file with the given feeds section.
func (w *world) writeConfig(feeds string) string {
	w.t.Helper()
	path := filepath.Join(w.dir, "config.yaml")
	body := fmt.Sprintf(`discord:
  token: test-token
  api_url: %s
  guild_id: %q
database: news.db
log: {level: debug}
fetch:
  allow_private: true
  failure_notice_after: 5
feeds:
%s`, w.emu.URL, emulator.DefaultGuildID, strings.ReplaceAll(feeds, "SITE", w.siteURL))
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// start runs the bot on the config file; it stops when the test ends.
func (w *world) start(o appOptions) *app {
	w.t.Helper()
	cfg, err := config.Load(filepath.Join(w.dir, "config.yaml"))
	if err != nil {
		w.t.Fatal(err)
	}
	poll, post := o.afterPoll, o.onPost
	o.afterPoll = func(id string, res ingest.Result, err error) {
		if poll != nil {
			poll(id, res, err)
		}
		w.signal()
	}
	o.onPost = func(d news.Delivery, m *discordgo.Message) {
		if post != nil {
			post(d, m)
		}
		w.signal()
	}
	if o.backoffBase == 0 {
		o.backoffBase = time.Millisecond
	}
	if o.retryBase == 0 {
		o.retryBase = 10 * time.Millisecond
	}
	if o.idle == 0 {
		o.idle = 50 * time.Millisecond
	}
	log := slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := startApp(context.Background(), cfg, log, o)
	if err != nil {
		w.t.Fatalf("start the bot: %v\nlog:\n%s", err, w.logs)
	}
	w.app = a
	w.t.Cleanup(a.stop)
	return a
}

func (w *world) signal() {
	select {
	case w.events <- struct{}{}:
	default:
	}
}

// waitFor waits until cond holds, checking again whenever the bot polls or
// posts (and at least every 100 ms, for work that signals nothing, such as
// a retry after backoff).
func (w *world) waitFor(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-w.events:
		case <-tick.C:
		case <-deadline.C:
			w.t.Fatalf("timed out waiting for %s\nbot log:\n%s", what, w.logs)
		}
	}
}

// pollNow polls a feed at once, as the schedule would.
func (w *world) pollNow(feedID string) ingest.Result {
	w.t.Helper()
	res, err := w.app.sched.PollNow(context.Background(), feedID)
	if err != nil {
		w.t.Fatalf("poll %s: %v", feedID, err)
	}
	return res
}

// cards returns the titles of the story cards in a channel, oldest first.
func (w *world) cards(channel string) []string {
	var out []string
	for _, m := range w.emu.Messages(channel) {
		if len(m.Embeds) > 0 {
			out = append(out, m.Embeds[0].Title)
		}
	}
	return out
}

func (w *world) messages(channel string) int { return len(w.emu.Messages(channel)) }

// pending returns the deliveries the bot still owes, due or not. A post
// Discord already shows stays owed until the bot has recorded it.
func (w *world) pending() []news.Delivery {
	w.t.Helper()
	ds, err := w.app.db.Deliveries(context.Background(), store.DeliveryFilter{State: news.DeliveryPending})
	if err != nil {
		w.t.Fatal(err)
	}
	return ds
}

// syncBuffer is a log sink safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func item(n int, paras ...string) feedserver.Item {
	if len(paras) == 0 {
		paras = []string{fmt.Sprintf("Story %d happened today, and readers have strong views about what it means.", n)}
	}
	return feedserver.Item{
		GUID: fmt.Sprintf("story-%d", n), Title: fmt.Sprintf("Story number %d", n),
		Link:       fmt.Sprintf("https://example.com/story/%d", n),
		Paragraphs: paras, Published: time.Date(2026, 11, 1, n, 0, 0, 0, time.UTC),
	}
}
