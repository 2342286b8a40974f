package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/preflight"
)

func init() {
	register(command{
		name:    "run",
		usage:   "--config FILE [--shard-ids 0,1|0-3] [--work[=false]]",
		summary: "run the bot: poll feeds, post to Discord, answer slash commands",
		run:     runBot,
	})
}

func runBot(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "run")
	path := fs.String("config", "", "configuration file (see config.example.yaml)")
	shardIDs := fs.String("shard-ids", "", "gateway `shards` this process holds, such as 0,1 or 0-3, out of discord.shards (default: all); "+
		"the processes of one bot must hold every shard between them")
	var work workMode
	fs.Var(&work, "work", "poll feeds and post stories in this process: true, false, or auto (default: every process on a PostgreSQL database, "+
		"which shares the work; with SQLite only the process holding shard 0, since exactly one process may do it or each story is posted once per process)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: --config FILE is required", errUsage)
	}
	var ids []int
	if *shardIDs != "" {
		var err error
		if ids, err = parseShardIDs(*shardIDs); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	since := stampOf(*path)
	cfg, err := config.Load(*path)
	if err != nil {
		return err
	}
	plan, err := shardPlan(cfg, ids)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, env.stderr)
	// What check would say, said at start too: a feed that cannot work
	// should not wait for its first failed poll to be noticed.
	for _, f := range preflight.Check(cfg, time.Now()) {
		log.Warn("config: "+f.Msg, "feed", f.Feed, "line", f.Line, "severity", f.Severity)
	}
	a, err := startApp(ctx, cfg, log, appOptions{shards: plan, work: work})
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go a.watchConfig(ctx, *path, since, hup, 2*time.Second)
	<-ctx.Done()
	log.Info("shutting down: finishing the delivery in flight")
	a.stop()
	return nil
}
