package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/outbox"
	"github.com/newsbot-dev/newsbot/internal/scheduler"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// app is the running bot, wired from one config that can be swapped while
// it runs. A story's path through it: the scheduler fires ingest on the
// feed's schedule; ingest fetches, parses and saves, and the store queues
// a delivery per channel; the scheduler wakes the outbox, which hands each
// delivery to the bot, which renders it and sends it to Discord.
type app struct {
	cfg    atomic.Pointer[config.Config]
	log    *slog.Logger
	db     *store.DB
	bot    *bot.Bot
	ingest *ingest.Poller
	sched  *scheduler.Scheduler
	outbox *outbox.Outbox
	ops    *ops
	shared *cluster // nil unless other processes share the database

	stopOutbox context.CancelFunc
	outboxDone chan struct{}

	works    bool                // this process polls and posts (see --work)
	endpoint *interactionsServer // nil without interactions.listen

	reloadMu sync.Mutex
}

// appOptions let the playground and tests watch and tune the app without
// reaching into it. The zero value is production behaviour.
type appOptions struct {
	onPost    func(d news.Delivery, m *discordgo.Message)
	afterPoll func(feedID string, res ingest.Result, err error)
	afterSend func(d news.Delivery) error // see bot.Deliverer.AfterSend

	commentSources ingest.CommentSources // where HN and Reddit answer; tests use a local site
	clock          func() time.Time      // ingest's clock (time.Now when nil); tests step it past refresh intervals

	backoffBase time.Duration // first wait after a failed poll
	retryBase   time.Duration // first wait after a failed delivery
	idle        time.Duration // outbox check interval when nothing wakes it

	shards           bot.ShardPlan // discord.shards with --shard-ids; zero: one unsharded session
	work             workMode      // --work
	identifyInterval time.Duration // between IDENTIFYs of one bucket; zero: Discord's 5 s
}

// startApp opens the store, connects to Discord and starts polling. The
// caller stops it with stop.
func startApp(ctx context.Context, cfg *config.Config, log *slog.Logger, o appOptions) (*app, error) {
	if strings.TrimSpace(cfg.Discord.Token) == "" {
		return nil, fmt.Errorf("%s: no Discord token: set discord.token (token: ${DISCORD_TOKEN}) and export DISCORD_TOKEN", cfg.Path)
	}
	db, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	a := &app{log: log, db: db, works: o.work.on(o.shards, db.Shared()), ops: newOps(cfg.Metrics.Listen, db)}
	a.cfg.Store(cfg)
	if a.shared, err = newCluster(ctx, db, cfg.Cluster, log); err != nil {
		db.Close()
		return nil, err
	}
	bo := bot.Options{
		Token: cfg.Discord.Token, APIURL: cfg.Discord.APIURL,
		ApplicationID: cfg.Discord.ApplicationID, GuildID: cfg.Discord.GuildID,
		Handler: a.ops.handler(newHandler(a)), Log: log,
		Shards: o.shards, IdentifyInterval: o.identifyInterval,
	}
	var outboxStore outbox.Store = db
	var claims scheduler.Claims
	if a.shared != nil {
		bo.Shared, outboxStore, claims = a.shared.limit, a.shared.w, a.shared.w
	}
	b, err := bot.New(bo)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.ops.watch(b)
	// Everything an interaction may touch exists before the gateway opens.
	a.wire(cfg, b, o, outboxStore, claims)
	// The listener is up before the gateway: a health probe during start
	// hears "not connected" rather than nothing.
	if err := a.ops.serve(cfg.Metrics.Listen, db, log); err != nil {
		db.Close()
		return nil, err
	}
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := b.Open(openCtx); err != nil {
		a.ops.close()
		db.Close()
		return nil, err
	}
	a.bot = b
	a.ops.opened(b)
	if err := a.serveInteractions(cfg); err != nil {
		a.stop()
		return nil, err
	}
	if !a.works {
		log.Info("newsbot running without polling feeds or posting (--work=false, or no shard 0 here): another process does that",
			"feeds", len(cfg.Feeds), "database", cfg.Database)
		return a, nil
	}
	// Every feed's state and subscriptions, read once; channels Discord
	// refused before get another chance.
	if err := a.ingest.Load(ctx); err != nil {
		a.stop()
		return nil, err
	}
	outboxCtx, stopOutbox := context.WithCancel(ctx)
	a.stopOutbox, a.outboxDone = stopOutbox, make(chan struct{})
	if a.shared != nil {
		a.shared.start(ctx)
	}
	go func() {
		defer close(a.outboxDone)
		a.outbox.Run(outboxCtx)
	}()
	a.sched.Start(ctx)
	if err := a.sched.Apply(cfg.Feeds); err != nil {
		a.stop()
		return nil, err
	}
	log.Info("newsbot running", "feeds", len(cfg.Feeds), "database", db.Path())
	return a, nil
}

// wire builds the stages a story passes through: ingest, the outbox that
// hands deliveries to the bot, and the scheduler that fires both.
func (a *app) wire(cfg *config.Config, b *bot.Bot, o appOptions, outboxStore outbox.Store, claims scheduler.Claims) {
	a.ingest = &ingest.Poller{
		Store: a.db, Fetcher: a.ops.fetcher(ingest.NewFetcher(cfg.Fetch)), Log: a.log,
		NoticeAfter: cfg.Fetch.FailureNoticeAfter, BackoffBase: o.backoffBase, Sources: o.commentSources,
		Now: o.clock, Shared: a.shared != nil,
	}
	a.outbox = outbox.New(outboxStore, &bot.Deliverer{
		Session: b.Session(), Limiter: b.Limiter(), Store: a.db, Log: a.log, Feeds: a.feed,
		OnPost: o.onPost, AfterSend: o.afterSend,
		BotID: func() string {
			if u := b.Session().State.User; u != nil {
				return u.ID
			}
			return ""
		},
	}, outbox.Options{Log: a.log, Idle: o.idle, RetryBase: o.retryBase, Observer: a.ops.observer()})
	a.sched = scheduler.New(a.ingest, scheduler.Options{
		Location: cfg.Location, Jitter: cfg.Fetch.Jitter, Log: a.log,
		MaxPolls: cfg.Fetch.MaxConcurrent, PerHost: cfg.Fetch.PerHost,
		AfterPoll: func(feedID string, res ingest.Result, err error) {
			a.ops.afterPoll(feedID, res, err)
			if o.afterPoll != nil {
				o.afterPoll(feedID, res, err)
			}
		},
		Wake: a.outbox.Wake, Claims: claims,
	})
}

// feed looks a feed up in the current config.
func (a *app) feed(id string) (config.Feed, bool) { return a.cfg.Load().Feed(id) }

// reload swaps in the config at path when it is valid; an invalid file is
// logged and the running config stays.
func (a *app) reload(path string) error {
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	cfg, err := config.Load(path)
	if err != nil {
		a.log.Error("config not reloaded; the previous one keeps running", "file", path, "err", err)
		return err
	}
	old := a.cfg.Load()
	if changed := restartOnly(old, cfg); len(changed) > 0 {
		a.log.Warn("these settings take effect only on restart; the running values stay",
			"file", path, "settings", strings.Join(changed, ", "))
	}
	cfg.Database, cfg.Discord, cfg.Fetch, cfg.Timezone, cfg.Location = old.Database, old.Discord, old.Fetch, old.Timezone, old.Location
	cfg.Log, cfg.Summarize, cfg.Interactions, cfg.Metrics, cfg.Cluster = old.Log, old.Summarize, old.Interactions, old.Metrics, old.Cluster
	if err := a.sched.Apply(cfg.Feeds); err != nil {
		a.log.Error("config not reloaded", "file", path, "err", err)
		return err
	}
	a.cfg.Store(cfg)
	if a.works { // the process that posts retries the channels: its memory of them must hear of it
		if err := a.ingest.HealBroken(context.Background()); err != nil {
			a.log.Warn("channels that refused posts before were not retried", "err", err)
		}
	}
	a.log.Info("config reloaded", "file", path, "feeds", len(cfg.Feeds))
	return nil
}

// restartOnly names the top-level settings that differ between two
// configs but are read once at start: the store, the Discord session, the
// fetcher, the clock's time zone, logging and the summarizer.
func restartOnly(old, cfg *config.Config) []string {
	var out []string
	for _, c := range []struct {
		name string
		same bool
	}{
		{"database", old.Database == cfg.Database},
		{"discord", old.Discord == cfg.Discord},
		{"fetch", old.Fetch == cfg.Fetch},
		{"timezone", old.Timezone == cfg.Timezone},
		{"log", old.Log == cfg.Log},
		{"summarize", old.Summarize == cfg.Summarize},
		{"interactions", old.Interactions == cfg.Interactions},
		{"metrics", old.Metrics == cfg.Metrics},
		{"cluster", old.Cluster == cfg.Cluster},
	} {
		if !c.same {
			out = append(out, c.name)
		}
	}
	return out
}

// stop waits for the polls running, finishes the delivery in flight,
// closes the gateway, then the store.
func (a *app) stop() {
	if a.sched != nil {
		a.sched.Stop()
	}
	if a.ingest != nil {
		if err := a.ingest.Flush(context.Background()); err != nil {
			a.log.Warn("feed poll times not written", "err", err)
		}
	}
	if a.stopOutbox != nil {
		a.stopOutbox()
		<-a.outboxDone
	}
	if a.shared != nil {
		a.shared.stop()
	}
	a.stopInteractions()
	if a.bot != nil {
		a.bot.Close()
	}
	a.ops.close()
	a.db.Close()
}

// newLogger builds the process logger from the config's log section.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// fileStamp is what tells a config file changed without reading it.
type fileStamp struct {
	mod  time.Time
	size int64
}

// stampOf stamps the file at path; a missing file stamps as size -1.
func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{size: -1}
	}
	return fileStamp{fi.ModTime(), fi.Size()}
}

// watchConfig reloads the config on SIGHUP (hup) and whenever the file
// differs from since - the stamp taken before the running config was read,
// so an edit made while it loaded is not missed - until ctx ends.
func (a *app) watchConfig(ctx context.Context, path string, since fileStamp, hup <-chan os.Signal, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			a.log.Info("SIGHUP: reloading config", "file", path)
			since = stampOf(path)
			if a.reload(path) == nil && a.shared != nil {
				a.shared.configReloaded(ctx)
			}
			continue
		case <-tick.C:
			if a.shared != nil && a.shared.configChanged(ctx) {
				a.log.Info("another process reloaded the config: reloading", "file", path)
				break
			}
			if now := stampOf(path); now == since {
				continue
			}
			a.log.Info("config file changed: reloading", "file", path)
		}
		since = stampOf(path)
		a.reload(path)
	}
}
