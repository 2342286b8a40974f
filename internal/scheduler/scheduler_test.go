package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestJitterSpreadsFeedsSharingASchedule(t *testing.T) {
	s := New(nil, Options{Jitter: 30 * time.Second})
	seconds := map[int]int{}
	for i := 0; i < 1000; i++ {
		d := s.offset(fmt.Sprintf("feed-%d", i), time.Hour)
		if d < 0 || d >= 30*time.Second {
			t.Fatalf("jitter %v outside [0, 30s)", d)
		}
		if again := s.offset(fmt.Sprintf("feed-%d", i), time.Hour); again != d {
			t.Fatalf("a feed's offset moved from %v to %v", d, again)
		}
		seconds[int(d/time.Second)]++
	}
	for sec, n := range seconds {
		if n > 60 { // 1000 feeds over 30 seconds: about 33 each
			t.Errorf("%d feeds start in second %d", n, sec)
		}
	}
	if len(seconds) != 30 {
		t.Errorf("feeds start in %d distinct seconds of 30", len(seconds))
	}
}

// TestDefaultJitterFitsTheSchedule: without fetch.jitter a schedule is
// spread over a tenth of its period, at most five minutes, and a fixed
// jitter never pushes a feed past its next tick.
func TestDefaultJitterFitsTheSchedule(t *testing.T) {
	for _, tc := range []struct {
		jitter, period, window time.Duration
	}{
		{0, time.Minute, 6 * time.Second},
		{0, 10 * time.Minute, time.Minute},
		{0, 24 * time.Hour, 5 * time.Minute},
		{time.Hour, time.Minute, time.Minute},
		{0, time.Second, 100 * time.Millisecond},
	} {
		s := New(nil, Options{Jitter: tc.jitter})
		var most time.Duration
		for i := 0; i < 2000; i++ {
			most = max(most, s.offset(fmt.Sprintf("feed-%d", i), tc.period))
		}
		if most >= tc.window || most < tc.window*9/10 {
			t.Errorf("jitter %v, period %v: offsets reach %v, want them spread over [0, %v)", tc.jitter, tc.period, most, tc.window)
		}
	}
}

// fakeIngest records polls; a poll of a feed in hold waits for release.
type fakeIngest struct {
	mu       sync.Mutex
	polls    map[string]int
	running  int
	most     int // polls running at once, at most
	started  chan string
	hold     map[string]bool
	release  chan struct{}
	duration map[string]time.Duration // how long a poll of the feed seems to take
}

func newFake() *fakeIngest {
	return &fakeIngest{polls: map[string]int{}, started: make(chan string, 10000), hold: map[string]bool{}, release: make(chan struct{})}
}

func (f *fakeIngest) Poll(ctx context.Context, feed config.Feed) (ingest.Result, error) {
	f.mu.Lock()
	f.polls[feed.ID]++
	f.running++
	f.most = max(f.most, f.running)
	hold := f.hold[feed.ID]
	f.mu.Unlock()
	f.started <- feed.ID
	if hold {
		<-f.release
	}
	f.mu.Lock()
	f.running--
	f.mu.Unlock()
	return ingest.Result{NotModified: true}, nil
}

func (f *fakeIngest) RefreshComments(context.Context, config.Feed) (int, error) { return 0, nil }

func (f *fakeIngest) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.polls[id]
}

// clock is a time the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

func feeds(n int, schedule, host string) []config.Feed {
	var out []config.Feed
	for i := 0; i < n; i++ {
		out = append(out, config.Feed{ID: fmt.Sprintf("f%d", i), URL: fmt.Sprintf("https://%s/%d.xml", host, i), Schedule: schedule})
	}
	return out
}

func TestApplyAddsRemovesAndReschedules(t *testing.T) {
	// 12:59:30: "@hourly" next fires half a minute away, before "@every
	// 1m" does; the clock is the scheduler's, so the test says when.
	c := &clock{now: t0.Add(59*time.Minute + 30*time.Second)}
	s := New(newFake(), Options{Location: time.UTC, Log: quiet, Now: c.Now})
	a := config.Feed{ID: "a", URL: "https://example.com/a.xml", Schedule: "@hourly"}
	b := config.Feed{ID: "b", URL: "https://example.com/b.xml", Schedule: "@daily"}
	if err := s.Apply([]config.Feed{a, b}); err != nil {
		t.Fatal(err)
	}
	hourly := s.NextRun("a")
	if hourly.Before(t0.Add(time.Hour)) || !hourly.Before(t0.Add(time.Hour+5*time.Minute)) || s.NextRun("b").IsZero() {
		t.Fatalf("next runs: a %v, b %v", hourly, s.NextRun("b"))
	}
	a.Schedule = "@every 1m"
	if err := s.Apply([]config.Feed{a}); err != nil {
		t.Fatal(err)
	}
	if !s.NextRun("b").IsZero() {
		t.Error("removed feed b is still scheduled")
	}
	if next := s.NextRun("a"); next.Before(c.Now().Add(time.Minute)) || !next.Before(c.Now().Add(time.Minute+6*time.Second)) {
		t.Errorf("feed a rescheduled to every minute runs next at %v", next)
	}
	if _, err := s.PollNow(context.Background(), "b"); err == nil {
		t.Error("polled a feed no longer configured")
	}
	if err := s.Apply([]config.Feed{a, {ID: "c", Schedule: "not a schedule"}}); err == nil {
		t.Error("a bad schedule was accepted")
	}
	if !s.NextRun("c").IsZero() || s.NextRun("a").IsZero() {
		t.Error("a refused config changed what runs")
	}
}

// TestPollStillRunningSkipsTheNext: a poll that has not ended when the
// feed is due again makes that run skip, not queue.
func TestPollStillRunningSkipsTheNext(t *testing.T) {
	c := &clock{now: t0}
	in := newFake()
	in.hold["f0"] = true
	s := New(in, Options{Log: quiet, Now: c.Now, Jitter: time.Millisecond})
	if err := s.Apply(feeds(1, "@every 1m", "example.com")); err != nil {
		t.Fatal(err)
	}
	c.set(t0.Add(time.Minute + time.Second))
	s.fire()
	<-in.started
	for i := 2; i <= 4; i++ { // due three more times while the first runs
		c.set(t0.Add(time.Duration(i)*time.Minute + time.Second))
		s.fire()
	}
	close(in.release)
	s.workers.Wait()
	if n := in.count("f0"); n != 1 {
		t.Fatalf("%d polls; the runs due while the first ran should be skipped", n)
	}
	c.set(t0.Add(5*time.Minute + time.Second))
	s.fire()
	<-in.started
	s.workers.Wait()
	if n := in.count("f0"); n != 2 {
		t.Errorf("%d polls after the first ended; want the next run to poll", n)
	}
	if next := s.NextRun("f0"); next.Before(c.Now()) || next.After(c.Now().Add(time.Minute)) {
		t.Errorf("next run %v; missed ticks must not be made up", next)
	}
}

// TestPollsAtOnceStayWithinTheCaps: however many feeds are due, no more
// polls run than the caps allow, overall and per host, and every feed is
// polled.
func TestPollsAtOnceStayWithinTheCaps(t *testing.T) {
	c := &clock{now: t0}
	in := newFake()
	s := New(in, Options{Log: quiet, Now: c.Now, MaxPolls: 4, PerHost: 2})
	var all []config.Feed
	for h := 0; h < 10; h++ {
		all = append(all, feeds(50, "@every 1m", fmt.Sprintf("site%d.example", h))...)
	}
	for i := range all {
		all[i].ID = fmt.Sprintf("f%d", i)
		in.hold[all[i].ID] = true
	}
	if err := s.Apply(all); err != nil {
		t.Fatal(err)
	}
	c.set(t0.Add(2 * time.Minute))
	s.fire()
	for polled := 0; polled < len(all); polled++ {
		<-in.started
		in.release <- struct{}{}
	}
	s.workers.Wait()
	if in.most > 4 {
		t.Errorf("%d polls ran at once; the cap is 4", in.most)
	}
	for _, f := range all {
		if in.count(f.ID) != 1 {
			t.Fatalf("feed %s polled %d times, want once", f.ID, in.count(f.ID))
		}
	}
}

func TestSlotsKeepFastFeedsMoving(t *testing.T) {
	job := func(id string) *job { return &job{feed: config.Feed{ID: id}} }
	t.Run("per host", func(t *testing.T) {
		s := newSlots(10, 2)
		for _, id := range []string{"a1", "a2", "a3"} {
			s.add(waiting{job: job(id), host: "a"})
		}
		s.add(waiting{job: job("b1"), host: "b"})
		var started []string
		for w, ok := s.next(); ok; w, ok = s.next() {
			started = append(started, w.job.feed.ID)
		}
		if fmt.Sprint(started) != "[a1 a2 b1]" {
			t.Fatalf("started %v; want two of host a and host b's one", started)
		}
		s.finish(waiting{job: job("a1"), host: "a"})
		if w, ok := s.next(); !ok || w.job.feed.ID != "a3" {
			t.Errorf("after a1 ended, next = %v, %v; want a3", w.job, ok)
		}
	})
	t.Run("slow lane never takes every slot", func(t *testing.T) {
		s := newSlots(4, 2)
		for i := 0; i < 8; i++ {
			s.add(waiting{job: job(fmt.Sprint("slow", i)), host: fmt.Sprint("s", i), slow: true})
		}
		n := 0
		for _, ok := s.next(); ok; _, ok = s.next() {
			n++
		}
		if n != 3 {
			t.Fatalf("%d slow polls started with 4 slots; want 3, leaving one for fast feeds", n)
		}
		s.add(waiting{job: job("fast"), host: "f"})
		if w, ok := s.next(); !ok || w.job.feed.ID != "fast" {
			t.Errorf("a fast feed waited behind slow ones: %v, %v", w.job, ok)
		}
	})
	t.Run("a poll asked again goes first", func(t *testing.T) {
		// A poll of a process that died, asked again when its lease ends,
		// does not wait behind a whole tick's polls of the host.
		s := newSlots(10, 1)
		for _, id := range []string{"a1", "a2", "a3"} {
			s.add(waiting{job: job(id), host: "a"})
		}
		s.add(waiting{job: job("dead"), host: "a", again: true})
		var started []string
		for w, ok := s.next(); ok; w, ok = s.next() {
			started = append(started, w.job.feed.ID)
			s.finish(w)
		}
		if fmt.Sprint(started) != "[a1 dead a2 a3]" {
			t.Errorf("started %v; want the poll asked again next after the running one", started)
		}
	})
	t.Run("a host's slow feeds leave it a slot", func(t *testing.T) {
		s := newSlots(10, 2)
		s.add(waiting{job: job("slow1"), host: "a", slow: true})
		s.add(waiting{job: job("slow2"), host: "a", slow: true})
		s.add(waiting{job: job("fast"), host: "a"})
		var started []string
		for w, ok := s.next(); ok; w, ok = s.next() {
			started = append(started, w.job.feed.ID)
		}
		if fmt.Sprint(started) != "[fast slow1]" {
			t.Errorf("started %v; want the fast feed first and one slow one", started)
		}
	})
}
