// Package scheduler runs feeds on time: each feed's cron schedule, spread
// by a per-feed jitter and capped per host and overall, fires a poll of
// the feed (ingest), and whatever a poll queued wakes the outbox.
package scheduler

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
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
	Jitter   time.Duration  // spread of poll start times across feeds
	PerHost  int            // concurrent polls per host; 2 when 0
	Log      *slog.Logger

	// Wake tells the outbox a poll may have queued deliveries; nil when
	// nothing is delivered (check, tests).
	Wake func()

	// CommentsEvery is how often comment refresh policies are checked;
	// 1 minute when 0.
	CommentsEvery time.Duration

	// MaxPolls caps polls running at once across all hosts, which bounds
	// the memory hostile or huge documents can take; 8 when 0.
	MaxPolls int

	// AfterPoll, when set, is called after every poll; tests use it to
	// wait for polls instead of sleeping.
	AfterPoll func(feedID string, res ingest.Result, err error)
}

// Scheduler runs one cron job per feed.
type Scheduler struct {
	ingest Ingest
	opts   Options
	cron   *cron.Cron
	hosts  *hostLimiter
	polls  chan struct{} // one token per running poll

	mu    sync.Mutex
	ctx   context.Context // jobs run under it; cancelled by Stop
	feeds map[string]*job

	cancel context.CancelFunc
}

type job struct {
	feed    config.Feed
	entry   cron.EntryID
	running sync.Mutex // held while the feed is polled: polls never overlap
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
		o.MaxPolls = 8
	}
	logger := cronLogger{o.Log}
	return &Scheduler{
		ingest: in,
		opts:   o,
		// SkipIfStillRunning must wrap Recover: the other way round, a job
		// that panicked once would never release its "running" token.
		cron:  cron.New(cron.WithLocation(o.Location), cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger))),
		hosts: newHostLimiter(max(o.PerHost, 0)),
		polls: make(chan struct{}, o.MaxPolls),
		feeds: map[string]*job{},
	}
}

// Start begins running jobs until ctx ends or Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.mu.Unlock()
	s.cron.Schedule(cron.Every(s.opts.CommentsEvery), cron.FuncJob(s.refreshAll))
	s.cron.Start()
}

// Stop stops scheduling and waits for running polls.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-s.cron.Stop().Done()
}

// Apply makes the running jobs match feeds: new feeds are scheduled,
// removed ones stop, changed schedules are replaced and other changes take
// effect at the next poll. It is how a reloaded config takes effect.
func (s *Scheduler) Apply(feeds []config.Feed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := map[string]bool{}
	for _, f := range feeds {
		keep[f.ID] = true
		j, ok := s.feeds[f.ID]
		if ok && j.feed.Schedule == f.Schedule {
			j.feed = f
			continue
		}
		if ok {
			s.cron.Remove(j.entry)
		} else {
			j = &job{}
		}
		j.feed = f
		id, err := s.cron.AddFunc(s.spec(f.Schedule), func() { s.run(f.ID) })
		if err != nil {
			return fmt.Errorf("schedule feed %q (%q): %w", f.ID, f.Schedule, err)
		}
		j.entry = id
		s.feeds[f.ID] = j
		s.opts.Log.Info("feed scheduled", "feed", f.ID, "schedule", f.Schedule)
	}
	for id, j := range s.feeds {
		if !keep[id] {
			s.cron.Remove(j.entry)
			delete(s.feeds, id)
			s.opts.Log.Info("feed removed", "feed", id)
		}
	}
	return nil
}

// spec pins a schedule to the configured time zone unless it names its own.
func (s *Scheduler) spec(schedule string) string {
	if strings.HasPrefix(schedule, "CRON_TZ=") || strings.HasPrefix(schedule, "TZ=") {
		return schedule
	}
	return "CRON_TZ=" + s.opts.Location.String() + " " + schedule
}

// NextRun is when feedID's next poll is due, zero when it is not scheduled.
func (s *Scheduler) NextRun(feedID string) time.Time {
	s.mu.Lock()
	j, ok := s.feeds[feedID]
	s.mu.Unlock()
	if !ok {
		return time.Time{}
	}
	return s.cron.Entry(j.entry).Next
}

// run is one scheduled poll of a feed. A poll still running when the next
// one is due makes the next one skip, not queue.
func (s *Scheduler) run(feedID string) {
	j, ctx := s.job(feedID)
	if j == nil || ctx.Err() != nil || !j.running.TryLock() {
		return
	}
	defer j.running.Unlock()
	if !sleep(ctx, s.jitter(feedID)) {
		return
	}
	s.poll(ctx, j, feedID)
}

// PollNow polls feedID at once, after any poll of it already running, and
// returns what the poll did. Admin commands and tests use it to skip the
// wait for the schedule.
func (s *Scheduler) PollNow(ctx context.Context, feedID string) (ingest.Result, error) {
	j, _ := s.job(feedID)
	if j == nil {
		return ingest.Result{}, fmt.Errorf("feed %q is not scheduled: %w", feedID, news.ErrNotFound)
	}
	j.running.Lock()
	defer j.running.Unlock()
	return s.poll(ctx, j, feedID)
}

func (s *Scheduler) job(feedID string) (*job, context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	return s.feeds[feedID], ctx
}

func (s *Scheduler) poll(ctx context.Context, j *job, feedID string) (ingest.Result, error) {
	s.mu.Lock()
	f := j.feed
	s.mu.Unlock()
	res, err := s.pollSlot(ctx, f)
	if res.New+res.Updated > 0 || err != nil {
		s.opts.Wake() // new deliveries, or a failure notice
	}
	if s.opts.AfterPoll != nil {
		s.opts.AfterPoll(feedID, res, err)
	}
	return res, err
}

// pollSlot polls f holding a slot of the global cap and one of its host's.
func (s *Scheduler) pollSlot(ctx context.Context, f config.Feed) (ingest.Result, error) {
	select {
	case s.polls <- struct{}{}:
	case <-ctx.Done():
		return ingest.Result{}, ctx.Err()
	}
	defer func() { <-s.polls }()
	release, err := s.hosts.acquire(ctx, weburl.Server(f.URL))
	if err != nil {
		return ingest.Result{}, err
	}
	defer release() // even if the poll panics: cron.Recover catches it above
	return s.ingest.Poll(ctx, f)
}

// refreshAll refreshes the comments of every feed's stories that are due.
func (s *Scheduler) refreshAll() {
	s.mu.Lock()
	ctx := s.ctx
	feeds := make([]config.Feed, 0, len(s.feeds))
	for _, j := range s.feeds {
		feeds = append(feeds, j.feed)
	}
	s.mu.Unlock()
	for _, f := range feeds {
		if ctx.Err() != nil {
			return
		}
		n, err := s.ingest.RefreshComments(ctx, f)
		if err != nil && ctx.Err() == nil {
			s.opts.Log.Warn("comment refresh failed", "feed", f.ID, "err", err)
		}
		if n > 0 {
			s.opts.Wake() // perhaps comment-count edits
		}
	}
}

// jitter spreads feeds that share a schedule over the jitter window: each
// feed gets its own fixed offset, so a thousand feeds on */10 neither fire
// in the same second nor drift from run to run.
func (s *Scheduler) jitter(feedID string) time.Duration {
	if s.opts.Jitter <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(feedID))
	return time.Duration(h.Sum64() % uint64(s.opts.Jitter))
}

// sleep waits d or until ctx ends, reporting whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// cronLogger routes robfig/cron's logging to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
