package scheduler

import (
	"context"
	"slices"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
)

// commentRetry is a feed's comment refresh that another process claimed
// for round: asked again at when, the end of that process's lease, in
// case it died before finishing.
type commentRetry struct {
	feed  string
	round time.Time
	when  time.Time
}

// refreshLoop refreshes comments of every feed's due stories, every
// CommentsEvery, and, sharing the work with other processes, takes over
// a round's refresh from one that stopped renewing its lease, as polls
// are (Scheduler.claim). The retries live in this loop, not in timers of
// their own, so that Stop waits for them.
func (s *Scheduler) refreshLoop(ctx context.Context) {
	every := time.NewTicker(s.opts.CommentsEvery)
	defer every.Stop()
	retry := time.NewTimer(time.Hour)
	defer retry.Stop()
	var again []commentRetry
	for {
		wait := time.Hour
		if len(again) > 0 {
			wait = max(time.Until(again[0].when), 0)
		}
		retry.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-every.C:
			// A new round claims every feed afresh: the last round's
			// retries would only be refused for it.
			again = again[:0]
			round := s.opts.Now().Truncate(s.opts.CommentsEvery)
			for _, f := range s.configured() {
				if ctx.Err() != nil {
					return
				}
				if when := s.refreshComments(ctx, f, round); !when.IsZero() {
					again = append(again, commentRetry{feed: f.ID, round: round, when: when})
				}
			}
		case <-retry.C:
			now := time.Now()
			var later []commentRetry
			for _, r := range again {
				if ctx.Err() != nil {
					return
				}
				if r.when.After(now) {
					later = append(later, r)
					continue
				}
				f, ok := s.feed(r.feed)
				if !ok {
					continue // removed from the config meanwhile
				}
				if when := s.refreshComments(ctx, f, r.round); !when.IsZero() {
					later = append(later, commentRetry{feed: r.feed, round: r.round, when: when})
				}
			}
			again = later
		}
		slices.SortFunc(again, func(a, b commentRetry) int { return a.when.Compare(b.when) })
	}
}

// refreshComments refreshes f's comments for round, when this process
// claims that (always, alone). When another process holds the claim, it
// returns when to ask again: the end of the holder's lease plus
// retryMargin; zero when nothing is left to do.
func (s *Scheduler) refreshComments(ctx context.Context, f config.Feed, round time.Time) (again time.Time) {
	key := "comments:" + f.ID
	if s.opts.Claims != nil {
		ok, retry, err := s.opts.Claims.Claim(ctx, key, round)
		if err != nil {
			if ctx.Err() == nil {
				s.opts.Log.Warn("comment refresh not claimed", "feed", f.ID, "err", err)
			}
			return time.Time{}
		}
		if !ok {
			if retry.IsZero() {
				return time.Time{} // done by another process this round
			}
			return retry.Add(retryMargin)
		}
	}
	n, err := s.ingest.RefreshComments(ctx, f)
	if err != nil && ctx.Err() == nil {
		s.opts.Log.Warn("comment refresh failed", "feed", f.ID, "err", err)
	}
	if n > 0 {
		s.opts.Wake() // perhaps comment-count edits
	}
	s.done(ctx, key, round)
	return time.Time{}
}

// configured is every configured feed, as now.
func (s *Scheduler) configured() []config.Feed {
	s.mu.Lock()
	defer s.mu.Unlock()
	feeds := make([]config.Feed, 0, len(s.feeds))
	for _, j := range s.feeds {
		feeds = append(feeds, j.feed)
	}
	return feeds
}

// feed is the configured feed id, as now.
func (s *Scheduler) feed(id string) (config.Feed, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.feeds[id]
	if !ok || j.gone {
		return config.Feed{}, false
	}
	return j.feed, true
}
