// Package emulator is a local stand-in for Discord: a REST API under
// /api/v9 and /api/v10 and a gateway websocket that the unmodified
// discordgo client connects to. It keeps state the way Discord does
// (guilds, channels, threads and forum posts, messages with edits, channel
// webhooks, crossposts, commands, interactions)
// and enforces Discord's rules — length limits, permissions, the 3 s
// interaction deadline, once-only callbacks, nonces, rate limits — with
// Discord's status codes and error bodies, so tests of the bot run the real
// client over real HTTP and websockets.
//
// Besides Discord's routes it serves a control API under /_emulator/ for
// tests, the playground and curl: channels, messages, the request log,
// typed slash commands dispatched as interactions, fault injection, and a
// stream of every change as server-sent events.
//
// In a test:
//
//	e := emulator.Start(t, emulator.Options{HeartbeatInterval: time.Second})
//	s, _ := discordgo.New("Bot any-token")
//	s.Client = e.Client() // discord.com requests go to e.URL; the gateway URL is e's own
//	s.Open()
//	res, err := e.Interact(ctx, emulator.InteractionRequest{Command: "/quote story:1 author:ChrisW"})
//	msgs := e.Messages(emulator.DefaultNewsChannel)
//
// On its own (`newsbot emulator --listen 127.0.0.1:7777`), with curl:
//
//	curl localhost:7777/_emulator/channels
//	curl -d '{"command":"/quote story:1"}' localhost:7777/_emulator/interactions
//	curl -d '{"kind":"429","count":2,"retry_after":0.5}' localhost:7777/_emulator/faults
//
// Given Discord's OpenAPI description (Options.OpenAPIFile), it validates
// request bodies against it and checks its own answers and gateway events
// against it too (Violations).
//
// It speaks Discord's wire format only and imports nothing of newsbot's.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server. The zero value is Discord's behaviour with
// the default seed.
type Options struct {
	// Token, when set, is the only bot token accepted ("Bot <Token>");
	// otherwise any "Bot …" token is.
	Token string
	// Seed is the starting world; nil means SeedFile, or DefaultSeed.
	Seed *Seed
	// SeedFile is a YAML or JSON seed (see Seed), used when Seed is nil.
	SeedFile string
	// HeartbeatInterval is sent in HELLO (default 41.25 s, Discord's).
	HeartbeatInterval time.Duration
	// InteractionDeadline is the time for the first callback (default 3 s).
	InteractionDeadline time.Duration
	// TokenLifetime is how long an interaction token works for @original
	// and followups (default 15 min).
	TokenLifetime time.Duration
	// NonceWindow is how long enforce_nonce remembers a nonce (default 5 min).
	NonceWindow time.Duration
	// ResponseWait bounds how long Interact waits for the @original edit
	// after a deferred answer, and for requested followups (default 15 s).
	ResponseWait time.Duration
	// RateLimit tunes the rate limits (zero value: see RateLimit).
	RateLimit RateLimit
	// OpenAPIFile, when set, is Discord's OpenAPI description; every JSON
	// request body is then validated against it as well, and every answer
	// and gateway dispatch the emulator sends is checked against it (see
	// Violations; Start fails the test on any).
	OpenAPIFile string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger

	// Shards is the shard count GET /gateway/bot recommends; 0 means one
	// shard per 1000 guilds, as Discord recommends, and never fewer than
	// MaxGuildsPerShard requires.
	Shards int
	// MaxGuildsPerShard is the most guilds one session may hold; a session
	// that would hold more is closed with 4011 (sharding required).
	// Default 2500, Discord's; a test sets 1 to require sharding with two
	// guilds.
	MaxGuildsPerShard int
	// MaxConcurrency is session_start_limit.max_concurrency: how many
	// shards may identify at once (default 1).
	MaxConcurrency int
	// IdentifyWindow, when set, enforces Discord's identify rate: shards
	// identify in buckets (shard id % MaxConcurrency), one per bucket per
	// window, and a sooner IDENTIFY gets op 9 (GatewayStats counts them).
	// Discord's window is 5 s; zero leaves it unenforced so tests that
	// reconnect often stay fast.
	IdentifyWindow time.Duration

	// InteractionsURL, when set, is the application's interactions
	// endpoint: interactions are POSTed there, signed with the emulator's
	// key (see PublicKey), instead of being sent over the gateway, as
	// Discord does once an endpoint is configured. Unlike
	// SetInteractionsEndpoint it is not verified first: the bot may not
	// be listening yet.
	InteractionsURL string
}

func (o *Options) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.HeartbeatInterval, 41250*time.Millisecond)
	set(&o.InteractionDeadline, 3*time.Second)
	set(&o.TokenLifetime, 15*time.Minute)
	set(&o.NonceWindow, 5*time.Minute)
	set(&o.ResponseWait, 15*time.Second)
	o.RateLimit.defaults()
	o.shardDefaults()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Server is an emulated Discord. Create one with New; serve it with
// Handler or ListenAndServe.
type Server struct {
	opts Options
	seed Seed
	log  *slog.Logger

	mu       sync.Mutex // guards st, requests, schemas
	st       *state
	requests []Request
	schemas  map[string]bool

	conform conformance

	faults  *faultSet
	limiter *limiter
	events  *eventHub
	gw      *gateway
	spec    *openAPISpec
	routes  []*route
	handler http.Handler

	endpoint endpoint // the interactions endpoint, if any, and the key that signs for it

	closeOnce sync.Once
	httpSrv   *http.Server
}

// maxRequests caps the request log so a long playground session stays small.
const maxRequests = 20000

// New builds a server from opts.
func New(opts Options) (*Server, error) {
	opts.defaults()
	seed, err := resolveSeed(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:    opts,
		seed:    seed,
		log:     opts.Logger,
		schemas: map[string]bool{},
		faults:  &faultSet{},
		limiter: newLimiter(opts.RateLimit),
		events:  newEventHub(),
	}
	if s.endpoint, err = newEndpoint(opts.InteractionsURL); err != nil {
		return nil, err
	}
	if opts.OpenAPIFile != "" {
		if s.spec, err = loadOpenAPI(opts.OpenAPIFile); err != nil {
			return nil, err
		}
	}
	s.st = newState(seed, time.Now())
	s.gw = newGateway(s)
	s.routes = apiRoutes()
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.gw.serveWS)
	mux.HandleFunc("/gateway/", s.gw.serveWS)
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/_emulator/", s.serveControl)
	mux.HandleFunc("GET /_emulator/events", s.serveEvents)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeAPIError(w, errNotFound()) })
	s.handler = mux
	return s, nil
}

func resolveSeed(opts Options) (Seed, error) {
	switch {
	case opts.Seed != nil:
		seed := *opts.Seed
		if err := seed.check(); err != nil {
			return Seed{}, fmt.Errorf("seed: %w", err)
		}
		return seed, nil
	case opts.SeedFile != "":
		return LoadSeed(opts.SeedFile)
	}
	seed := DefaultSeed()
	if err := seed.check(); err != nil {
		return Seed{}, fmt.Errorf("default seed: %w", err)
	}
	return seed, nil
}

// Handler serves Discord's routes, the gateway at /gateway and the control
// API at /_emulator/.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe listens on addr (such as "127.0.0.1:0") and serves in the
// background until ctx is done or Close is called. It returns the base
// URL, e.g. "http://127.0.0.1:41234", once the listener is bound.
func (s *Server) ListenAndServe(ctx context.Context, addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("emulator listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.httpSrv = srv
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("emulator serve", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close drops every gateway connection, stops interaction timers and shuts
// the listener started by ListenAndServe.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.gw.closeAll()
		s.mu.Lock()
		for _, in := range s.st.interactions {
			in.expire()
		}
		srv := s.httpSrv
		s.mu.Unlock()
		if srv != nil {
			err = srv.Close()
		}
	})
	return err
}

// Reset forgets messages, threads created since start, interactions,
// nonces, recorded requests, faults and rate-limit state. Registered
// commands and gateway sessions survive, so a connected bot keeps working.
func (s *Server) Reset() {
	s.faults.clear()
	s.limiter.reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.st.interactions {
		in.expire()
	}
	cmds, last := s.st.commands, s.st.lastID
	s.st = newState(s.seed, time.Now())
	s.st.commands, s.st.lastID = cmds, last
	s.requests = nil
	s.events.dropAll() // their clients reconnect and start from the new state
}

// ApplicationID is the emulated application's id.
func (s *Server) ApplicationID() string { return s.seed.ApplicationID }

// BotUser is the bot's user object.
func (s *Server) BotUser() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.bot
}
