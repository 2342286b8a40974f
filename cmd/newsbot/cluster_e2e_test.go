package main

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
	"github.com/newsbot-dev/newsbot/internal/store/pgtest"
)

// asNewsbot makes the test binary run as newsbot itself (main), so tests
// can start real `newsbot run` processes - and kill them - without a
// separate build.
const asNewsbot = "NEWSBOT_TEST_AS_NEWSBOT"

func TestMain(m *testing.M) {
	if os.Getenv(asNewsbot) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// clusterFeeds is how many feeds TestClusterOfThree polls; set
// NEWSBOT_CLUSTER_FEEDS=1000 for issue 15's full run (a few minutes).
func clusterFeeds(t *testing.T) int {
	if s := os.Getenv("NEWSBOT_CLUSTER_FEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 3 {
			t.Fatalf("NEWSBOT_CLUSTER_FEEDS=%q: want a number of feeds, 3 or more", s)
		}
		return n
	}
	return 24
}

// TestClusterOfThree is issue 15's acceptance: three `newsbot run`
// processes on one PostgreSQL database, feeds on a local site, Discord
// emulated. Every feed is fetched once per tick between them, every story
// is posted once in its channel, in order; Discord's global limit, shared,
// is never exceeded; and when one process is killed (SIGKILL) mid-run, its
// feeds and channels pass to the others once its lease runs out, with
// nothing lost and nothing posted twice.
func TestClusterOfThree(t *testing.T) {
	dbURL := pgtest.URL(t)
	feeds := clusterFeeds(t)
	// The small run tests the shared limit with a tight one; the full run
	// has Discord's, and ticks long enough for a thousand feeds on this
	// machine's two cores.
	period, lease, channels, rate, globalLimit, slowMS := 2*time.Second, 2*time.Second, 6, 8, 10, 25
	if feeds > 100 {
		period, lease, channels, rate, globalLimit, slowMS = 10*time.Second, 5*time.Second, 20, 45, 50, 2
	}
	seed := emulator.DefaultSeed()
	var chans []string
	for i := range channels {
		id := fmt.Sprintf("1000000000000002%02d", i)
		chans = append(chans, id)
		seed.Guilds[0].Channels = append(seed.Guilds[0].Channels, emulator.SeedChannel{ID: id, Name: fmt.Sprint("wire-", i), Type: emulator.ChannelText})
	}
	emu := emulator.Start(t, emulator.Options{Seed: &seed, HeartbeatInterval: time.Second,
		RateLimit: emulator.RateLimit{Requests: 1000, Global: globalLimit}})
	// Each post takes a while (the emulator applies a slow fault up to
	// eight times to one request: 25 ms is 200), so a process killed
	// mid-run holds channels with posts still owed.
	emu.Inject(emulator.Fault{Kind: "slow", DelayMS: slowMS, Method: "POST", Path: "/messages", Count: 1 << 20})

	site := feedserver.New()
	var fetchMu sync.Mutex
	fetches := map[string][]time.Time{}
	site.OnServe(func(r feedserver.Request) {
		fetchMu.Lock()
		fetches[r.Path] = append(fetches[r.Path], time.Now())
		fetchMu.Unlock()
	})
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	// fetched counts each feed's fetches in [from, to): the fewest and the
	// most of any feed.
	fetched := func(from, to time.Time) (fewest, most int) {
		fetchMu.Lock()
		defer fetchMu.Unlock()
		fewest = -1
		for f := range feeds {
			n := 0
			for _, at := range fetches[fmt.Sprintf("/f%d.xml", f)] {
				if !at.Before(from) && at.Before(to) {
					n++
				}
			}
			if fewest < 0 || n < fewest {
				fewest = n
			}
			most = max(most, n)
		}
		return fewest, most
	}
	story := func(f, n int) feedserver.Item {
		return feedserver.Item{GUID: fmt.Sprintf("f%d-%d", f, n), Title: fmt.Sprintf("Feed %d story %d", f, n),
			Link:       fmt.Sprintf("https://f%d.example/%d", f, n),
			Paragraphs: []string{fmt.Sprintf("Story %d of feed %d: what happened, where, and what people say about it.", n, f)},
			Published:  time.Date(2026, 11, 1, n, 0, 0, 0, time.UTC)}
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `discord:
  token: test-token
  api_url: %s
  guild_id: %q
database: %s
log: {level: debug}
fetch:
  allow_private: true
  per_host: 32
  jitter: %s
cluster:
  lease: %s
  discord_rate: %d
feeds:
`, emu.URL, emulator.DefaultGuildID, dbURL, period/4, lease, rate)
	for f := range feeds {
		site.Set(fmt.Sprintf("/f%d.xml", f), story(f, 2), story(f, 1))
		fmt.Fprintf(&cfg, "  - {id: f%d, url: %s/f%d.xml, channels: [%q], schedule: \"@every %s\", backfill: 2}\n",
			f, srv.URL, f, chans[f%channels], period)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	procs := make([]*newsbotProcess, 3)
	for i := range procs {
		procs[i] = startNewsbot(t, dir, i, "run", "--config", path)
	}
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	logs := func() string {
		var b strings.Builder
		for _, p := range procs {
			fmt.Fprintf(&b, "--- process %d (pid %d):\n%s\n", p.n, p.pid(), p.tail(40))
		}
		return b.String()
	}

	// Every feed's backfill, posted once between the three.
	want := map[string][]string{} // channel → titles owed
	for f := range feeds {
		want[chans[f%channels]] = append(want[chans[f%channels]], fmt.Sprintf("Feed %d story 1", f), fmt.Sprintf("Feed %d story 2", f))
	}
	posted := func() int {
		n := 0
		for _, ch := range chans {
			n += len(emu.Messages(ch))
		}
		return n
	}
	began := time.Now()
	waitUntil(t, 3*time.Minute+time.Duration(feeds)*100*time.Millisecond, "the backfill posted", logs, func() bool { return posted() >= 2*feeds })
	steady := time.Now()
	t.Logf("backfill of %d posts took %v", 2*feeds, steady.Sub(began).Round(10*time.Millisecond))
	// Each feed once per tick while the three run.
	waitUntil(t, time.Minute, "four ticks' polls", logs, func() bool { n, _ := fetched(steady, time.Now()); return n >= 4 })
	checkTicks := func(what string, from, to time.Time) {
		t.Helper()
		ticks := int(math.Round(float64(to.Sub(from)) / float64(period)))
		fewest, most := fetched(from, to)
		if fewest < ticks-1 || most > ticks+1 {
			t.Errorf("%s: feeds fetched %d to %d times in %d ticks of %v", what, fewest, most, ticks, period)
		}
		t.Logf("%s: %d to %d fetches a feed in %d ticks of %v", what, fewest, most, ticks, period)
	}
	checkTicks("three processes", steady, time.Now())

	// Every feed publishes a story; the processes post them, and one of
	// them is killed while it still holds a channel with posts owed.
	for f := range feeds {
		site.Set(fmt.Sprintf("/f%d.xml", f), story(f, 3), story(f, 2), story(f, 1))
		want[chans[f%channels]] = append(want[chans[f%channels]], fmt.Sprintf("Feed %d story 3", f))
	}
	var victim *newsbotProcess
	var held []string
	waitUntil(t, time.Minute, "a process holding a channel with posts owed", logs, func() bool {
		for _, p := range procs {
			w := db.Worker(p.owner(t, db), lease, 1)
			chs, err := w.Channels(context.Background(), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range chs {
				if ds, _ := db.Deliveries(context.Background(), store.DeliveryFilter{ChannelID: ch, State: news.DeliveryPending}); len(ds) > 0 {
					victim, held = p, chs
					return true
				}
			}
		}
		return false
	})
	victimOwner := victim.owner(t, db)
	victim.kill(t)
	killed := time.Now()
	t.Logf("killed process %d (%s) holding channels %v", victim.n, victimOwner, held)

	// Its channels and unfinished polls pass to the others once its lease
	// runs out.
	dead := db.Worker(victimOwner, lease, 1)
	var channelsTaken, pollsTaken time.Duration
	waitUntil(t, 2*time.Minute, "the killed process's claims taken over", logs, func() bool {
		chs, polls, err := dead.Held(context.Background())
		if err != nil {
			return false
		}
		if chs == 0 && channelsTaken == 0 {
			channelsTaken = time.Since(killed)
		}
		if polls == 0 && pollsTaken == 0 {
			pollsTaken = time.Since(killed)
		}
		return chs == 0 && polls == 0
	})
	takenOver := max(channelsTaken, pollsTaken)
	waitUntil(t, 3*time.Minute+time.Duration(feeds)*100*time.Millisecond, "every story posted", logs, func() bool { return posted() >= 3*feeds })
	allPosted := time.Now()
	// The two left poll every feed, once per tick.
	after := killed.Add(takenOver + period)
	waitUntil(t, time.Minute, "four ticks' polls by the two left", logs, func() bool { n, _ := fetched(after, time.Now()); return n >= 4 })
	checkTicks("two processes, after the takeover", after, time.Now())

	// Nothing lost, nothing posted twice, each channel in order.
	for _, ch := range chans {
		var got []string
		for _, m := range emu.Messages(ch) {
			if len(m.Embeds) > 0 {
				got = append(got, m.Embeds[0].Title)
			}
		}
		sortedGot, sortedWant := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want[ch]))
		if !slices.Equal(sortedGot, sortedWant) {
			t.Errorf("channel %s: posted %d cards, owed %d:\n got %q\nwant %q", ch, len(got), len(want[ch]), sortedGot, sortedWant)
		}
		ds, err := db.Deliveries(context.Background(), store.DeliveryFilter{ChannelID: ch, Kind: news.DeliveryNew})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, d := range ds {
			s, err := db.Story(context.Background(), d.StoryID)
			if err != nil {
				t.Fatal(err)
			}
			order = append(order, s.Title)
		}
		if !slices.Equal(got, order) {
			t.Errorf("channel %s: posted out of order:\n got %q\nqueued %q", ch, got, order)
		}
	}
	// Discord's global limit held across the processes.
	limited := 0
	for _, r := range emu.Requests() {
		if r.Status == 429 {
			limited++
		}
	}
	if limited > 0 {
		t.Errorf("%d requests answered 429: the processes together went past the shared limit of %d a second", limited, rate)
	}
	// Each tick of each feed claimed by one process - or, if the killed
	// process had claimed it, by one more once its lease ran out.
	type pollKey struct{ feed, tick string }
	claimedBy := map[pollKey][]int{}
	for _, p := range procs {
		for _, line := range strings.Split(p.log.String(), "\n") {
			if !strings.Contains(line, `msg="poll claimed"`) {
				continue
			}
			var k pollKey
			for _, f := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(f, "feed="); ok {
					k.feed = v
				} else if v, ok := strings.CutPrefix(f, "tick="); ok {
					k.tick = v
				}
			}
			claimedBy[k] = append(claimedBy[k], p.n)
		}
	}
	// And every fetch the site saw was a claimed poll's: as many fetches
	// of a feed as claims of it, less the killed process's last ones.
	claims, victims := map[string]int{}, map[string]int{}
	for k, ps := range claimedBy {
		claims[k.feed] += len(ps)
		if slices.Contains(ps, victim.n) {
			victims[k.feed]++
		}
	}
	fetchMu.Lock()
	for f := range feeds {
		id := fmt.Sprint("f", f)
		if n := len(fetches["/"+id+".xml"]); n > claims[id] || n < claims[id]-victims[id] {
			t.Errorf("feed %s fetched %d times for %d claimed polls (%d by the killed process)", id, n, claims[id], victims[id])
		}
	}
	fetchMu.Unlock()
	takeovers := 0
	for k, ps := range claimedBy {
		switch {
		case len(ps) == 1:
		case len(ps) == 2 && slices.Contains(ps, victim.n):
			takeovers++
		default:
			t.Errorf("feed %s polled for tick %s by processes %v", k.feed, k.tick, ps)
		}
	}
	t.Logf("%d feeds, %d channels, 3 processes, %d posts, %d polls; a process killed: its channels taken over after %v, its unfinished polls after %v (lease %v, ticks %v), %d of them made again; every post out %v after the kill",
		feeds, channels, posted(), len(claimedBy), channelsTaken.Round(10*time.Millisecond), pollsTaken.Round(10*time.Millisecond),
		lease, period, takeovers, allPosted.Sub(killed).Round(10*time.Millisecond))
}

// newsbotProcess is a `newsbot run` started by a test.
type newsbotProcess struct {
	n   int
	cmd *exec.Cmd
	log *syncBuffer
}

func startNewsbot(t *testing.T, dir string, n int, args ...string) *newsbotProcess {
	t.Helper()
	p := &newsbotProcess{n: n, log: &syncBuffer{}}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), asNewsbot+"=1")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Signal(syscall.SIGTERM)
			p.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("process %d log:\n%s", p.n, p.tail(200))
		}
	})
	return p
}

func (p *newsbotProcess) pid() int { return p.cmd.Process.Pid }

// owner is the name the process claims work under: host:pid#suffix.
func (p *newsbotProcess) owner(t *testing.T, db *store.DB) string {
	t.Helper()
	marker := fmt.Sprintf(":%d#", p.pid())
	for _, line := range strings.Split(p.log.String(), "\n") {
		if _, rest, ok := strings.Cut(line, "process="); ok && strings.Contains(rest, marker) {
			name, _, _ := strings.Cut(rest, " ")
			return strings.Trim(name, `"`)
		}
	}
	t.Fatalf("process %d logged no name", p.n)
	return ""
}

func (p *newsbotProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

func (p *newsbotProcess) tail(lines int) string {
	all := strings.Split(strings.TrimRight(p.log.String(), "\n"), "\n")
	return strings.Join(all[max(len(all)-lines, 0):], "\n")
}

// waitUntil checks cond every 50 ms until it holds, failing the test
// with what logs says after limit.
func waitUntil(t *testing.T, limit time.Duration, what string, logs func() string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s\n%s", limit, what, logs())
		}
		<-tick.C
	}
}
