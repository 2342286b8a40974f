package scheduler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// failed records a failed poll: the error, the backoff before the next try
// and, once the feed has failed NoticeAfter times in a row, a single notice
// to its channels.
func (p *Poller) failed(ctx context.Context, f config.Feed, st *news.FeedState, now time.Time, cause error) error {
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
		// Channels are public: the URL and error go out without query
		// strings or credentials, which may hold an API key.
		text := fmt.Sprintf("⚠️ Feed **%s** (<%s>) has failed %d times in a row since <t:%d:R>. Last error: %s\nnewsbot keeps retrying and will say here when it works again.",
			render.Escape(f.Name), redactURLs(f.URL), st.Failures, st.FailingSince.Unix(), render.Escape(redactURLs(st.LastError)))
		if err := p.notify(ctx, f, text, now); err != nil {
			return err
		}
		st.NoticeSent = true
	}
	return p.Store.PutFeedState(ctx, *st)
}

// succeeded clears the failure record, telling the channels the feed is
// back if they were told it had failed.
func (p *Poller) succeeded(ctx context.Context, f config.Feed, st *news.FeedState, now time.Time) error {
	if st.NoticeSent {
		text := fmt.Sprintf("✅ Feed **%s** works again after %d failed attempts since <t:%d:R>.",
			render.Escape(f.Name), st.Failures, st.FailingSince.Unix())
		if err := p.notify(ctx, f, text, now); err != nil {
			return err
		}
	}
	st.Failures, st.LastError, st.NoticeSent = 0, "", false
	st.FailingSince, st.NextPoll = time.Time{}, time.Time{}
	st.LastSuccess = now
	return p.Store.PutFeedState(ctx, *st)
}

func (p *Poller) notify(ctx context.Context, f config.Feed, text string, now time.Time) error {
	for _, ch := range f.Channels {
		if _, err := p.Store.EnqueueNotice(ctx, f.ID, ch, text, now); err != nil {
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

// urlPattern finds URLs in error text.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?|file)://[^\s<>"']+`)

// redactURLs shortens every URL in s to scheme, host and path: query
// strings, fragments and user:password@ can carry secrets, and notices are
// posted where everyone reads them. A local path passes unchanged.
func redactURLs(s string) string {
	return urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		trail := ""
		for strings.ContainsAny(raw[len(raw)-1:], ".,;:)") {
			trail = raw[len(raw)-1:] + trail
			raw = raw[:len(raw)-1]
		}
		u, err := url.Parse(raw)
		if err != nil {
			return "(a URL)" + trail
		}
		u.User, u.RawQuery, u.Fragment, u.ForceQuery = nil, "", "", false
		return u.String() + trail
	})
}
