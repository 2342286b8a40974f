package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// clusterRun is TestClusterOfThree's world: an emulated Discord, a site
// of feeds that records every fetch, a PostgreSQL database and three
// `newsbot run` processes sharing it.
type clusterRun struct {
	t              *testing.T
	feeds          int
	chans          []string
	period         time.Duration
	lease          time.Duration
	rate           int // Discord requests a second, all processes together
	emu            *emulator.Emulator
	site           *feedserver.Server
	db             *store.DB
	procs          []*newsbotProcess
	killed         *newsbotProcess // the one killed, once it is
	config         string          // the file every process reads
	siteURL, dbURL string

	mu      sync.Mutex
	fetches map[string][]time.Time // by path
	want    map[string][]string    // channel → titles owed
}

func newClusterRun(t *testing.T, feeds int) *clusterRun {
	dbURL := pgtest.URL(t)
	// The small run tests the shared limit with a tight one; the full run
	// has Discord's, and ticks long enough for a thousand feeds on this
	// machine's two cores.
	c := &clusterRun{t: t, feeds: feeds, period: 2 * time.Second, lease: 2 * time.Second, rate: 8,
		fetches: map[string][]time.Time{}, want: map[string][]string{}}
	channels, globalLimit, slowMS := 6, 10, 25
	if feeds > 100 {
		c.period, c.lease, c.rate, channels, globalLimit, slowMS = 10*time.Second, 5*time.Second, 45, 20, 50, 2
	}
	seed := emulator.DefaultSeed()
	for i := range channels {
		id := fmt.Sprintf("1000000000000002%02d", i)
		c.chans = append(c.chans, id)
		seed.Guilds[0].Channels = append(seed.Guilds[0].Channels, emulator.SeedChannel{ID: id, Name: fmt.Sprint("wire-", i), Type: emulator.ChannelText})
	}
	c.emu = emulator.Start(t, emulator.Options{Seed: &seed, HeartbeatInterval: time.Second,
		RateLimit: emulator.RateLimit{Requests: 1000, Global: globalLimit}})
	// Each post takes a while (the emulator applies a slow fault up to
	// eight times to one request: 25 ms is 200), so a process killed
	// mid-run holds channels with posts still owed.
	c.emu.Inject(emulator.Fault{Kind: "slow", DelayMS: slowMS, Method: "POST", Path: "/messages", Count: 1 << 20})
	c.site = feedserver.New()
	c.site.OnServe(func(r feedserver.Request) {
		c.mu.Lock()
		c.fetches[r.Path] = append(c.fetches[r.Path], time.Now())
		c.mu.Unlock()
	})
	srv := httptest.NewServer(c.site)
	t.Cleanup(srv.Close)
	c.siteURL, c.dbURL = srv.URL, dbURL
	c.publish(2)
	dir := t.TempDir()
	c.config = filepath.Join(dir, "config.yaml")
	c.writeConfig()
	for i := range 3 {
		c.procs = append(c.procs, startNewsbot(t, dir, i, "run", "--config", c.config))
	}
	var err error
	if c.db, err = store.Open(context.Background(), dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.db.Close() })
	return c
}

// writeConfig writes the file every process reads, for c.feeds feeds.
func (c *clusterRun) writeConfig() {
	c.t.Helper()
	if err := os.WriteFile(c.config, []byte(c.configText(c.siteURL, c.dbURL)), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

func (c *clusterRun) configText(site, dbURL string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `discord:
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
`, c.emu.URL, emulator.DefaultGuildID, dbURL, c.period/4, c.lease, c.rate)
	for f := range c.feeds {
		fmt.Fprintf(&b, "  - {id: f%d, url: %s/f%d.xml, channels: [%q], schedule: \"@every %s\", backfill: 2}\n",
			f, site, f, c.channel(f), c.period)
	}
	return b.String()
}

func (c *clusterRun) channel(feed int) string { return c.chans[feed%len(c.chans)] }

// publish makes every feed carry stories 1 to n, newest first; each
// channel is owed every story of its feeds.
func (c *clusterRun) publish(n int) {
	for f := range c.feeds {
		var items []feedserver.Item
		for i := n; i >= 1; i-- {
			items = append(items, feedserver.Item{GUID: fmt.Sprintf("f%d-%d", f, i), Title: fmt.Sprintf("Feed %d story %d", f, i),
				Link:       fmt.Sprintf("https://f%d.example/%d", f, i),
				Paragraphs: []string{fmt.Sprintf("Story %d of feed %d: what happened, where, and what people say about it.", i, f)},
				Published:  time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC)})
		}
		c.site.Set(fmt.Sprintf("/f%d.xml", f), items...)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.want = map[string][]string{}
	for f := range c.feeds {
		for i := 1; i <= n; i++ {
			c.want[c.channel(f)] = append(c.want[c.channel(f)], fmt.Sprintf("Feed %d story %d", f, i))
		}
	}
}

func (c *clusterRun) posted() int {
	n := 0
	for _, ch := range c.chans {
		n += len(c.emu.Messages(ch))
	}
	return n
}

// waitPosted waits until every feed's perFeed stories are posted.
func (c *clusterRun) waitPosted(what string, perFeed int) {
	c.t.Helper()
	waitUntil(c.t, 3*time.Minute+time.Duration(c.feeds)*100*time.Millisecond, what, c.logs,
		func() bool { return c.posted() >= perFeed*c.feeds })
}

func (c *clusterRun) logs() string {
	var b strings.Builder
	for _, p := range c.procs {
		fmt.Fprintf(&b, "--- process %d (pid %d):\n%s\n", p.n, p.pid(), p.tail(40))
	}
	return b.String()
}

// claimedTicks reads from the processes' logs the schedule ticks each
// feed was claimed for, by feed id, a tick claimed twice listed twice.
func (c *clusterRun) claimedTicks() map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, p := range c.procs {
		for _, line := range strings.Split(p.log.String(), "\n") {
			if !strings.Contains(line, `msg="poll claimed"`) {
				continue
			}
			var feed string
			var tick time.Time
			for _, f := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(f, "feed="); ok {
					feed = v
				} else if v, ok := strings.CutPrefix(f, "tick="); ok {
					tick, _ = time.Parse(time.RFC3339Nano, v)
				}
			}
			out[feed] = append(out[feed], tick)
		}
	}
	return out
}

// checkTicks checks the four schedule ticks after from: every feed polled
// for each of them - a poll still running when the next tick comes skips
// that one, which a loaded machine may cause once - and by one process
// only (checkClaims has the processes' claims), and no feed fetched more
// often than its ticks came.
func (c *clusterRun) checkTicks(what string, from time.Time) {
	c.t.Helper()
	first := from.Truncate(c.period)
	if first.Before(from) {
		first = first.Add(c.period)
	}
	end := first.Add(4 * c.period)
	inWindow := func(ticks []time.Time) (n int) {
		for _, tk := range ticks {
			if !tk.Before(first) && tk.Before(end) {
				n++
			}
		}
		return n
	}
	// Done once every feed has been claimed for a tick past the window.
	waitUntil(c.t, time.Minute+4*c.period, what+": four ticks' polls", c.logs, func() bool {
		claimed := c.claimedTicks()
		for f := range c.feeds {
			if !slices.ContainsFunc(claimed[fmt.Sprint("f", f)], func(tk time.Time) bool { return !tk.Before(end) }) {
				return false
			}
		}
		return true
	})
	claimed := c.claimedTicks()
	fewest, most := -1, 0
	for f := range c.feeds {
		n := inWindow(claimed[fmt.Sprint("f", f)])
		if fewest < 0 || n < fewest {
			fewest = n
		}
		most = max(most, n)
	}
	if fewest < 3 || most > 4 {
		c.t.Errorf("%s: feeds polled for %d to %d of the 4 ticks from %v", what, fewest, most, first.Format("15:04:05"))
	}
	// Fetches, by when the site saw them: the window's four ticks' and, on
	// a loaded machine, the tick before's, late.
	c.mu.Lock()
	defer c.mu.Unlock()
	for f := range c.feeds {
		n := 0
		for _, at := range c.fetches[fmt.Sprintf("/f%d.xml", f)] {
			if !at.Before(first) && at.Before(end) {
				n++
			}
		}
		if n > 5 {
			c.t.Errorf("%s: feed f%d fetched %d times in 4 ticks of %v", what, f, n, c.period)
		}
	}
	c.t.Logf("%s: every feed polled for %d to %d of 4 ticks of %v", what, fewest, most, c.period)
}

// killOneWithWork SIGKILLs a process while it holds a channel with posts
// still owed.
func (c *clusterRun) killOneWithWork() (*newsbotProcess, time.Time) {
	c.t.Helper()
	ctx := context.Background()
	var victim *newsbotProcess
	var held []string
	waitUntil(c.t, time.Minute, "a process holding a channel with posts owed", c.logs, func() bool {
		for _, p := range c.procs {
			chs, err := c.db.Worker(p.owner(c.t), c.lease, 1).Channels(ctx, time.Now())
			if err != nil {
				c.t.Fatal(err)
			}
			for _, ch := range chs {
				if ds, _ := c.db.Deliveries(ctx, store.DeliveryFilter{ChannelID: ch, State: news.DeliveryPending}); len(ds) > 0 {
					victim, held = p, chs
					return true
				}
			}
		}
		return false
	})
	victim.kill(c.t)
	c.killed = victim
	c.t.Logf("killed process %d (%s) holding channels %v", victim.n, victim.owner(c.t), held)
	return victim, time.Now()
}

// waitTakeover waits until the killed process holds nothing, and says
// when its channels and its unfinished polls passed to the others. Its
// leases end at most a lease after the kill; the others take the work
// at their next look - the outbox's read each second, a poll's retry
// when the lease ends - so each kind is taken over within a lease and
// takeoverSlack, or the test says which claims stayed behind.
func (c *clusterRun) waitTakeover(victim *newsbotProcess, killed time.Time) (channels, polls time.Duration) {
	c.t.Helper()
	dead := c.db.Worker(victim.owner(c.t), c.lease, 1)
	var late []string
	waitUntil(c.t, 2*time.Minute, "the killed process's claims taken over", c.logs, func() bool {
		chs, ps, err := dead.Held(context.Background())
		if err != nil {
			return false
		}
		since := time.Since(killed)
		if len(chs) == 0 && channels == 0 {
			channels = since
		}
		if len(ps) == 0 && polls == 0 {
			polls = since
		}
		if since > c.lease+takeoverSlack && late == nil && len(chs)+len(ps) > 0 {
			late = append(append(late, chs...), ps...)
		}
		return len(chs) == 0 && len(ps) == 0
	})
	if late != nil {
		c.t.Errorf("the killed process's claims were taken over %v (channels) and %v (polls) after the kill, lease %v; still held %v after it: %v\n%s",
			channels.Round(10*time.Millisecond), polls.Round(10*time.Millisecond), c.lease, c.lease+takeoverSlack, late, c.logsOf(late[:min(len(late), 3)]))
	}
	return channels, polls
}

// logsOf is what the processes logged of the feeds (by id) and channels
// named, from the kill on.
func (c *clusterRun) logsOf(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "--- %s:\n", k)
		for _, p := range c.procs {
			for _, line := range strings.Split(p.log.String(), "\n") {
				if strings.Contains(line, "feed="+k+" ") || strings.Contains(line, k+"\"") || strings.HasSuffix(line, "feed="+k) {
					fmt.Fprintf(&b, "%d: %s\n", p.n, line)
				}
			}
		}
	}
	return b.String()
}

// takeoverSlack is how long after a dead process's lease ends the
// others may take to notice: the outbox reads the store every second,
// and a loaded machine adds its delays.
const takeoverSlack = 2 * time.Second

// addFeedAndReload adds a feed with two stories to the config file and
// sends SIGHUP to one live process: every live process follows the
// reload, and the new feed's stories are posted once, by whichever
// claims its polls. checkPosts and checkClaims then cover it too.
func (c *clusterRun) addFeedAndReload() {
	c.t.Helper()
	f := c.feeds
	id := fmt.Sprint("f", f)
	var items []feedserver.Item
	for i := 2; i >= 1; i-- {
		items = append(items, feedserver.Item{GUID: fmt.Sprintf("%s-%d", id, i), Title: fmt.Sprintf("Feed %d story %d", f, i),
			Link: fmt.Sprintf("https://%s.example/%d", id, i), Paragraphs: []string{fmt.Sprintf("Story %d of the feed added later.", i)},
			Published: time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC)})
	}
	c.site.Set("/"+id+".xml", items...)
	c.mu.Lock()
	c.feeds++
	ch := c.channel(f)
	c.want[ch] = append(c.want[ch], fmt.Sprintf("Feed %d story 1", f), fmt.Sprintf("Feed %d story 2", f))
	c.mu.Unlock()
	var live []*newsbotProcess
	for _, p := range c.procs {
		if p != c.killed {
			live = append(live, p)
		}
	}
	before := make([]int, len(live))
	for i, p := range live {
		before[i] = strings.Count(p.log.String(), "config reloaded")
	}
	c.writeConfig()
	if err := live[0].cmd.Process.Signal(syscall.SIGHUP); err != nil {
		c.t.Fatal(err)
	}
	waitUntil(c.t, time.Minute, "every live process reloading the config", c.logs, func() bool {
		for i, p := range live {
			if strings.Count(p.log.String(), "config reloaded") == before[i] {
				return false
			}
		}
		return true
	})
	waitUntil(c.t, time.Minute, "the added feed's stories posted", c.logs, func() bool {
		n := 0
		for _, m := range c.emu.Messages(ch) {
			if len(m.Embeds) > 0 && strings.HasPrefix(m.Embeds[0].Title, fmt.Sprintf("Feed %d story ", f)) {
				n++
			}
		}
		return n >= 2
	})
}

// checkPosts checks that every story owed is posted once in its channel,
// in the order its deliveries were queued.
func (c *clusterRun) checkPosts() {
	c.t.Helper()
	ctx := context.Background()
	for _, ch := range c.chans {
		var got []string
		for _, m := range c.emu.Messages(ch) {
			if len(m.Embeds) > 0 {
				got = append(got, m.Embeds[0].Title)
			}
		}
		sortedGot, sortedWant := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(c.want[ch]))
		if !slices.Equal(sortedGot, sortedWant) {
			c.t.Errorf("channel %s: posted %d cards, owed %d:\n got %q\nwant %q", ch, len(got), len(c.want[ch]), sortedGot, sortedWant)
		}
		ds, err := c.db.Deliveries(ctx, store.DeliveryFilter{ChannelID: ch, Kind: news.DeliveryNew})
		if err != nil {
			c.t.Fatal(err)
		}
		var order []string
		for _, d := range ds {
			s, err := c.db.Story(ctx, d.StoryID)
			if err != nil {
				c.t.Fatal(err)
			}
			order = append(order, s.Title)
		}
		if !slices.Equal(got, order) {
			c.t.Errorf("channel %s: posted out of order:\n got %q\nqueued %q", ch, got, order)
		}
	}
}

// checkGlobalLimit checks that Discord's global limit held across the
// processes: the emulator answered no request with 429. On failure it
// says which requests were refused and how many the busiest second held,
// by route, to tell a limiter at fault from requests it does not see.
func (c *clusterRun) checkGlobalLimit() {
	c.t.Helper()
	reqs := c.emu.Requests()
	var limited []string
	for _, r := range reqs {
		if r.Status == 429 {
			limited = append(limited, r.Time.Format("15:04:05.000")+" "+r.Route)
		}
	}
	if len(limited) == 0 {
		return
	}
	// The busiest second: the emulator counts fixed windows, so any
	// second that held more than its limit explains a refusal.
	slices.SortFunc(reqs, func(a, b emulator.Request) int { return a.Time.Compare(b.Time) })
	busiest, from := 0, 0
	for i, j := 0, 0; j < len(reqs); j++ {
		for reqs[j].Time.Sub(reqs[i].Time) >= time.Second {
			i++
		}
		if j-i+1 > busiest {
			busiest, from = j-i+1, i
		}
	}
	routes := map[string]int{}
	for _, r := range reqs[from : from+busiest] {
		routes[r.Route]++
	}
	c.t.Errorf("%d of %d requests answered 429: the processes together went past the shared limit of %d a second\n%s\nthe busiest second held %d requests from %s: %v",
		len(limited), len(reqs), c.rate, strings.Join(limited[:min(len(limited), 10)], "\n"),
		busiest, reqs[from].Time.Format("15:04:05.000"), routes)
}

// checkClaims checks that each tick of each feed was claimed by one
// process - or, if the killed process had claimed it, by one more once
// its lease ran out - and that every fetch the site saw was a claimed
// poll's. It returns the polls made, and how many were made again.
func (c *clusterRun) checkClaims(victim *newsbotProcess) (polls, again int) {
	c.t.Helper()
	type pollKey struct{ feed, tick string }
	claimedBy := map[pollKey][]int{}
	for _, p := range c.procs {
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
	claims, victims := map[string]int{}, map[string]int{}
	for k, ps := range claimedBy {
		claims[k.feed] += len(ps)
		if slices.Contains(ps, victim.n) {
			victims[k.feed]++
		}
		switch {
		case len(ps) == 1:
		case len(ps) == 2 && slices.Contains(ps, victim.n):
			again++
		default:
			c.t.Errorf("feed %s polled for tick %s by processes %v", k.feed, k.tick, ps)
		}
	}
	// As many fetches of a feed as claims of it, less the killed
	// process's last ones, which it may not have made.
	c.mu.Lock()
	defer c.mu.Unlock()
	for f := range c.feeds {
		id := fmt.Sprint("f", f)
		if n := len(c.fetches["/"+id+".xml"]); n > claims[id] || n < claims[id]-victims[id] {
			c.t.Errorf("feed %s fetched %d times for %d claimed polls (%d by the killed process)", id, n, claims[id], victims[id])
		}
	}
	return len(claimedBy), again
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
func (p *newsbotProcess) owner(t *testing.T) string {
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
