package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/metrics"
	"github.com/newsbot-dev/newsbot/internal/outbox"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// ops is the operations side of a running bot: the metrics the stages
// report to, and the listener serving them with /healthz. Its zero value
// (metrics.listen unset) reports nowhere and serves nothing.
type ops struct {
	m   *metrics.Metrics
	srv *metrics.Server
	// sessions are the gateway sessions (shards) the process holds: the
	// first alone until the bot has opened them all.
	sessions atomic.Pointer[[]*discordgo.Session]
}

// newOps prepares metrics when the config asks for a listener.
func newOps(listen string, db *store.DB) *ops {
	o := &ops{}
	if listen == "" {
		return o
	}
	b := build()
	o.m = metrics.New(metrics.Build{Version: b.Version, Revision: b.Revision}, db.OutboxBacklog, o.gateway)
	return o
}

// watch hooks the bot before it opens: 429s on the REST client all its
// sessions share.
func (o *ops) watch(b *bot.Bot) {
	o.sessions.Store(&[]*discordgo.Session{b.Session()})
	if o.m != nil {
		s := b.Session()
		s.Client.Transport = o.m.Transport(s.Client.Transport)
	}
}

// opened learns every shard the bot opened; from now on each connection
// a session makes is a reconnect.
func (o *ops) opened(b *bot.Bot) {
	all := b.Sessions()
	o.sessions.Store(&all)
	if o.m == nil {
		return
	}
	for _, s := range all {
		s.AddHandler(func(*discordgo.Session, *discordgo.Connect) { o.m.GatewayReconnected() })
	}
}

// held are the gateway sessions known so far.
func (o *ops) held() []*discordgo.Session {
	if p := o.sessions.Load(); p != nil {
		return *p
	}
	return nil
}

// gateway counts the held sessions that are connected.
func (o *ops) gateway() (up, held int) {
	all := o.held()
	for _, s := range all {
		if sessionUp(s) {
			up++
		}
	}
	return up, len(all)
}

// serve starts the listener: /metrics, and /healthz answering 200 while
// every gateway session is connected and the store takes writes.
func (o *ops) serve(addr string, db *store.DB, log *slog.Logger) error {
	if o.m == nil {
		return nil
	}
	checks := []metrics.Check{
		{Name: "gateway", Check: func(context.Context) error { return o.gatewayUp() }},
		{Name: "store", Check: db.Writable},
	}
	srv, err := metrics.Listen(addr, metrics.Mux(o.m, checks), log)
	if err != nil {
		return err
	}
	o.srv = srv
	log.Info("operations listener", "metrics", "http://"+srv.Addr()+"/metrics", "healthz", "http://"+srv.Addr()+"/healthz")
	return nil
}

func (o *ops) close() {
	if o.srv != nil {
		o.srv.Close()
	}
}

// gatewayUp says which held sessions are down, if any.
func (o *ops) gatewayUp() error {
	all := o.held()
	var down []string
	for _, s := range all {
		if !sessionUp(s) {
			down = append(down, fmt.Sprintf("shard %d of %d", s.ShardID, max(s.ShardCount, 1)))
		}
	}
	switch {
	case len(all) == 0:
		return errors.New("the bot has no gateway session yet")
	case len(down) == 0:
		return nil
	case len(all) == 1:
		return errors.New("not connected to the Discord gateway (reconnecting)")
	}
	return fmt.Errorf("not connected to the Discord gateway (reconnecting): %s", strings.Join(down, ", "))
}

// sessionUp reads discordgo's own flag: set once the connection is
// identified and beating, cleared the moment it closes.
func sessionUp(s *discordgo.Session) bool {
	s.RLock()
	defer s.RUnlock()
	return s.DataReady
}

// afterPoll counts a poll's outcome and the stories it brought.
func (o *ops) afterPoll(feedID string, res ingest.Result, err error) {
	if o.m == nil {
		return
	}
	outcome := "ok"
	switch {
	case err != nil:
		outcome = "error"
	case res.Skipped:
		outcome = "skipped"
	case res.NotModified:
		outcome = "not_modified"
	}
	o.m.Poll(feedID, outcome, res.New, res.Updated)
}

// fetcher times every fetch ingest makes: feeds, and comment sources'
// answers (the requests that may never read a local file).
func (o *ops) fetcher(f ingest.Fetcher) ingest.Fetcher {
	if o.m == nil {
		return f
	}
	return timedFetcher{next: f, m: o.m}
}

type timedFetcher struct {
	next ingest.Fetcher
	m    *metrics.Metrics
}

func (t timedFetcher) Fetch(ctx context.Context, r feed.Request) (*feed.Response, error) {
	start := time.Now()
	resp, err := t.next.Fetch(ctx, r)
	target := "feed"
	if r.RemoteOnly {
		target = "comments"
	}
	t.m.Fetch(target, time.Since(start), err)
	return resp, err
}

// handler times each interaction's answer by command.
func (o *ops) handler(h bot.Handler) bot.Handler {
	if o.m == nil {
		return h
	}
	known := map[string]bool{}
	for _, c := range h.Commands() {
		known[c.Name] = true
	}
	return timedHandler{Handler: h, m: o.m, known: known}
}

type timedHandler struct {
	bot.Handler
	m     *metrics.Metrics
	known map[string]bool // label values are only names newsbot registered
}

func (t timedHandler) Respond(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	start := time.Now()
	resp, err := t.Handler.Respond(ctx, i)
	name, typ := t.label(i)
	t.m.Command(name, typ, time.Since(start))
	return resp, err
}

// Ephemeral passes the hint on: the bot asks its handler before deferring.
func (t timedHandler) Ephemeral(i *discordgo.Interaction) bool {
	h, ok := t.Handler.(bot.EphemeralHinter)
	return ok && h.Ephemeral(i)
}

func (t timedHandler) label(i *discordgo.Interaction) (name, typ string) {
	name = "unknown"
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		typ = "command"
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			typ = "autocomplete"
		}
		if d, ok := commandName(i); ok && t.known[d] {
			name = d
		}
	case discordgo.InteractionMessageComponent:
		typ = "component"
		if d, ok := i.Data.(discordgo.MessageComponentInteractionData); ok {
			if prefix, _, _ := strings.Cut(d.CustomID, ":"); t.known[prefix] {
				name = prefix
			}
		}
	default:
		typ = fmt.Sprintf("type_%d", i.Type)
	}
	return name, typ
}

func commandName(i *discordgo.Interaction) (string, bool) {
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		return d.Name, true
	case *discordgo.ApplicationCommandInteractionData:
		return d.Name, d != nil
	}
	return "", false
}

// observer is what the outbox reports deliveries to; nil with metrics off.
func (o *ops) observer() outbox.Observer {
	if o.m == nil {
		return nil
	}
	return o.m
}
