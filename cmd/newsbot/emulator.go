package main

import (
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
		usage:   "[--listen ADDR] [--state FILE] [--openapi FILE] [--heartbeat DURATION] [--rate-limits LIMITS]",
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
	rl, err := emulator.ParseRateLimit(*limits)
	if err != nil {
		return fmt.Errorf("%w: --rate-limits: %v", errUsage, err)
	}
	logger := slog.New(slog.NewTextHandler(env.stderr, nil))
	srv, err := emulator.New(emulator.Options{SeedFile: *state, OpenAPIFile: *openapi, HeartbeatInterval: *heartbeat,
		RateLimit: rl, Logger: logger})
	if err != nil {
		return err
	}
	url, err := srv.ListenAndServe(ctx, *listen)
	if err != nil {
		return err
	}
	defer srv.Close()
	logger.Info("emulator listening", "url", url, "api", url+"/api/v10", "control", url+"/_emulator/", "rate_limits", rl.String())
	fmt.Fprintln(env.stdout, url)
	<-ctx.Done()
	return nil
}
