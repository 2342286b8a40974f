package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/outbox"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// BenchmarkDeliver sends stories to channels through the emulator with
// Discord's real limits (emulator.DiscordRateLimit: 5 messages per 5 s per
// channel, 50 requests a second per bot) and reports the time taken over
// the least those limits allow (x-min), and the 429s Discord would have
// answered. Each run takes at least that minimum (45 s for 20 channels):
//
//	go test -run '^$' -bench Deliver -benchtime 1x -timeout 30m ./internal/bench
//
// The ways of sending, side by side:
//   - before: the outbox as it was before issue 10 (legacyRun below): one
//     delivery after another, oldest first, paced only by discordgo's own
//     limiter, which sleeps on a spent bucket and knows no global limit;
//   - discordgo-buckets: today's outbox (channel workers) with discordgo's
//     limiter alone;
//   - paced: today's outbox with bot.Limiter under the session, as newsbot
//     runs.
func BenchmarkDeliver(b *testing.B) {
	for _, sc := range []struct {
		name            string
		channels, posts int
		byChannel       bool // queued channel after channel, not in turns
		how             string
	}{
		{name: "20-channels/before", channels: 20, posts: 1000, how: "before"},
		{name: "20-channels/discordgo-buckets", channels: 20, posts: 1000, how: "workers"},
		{name: "20-channels/paced", channels: 20, posts: 1000, how: "paced"},
		{name: "20-channels-queued-by-channel/paced", channels: 20, posts: 1000, byChannel: true, how: "paced"},
		{name: "100-channels/before", channels: 100, posts: 1000, how: "before"},
		{name: "100-channels/discordgo-buckets", channels: 100, posts: 1000, how: "workers"},
		{name: "100-channels/paced", channels: 100, posts: 1000, how: "paced"},
	} {
		b.Run(sc.name, func(b *testing.B) {
			for range b.N {
				r := newDeliverRig(b, sc.channels, sc.posts, sc.byChannel)
				elapsed := r.run(b, sc.how)
				limited := r.count(429)
				floor := r.minimum()
				b.ReportMetric(elapsed.Seconds()/floor.Seconds(), "x-min")
				b.ReportMetric(elapsed.Seconds(), "s")
				b.ReportMetric(floor.Seconds(), "min-s")
				b.ReportMetric(float64(limited), "429s")
				b.ReportMetric(0, "ns/op")
			}
		})
	}
}

// deliverRig is a store owing posts to channels, and an emulator with
// Discord's limits.
type deliverRig struct {
	emu      *emulator.Emulator
	db       *store.DB
	limits   emulator.RateLimit
	channels []string
	posts    int
}

func newDeliverRig(b *testing.B, channels, posts int, byChannel bool) *deliverRig {
	b.Helper()
	seed := emulator.DefaultSeed()
	r := &deliverRig{limits: emulator.DiscordRateLimit(), posts: posts}
	for i := range channels {
		id := strconv.Itoa(300000000000000000 + i)
		seed.Guilds[0].Channels = append(seed.Guilds[0].Channels,
			emulator.SeedChannel{ID: id, Name: fmt.Sprintf("news-%d", i), Type: emulator.ChannelText})
		r.channels = append(r.channels, id)
	}
	r.emu = emulator.Start(b, emulator.Options{Seed: &seed, RateLimit: r.limits})
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	r.db = db
	now := time.Now()
	per := posts / channels
	save := func(ch, n int) {
		a := news.Article{
			GUID:  fmt.Sprintf("c%d-s%d", ch, n),
			URL:   fmt.Sprintf("https://news.example/%d/%d", ch, n),
			Title: fmt.Sprintf("Dispatch %d from desk %d: %s", n, ch, words(ch*per+n)),
			Paragraphs: []string{fmt.Sprintf("Desk %d reports item %d. %s %s.", ch, n, words(ch*per+n+7),
				words(ch*per+n+13))},
		}
		if _, err := db.SaveArticle(ctx, a, store.SaveOptions{FeedID: fmt.Sprint("desk-", ch), Now: now,
			Post: []string{r.channels[ch]}}); err != nil {
			b.Fatal(err)
		}
	}
	if byChannel {
		for ch := range channels {
			for n := range per {
				save(ch, n)
			}
		}
	} else {
		for n := range per {
			for ch := range channels {
				save(ch, n)
			}
		}
	}
	if owed, _ := db.PendingPerChannel(ctx, time.Now(), per, 0); len(owed) != min(posts, 1000) {
		b.Fatalf("%d deliveries owed, want %d: stories merged?", len(owed), posts)
	}
	return r
}

// words names n in distinct words, so no two stories look alike.
func words(n int) string {
	vocab := []string{"harbour", "council", "rail", "orchard", "bridge", "library", "river", "market",
		"school", "theatre", "clinic", "airport", "festival", "museum", "stadium", "canal", "forest"}
	s := ""
	for range 4 {
		s += vocab[n%len(vocab)] + " "
		n /= len(vocab)
	}
	return s + strconv.Itoa(n)
}

// run sends everything owed, as how says, and returns how long it took.
func (r *deliverRig) run(b *testing.B, how string) time.Duration {
	b.Helper()
	s, err := discordgo.New("Bot bench-token")
	if err != nil {
		b.Fatal(err)
	}
	s.Client = r.emu.Client()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var sent atomic.Int64
	done := make(chan struct{})
	dl := &bot.Deliverer{
		Session: s, Store: r.db, Log: quiet,
		BotID: func() string { return emulator.DefaultBotID },
		Feeds: func(id string) (config.Feed, bool) { return config.Feed{ID: id, Name: id}, true },
		OnPost: func(news.Delivery, *discordgo.Message) {
			if sent.Add(1) == int64(r.posts) {
				close(done)
			}
		},
	}
	if how == "paced" {
		dl.Limiter = bot.NewLimiter(bot.GlobalLimit)
		s.Client.Transport = dl.Limiter.Transport(s.Client.Transport)
	}
	run := outbox.New(r.db, dl, outbox.Options{Log: quiet}).Run
	if how == "before" {
		run = func(ctx context.Context) { legacyRun(ctx, r.db, dl) }
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	b.ResetTimer()
	start := time.Now()
	go func() {
		run(ctx)
		close(stopped)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Minute):
		b.Fatalf("only %d of %d posts after 20 minutes", sent.Load(), r.posts)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-stopped
	r.checkOrder(b)
	return elapsed
}

// checkOrder fails the benchmark unless every channel got its stories
// once each, in the order they were queued.
func (r *deliverRig) checkOrder(b *testing.B) {
	b.Helper()
	for _, ch := range r.channels {
		ds, err := r.db.Deliveries(context.Background(), store.DeliveryFilter{ChannelID: ch})
		if err != nil {
			b.Fatal(err)
		}
		var last uint64
		for _, d := range ds {
			id, err := strconv.ParseUint(d.MessageID, 10, 64)
			if d.State != news.DeliverySent || err != nil || id <= last {
				b.Fatalf("channel %s: delivery %d is %s with message %q after %d: out of order", ch, d.ID, d.State, d.MessageID, last)
			}
			last = id
		}
		if n := len(r.emu.Messages(ch)); n != len(ds) {
			b.Fatalf("channel %s holds %d messages for %d deliveries", ch, n, len(ds))
		}
	}
}

// count is how many requests the emulator answered with status.
func (r *deliverRig) count(status int) int {
	n := 0
	for _, q := range r.emu.Requests() {
		if q.Status == status {
			n++
		}
	}
	return n
}

// minimum is the least time the limits allow for the requests made: the
// busiest channel's posts, 5 per 5 s, or every request (the posts and
// one look at each channel) at 50 a second, whichever is longer. The
// first window's worth goes at once, so n requests need ceil(n/limit)-1
// more windows.
func (r *deliverRig) minimum() time.Duration {
	windows := func(n int, lim emulator.Limit) time.Duration {
		return time.Duration((n+lim.Requests-1)/lim.Requests-1) * lim.Window
	}
	perChannel := r.limits.Routes["POST /channels/{channel_id}/messages"]
	busiest := (r.posts + len(r.channels) - 1) / len(r.channels)
	requests := r.posts + len(r.channels)
	return max(windows(busiest, perChannel), windows(requests, emulator.Limit{Requests: r.limits.Global, Window: time.Second}))
}

// legacyRun is the outbox's loop as it was before issue 10, kept to
// measure against: batches of the 50 oldest deliveries due, sent one after
// another; a failed one holds its channel for the rest of the batch; a 429
// waits as told, any other failure backs off 2 s doubled per attempt made.
func legacyRun(ctx context.Context, db *store.DB, dl outbox.Deliverer) {
	for ctx.Err() == nil {
		ds, err := db.PendingDeliveries(ctx, time.Now(), 50)
		if err != nil {
			return
		}
		held, progress := map[string]bool{}, false
		for _, d := range ds {
			if held[d.ChannelID] || ctx.Err() != nil {
				continue
			}
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			err := dl.Deliver(dctx, d)
			cancel()
			if err == nil {
				progress = true
				continue
			}
			held[d.ChannelID] = true
			wait := min(2*time.Second<<min(d.Attempts, 20), 15*time.Minute)
			var rl *discordgo.RateLimitError
			if errors.As(err, &rl) {
				wait = max(rl.RetryAfter, 50*time.Millisecond)
			}
			db.MarkRetry(context.WithoutCancel(ctx), d.ID, err.Error(), time.Now().Add(wait))
		}
		if len(ds) == 50 && progress {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}
