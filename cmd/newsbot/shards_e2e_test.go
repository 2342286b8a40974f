package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// shardedWorld is an emulated Discord that requires sharding - two
// guilds, at most one per session - with the bot's config saying
// discord.shards: 2 and registering its commands globally, so both
// guilds have them.
func shardedWorld(t *testing.T, discord string) *world {
	t.Helper()
	seed := emulator.TwoGuildSeed()
	w := hourlyWorld(t, emulator.Options{Seed: &seed, MaxGuildsPerShard: 1})
	w.editConfig(func(s string) string {
		s = strings.Replace(s, "  guild_id: \""+emulator.DefaultGuildID+"\"\n", "", 1)
		return strings.Replace(s, "  token: test-token\n", "  token: test-token\n"+discord, 1)
	})
	return w
}

// hourlyWorld is a world whose config has one feed with one story,
// polled hourly: the test polls it when it wants a post.
func hourlyWorld(t *testing.T, opts emulator.Options) *world {
	t.Helper()
	w := newWorld(t, opts)
	w.site.Set("/world.xml", item(1))
	w.writeConfig(`  - id: world
    url: SITE/world.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
    backfill: 1
`)
	return w
}

// editConfig rewrites the config file writeConfig wrote.
func (w *world) editConfig(edit func(string) string) {
	w.t.Helper()
	path := filepath.Join(w.dir, "config.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(data))), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// saveQuotable stores a story with one comment, as a poll would.
func (w *world) saveQuotable(a *app) string {
	w.t.Helper()
	r, err := a.db.SaveArticle(context.Background(), news.Article{GUID: "shards", Title: "Ferry strike ends", Paragraphs: []string{"The ferries run again."},
		Comments: []news.Comment{{Index: 1, Author: "ChrisW", Body: "About time the ferries ran."}}}, store.SaveOptions{Now: time.Now()})
	if err != nil {
		w.t.Fatal(err)
	}
	return "/quote story:" + itoa(r.Story.ID) + " author:ChrisW"
}

// quoteIn types the command in a guild's channel and returns what the
// member reads, or the emulator's error.
func (w *world) quoteIn(channel, command string) (string, error) {
	res, err := w.emu.Interact(context.Background(), emulator.InteractionRequest{ChannelID: channel, Command: command})
	if err != nil {
		return "", err
	}
	if len(res.Messages) == 0 {
		return string(res.Callback), nil
	}
	return res.Messages[len(res.Messages)-1].Content, nil
}

func TestTwoProcessesShareTheShards(t *testing.T) {
	w := shardedWorld(t, "  shards: 2\n")
	cfg, err := config.Load(filepath.Join(w.dir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var plans []bot.ShardPlan
	for _, ids := range []string{"0", "1"} {
		parsed, err := parseShardIDs(ids)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := shardPlan(cfg, parsed)
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, plan)
	}
	first := w.start(appOptions{shards: plans[0]})
	second := w.start(appOptions{shards: plans[1]})
	w.app = first

	command := w.saveQuotable(first)
	for _, in := range []struct{ guild, channel string }{
		{emulator.DefaultGuildID, emulator.DefaultNewsChannel}, {emulator.AnnexGuildID, emulator.AnnexChannelID},
	} {
		got, err := w.quoteIn(in.channel, command)
		if err != nil || !strings.Contains(got, "About time the ferries ran.") {
			t.Errorf("/quote in guild %s (on shard %d): %q, %v; want the comment quoted", in.guild,
				emulator.ShardOf(in.guild, 2), got, err)
		}
	}

	// Only the holder of shard 0 registers the commands and polls: the
	// story is posted once, not once per process.
	w.pollNow("world")
	w.waitFor("the first process's post", func() bool { return len(w.cards(newsChannel)) > 0 })
	if got := w.cards(newsChannel); len(got) != 1 {
		t.Errorf("#news shows %q; want the story posted once", got)
	}
	if second.works || second.outboxDone != nil {
		t.Errorf("the process without shard 0 polls or posts")
	}
	registered := 0
	for _, r := range w.emu.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
			registered++
		}
	}
	if registered != 1 {
		t.Errorf("commands registered %d times, want once", registered)
	}

	// With the first process gone its guild goes unanswered (Discord
	// keeps the session resumable a while, so it times out), and the
	// other still answers: each process held one shard.
	first.stop()
	if _, err := w.quoteIn(emulator.DefaultNewsChannel, command); !errors.Is(err, emulator.ErrNoBot) && !errors.Is(err, emulator.ErrTimeout) {
		t.Errorf("a command on the stopped process's shard: %v; want it unanswered", err)
	}
	if got, err := w.quoteIn(emulator.AnnexChannelID, command); err != nil || !strings.Contains(got, "About time the ferries ran.") {
		t.Errorf("/quote on the remaining process's shard: %q, %v", got, err)
	}
}

func TestShardingRequired(t *testing.T) {
	w := shardedWorld(t, "")
	cfg, err := config.Load(filepath.Join(w.dir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = startApp(context.Background(), cfg, newLogger(cfg.Log, w.logs), appOptions{})
	if err == nil || !strings.Contains(err.Error(), "4011") || !strings.Contains(err.Error(), "set discord.shards: auto") {
		t.Errorf("an unsharded bot where Discord requires sharding: %v; want 4011 and what to set", err)
	}
}

func TestShardFlags(t *testing.T) {
	for _, tc := range []struct {
		name, shards, ids string
		want              string // error; "" for none
	}{
		{"a list", "2", "0,1", ""},
		{"a range and an id", "8", "0-3,7", ""},
		{"no discord.shards", "", "0", "--shard-ids needs discord.shards in the config"},
		{"auto", "auto", "0", "--shard-ids needs discord.shards to be a number, not auto"},
		{"beyond the count", "2", "2", "--shard-ids: shard 2 is not one of the 2 shards discord.shards gives (ids run from 0 to 1)"},
		{"backwards", "4", "3-1", `--shard-ids: range "3-1" runs backwards`},
		{"twice", "4", "0-2,1", "--shard-ids: shard 1 is listed twice"},
		{"a word", "4", "first", `--shard-ids: "first" is not a shard id or a range of them`},
		{"empty part", "4", "0,,1", `--shard-ids: "" is not a shard id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := "discord:\n  token: x\n"
			if tc.shards != "" {
				yaml += "  shards: " + tc.shards + "\n"
			}
			cfg, err := config.Parse([]byte(yaml+"feeds: []\n"), "config.yaml", nil)
			if err != nil {
				t.Fatal(err)
			}
			ids, err := parseShardIDs(tc.ids)
			if err == nil {
				_, err = shardPlan(cfg, ids)
			}
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("--shard-ids %s with shards %q: %v; want %q", tc.ids, tc.shards, err, tc.want)
			}
		})
	}
}

func TestWorkFlag(t *testing.T) {
	holdsZero, holdsOne := bot.ShardPlan{Count: 2, IDs: []int{0}}, bot.ShardPlan{Count: 2, IDs: []int{1}}
	for _, tc := range []struct {
		flag   string
		plan   bot.ShardPlan
		shared bool // a PostgreSQL database, whose claims share the work
		want   bool
	}{
		{"", bot.ShardPlan{}, false, true}, // one unsharded process, as always
		{"", holdsZero, false, true},
		{"", holdsOne, false, false},
		{"--work", holdsOne, false, true},
		{"--work=false", holdsZero, false, false},
		{"--work=auto", holdsOne, false, false},
		{"", holdsOne, true, true},
		{"--work=false", holdsOne, true, false},
	} {
		fs := newFlagSet(&cmdEnv{stderr: &syncBuffer{}}, "run")
		var m workMode
		fs.Var(&m, "work", "")
		var args []string
		if tc.flag != "" {
			args = []string{tc.flag}
		}
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if got := m.on(tc.plan, tc.shared); got != tc.want {
			t.Errorf("%q with shards %v, shared %v: works %v, want %v", tc.flag, tc.plan.IDs, tc.shared, got, tc.want)
		}
	}
}

func FuzzParseShardIDs(f *testing.F) {
	for _, s := range []string{"0", "0,1", "0-3,8", "3-1", "", ",", "-", "1-", "99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := parseShardIDs(s)
		if err != nil {
			return
		}
		seen := map[int]bool{}
		for _, id := range ids {
			if id < 0 || id > maxShardID || seen[id] {
				t.Fatalf("parseShardIDs(%q) = %v: out of range or repeated", s, ids)
			}
			seen[id] = true
		}
	})
}

func TestRunShardFlagErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte("discord:\n  token: x\ndatabase: news.db\nfeeds: []\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--shard-ids", "zero"}, 2, `--shard-ids: "zero" is not a shard id`},
		{[]string{"--shard-ids", "0"}, 1, "--shard-ids needs discord.shards in the config"},
		{[]string{"--work=maybe"}, 1, "want true, false or auto"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := run(t, append([]string{"run", "--config", path}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}
