package bot

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// shardedBot opens a bot with plan on emu, answering every command with
// "pong".
func shardedBot(t *testing.T, emu *emulator.Emulator, plan ShardPlan, interval time.Duration) (*Bot, error) {
	t.Helper()
	b, err := New(Options{Token: "t", APIURL: emu.URL, Handler: &fakeHandler{answer: message("pong", 0)},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Shards: plan, IdentifyInterval: interval})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Open(ctx); err != nil {
		return nil, err
	}
	t.Cleanup(func() { b.Close() })
	return b, nil
}

func sortedShards(emu *emulator.Emulator) [][2]int {
	got := emu.Shards()
	slices.SortFunc(got, func(a, b [2]int) int { return a[0] - b[0] })
	return got
}

func TestOneProcessHoldsEveryShard(t *testing.T) {
	seed := emulator.TwoGuildSeed()
	emu := emulator.Start(t, withSpec(emulator.Options{Seed: &seed, Shards: 2}))
	if _, err := shardedBot(t, emu, ShardPlan{Auto: true}, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := sortedShards(emu); !slices.Equal(got, [][2]int{{0, 2}, {1, 2}}) {
		t.Errorf("connected shards %v, want [0 2] and [1 2]", got)
	}
	for _, guild := range []string{emulator.DefaultGuildID, emulator.AnnexGuildID} {
		res, err := emu.Interact(context.Background(), emulator.InteractionRequest{GuildID: guild, Command: "/ping"})
		if err != nil || len(res.Messages) == 0 || res.Messages[0].Content != "pong" {
			t.Errorf("a command in guild %s: %+v, %v", guild, res, err)
		}
	}
}

func TestOnlyShardZeroRegistersCommands(t *testing.T) {
	seed := emulator.TwoGuildSeed()
	emu := emulator.Start(t, withSpec(emulator.Options{Seed: &seed}))
	if _, err := shardedBot(t, emu, ShardPlan{Count: 2, IDs: []int{1}}, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	for _, r := range emu.Requests() {
		if strings.Contains(r.Path, "/commands") {
			t.Errorf("the process holding shard 1 only registered commands: %s %s", r.Method, r.Path)
		}
	}
	if _, err := shardedBot(t, emu, ShardPlan{Count: 2, IDs: []int{0}}, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	res, err := emu.Interact(context.Background(), emulator.InteractionRequest{GuildID: emulator.AnnexGuildID, Command: "/ping"})
	if err != nil || len(res.Messages) == 0 || res.Messages[0].Content != "pong" {
		t.Errorf("a command in the annex, answered by the process holding shard 1: %+v, %v", res, err)
	}
}

// TestShardsKeepToTheIdentifyRate has the emulator refuse, as Discord
// does, any IDENTIFY that comes sooner than the window after the last in
// its bucket.
func TestShardsKeepToTheIdentifyRate(t *testing.T) {
	const window = 200 * time.Millisecond
	for _, tc := range []struct {
		name        string
		concurrency int
	}{{"one at a time", 1}, {"two at once", 2}} {
		t.Run(tc.name, func(t *testing.T) {
			emu := emulator.Start(t, withSpec(emulator.Options{MaxConcurrency: tc.concurrency, IdentifyWindow: window}))
			if _, err := shardedBot(t, emu, ShardPlan{Count: 4}, window); err != nil {
				t.Fatal(err)
			}
			st := emu.GatewayStats()
			if st.IdentifyRateLimited != 0 || st.Identifies != 4 || len(emu.Shards()) != 4 {
				t.Errorf("%d IDENTIFYs accepted, %d refused as too soon, %d shards connected; want 4, 0, 4",
					st.Identifies, st.IdentifyRateLimited, len(emu.Shards()))
			}
		})
	}
}

func TestShardErrorsSayWhatToDo(t *testing.T) {
	seed := emulator.TwoGuildSeed()
	emu := emulator.Start(t, withSpec(emulator.Options{Seed: &seed, MaxGuildsPerShard: 1}))
	for _, tc := range []struct {
		name string
		plan ShardPlan
		want string
	}{
		{"unsharded when Discord requires sharding", ShardPlan{}, "4011: Sharding required.: Discord requires sharding for a bot in this many servers; set discord.shards: auto"},
		{"a shard beyond the count", ShardPlan{Count: 2, IDs: []int{2}}, "shard 2 is not one of the 2 shards (ids run from 0 to 1)"},
		{"a shard twice", ShardPlan{Count: 2, IDs: []int{1, 1}}, "shard 1 is listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := shardedBot(t, emu, tc.plan, time.Millisecond)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open = %v; want %q", err, tc.want)
			}
		})
	}
	if n := len(emu.Shards()); n != 0 {
		t.Errorf("%d sessions stayed connected after the bot failed to start", n)
	}
}
