package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/render"
)

func TestRouteOf(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         route
	}{
		{"POST", "/api/v9/channels/100/messages", route{key: "POST /channels/{major}/messages", major: "100", global: true}},
		{"patch", "/api/v10/channels/100/messages/555", route{key: "PATCH /channels/{major}/messages/{id}", major: "100", global: true}},
		{"POST", "/channels/100/messages", route{key: "POST /channels/{major}/messages", major: "100", global: true}},
		{"PUT", "/api/v10/applications/42/guilds/7/commands", route{key: "PUT /applications/{id}/guilds/{id}/commands", global: true}},
		{"GET", "/api/v10/guilds/7/members/9", route{key: "GET /guilds/{major}/members/{id}", major: "7", global: true}},
		{"POST", "/api/v10/interactions/11/tok.en/callback", route{key: "POST /interactions/{major}/{token}/callback", major: "11"}},
		{"PATCH", "/api/v10/webhooks/42/tok/messages/@original", route{key: "PATCH /webhooks/{major}/{token}/messages/@original", major: "42/tok"}},
		{"GET", "/api/v10/webhooks/42", route{key: "GET /webhooks/{major}", major: "42", global: true}},
		{"PUT", "/api/v10/channels/1/messages/2/reactions/%F0%9F%91%8D/@me", route{key: "PUT /channels/{major}/messages/{id}/reactions/{emoji}/@me", major: "1", global: true}},
		{"GET", "/api/v10/gateway/bot", route{key: "GET /gateway/bot", global: true}},
	} {
		if got := routeOf(tc.method, tc.path); got != tc.want {
			t.Errorf("routeOf(%s %s) = %+v, want %+v", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestResetOf(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	for _, tc := range []struct {
		name string
		h    http.Header
		want time.Duration // after now; -1: none
	}{
		{"reset-after wins", h("X-RateLimit-Reset-After", "4.250", "X-RateLimit-Reset", "1"), 4250 * time.Millisecond},
		{"reset against the answer's date, a second late", h("X-RateLimit-Reset", fmt.Sprint(now.Unix()+3)+".500",
			"Date", now.Format(http.TimeFormat)), 4500 * time.Millisecond},
		{"reset without a date", h("X-RateLimit-Reset", "1790000000"), -1},
		{"nothing", h(), -1},
		{"garbage", h("X-RateLimit-Reset-After", "soon"), -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := resetOf(tc.h, now)
			if tc.want < 0 {
				if ok {
					t.Errorf("reset %v, want none", got)
				}
				return
			}
			if !ok || got.Sub(now) != tc.want {
				t.Errorf("reset in %v (%v), want %v", got.Sub(now), ok, tc.want)
			}
		})
	}
}

// limitedSession is a discordgo session paced by a fresh limiter.
func limitedSession(t *testing.T, e *emulator.Emulator, perSecond int) (*discordgo.Session, *Limiter) {
	t.Helper()
	s, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatal(err)
	}
	l := NewLimiter(perSecond)
	s.Client = e.Client()
	s.Client.Transport = l.Transport(s.Client.Transport)
	return s, l
}

func send(s *discordgo.Session, channel, text string, opts ...discordgo.RequestOption) error {
	_, err := s.ChannelMessageSendComplex(channel, &discordgo.MessageSend{Content: text, AllowedMentions: render.NoMentions()},
		append(opts, discordgo.WithRetryOnRatelimit(false))...)
	return err
}

// TestLimiterSaysWhichChannelMustWait: once a channel's bucket is spent,
// Delay says how long it must wait, and another channel need not.
func TestLimiterSaysWhichChannelMustWait(t *testing.T) {
	e := emulator.Start(t, emulator.Options{RateLimit: emulator.DiscordRateLimit()})
	s, l := limitedSession(t, e, GlobalLimit)
	msgs := func(ch string) string { return "/channels/" + ch + "/messages" }
	for i := range 5 {
		if d := l.Delay("POST", msgs(news1)); d != 0 {
			t.Fatalf("before post %d the channel must wait %v", i+1, d)
		}
		if err := send(s, news1, fmt.Sprint("post ", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if d := l.Delay("POST", msgs(news1)); d <= 0 || d > 5*time.Second {
		t.Errorf("after 5 posts the channel must wait %v; want its bucket's reset, under 5 s away", d)
	}
	if d := l.Delay("POST", msgs(tech)); d != 0 {
		t.Errorf("another channel must wait %v", d)
	}
	if l.Limited() != 0 {
		t.Errorf("%d answers of 429", l.Limited())
	}
}

// TestLimiterKeepsUnderTheGlobalLimit: many channels at once never exceed
// the bot's requests per second, so Discord answers no 429.
func TestLimiterKeepsUnderTheGlobalLimit(t *testing.T) {
	seed := emulator.DefaultSeed()
	var channels []string
	for i := range 8 {
		id := fmt.Sprint(300000000000000000 + i)
		seed.Guilds[0].Channels = append(seed.Guilds[0].Channels, emulator.SeedChannel{ID: id, Name: "c" + id, Type: emulator.ChannelText})
		channels = append(channels, id)
	}
	e := emulator.Start(t, emulator.Options{Seed: &seed, RateLimit: emulator.RateLimit{Global: 10}})
	s, l := limitedSession(t, e, 10)
	var wg sync.WaitGroup
	for _, ch := range channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2 {
				if err := send(s, ch, fmt.Sprint(i)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, q := range e.Requests() {
		if q.Status == http.StatusTooManyRequests {
			t.Errorf("%s %s answered 429", q.Method, q.Path)
		}
	}
	if l.Limited() != 0 {
		t.Errorf("%d answers of 429", l.Limited())
	}
}

// TestLimiterObeysA429: a 429 holds its channel's bucket for retry_after,
// and a global one every route.
func TestLimiterObeysA429(t *testing.T) {
	e := emulator.Start(t, emulator.Options{})
	s, l := limitedSession(t, e, GlobalLimit)
	e.Inject(emulator.Fault{Kind: "429", RetryAfter: 30, Path: "/channels/" + news1 + "/messages"})
	var rl *discordgo.RateLimitError
	if err := send(s, news1, "one"); !errors.As(err, &rl) {
		t.Fatalf("want a 429, got %v", err)
	}
	if d := l.Delay("POST", "/channels/"+news1+"/messages"); d < 29*time.Second {
		t.Errorf("after a 429 with retry_after 30 the channel waits %v", d)
	}
	if d := l.Delay("POST", "/channels/"+tech+"/messages"); d != 0 {
		t.Errorf("another channel waits %v after the first's 429", d)
	}
	e.Inject(emulator.Fault{Kind: "429", Global: true, RetryAfter: 20, Path: "/channels/" + tech})
	if err := send(s, tech, "two"); !errors.As(err, &rl) {
		t.Fatalf("want a global 429, got %v", err)
	}
	if d := l.Delay("GET", "/guilds/"+emulator.DefaultGuildID); d < 19*time.Second {
		t.Errorf("after a global 429 another route waits %v", d)
	}
	if d := l.Delay("POST", "/interactions/1/token/callback"); d != 0 {
		t.Errorf("an interaction answer waits %v: the global limit does not apply to it", d)
	}
	if l.Limited() != 2 {
		t.Errorf("counted %d 429s, want 2", l.Limited())
	}
}

// TestLimiterWaitsNoLongerThanTheContext: a request whose bucket is
// spent past its deadline is refused at once, saying how long it would
// have waited (the deliverer turns that into the outbox's wait), and one
// whose context ends stops waiting; neither reaches Discord.
func TestLimiterWaitsNoLongerThanTheContext(t *testing.T) {
	e := emulator.Start(t, emulator.Options{})
	l := NewLimiter(GlobalLimit)
	c := &http.Client{Transport: l.Transport(e.Client().Transport)}
	e.Inject(emulator.Fault{Kind: "429", RetryAfter: 60, Path: "/channels/" + news1})
	get := func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://discord.com/api/v10/channels/"+news1, nil)
		req.Header.Set("Authorization", "Bot x")
		return c.Do(req)
	}
	resp, err := get(context.Background())
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("first request: %v %v", resp, err)
	}
	resp.Body.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var held *waitError
	if _, err := get(ctx); !errors.As(err, &held) || held.wait < 50*time.Second {
		t.Errorf("a request held for a minute, with 5 s to go: %v; want it refused with the wait", err)
	}
	gone, stop := context.WithCancel(context.Background())
	stop()
	if _, err := get(gone); !errors.Is(err, context.Canceled) {
		t.Errorf("a request whose context ended while held: %v; want context.Canceled", err)
	}
	if n := len(e.Requests()); n != 1 {
		t.Errorf("%d requests reached the server; want the held ones kept back", n)
	}
}
