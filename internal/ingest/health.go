package ingest

import (
	"context"
	"errors"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// failed records a failed poll: the error, the backoff before the next try
// and, once the feed has failed NoticeAfter times in a row, a single notice
// to its channels.
func (p *Poller) failed(ctx context.Context, f config.Feed, snap *snapshot, now time.Time, cause error) error {
	st := &snap.state
	if st.Failures == 0 {
		st.FailingSince = now
	}
	st.Failures++
	st.LastError = cause.Error()
	wait := p.backoff(st.Failures)
	var he *feed.HTTPError
	if errors.As(cause, &he) && he.RetryAfter > wait {
		wait = he.RetryAfter
	}
	st.NextPoll = now.Add(wait)
	p.log().Warn("feed poll failed", "feed", f.ID, "failures", st.Failures, "retry_in", wait, "err", cause)
	if p.NoticeAfter > 0 && st.Failures >= p.NoticeAfter && !st.NoticeSent {
		n := news.Notice{Kind: news.NoticeFailing, Failures: st.Failures, Since: st.FailingSince, LastError: st.LastError}
		if err := p.notify(ctx, f, n, now); err != nil {
			return err
		}
		st.NoticeSent = true
	}
	return p.remember(ctx, *snap)
}

// succeeded clears the failure record, telling the channels the feed is
// back if they were told it had failed.
func (p *Poller) succeeded(ctx context.Context, f config.Feed, snap *snapshot, now time.Time) error {
	st := &snap.state
	if st.NoticeSent {
		n := news.Notice{Kind: news.NoticeRecovered, Failures: st.Failures, Since: st.FailingSince}
		if err := p.notify(ctx, f, n, now); err != nil {
			return err
		}
	}
	st.Failures, st.LastError, st.NoticeSent = 0, "", false
	st.FailingSince, st.NextPoll = time.Time{}, time.Time{}
	st.LastSuccess = now
	return p.remember(ctx, *snap)
}

func (p *Poller) notify(ctx context.Context, f config.Feed, n news.Notice, now time.Time) error {
	for _, ch := range f.Channels {
		if _, err := p.Store.EnqueueNotice(ctx, f.ID, ch, n, now); err != nil {
			return err
		}
	}
	return nil
}

// backoff is the wait after the nth failure in a row.
func (p *Poller) backoff(n int) time.Duration {
	base, limit := p.BackoffBase, p.BackoffMax
	if base <= 0 {
		base = 30 * time.Second
	}
	if limit <= 0 {
		limit = time.Hour
	}
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// sourceError marks a failure to load a thread from the comment source,
// as opposed to one saving it: only the former is the source's health.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// sourceRound tallies one refresh round's loads. One failing story among
// working ones is that story's problem; a round in which nothing loaded is
// the source's. A source that answers "not found" for everything it is
// asked counts as failing too: that is what a wrong api_url looks like.
type sourceRound struct {
	ok, failed, notFound int
	last                 error
}

func (r *sourceRound) add(err error) {
	var se *sourceError
	switch {
	case err == nil:
		r.ok++
	case errors.As(err, &se):
		r.failed++
		r.last = se.err
	case errors.Is(err, news.ErrNotFound):
		r.notFound++
		r.last = err
	}
}

// recordSource keeps the comment source's health record after a round:
// like a feed's, failures in a row earn the channels one notice at
// NoticeAfter and one more when the source works again.
func (p *Poller) recordSource(ctx context.Context, f config.Feed, r sourceRound, now time.Time) error {
	if r.ok+r.failed+r.notFound == 0 {
		return nil // nothing was due: nothing learned
	}
	h, err := p.Store.CommentHealth(ctx, f.ID)
	if err != nil {
		return err
	}
	h.FeedID, h.LastAttempt = f.ID, now
	if r.ok > 0 {
		if h.NoticeSent {
			n := news.Notice{Kind: news.NoticeCommentsRecovered, Failures: h.Failures, Since: h.FailingSince}
			if err := p.notify(ctx, f, n, now); err != nil {
				return err
			}
		}
		h.Failures, h.FailingSince, h.LastError, h.NoticeSent = 0, time.Time{}, "", false
		h.LastSuccess = now
		return p.Store.PutCommentHealth(ctx, h)
	}
	if h.Failures == 0 {
		h.FailingSince = now
	}
	h.Failures++
	h.LastError = r.last.Error()
	p.log().Warn("comment source failing", "feed", f.ID, "source", f.Comments.Source, "failures", h.Failures, "err", r.last)
	if p.NoticeAfter > 0 && h.Failures >= p.NoticeAfter && !h.NoticeSent {
		n := news.Notice{Kind: news.NoticeCommentsFailing, Failures: h.Failures, Since: h.FailingSince, LastError: h.LastError}
		if err := p.notify(ctx, f, n, now); err != nil {
			return err
		}
		h.NoticeSent = true
	}
	return p.Store.PutCommentHealth(ctx, h)
}
