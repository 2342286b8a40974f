package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

func init() {
	register(command{
		name:    "emulator",
		usage:   "[--listen ADDR] [--state FILE] [--openapi FILE] [--heartbeat DURATION] [--rate-limits LIMITS] [--shards N] [--max-concurrency N] [--interactions-url URL]",
		summary: "run the local Discord stand-in (REST, gateway, control API at /_emulator/)",
		run:     runEmulator,
	})
}

// runEmulator serves the emulator until interrupted, printing its base URL
// on stdout (useful with --listen 127.0.0.1:0) and one log line per
// request on stderr.
func runEmulator(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "emulator")
	listen := fs.String("listen", "127.0.0.1:7777", "`address` to listen on")
	state := fs.String("state", "", "seed `file` (YAML or JSON): guilds, channels, users, roles; default: one guild \"Newsroom\"")
	openapi := fs.String("openapi", "", "Discord's OpenAPI description `file`; validate every request body against it, and check every answer")
	heartbeat := fs.Duration("heartbeat", 41250*time.Millisecond, "heartbeat `interval` the gateway asks for in HELLO (Discord's is 41.25s; a short one exercises clients' heartbeats in seconds)")
	limits := fs.String("rate-limits", "default", "rate `limits`: a preset (default: 50 per bucket and 50 globally a second; discord: Discord's, with messages 5 per 5s per channel; off), then settings, comma-separated: global=N, requests=N/WINDOW, \"METHOD /ROUTE=N/WINDOW\"; e.g. discord,global=100")
	shards := fs.Int("shards", 0, "shard `count` GET /gateway/bot recommends (default: one per 1000 guilds, as Discord does)")
	maxGuilds := fs.Int("max-guilds-per-shard", 2500, "a session holding more guilds than `this` is closed with 4011 (sharding required); 1 requires sharding with two guilds")
	concurrency := fs.Int("max-concurrency", 1, "session_start_limit.max_concurrency: how many shards may identify `at once`")
	endpoint := fs.String("interactions-url", "", "send interactions to this `URL`, signed with the emulator's key (its public key is logged), instead of over the gateway")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *heartbeat < time.Millisecond {
		return fmt.Errorf("%w: --heartbeat %v: want a positive interval such as 41.25s or 2s", errUsage, *heartbeat)
	}
	if *shards < 0 || *maxGuilds < 1 || *concurrency < 1 {
		return fmt.Errorf("%w: --shards must not be negative, --max-guilds-per-shard and --max-concurrency must be at least 1", errUsage)
	}
	rl, err := emulator.ParseRateLimit(*limits)
	if err != nil {
		return fmt.Errorf("%w: --rate-limits: %v", errUsage, err)
	}
	logger := slog.New(slog.NewTextHandler(env.stderr, nil))
	srv, err := emulator.New(emulator.Options{SeedFile: *state, OpenAPIFile: *openapi, HeartbeatInterval: *heartbeat,
		RateLimit: rl, Logger: logger,
		Shards: *shards, MaxGuildsPerShard: *maxGuilds, MaxConcurrency: *concurrency, InteractionsURL: *endpoint})
	if err != nil {
		return err
	}
	url, err := srv.ListenAndServe(ctx, *listen)
	if err != nil {
		return err
	}
	defer srv.Close()
	logger.Info("emulator listening", "url", url, "api", url+"/api/v10", "control", url+"/_emulator/", "rate_limits", rl.String(),
		"public_key", srv.PublicKey(), "interactions", cmp.Or(*endpoint, "over the gateway"))
	fmt.Fprintln(env.stdout, url)
	<-ctx.Done()
	return nil
}
