// Package scheduler runs feeds on time: when a feed's cron schedule comes
// due (plus the feed's own jitter), it fires a poll of the feed (ingest),
// at most so many at once over all hosts and per host, and whatever a
// poll queued wakes the outbox.
//
// One goroutine keeps the time: a heap of next runs feeds a bounded set
// of poll workers, so a feed waiting for its turn costs no goroutine.
package scheduler

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/weburl"
)

// Ingest is the work the scheduler fires: ingest.Poller.
type Ingest interface {
	Poll(ctx context.Context, f config.Feed) (ingest.Result, error)
	RefreshComments(ctx context.Context, f config.Feed) (int, error)
}

// Options tune a Scheduler.
type Options struct {
	Location *time.Location // for schedules without CRON_TZ; UTC when nil

	// Jitter is the window feeds sharing a schedule are spread over, each
	// at its own fixed offset. 0 spreads each schedule over a tenth of its
	// period, at most five minutes. A feed's offset is always shorter than
	// its schedule's period.
	Jitter time.Duration

	MaxPolls int // polls at once over all hosts; config.DefaultMaxConcurrent when 0
	PerHost  int // polls at once per host (and port); 2 when 0

	Log *slog.Logger

	// Wake tells the outbox a poll may have queued deliveries; nil when
	// nothing is delivered (check, tests).
	Wake func()

	// CommentsEvery is how often comment refresh policies are checked;
	// 1 minute when 0.
	CommentsEvery time.Duration

	// AfterPoll, when set, is called after every poll; tests use it to
	// wait for polls instead of sleeping.
	AfterPoll func(feedID string, res ingest.Result, err error)

	// Now is the clock next runs are computed from; time.Now when nil.
	Now func() time.Time

	// Claims, when set, shares the polls with other processes: see
	// Claims. nil when this process is the only one.
	Claims Claims
}

// Scheduler polls each feed on its schedule.
type Scheduler struct {
	ingest Ingest
	opts   Options

	mu     sync.Mutex
	ctx    context.Context // polls run under it; cancelled by Stop
	cancel context.CancelFunc
	feeds  map[string]*job
	due    dueHeap // the next run of every feed
	slots  slots   // polls due and waiting for a slot, and those running
	kick   chan struct{}

	loops   sync.WaitGroup // the timing and comment refresh loops
	workers sync.WaitGroup // polls running
}

type job struct {
	feed  config.Feed
	host  string // the server its URL names, for the per-host cap
	sched cron.Schedule
	gen   int       // the current of its heap entries; older ones are dropped
	next  time.Time // when it is next due: its schedule's tick plus its jitter
	slow  bool      // its last poll took slowPoll or longer
	gone  bool      // no longer configured

	// running is held from the moment a poll is due until it ends, so
	// polls of a feed never overlap: one due while the last is still
	// waiting or running is skipped, not queued.
	running sync.Mutex
}

// New returns a scheduler that fires in. Call Start, then Apply.
func New(in Ingest, o Options) *Scheduler {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Wake == nil {
		o.Wake = func() {}
	}
	if o.CommentsEvery <= 0 {
		o.CommentsEvery = time.Minute
	}
	if o.MaxPolls <= 0 {
		o.MaxPolls = config.DefaultMaxConcurrent
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Scheduler{
		ingest: in,
		opts:   o,
		ctx:    context.Background(),
		feeds:  map[string]*job{},
		slots:  newSlots(o.MaxPolls, o.PerHost),
		kick:   make(chan struct{}, 1),
	}
}

// Start begins polling feeds as they come due until ctx ends or Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.ctx, s.cancel = context.WithCancel(ctx)
	run := s.ctx
	s.mu.Unlock()
	s.loops.Add(2)
	go func() {
		defer s.loops.Done()
		s.timeLoop(run)
	}()
	go func() {
		defer s.loops.Done()
		s.refreshLoop(run)
	}()
}

// Stop stops scheduling, drops the polls still waiting for a slot and
// waits for the running ones to end.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.cancel = nil
	s.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	s.loops.Wait()
	s.mu.Lock()
	for _, w := range s.slots.drop() {
		w.job.running.Unlock()
	}
	s.mu.Unlock()
	s.workers.Wait()
}

// Apply makes the running schedule match feeds: new feeds are scheduled,
// removed ones stop, changed schedules are replaced and other changes take
// effect at the next poll. It is how a reloaded config takes effect. A
// schedule that does not parse changes nothing.
func (s *Scheduler) Apply(feeds []config.Feed) error {
	parsed := map[string]cron.Schedule{} // by spec: thousands of feeds share a few
	s.mu.Lock()
	for _, f := range feeds {
		if j, ok := s.feeds[f.ID]; ok && j.feed.Schedule == f.Schedule {
			continue
		}
		if _, ok := parsed[f.Schedule]; ok {
			continue
		}
		sched, err := parseSchedule(s.spec(f.Schedule))
		if err != nil {
			s.mu.Unlock()
			return fmt.Errorf("schedule feed %q (%q): %w", f.ID, f.Schedule, err)
		}
		parsed[f.Schedule] = sched
	}
	now := s.opts.Now()
	keep := map[string]bool{}
	for _, f := range feeds {
		keep[f.ID] = true
		j, ok := s.feeds[f.ID]
		if ok && j.feed.Schedule == f.Schedule {
			j.feed, j.host = f, weburl.Server(f.URL)
			continue
		}
		if !ok {
			j = &job{}
			s.feeds[f.ID] = j
		}
		j.feed, j.host, j.sched = f, weburl.Server(f.URL), parsed[f.Schedule]
		s.schedule(j, now)
		s.opts.Log.Debug("feed scheduled", "feed", f.ID, "schedule", f.Schedule, "next", j.next)
	}
	for id, j := range s.feeds {
		if !keep[id] {
			j.gone = true
			delete(s.feeds, id)
			s.opts.Log.Info("feed removed", "feed", id)
		}
	}
	s.mu.Unlock()
	s.opts.Log.Info("feeds scheduled", "feeds", len(feeds))
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return nil
}

// parseSchedule is cron's standard parser; config has already refused
// what it mishandles, but a panic must not take the bot down.
func parseSchedule(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse: %v", r)
		}
	}()
	return cron.ParseStandard(spec)
}

// spec pins a schedule to the configured time zone unless it names its own.
func (s *Scheduler) spec(schedule string) string {
	if strings.HasPrefix(schedule, "CRON_TZ=") || strings.HasPrefix(schedule, "TZ=") {
		return schedule
	}
	return "CRON_TZ=" + s.opts.Location.String() + " " + schedule
}

// NextRun is when feedID's next poll is due (its jitter included), zero
// when it is not scheduled.
func (s *Scheduler) NextRun(feedID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j, ok := s.feeds[feedID]; ok {
		return j.next
	}
	return time.Time{}
}

// PollNow polls feedID at once, after any poll of it already due or
// running, and returns what the poll did. Admin commands and tests use it
// to skip the wait for the schedule.
func (s *Scheduler) PollNow(ctx context.Context, feedID string) (ingest.Result, error) {
	s.mu.Lock()
	j := s.feeds[feedID]
	s.mu.Unlock()
	if j == nil {
		return ingest.Result{}, fmt.Errorf("feed %q is not scheduled: %w", feedID, news.ErrNotFound)
	}
	j.running.Lock()
	defer j.running.Unlock()
	return s.poll(ctx, j)
}

// poll runs one poll of j, which the caller holds running for.
func (s *Scheduler) poll(ctx context.Context, j *job) (res ingest.Result, err error) {
	s.mu.Lock()
	f := j.feed
	s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			s.opts.Log.Error("poll panicked", "feed", f.ID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("poll of feed %q panicked: %v", f.ID, r)
		}
		if res.New+res.Updated > 0 || err != nil {
			s.opts.Wake() // new deliveries, or a failure notice
		}
		if s.opts.AfterPoll != nil {
			s.opts.AfterPoll(f.ID, res, err)
		}
	}()
	return s.ingest.Poll(ctx, f)
}

// slowPoll is how long a poll takes to count as slow: a feed whose last
// poll was slow waits in the slow lane, which never takes every slot.
const slowPoll = time.Second

// startPoll runs w's poll on a worker of its own; the slot is the
// caller's (who holds mu) until the poll ends.
func (s *Scheduler) startPoll(w waiting) {
	ctx := s.ctx
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		if !s.claim(ctx, w) {
			w.job.running.Unlock()
			s.mu.Lock()
			defer s.mu.Unlock()
			s.slots.finish(w)
			s.dispatch()
			return
		}
		began := time.Now()
		res, _ := s.poll(ctx, w.job)
		took := time.Since(began)
		s.done(ctx, w.job.feed.ID, w.tick)
		w.job.running.Unlock()
		s.mu.Lock()
		defer s.mu.Unlock()
		if !res.Skipped {
			w.job.slow = took >= slowPoll
		}
		s.slots.finish(w)
		s.dispatch()
	}()
}

// dispatch starts every waiting poll a slot is free for. The caller
// holds mu.
func (s *Scheduler) dispatch() {
	if s.ctx.Err() != nil {
		return // stopping: what waits is dropped by Stop
	}
	for {
		w, ok := s.slots.next()
		if !ok {
			return
		}
		if w.job.gone {
			w.job.running.Unlock() // removed from the config while it waited
			s.slots.finish(w)
			continue
		}
		s.startPoll(w)
	}
}

// timeLoop starts polls as they come due until ctx ends.
func (s *Scheduler) timeLoop(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		timer.Reset(s.fire())
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.kick:
		}
	}
}

// early is how much before its time a poll may start: the polls due
// within it start together, so thousands of feeds spread over a few
// seconds wake the loop a few hundred times, not once each.
const early = 10 * time.Millisecond

// fire queues the polls that are due, schedules each feed's next run and
// returns how long until the next one is due.
func (s *Scheduler) fire() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for len(s.due) > 0 && !s.due[0].at.After(now.Add(early)) {
		e := heap.Pop(&s.due).(dueEntry)
		j := e.job
		if j.gone || e.gen != j.gen {
			continue // removed or rescheduled since
		}
		from := e.tick
		if next := s.nextTick(j.sched, e.tick); !next.After(now) {
			from = now // ticks missed while the process was stopped are not made up
		}
		s.schedule(j, from)
		if !j.running.TryLock() {
			s.opts.Log.Debug("poll skipped: the last one has not ended", "feed", j.feed.ID)
			continue
		}
		s.slots.add(waiting{job: j, host: j.host, slow: j.slow, tick: e.tick})
	}
	s.dispatch()
	if len(s.due) == 0 {
		return time.Hour
	}
	return s.due[0].at.Sub(now)
}
