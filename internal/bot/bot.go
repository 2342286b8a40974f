// Package bot is newsbot's connection to Discord: it opens the discordgo
// session, registers the slash commands, routes interactions to their
// handlers and answers them in time, and delivers the outbox.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Handler answers interactions. The commands package implements it.
type Handler interface {
	// Commands are the slash command definitions to register.
	Commands() []*discordgo.ApplicationCommand
	// Respond answers one interaction: a command, an autocomplete or a
	// component. It must honour ctx; the bot defers when it runs long.
	Respond(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, error)
}

// Options configure a Bot.
type Options struct {
	Token         string // without the "Bot " prefix
	APIURL        string // a Discord-compatible base URL; empty means Discord
	ApplicationID string // empty: taken from READY
	GuildID       string // register commands in this guild; empty: globally
	Handler       Handler
	Log           *slog.Logger

	// DeferAfter is how long an interaction may run before the bot sends a
	// deferred response; Discord allows 3 s for the first one. Default 2 s.
	DeferAfter time.Duration

	// Shards says which gateway shards this process holds; the zero value
	// is one unsharded session.
	Shards ShardPlan
	// IdentifyInterval is how long shards sharing an identify bucket wait
	// between their IDENTIFYs; Discord's rule is 5 s (the default).
	IdentifyInterval time.Duration

	// Shared, when set, is waited on before every request that counts
	// against Discord's global rate limit: the budget several processes
	// share (shared.go). An error fails the request.
	Shared func(ctx context.Context) error
}

// Bot is a connected Discord session.
type Bot struct {
	opts    Options
	session *discordgo.Session // REST for everything, and the first shard's gateway
	limiter *Limiter           // paces every request of every session
	log     *slog.Logger
	shards  []*shard // the gateway sessions held, once Open has made them

	mu    sync.Mutex
	appID string
	ready <-chan struct{} // session's READY

	inflight sync.WaitGroup // interactions being answered
	closed   atomic.Bool    // set by Close: no gateway connection may open after it
}

// New prepares a session; Open connects it.
func New(o Options) (*Bot, error) {
	if strings.TrimSpace(o.Token) == "" {
		return nil, errors.New("bot: no Discord token: set discord.token (e.g. token: ${DISCORD_TOKEN}) and export DISCORD_TOKEN")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.DeferAfter <= 0 {
		o.DeferAfter = 2 * time.Second
	}
	if o.IdentifyInterval <= 0 {
		o.IdentifyInterval = 5 * time.Second
	}
	routeLogs(o.Log)
	b := &Bot{opts: o, log: o.Log, appID: o.ApplicationID}
	s, err := b.newSession()
	if err != nil {
		return nil, err
	}
	b.session = s
	b.ready = b.attach(s)
	return b, nil
}

// newSession is a discordgo session set up as the bot's sessions are. All
// of them share the first one's HTTP client and REST rate limiter, so one
// process keeps to one set of Discord's buckets.
func (b *Bot) newSession() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + strings.TrimPrefix(b.opts.Token, "Bot "))
	if err != nil {
		return nil, fmt.Errorf("bot: new session: %w", err)
	}
	if b.session != nil {
		// One client, so one limiter, for all of a process's sessions.
		s.Client, s.Ratelimiter = b.session.Client, b.session.Ratelimiter
	} else {
		// Every request the session makes is paced to Discord's rate limits.
		b.limiter = NewLimiter(GlobalLimit)
		var rt http.RoundTripper
		if b.opts.APIURL != "" {
			if rt, err = Redirect(b.opts.APIURL, nil); err != nil {
				return nil, err
			}
		}
		s.Client = &http.Client{Transport: b.limiter.Transport(b.shared(rt)), Timeout: 30 * time.Second}
	}
	// Interactions arrive whatever the intents; guilds alone keeps the
	// gateway quiet.
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShouldReconnectOnError = true
	s.Dialer = b.gatewayDialer()
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	return s, nil
}

// attach routes a session's READY and interactions to the bot; the
// channel closes on the session's first READY.
func (b *Bot) attach(s *discordgo.Session) <-chan struct{} {
	ready := make(chan struct{})
	var once sync.Once
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		b.mu.Lock()
		if b.appID == "" && r.Application != nil {
			b.appID = r.Application.ID
		}
		b.mu.Unlock()
		attrs := []any{"user", r.User.Username, "session", r.SessionID, "guilds", len(r.Guilds)}
		if r.Shard != nil {
			attrs = append(attrs, "shard", fmt.Sprintf("%d/%d", r.Shard[0], r.Shard[1]))
		}
		b.log.Info("connected to Discord", attrs...)
		once.Do(func() { close(ready) })
	})
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		b.inflight.Add(1)
		defer b.inflight.Done()
		b.answer(ic.Interaction, b.restCallback(ic.Interaction))
	})
	return ready
}

// Session is the discordgo session REST calls go through (and the first
// shard's gateway connection).
func (b *Bot) Session() *discordgo.Session { return b.session }

// Limiter is the rate limiter every request of the bot's sessions goes
// through.
func (b *Bot) Limiter() *Limiter { return b.limiter }

// Open connects the gateway - every shard this process holds - waits for
// READY and, in the process holding shard 0, registers the commands by
// bulk overwrite, so the registered set always equals this build's.
func (b *Bot) Open(ctx context.Context) error {
	if err := b.openGateway(ctx); err != nil {
		return err
	}
	if b.opts.Handler == nil {
		return nil
	}
	if !b.opts.Shards.HoldsZero() {
		b.log.Info("slash commands are registered by the process holding shard 0", "held", b.opts.Shards.IDs)
		return nil
	}
	cmds := b.opts.Handler.Commands()
	if _, err := b.session.ApplicationCommandBulkOverwrite(b.AppID(), b.opts.GuildID, cmds, discordgo.WithContext(ctx)); err != nil {
		b.closeGateway()
		scope := "globally"
		if b.opts.GuildID != "" {
			scope = "in guild " + b.opts.GuildID
		}
		return fmt.Errorf("bot: register %d slash commands %s: %w", len(cmds), scope, err)
	}
	b.log.Info("slash commands registered", "count", len(cmds), "guild", b.opts.GuildID)
	return nil
}

// AppID is the application id, known after Open.
func (b *Bot) AppID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID
}

// Close closes the gateway, so no new interaction arrives, then waits for
// those being answered (their answers go over REST, which stays usable).
// An interactions endpoint must be shut down first, for the same reason.
func (b *Bot) Close() error {
	b.closed.Store(true)
	err := b.closeGateway()
	b.inflight.Wait()
	return err
}

// gatewayDialer is websocket's default dialer, refusing once the bot is
// closed. discordgo's reconnect loop, once started by a missed heartbeat,
// runs until an Open succeeds and Close does not stop it: without this a
// closed bot would reconnect forever — in tests, to whatever server next
// takes its old port.
func (b *Bot) gatewayDialer() *websocket.Dialer {
	d := *websocket.DefaultDialer
	var dialer net.Dialer
	d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if b.closed.Load() {
			return nil, errors.New("bot: closed; not reconnecting to the gateway")
		}
		return dialer.DialContext(ctx, network, addr)
	}
	return &d
}

// Redirect returns a RoundTripper that sends every request for Discord's
// API to base instead (scheme and host rewritten, path kept), so discordgo
// can talk to any Discord-compatible server without touching its global
// endpoint variables.
func Redirect(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bot: discord.api_url %q is not an http(s) URL", base)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return redirect{base: u, next: next}, nil
}

type redirect struct {
	base *url.URL
	next http.RoundTripper
}

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Hostname())
	if host == "discord.com" || host == "discordapp.com" || strings.HasSuffix(host, ".discord.com") {
		out := req.Clone(req.Context())
		out.URL.Scheme = r.base.Scheme
		out.URL.Host = r.base.Host
		out.URL.Path = strings.TrimSuffix(r.base.Path, "/") + req.URL.Path
		out.Host = r.base.Host
		// http.Client names the URL it was handed in every error it
		// returns ("Post \"https://discord.com/…\": connection refused"),
		// which sends an admin whose api_url points elsewhere looking in
		// the wrong place. Its request is discordgo's own, built for this
		// one call, so it is told where the request really went.
		*req.URL = *out.URL
		req = out
	}
	return r.next.RoundTrip(req)
}

// routeLogs sends discordgo's own log lines to l instead of the standard
// logger. discordgo has one package-wide logger, so the last bot created
// in a process owns it; the hook is installed once and reads the current
// logger atomically, so sessions still closing never race a new one. Its
// "errors" are mostly transient (a reconnect), so they arrive as warnings.
func routeLogs(l *slog.Logger) {
	discordLog.Store(l)
	installLogHook.Do(func() {
		discordgo.Logger = func(level, _ int, format string, a ...any) {
			l := discordLog.Load()
			msg := "discordgo: " + fmt.Sprintf(format, a...)
			switch level {
			case discordgo.LogError, discordgo.LogWarning:
				l.Warn(msg)
			case discordgo.LogInformational:
				l.Info(msg)
			default:
				l.Debug(msg)
			}
		}
	})
}

var (
	discordLog     atomic.Pointer[slog.Logger]
	installLogHook sync.Once
)
