package scheduler

import (
	"context"
	"time"
)

// Claims shares polls with other processes that keep the same schedule
// (store.Worker, on PostgreSQL): a poll that comes due is made only when
// this process claims its tick, so each feed is polled once per tick
// however many processes run. When another process holds the tick, the
// claim is asked again when its lease ends, in case it died.
type Claims interface {
	// Claim claims the poll of key for tick. Refused, retry is when to
	// ask again; zero when the tick needs no more polling.
	Claim(ctx context.Context, key string, tick time.Time) (ok bool, retry time.Time, err error)
	// Done records the claimed poll of key for tick as made.
	Done(ctx context.Context, key string, tick time.Time) error
}

// claim reports whether this process should make w's poll: always
// without Claims. A refused claim to be asked again puts the poll back in
// line when the holder's lease ends.
func (s *Scheduler) claim(ctx context.Context, w waiting) bool {
	if s.opts.Claims == nil {
		return true
	}
	ok, retry, err := s.opts.Claims.Claim(ctx, w.job.feed.ID, w.tick)
	if err != nil {
		// The database is out of reach: polling anyway could poll twice,
		// and the feed is polled at its next tick.
		if ctx.Err() == nil {
			s.opts.Log.Warn("poll not claimed", "feed", w.job.feed.ID, "err", err)
		}
		return false
	}
	if !ok && !retry.IsZero() {
		s.opts.Log.Debug("poll held by another process", "feed", w.job.feed.ID, "tick", w.tick, "retry", retry)
		time.AfterFunc(max(time.Until(retry), 0)+retryMargin, func() { s.retry(w) })
	}
	if ok {
		s.opts.Log.Debug("poll claimed", "feed", w.job.feed.ID, "tick", w.tick)
	}
	return ok
}

// retryMargin is how long after a lease ends its poll is claimed again,
// so that the holder's clock and this one's need not agree to the
// millisecond.
const retryMargin = 100 * time.Millisecond

// retry puts a poll refused for another process's lease back in line.
func (s *Scheduler) retry(w waiting) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil || w.job.gone || !w.job.running.TryLock() {
		s.opts.Log.Debug("poll not asked again: stopping, removed, or polling", "feed", w.job.feed.ID, "tick", w.tick)
		return // stopping, removed, or polled here meanwhile
	}
	w.again = true
	s.slots.add(w)
	s.dispatch()
}

// done records a claimed poll of key (a feed, or its comments) as made.
func (s *Scheduler) done(ctx context.Context, key string, tick time.Time) {
	if s.opts.Claims == nil {
		return
	}
	if err := s.opts.Claims.Done(context.WithoutCancel(ctx), key, tick); err != nil {
		s.opts.Log.Warn("poll not recorded as done; another process may make it again", "key", key, "err", err)
	}
}
