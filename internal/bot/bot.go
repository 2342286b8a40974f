// Package bot is newsbot's connection to Discord: it opens the discordgo
// session, registers the slash commands, routes interactions to their
// handlers and answers them in time, and delivers the outbox.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
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

	// Limit, when set, is waited on before every request that counts
	// against Discord's global rate limit: the budget several processes
	// share (limit.go). An error fails the request.
	Limit func(ctx context.Context) error
}

// Bot is a connected Discord session.
type Bot struct {
	opts    Options
	session *discordgo.Session
	log     *slog.Logger

	mu    sync.Mutex
	appID string
	ready chan struct{}

	inflight sync.WaitGroup // interactions being answered
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
	routeLogs(o.Log)
	s, err := discordgo.New("Bot " + strings.TrimPrefix(o.Token, "Bot "))
	if err != nil {
		return nil, fmt.Errorf("bot: new session: %w", err)
	}
	if o.APIURL != "" {
		rt, err := Redirect(o.APIURL, nil)
		if err != nil {
			return nil, err
		}
		s.Client = &http.Client{Transport: rt, Timeout: 30 * time.Second}
	} else {
		s.Client = &http.Client{Timeout: 30 * time.Second}
	}
	// Interactions arrive whatever the intents; guilds alone keeps the
	// gateway quiet.
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	b := &Bot{opts: o, session: s, log: o.Log, appID: o.ApplicationID, ready: make(chan struct{})}
	b.limit(s.Client)
	var once sync.Once
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		b.mu.Lock()
		if b.appID == "" && r.Application != nil {
			b.appID = r.Application.ID
		}
		b.mu.Unlock()
		b.log.Info("connected to Discord", "user", r.User.Username, "session", r.SessionID, "guilds", len(r.Guilds))
		once.Do(func() { close(b.ready) })
	})
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		b.inflight.Add(1)
		defer b.inflight.Done()
		b.answer(ic.Interaction)
	})
	return b, nil
}

// Session is the underlying discordgo session.
func (b *Bot) Session() *discordgo.Session { return b.session }

// Open connects the gateway, waits for READY and registers the commands
// by bulk overwrite, so the registered set always equals this build's.
func (b *Bot) Open(ctx context.Context) error {
	if err := b.session.Open(); err != nil {
		return fmt.Errorf("bot: connect to Discord: %w", err)
	}
	select {
	case <-b.ready:
	case <-ctx.Done():
		b.session.Close()
		return fmt.Errorf("bot: waiting for READY: %w", ctx.Err())
	}
	if b.opts.Handler == nil {
		return nil
	}
	cmds := b.opts.Handler.Commands()
	if _, err := b.session.ApplicationCommandBulkOverwrite(b.AppID(), b.opts.GuildID, cmds, discordgo.WithContext(ctx)); err != nil {
		b.session.Close()
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
func (b *Bot) Close() error {
	err := b.session.Close()
	b.inflight.Wait()
	return err
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
		req = req.Clone(req.Context())
		req.URL.Scheme = r.base.Scheme
		req.URL.Host = r.base.Host
		req.URL.Path = strings.TrimSuffix(r.base.Path, "/") + req.URL.Path
		req.Host = r.base.Host
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
