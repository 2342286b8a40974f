package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// ShardPlan says which gateway shards a process holds. Discord sends a
// guild's events, interactions included, to shard
// (guild_id >> 22) % count only, so together the processes of one bot
// must hold every shard of one count.
type ShardPlan struct {
	Auto  bool  // the count is what Discord recommends (GET /gateway/bot) at start
	Count int   // a fixed count; with Auto false, 0 means one unsharded session
	IDs   []int // the shards held; nil: all of them
}

// Sharded reports whether the plan shards at all; the zero plan is one
// session that identifies without a shard, as a small bot does.
func (p ShardPlan) Sharded() bool { return p.Auto || p.Count > 0 }

// HoldsZero reports whether this process holds shard 0 - the one Discord
// also sends direct messages to, and the one that registers the slash
// commands, so that exactly one process of a bot does.
func (p ShardPlan) HoldsZero() bool { return p.IDs == nil || slices.Contains(p.IDs, 0) }

// held lists the shards to open out of count, in order.
func (p ShardPlan) held(count int) ([]int, error) {
	if p.IDs == nil {
		ids := make([]int, count)
		for i := range ids {
			ids[i] = i
		}
		return ids, nil
	}
	ids := slices.Clone(p.IDs)
	slices.Sort(ids)
	for k, id := range ids {
		switch {
		case id < 0 || id >= count:
			return nil, fmt.Errorf("bot: shard %d is not one of the %d shards (ids run from 0 to %d)", id, count, count-1)
		case k > 0 && ids[k-1] == id:
			return nil, fmt.Errorf("bot: shard %d is listed twice", id)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("bot: the plan holds no shard")
	}
	return ids, nil
}

// shard is one gateway session.
type shard struct {
	id, count int
	session   *discordgo.Session
	ready     <-chan struct{}
}

func (sh *shard) String() string { return fmt.Sprintf("shard %d of %d", sh.id, sh.count) }

// openGateway connects the sessions the plan holds. Unsharded, that is
// the one session, as it always was; sharded, it first asks Discord for
// the shard count (with auto) and how many shards may identify at once.
func (b *Bot) openGateway(ctx context.Context) error {
	plan := b.opts.Shards
	if !plan.Sharded() {
		b.shards = []*shard{{id: 0, count: 1, session: b.session, ready: b.ready}}
		return b.openShard(ctx, b.shards[0])
	}
	info, err := b.session.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("bot: ask Discord how to shard (GET /gateway/bot): %w", err)
	}
	count := plan.Count
	if plan.Auto {
		count = max(1, info.Shards)
	}
	ids, err := plan.held(count)
	if err != nil {
		return err
	}
	if lim := info.SessionStartLimit; lim.Total > 0 && lim.Remaining < len(ids) {
		return fmt.Errorf("bot: Discord allows %d more session starts until %v from now, and %d shards need one each",
			lim.Remaining, time.Duration(lim.ResetAfter)*time.Millisecond, len(ids))
	}
	for k, id := range ids {
		sh := &shard{id: id, count: count, session: b.session, ready: b.ready}
		if k > 0 {
			if sh.session, err = b.newSession(); err != nil {
				return err
			}
			sh.ready = b.attach(sh.session)
		}
		sh.session.ShardID, sh.session.ShardCount = id, count
		b.shards = append(b.shards, sh)
	}
	concurrency := max(1, info.SessionStartLimit.MaxConcurrency)
	b.log.Info("connecting gateway shards", "count", count, "held", ids, "max_concurrency", concurrency)
	return b.identifyAll(ctx, concurrency)
}

// identifyAll opens the shards as fast as Discord allows: shards identify
// in buckets (shard id % max_concurrency), the buckets at once, and within
// a bucket one shard per IdentifyInterval, counted from the previous
// shard's READY so the gap Discord sees is never shorter.
func (b *Bot) identifyAll(parent context.Context, concurrency int) error {
	buckets := map[int][]*shard{}
	for _, sh := range b.shards {
		buckets[sh.id%concurrency] = append(buckets[sh.id%concurrency], sh)
	}
	// One shard failing stops the others: the bot cannot run without it.
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(buckets))
	k := 0
	for _, list := range buckets {
		wg.Add(1)
		go func(slot int, list []*shard) {
			defer wg.Done()
			for n, sh := range list {
				if n > 0 {
					select {
					case <-time.After(b.opts.IdentifyInterval):
					case <-ctx.Done():
						return
					}
				}
				if err := b.openShard(ctx, sh); err != nil {
					errs[slot] = err
					cancel()
					return
				}
			}
		}(k, list)
		k++
	}
	wg.Wait()
	var failed error
	for _, err := range errs {
		// The shard that failed, rather than one that its failure stopped.
		if err != nil && (failed == nil || errors.Is(failed, context.Canceled)) {
			failed = err
		}
	}
	if failed == nil {
		failed = parent.Err()
	}
	if failed != nil {
		b.closeGateway()
	}
	return failed
}

// openShard connects one session and waits for its READY.
func (b *Bot) openShard(ctx context.Context, sh *shard) error {
	start := time.Now()
	if err := sh.session.Open(); err != nil {
		return b.shardError(sh, err)
	}
	select {
	case <-sh.ready:
	case <-ctx.Done():
		sh.session.Close()
		if sh.count > 1 {
			return fmt.Errorf("bot: %s: waiting for READY: %w", sh, ctx.Err())
		}
		return fmt.Errorf("bot: waiting for READY: %w", ctx.Err())
	}
	if sh.count > 1 {
		b.log.Info("shard ready", "shard", sh.id, "of", sh.count, "ms", time.Since(start).Milliseconds())
	}
	return nil
}

// shardError says what Discord's close code means for the operator.
func (b *Bot) shardError(sh *shard, err error) error {
	what := "connect to Discord"
	if sh.count > 1 {
		what = "connect " + sh.String() + " to Discord"
	}
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return fmt.Errorf("bot: %s: %w", what, err)
	}
	hint := ""
	switch ce.Code {
	case 4004:
		hint = ": Discord refused the token; check discord.token"
	case 4010:
		hint = ": Discord refused the shard; --shard-ids must name shards below discord.shards, the same count in every process"
	case 4011:
		hint = ": Discord requires sharding for a bot in this many servers; set discord.shards: auto (or a count) in the config"
	case 4013, 4014:
		hint = ": Discord refused the gateway intents the bot asks for"
	}
	return fmt.Errorf("bot: %s: %w%s", what, err, hint)
}

// closeGateway closes every session at once: discordgo's Close waits a
// second for Discord to hang up, which one shard after another would add
// up. A session never opened closes without error.
func (b *Bot) closeGateway() error {
	if len(b.shards) == 0 {
		return b.session.Close()
	}
	errs := make([]error, len(b.shards))
	var wg sync.WaitGroup
	for k, sh := range b.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sh.session.Close(); err != nil {
				errs[k] = fmt.Errorf("close %s: %w", sh, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Sessions are the gateway sessions this process holds, one a shard, once
// Open has connected them; before, the one session REST goes through.
func (b *Bot) Sessions() []*discordgo.Session {
	if len(b.shards) == 0 {
		return []*discordgo.Session{b.session}
	}
	out := make([]*discordgo.Session, len(b.shards))
	for i, sh := range b.shards {
		out[i] = sh.session
	}
	return out
}
