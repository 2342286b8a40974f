//go:build linux

package reliability

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // to read the bot's database as an admin would

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// envInt reads a positive number from the environment, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// crashFeed is one feed of the crash test and the channels it posts to.
type crashFeed struct {
	id, path string
	channels []string
	items    []feedserver.Item // newest first
}

// TestCrashSafety kills a real `newsbot run` with SIGKILL at random
// moments - while it starts, polls, sends and records - and restarts it,
// while the feeds gain stories and update old ones. Answers from Discord
// are held back on the wire, so many kills land after Discord stored a
// post and before the bot heard so. In the end every story is posted
// exactly once in each of its channels, every update is told once, and
// the database passes PRAGMA integrity_check after every kill.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	kills := envInt("NEWSBOT_RELIABILITY_KILLS", 20)
	if testing.Short() {
		kills = min(kills, 5)
	}
	seed := uint64(envInt("NEWSBOT_RELIABILITY_SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("%d kills, seed %d (NEWSBOT_RELIABILITY_SEED=%d repeats the run)", kills, seed, seed)
	rng := rand.New(rand.NewPCG(seed, 11))

	d := startDiscord(t, "127.0.0.1:0")
	wire := startProxy(t, d.addr)
	wire.setDelay(200 * time.Millisecond)
	s := newSite(t)
	feeds := []*crashFeed{
		{id: "alpha", path: "/alpha.xml", channels: []string{newsChannel, techChannel}},
		{id: "beta", path: "/beta.xml", channels: []string{newsChannel, announceChannel}},
		{id: "gamma", path: "/gamma.xml", channels: []string{techChannel, announceChannel}},
	}
	next := 0
	updates := map[string][]string{} // story key → update tokens, in order
	addStory := func(f *crashFeed) {
		next++
		f.items = append([]feedserver.Item{story(fmt.Sprintf("%s%02d", f.id[:1], next))}, f.items...)
		s.feeds.Set(f.path, f.items...)
	}
	updateStory := func(f *crashFeed) {
		i := rng.IntN(len(f.items))
		key := strings.TrimPrefix(f.items[i].GUID, "guid-")
		if len(updates[key]) >= 3 {
			return
		}
		next++
		token := fmt.Sprintf("upd%02dx", next)
		updates[key] = append(updates[key], token)
		f.items[i].Paragraphs = append(f.items[i].Paragraphs, "Update "+token+": officials confirmed more details.")
		s.feeds.Set(f.path, f.items...)
	}
	var yaml strings.Builder
	for _, f := range feeds {
		for range 3 {
			addStory(f)
		}
		fmt.Fprintf(&yaml, "  - id: %s\n    url: %s%s\n    channels: [%s]\n    schedule: \"@every 1s\"\n    backfill: 50\n    updates: edit_and_reply\n",
			f.id, s.url, f.path, `"`+strings.Join(f.channels, `", "`)+`"`)
	}
	dir := t.TempDir()
	cfg := writeConfig(t, dir, wire.url(), yaml.String())
	db := filepath.Join(dir, "news.db")

	for k := 0; k < kills; k++ {
		bot := startProc(t, "bot", "run", "--config", cfg)
		if rng.IntN(5) > 0 {
			// Most kills land once it runs: while it polls and delivers.
			waitUntil(t, "the bot to start", 60*time.Second, func() bool {
				_, ok := bot.stderr.find(func(l logLine) bool { return l.str("msg") == "newsbot running" })
				return ok || !bot.running()
			}, bot.stderr)
		}
		switch f := feeds[rng.IntN(len(feeds))]; rng.IntN(3) {
		case 0:
			updateStory(f)
		default:
			addStory(f)
		}
		// The random moment itself: this wait is the fault, not a sync.
		time.Sleep(time.Duration(rng.IntN(2500)) * time.Millisecond)
		if !bot.running() {
			t.Fatalf("kill %d: the bot exited by itself:\n%s", k, bot.stderr.tail(30))
		}
		bot.kill()
		figures.add("SIGKILLs survived", 1)
		if err := integrityCheck(db); err != nil {
			t.Fatalf("after kill %d: %v", k+1, err)
		}
	}

	// The last run, left to finish.
	bot := startBot(t, cfg)
	wire.setDelay(0)
	want := map[string]map[string]bool{} // channel → story links
	for _, f := range feeds {
		for _, ch := range f.channels {
			if want[ch] == nil {
				want[ch] = map[string]bool{}
			}
			for _, it := range f.items {
				want[ch][it.Link] = true
			}
		}
	}
	tokens := map[string][]string{} // story link → the updates its card must show
	for _, f := range feeds {
		for _, it := range f.items {
			tokens[it.Link] = updates[strings.TrimPrefix(it.GUID, "guid-")]
		}
	}
	var missing string
	t.Cleanup(func() {
		if t.Failed() && missing != "" {
			t.Logf("still missing: %s", missing)
			dump := filepath.Join(os.TempDir(), "newsbot-crash-debug.txt")
			var b strings.Builder
			b.WriteString(bot.stderr.String())
			for ch := range want {
				raw, _ := json.MarshalIndent(d.messages(ch), "", " ")
				b.WriteString("\n=== channel " + ch + "\n")
				b.Write(raw)
			}
			os.WriteFile(dump, []byte(b.String()), 0o644)
			t.Logf("the bot's log and the channels are in %s", dump)
		}
	})
	waitUntil(t, "every story in every channel, updates applied", 3*time.Minute, func() bool {
		for ch, links := range want {
			shown := map[string]string{}
			for _, m := range d.messages(ch) {
				if len(m.Embeds) > 0 {
					shown[m.Embeds[0].URL] = m.Embeds[0].Description
				}
			}
			for l := range links {
				desc, ok := shown[l]
				if !ok {
					missing = fmt.Sprintf("channel %s: no card for %s", ch, l)
					return false
				}
				for _, tok := range tokens[l] {
					if !strings.Contains(desc, tok) {
						missing = fmt.Sprintf("channel %s: the card for %s lacks %s: %q", ch, l, tok, desc)
						return false
					}
				}
			}
		}
		return true
	}, bot.stderr)
	// A few more polls and outbox rounds, so anything still owed (or
	// wrongly owed twice) has had its chance to go out.
	polls := map[string]int{}
	for _, f := range feeds {
		polls[f.path] = s.fetches(f.path)
	}
	waitUntil(t, "three more polls of every feed", time.Minute, func() bool {
		for _, f := range feeds {
			if s.fetches(f.path) < polls[f.path]+3 {
				return false
			}
		}
		return true
	}, bot.stderr)
	bot.stop()

	stories, lost, doubled := 0, 0, 0
	for ch, links := range want {
		ms := d.messages(ch)
		got := cards(ms)
		for l := range links {
			stories++
			switch n := got[l]; {
			case n == 0:
				lost++
				t.Errorf("channel %s: %s never posted", ch, l)
			case n > 1:
				doubled += n - 1
				t.Errorf("channel %s: %s posted %d times", ch, l, n)
			}
		}
		for l, n := range got {
			if !links[l] {
				t.Errorf("channel %s: %s posted %d times, but no feed of the channel has it", ch, l, n)
			}
		}
		doubled += checkUpdates(t, ch, ms, feeds, updates)
	}
	if err := integrityCheck(db); err != nil {
		t.Error(err)
	}
	replays := nonceReplays(d.requests())
	t.Logf("%d kills; %d stories × channels posted, %d lost, %d doubled; %d sends repeated after a kill and answered by their nonce",
		kills, stories, lost, doubled, replays)
	figures.add("story posts checked after SIGKILLs (story × channel)", int64(stories))
	figures.add("posts lost", int64(lost))
	figures.add("posts doubled", int64(doubled))
	figures.add("sends repeated after a SIGKILL, answered by nonce", int64(replays))
}

// checkUpdates checks each update was told at most once in the channel
// (in a reply) and shows on the story's card, edits applied, and returns
// how many were told twice or more.
func checkUpdates(t *testing.T, ch string, ms []emulator.Message, feeds []*crashFeed, updates map[string][]string) (doubled int) {
	t.Helper()
	for _, f := range feeds {
		if !slices.Contains(f.channels, ch) {
			continue
		}
		for _, it := range f.items {
			key := strings.TrimPrefix(it.GUID, "guid-")
			var card emulator.Embed
			for _, m := range ms {
				if len(m.Embeds) > 0 && m.Embeds[0].URL == it.Link {
					card = m.Embeds[0]
				}
			}
			for _, token := range updates[key] {
				told := 0
				for _, m := range ms {
					if len(m.Embeds) == 0 && strings.Contains(m.Content, token) {
						told++
					}
				}
				if told > 1 {
					doubled += told - 1
					t.Errorf("channel %s: update %s of %s told %d times", ch, token, key, told)
				}
				if !strings.Contains(card.Description, token) {
					t.Errorf("channel %s: the card of %s lacks update %s: %q", ch, key, token, card.Description)
				}
				figures.add("story updates checked after SIGKILLs (update × channel)", 1)
			}
		}
	}
	return doubled
}

// nonceReplays counts message posts whose nonce had been sent before: a
// send repeated because the bot died before recording the first.
func nonceReplays(rs []emulator.Request) int {
	seen := map[string]bool{}
	n := 0
	for _, r := range rs {
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/messages") {
			continue
		}
		var body struct{ Nonce string }
		if json.Unmarshal(r.Body, &body) != nil || body.Nonce == "" {
			continue
		}
		if seen[body.Nonce] {
			n++
		}
		seen[body.Nonce] = true
	}
	return n
}

// integrityCheck runs PRAGMA integrity_check on the bot's database.
func integrityCheck(path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("integrity_check of %s: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity_check of %s: %s", path, res)
	}
	figures.add("PRAGMA integrity_check passed", 1)
	return nil
}

// TestKilledBetweenSendAndRecord: the bot dies after Discord stored its
// post and before it heard so, and the story is updated before the bot is
// back. The resend carries the post's nonce, so Discord answers with the
// post it has - the old text - and the update must still reach the
// channel: the card edited to the new text, the update told once.
func TestKilledBetweenSendAndRecord(t *testing.T) {
	t.Parallel()
	d := startDiscord(t, "127.0.0.1:0")
	wire := startProxy(t, d.addr)
	s := newSite(t)
	s.feeds.Set("/world.xml")
	dir := t.TempDir()
	cfg := writeConfig(t, dir, wire.url(), fmt.Sprintf("  - id: world\n    url: %s/world.xml\n    channels: [%q]\n    schedule: \"@every 1s\"\n    backfill: 5\n", s.url, newsChannel))
	bot := startBot(t, cfg)
	wire.setDelay(5 * time.Second) // Discord's answers now take 5s to come back
	it := story("k01")
	s.feeds.Set("/world.xml", it)
	waitUntil(t, "Discord to hold the post", 30*time.Second, func() bool { return cards(d.messages(newsChannel))[it.Link] == 1 }, bot.stderr)
	bot.kill() // before the answer arrives: the send is not recorded
	figures.add("SIGKILLs survived", 1)
	if err := integrityCheck(filepath.Join(dir, "news.db")); err != nil {
		t.Fatal(err)
	}
	wire.setDelay(0)
	it.Paragraphs = append(it.Paragraphs, "Update upd01x: the council reversed its decision.")
	s.feeds.Set("/world.xml", it)
	// The first resend fails, so the poll saves the update while the
	// first post is still owed.
	d.fault(emulator.Fault{Kind: "5xx", Count: 1, Status: 500, Method: "POST", Path: "/messages"})

	bot = startBot(t, cfg)
	waitUntil(t, "the card edited to the update", time.Minute, func() bool {
		for _, m := range d.messages(newsChannel) {
			if len(m.Embeds) > 0 && m.Embeds[0].URL == it.Link && strings.Contains(m.Embeds[0].Description, "upd01x") {
				return true
			}
		}
		return false
	}, bot.stderr)
	polls := s.fetches("/world.xml")
	waitUntil(t, "three more polls", time.Minute, func() bool { return s.fetches("/world.xml") >= polls+3 }, bot.stderr)
	bot.stop()
	ms := d.messages(newsChannel)
	told := 0
	for _, m := range ms {
		if len(m.Embeds) == 0 && strings.Contains(m.Content, "upd01x") {
			told++
		}
	}
	if n := cards(ms)[it.Link]; n != 1 || told != 1 {
		t.Errorf("the story is on %d cards and its update told %d times; want 1 and 1", n, told)
	}
	if n := nonceReplays(d.requests()); n != 2 {
		t.Errorf("%d sends repeated with their nonce; want the one that failed and the one after it", n)
	}
}
