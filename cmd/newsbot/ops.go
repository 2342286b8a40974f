package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
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
}

// newOps prepares metrics when the config asks for a listener.
func newOps(listen string, db *store.DB) *ops {
	if listen == "" {
		return &ops{}
	}
	b := build()
	return &ops{m: metrics.New(metrics.Build{Version: b.Version, Revision: b.Revision}, db.OutboxBacklog)}
}

// watch hooks the Discord session before it opens: 429s on its REST
// client, and gateway connections coming and going.
func (o *ops) watch(s *discordgo.Session) {
	if o.m == nil {
		return
	}
	s.Client.Transport = o.m.Transport(s.Client.Transport)
	s.AddHandler(func(*discordgo.Session, *discordgo.Connect) { o.m.GatewayUp() })
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { o.m.GatewayDown() })
}

// serve starts the listener: /metrics, and /healthz answering 200 while
// the gateway is connected and the store takes writes.
func (o *ops) serve(addr string, s *discordgo.Session, db *store.DB, log *slog.Logger) error {
	if o.m == nil {
		return nil
	}
	checks := []metrics.Check{
		{Name: "gateway", Check: func(context.Context) error { return gatewayUp(s) }},
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

// gatewayUp reads discordgo's own flag: set once the connection is
// identified and beating, cleared the moment it closes.
func gatewayUp(s *discordgo.Session) error {
	s.RLock()
	up := s.DataReady
	s.RUnlock()
	if !up {
		return errors.New("not connected to the Discord gateway (reconnecting)")
	}
	return nil
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
