//go:build linux

package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/scheduler"
	"github.com/newsbot-dev/newsbot/internal/store"
	"github.com/newsbot-dev/newsbot/internal/store/pgtest"
)

// BenchmarkPoll is issue 10's polling acceptance: N feeds on "@every 1m",
// served by local sites (100 feeds a host) where 3% answer after 3 s, 2%
// fail with a 500 and the rest answer 304 to the stored ETag. The store is
// seeded as a bot that has run before would have it. Each run starts the
// bot's polling as `newsbot run` does, lets it run for two ticks, and
// prints each figure beside its ceiling. It runs once per size, whatever
// -benchtime says; the 10,000-feed run takes about four minutes.
//
//	go test -run '^$' -bench Poll -benchtime 1x -timeout 30m ./internal/bench
func BenchmarkPoll(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("feeds=%d", n), func(b *testing.B) {
			if testing.Short() && n > 1000 {
				b.Skip("-short: the 10,000-feed run takes minutes")
			}
			benchPoll(b, n)
		})
	}
}

var pollProfile = flag.String("poll.cpuprofile", "", "write CPU and allocation profiles of the polling benchmark's measured ticks to `prefix`.N.pprof and .allocs")

// pollDB picks the store: a SQLite file, or a fresh schema of the
// PostgreSQL server NEWSBOT_TEST_POSTGRES names, polled as one of several
// processes sharing it would poll (claims, state read from the store).
var pollDB = flag.String("poll.db", "sqlite", "`engine` of the polling benchmark's store: sqlite or postgres")

// pollCycles is how many ticks of the schedule each run measures.
const pollCycles = 2

const period = time.Minute

func benchPoll(b *testing.B, n int) {
	sites := startFeedSites(b, n)
	dir := b.TempDir()
	dbPath := filepath.Join(dir, "news.db")
	if *pollDB == "postgres" {
		dbPath = pgtest.URL(b)
	}
	yaml := benchConfig(sites, n, dbPath)
	seedStore(b, dbPath, n)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	runtime.GC()
	startCPU := cpuTime()
	began := time.Now()
	cfg, err := config.Parse(yaml, filepath.Join(dir, "config.yaml"), nil)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rec := &recorder{}
	sched := startPolling(b, cfg, db, quiet, rec)
	startup := time.Since(began)
	startupCPU := cpuTime() - startCPU

	tick := firstTick(sched, cfg.Feeds)
	end := tick.Add(pollCycles*period + slowDelay + 5*time.Second)
	maxG := watchGoroutines(end, rec)
	sleepUntil(tick)
	stopProfile := func() {}
	if *pollProfile != "" {
		stopProfile = profile(b, fmt.Sprintf("%s.%d", *pollProfile, n))
	}
	cpu0, server0 := cpuTime(), serverCPU()
	sleepUntil(end)
	cpu, server := cpuTime()-cpu0, serverCPU()-server0
	stopProfile()
	sched.Stop()

	r := rec.report(cfg.Feeds, tick)
	rss, peak := memory()
	polls := float64(r.polls)
	figures := []figure{
		{"fast and slow feeds polled in each tick", r.polledShare * 100, "%", ">=", 100, "%_polled"},
		{"fast feeds' pass, tick to last done", seconds(r.fastPass), "s", "<=", 10, "s_fast_pass"},
		{"every feed's pass, tick to last done", seconds(r.allPass), "s", "<=", 60, "s_full_pass"},
		{"CPU per poll (304s, and 5% slow or failing)", cpu.Seconds() * 1000 / polls, "ms", "<=", 0.3, "ms_cpu/poll"},
		{"database server's CPU per poll (PostgreSQL)", server.Seconds() * 1000 / polls, "ms", "", 0, "ms_db_cpu/poll"},
		{"start-up: config, store, state, schedule", startup.Seconds() * 1000, "ms", "<", 1000, "ms_startup"},
		{"start-up CPU", startupCPU.Seconds() * 1000, "ms", "", 0, "ms_startup_cpu"},
		{"RSS at the end (peak)", rss, fmt.Sprintf("MB (%.0f MB)", peak), "<", 200, "MB_rss"},
		{"goroutines at most", float64(maxG()), "", "<=", float64(goroutineCeiling(cfg)), "goroutines"},
	}
	b.Logf("%d feeds on @every 1m, %d hosts, %d polls in %d ticks (%d not modified, %d failed, %d skipped while backing off)",
		n, len(sites), r.polls, pollCycles, r.notModified, r.failed, r.skipped)
	for _, f := range figures {
		b.ReportMetric(f.value, f.metric)
		b.Log(f.String())
	}
	b.ReportMetric(0, "ns/op") // the run is one long scenario; its time per op says nothing
}

type figure struct {
	name   string
	value  float64
	unit   string
	cmp    string
	limit  float64
	metric string
}

// seconds is d in seconds, +Inf for never.
func seconds(d time.Duration) float64 {
	if d == never {
		return math.Inf(1)
	}
	return d.Seconds()
}

func (f figure) String() string {
	s := fmt.Sprintf("%-45s %10.3f %s", f.name, f.value, f.unit)
	if math.IsInf(f.value, 1) {
		s = fmt.Sprintf("%-45s %10s %s", f.name, "never", "(some feed was not polled in a tick)")
	}
	if f.cmp == "" {
		return s
	}
	ok := map[string]bool{"<=": f.value <= f.limit, "<": f.value < f.limit, ">=": f.value >= f.limit}[f.cmp]
	verdict := "ok"
	if !ok {
		verdict = "OVER"
	}
	return fmt.Sprintf("%s   ceiling %s %g  %s", s, f.cmp, f.limit, verdict)
}

// benchConfig is a config file for n feeds on the given sites.
func benchConfig(sites []string, n int, dbPath string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `discord: {token: bench}
database: %s
fetch: {allow_private: true}
defaults:
  channels: ["100000000000000001"]
  schedule: "@every 1m"
  backfill: 0
feeds:
`, dbPath)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - {id: %s, url: %s/f/%d.xml}\n", feedID(i), sites[i/feedsPerHost], i)
	}
	return []byte(b.String())
}

func feedID(i int) string { return fmt.Sprintf("f%05d", i) }

// seedStore writes what a bot that polled these feeds before remembers:
// each feed's ETag and its channel's subscription, seeded.
func seedStore(tb testing.TB, path string, n int) {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	then := time.Now().Add(-period)
	for i := 0; i < n; i++ {
		id := feedID(i)
		if err := db.PutFeedState(ctx, news.FeedState{FeedID: id, ETag: feedETag, LastPoll: then, LastSuccess: then}); err != nil {
			tb.Fatal(err)
		}
		if _, _, err := db.EnsureSubscription(ctx, id, "100000000000000001", then); err != nil {
			tb.Fatal(err)
		}
		if err := db.MarkSubscriptionSeeded(ctx, id, "100000000000000001"); err != nil {
			tb.Fatal(err)
		}
	}
}

// startPolling wires polling as `newsbot run` does and starts it.
func startPolling(tb testing.TB, cfg *config.Config, db *store.DB, log *slog.Logger, rec *recorder) *scheduler.Scheduler {
	tb.Helper()
	ctx := context.Background()
	in := &ingest.Poller{
		Store: db, Log: log, NoticeAfter: cfg.Fetch.FailureNoticeAfter, Fetcher: ingest.NewFetcher(cfg.Fetch),
		Shared: db.Shared(),
	}
	if err := in.Load(ctx); err != nil {
		tb.Fatal(err)
	}
	rec.in = in
	opts := scheduler.Options{Location: cfg.Location, Jitter: cfg.Fetch.Jitter, Log: log,
		MaxPolls: cfg.Fetch.MaxConcurrent, PerHost: cfg.Fetch.PerHost}
	if db.Shared() {
		opts.Claims = db.Worker("bench", cfg.Cluster.Lease, 64)
	}
	s := scheduler.New(rec, opts)
	s.Start(ctx)
	if err := s.Apply(cfg.Feeds); err != nil {
		tb.Fatal(err)
	}
	return s
}

// goroutineCeiling is what the goroutine count may reach, whatever the
// number of feeds: a poll worker per fetch at once (the cap), a read and
// a write loop per connection (one per fetch at once, and twice the cap
// kept idle: ingest.NewFetcher), and a hundred for the runtime, the test
// and the store.
func goroutineCeiling(cfg *config.Config) int {
	c := cfg.Fetch.MaxConcurrent
	return c + 2*(c+2*c) + 100
}

// firstTick is when the feeds' shared schedule first fires: the earliest
// next run, to the second (jitter only delays a feed from it).
func firstTick(s *scheduler.Scheduler, feeds []config.Feed) time.Time {
	var first time.Time
	for _, f := range feeds {
		if t := s.NextRun(f.ID); first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first.Truncate(time.Second)
}

// recorder is the Ingest the scheduler fires: it times each poll.
type recorder struct {
	in             scheduler.Ingest
	mu             sync.Mutex
	polls          []pollRecord
	mostGoroutines int
}

type pollRecord struct {
	feed       string
	start, end time.Time
	res        ingest.Result
	err        error
}

func (r *recorder) Poll(ctx context.Context, f config.Feed) (ingest.Result, error) {
	start := time.Now()
	res, err := r.in.Poll(ctx, f)
	end := time.Now()
	g := runtime.NumGoroutine() // counted as polls end, when most run
	r.mu.Lock()
	r.polls = append(r.polls, pollRecord{f.ID, start, end, res, err})
	r.mostGoroutines = max(r.mostGoroutines, g)
	r.mu.Unlock()
	return res, err
}

func (r *recorder) RefreshComments(ctx context.Context, f config.Feed) (int, error) {
	return r.in.RefreshComments(ctx, f)
}

// never is the pass of a tick in which some feed was not polled at all.
const never = time.Duration(math.MaxInt64)

type pollReport struct {
	polls, notModified, failed, skipped int
	polledShare                         float64 // of the fast and slow feeds, polled once per tick
	fastPass, allPass                   time.Duration
}

// report reads the polls of each tick: those that started within its
// period. A feed not polled in a tick makes that tick's pass infinite.
func (r *recorder) report(feeds []config.Feed, tick time.Time) pollReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out pollReport
	kinds := map[string]feedKind{}
	healthy := 0
	for i, f := range feeds {
		kinds[f.ID] = kindOf(i)
		if kindOf(i) != failingFeed {
			healthy++
		}
	}
	polled := 0
	for k := 0; k < pollCycles; k++ {
		from, to := tick.Add(time.Duration(k)*period), tick.Add(time.Duration(k+1)*period)
		done := map[string]time.Time{}
		for _, p := range r.polls {
			if p.start.Before(from) || !p.start.Before(to) {
				continue
			}
			if _, seen := done[p.feed]; !seen || p.end.Before(done[p.feed]) {
				done[p.feed] = p.end
			}
		}
		fast, all := time.Duration(0), time.Duration(0)
		missing := 0
		for id, kind := range kinds {
			if kind == failingFeed {
				continue
			}
			end, ok := done[id]
			if !ok {
				missing++
				continue
			}
			polled++
			all = max(all, end.Sub(from))
			if kind == fastFeed {
				fast = max(fast, end.Sub(from))
			}
		}
		if missing > 0 {
			fast, all = never, never
		}
		out.fastPass, out.allPass = max(out.fastPass, fast), max(out.allPass, all)
	}
	out.polledShare = float64(polled) / float64(healthy*pollCycles)
	end := tick.Add(pollCycles * period)
	for _, p := range r.polls {
		if p.start.Before(tick) || !p.start.Before(end) {
			continue
		}
		out.polls++
		switch {
		case p.res.Skipped:
			out.skipped++
		case p.err != nil:
			out.failed++
		case p.res.NotModified:
			out.notModified++
		}
	}
	return out
}

// watchGoroutines samples the goroutine count until end, every second
// (the recorder counts them as each poll ends), and returns a function
// that gives the largest seen.
func watchGoroutines(end time.Time, rec *recorder) func() int {
	var mu sync.Mutex
	most := runtime.NumGoroutine()
	go func() {
		for time.Now().Before(end) {
			n := runtime.NumGoroutine()
			mu.Lock()
			most = max(most, n)
			mu.Unlock()
			time.Sleep(time.Second)
		}
	}()
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return max(most, rec.mostGoroutines)
	}
}

func sleepUntil(t time.Time) { time.Sleep(time.Until(t)) }

// memory returns the resident set now and at its peak, in MB.
func memory() (rss, peak float64) {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}
