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
