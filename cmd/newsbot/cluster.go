package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// cluster is this process's part in sharing the work with other bot
// processes on one PostgreSQL database. Every process reads the same
// config, keeps the same schedule and runs the same outbox; the store's
// claims (store.Worker) decide which of them polls a feed at a tick and
// which sends a channel's posts. Nil with SQLite: one process does all.
//
// The config file stays the truth: each process reads its own copy and
// follows its changes. A SIGHUP to one process also counts a change in
// the database, and the others reload their copies when they see it, so
// one signal reaches every process. A feeds table synced from the file
// by an elected leader would be a second truth, and an election, for the
// one thing the file and its watcher already do.
type cluster struct {
	w    *store.Worker
	log  *slog.Logger
	rate int // Discord requests a second, all processes together

	configSeen atomic.Int64 // the config change count this process has followed

	cancel context.CancelFunc
	done   chan struct{}
}

// Keys of the shared clocks (store.ReserveRate, store.BumpGeneration).
const (
	discordGlobal = "discord.global"
	configChanges = "config"
)

// maxChannelsHeld is how many channels one process sends to at most: a
// few times the outbox's workers, so a busy process leaves channels to
// the others.
const maxChannelsHeld = 64

func newCluster(ctx context.Context, db *store.DB, c config.Cluster, log *slog.Logger) (*cluster, error) {
	if !db.Shared() {
		return nil, nil
	}
	name := c.Name
	if name == "" {
		host, _ := os.Hostname()
		name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	// The suffix keeps two processes apart that were given one name.
	var b [3]byte
	rand.Read(b[:])
	name += "#" + hex.EncodeToString(b[:])
	cl := &cluster{w: db.Worker(name, c.Lease, maxChannelsHeld), log: log.With("process", name), rate: c.DiscordRate}
	seen, err := db.Generation(ctx, configChanges)
	if err != nil {
		return nil, err
	}
	cl.configSeen.Store(seen)
	cl.log.Info("sharing the work with other processes", "lease", c.Lease, "discord_rate", c.DiscordRate)
	return cl, nil
}

// start renews the process's claims until stop.
func (c *cluster) start(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		c.renew(ctx)
	}()
}

// stop ends the renewals and gives the process's claims up, so the other
// processes take its feeds and channels at once.
func (c *cluster) stop() {
	if c.cancel != nil {
		c.cancel()
		<-c.done
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.w.Release(ctx); err != nil {
		c.log.Warn("claims not released; other processes take them over when they run out", "err", err)
	}
}

// renew renews the process's claims until ctx ends: three times a lease,
// so one renewal missed to a slow database loses nothing.
func (c *cluster) renew(ctx context.Context) {
	t := time.NewTicker(c.w.Lease() / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := c.w.Renew(ctx, time.Now()); err != nil && ctx.Err() == nil {
				c.log.Warn("claims not renewed; other processes take them over if this goes on", "err", err)
			}
		}
	}
}

// limit waits for this process's turn of Discord's global rate limit,
// shared by every process: rate requests in any second. The turns come
// evenly spaced, with no burst, and a tenth below rate: a request reaches
// Discord a little after its turn (a busy process, the network), so turns
// bunch on arrival, and bunched they must still fit Discord's second.
func (c *cluster) limit(ctx context.Context) error {
	perSecond := max(c.rate*9/10, 1)
	interval := time.Second / time.Duration(perSecond)
	const burst = 1
	at, err := c.w.ReserveRate(ctx, discordGlobal, interval, burst, time.Now())
	if err != nil {
		// Discord answers an excess with 429, which the session waits
		// out; holding every request back for the database would not help.
		c.log.Warn("shared Discord rate not read; sending anyway", "err", err)
		return nil
	}
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// configReloaded counts a reload this process was told to make, so the
// other processes make it too.
func (c *cluster) configReloaded(ctx context.Context) {
	g, err := c.w.BumpGeneration(ctx, configChanges)
	if err != nil {
		c.log.Warn("other processes not told of the reload", "err", err)
		return
	}
	c.configSeen.Store(g)
}

// configChanged reports whether another process reloaded the config
// since this one last looked.
func (c *cluster) configChanged(ctx context.Context) bool {
	g, err := c.w.Generation(ctx, configChanges)
	if err != nil {
		return false
	}
	return c.configSeen.Swap(g) != g
}
