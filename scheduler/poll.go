// Package scheduler runs newsbot's work on time: one cron job per feed that
// fetches, parses and stores the feed's stories, and a loop that drains the
// outbox of deliveries the store enqueued.
package scheduler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/config"
	"github.com/newsbot-dev/newsbot/feed"
	"github.com/newsbot-dev/newsbot/feed/page"
	"github.com/newsbot-dev/newsbot/news"
	"github.com/newsbot-dev/newsbot/store"
)

// Fetcher is what polling needs of feed.Fetcher.
type Fetcher interface {
	Fetch(ctx context.Context, r feed.Request) (*feed.Response, error)
}

// Poller fetches one feed, saves its stories and keeps the feed's health
// record: backoff after failures, one notice when a feed keeps failing and
// one when it recovers.
type Poller struct {
	Store   *store.DB
	Fetcher Fetcher
	Log     *slog.Logger
	Now     func() time.Time // the clock; time.Now when nil

	// NoticeAfter is how many failures in a row earn the feed's channels a
	// notice; 0 never notifies.
	NoticeAfter int
	// Sources locate the comment platforms' APIs (tests use local ones).
	Sources CommentSources

	// BackoffBase is the wait after the first failure; it doubles with each
	// further failure up to BackoffMax. Defaults: 30s and 1h.
	BackoffBase, BackoffMax time.Duration
}

// PollResult says what one poll did.
type PollResult struct {
	Skipped     bool // the feed is backing off; nothing was fetched
	NotModified bool
	Stories     int // items in the document
	New         int
	Updated     int
}

// Poll polls f once. An error means the feed failed this time; it has
// already been recorded in the feed's state.
func (p *Poller) Poll(ctx context.Context, f config.Feed) (PollResult, error) {
	now := p.now()
	st, err := p.Store.FeedState(ctx, f.ID)
	if err != nil {
		return PollResult{}, err
	}
	st.FeedID = f.ID
	if now.Before(st.NextPoll) {
		return PollResult{Skipped: true}, nil
	}
	st.LastPoll = now
	res, err := p.fetchAndSave(ctx, f, &st, now)
	if err != nil {
		if ctx.Err() != nil {
			return res, err // shutting down is not the feed's fault
		}
		return res, errors.Join(err, p.failed(ctx, f, &st, now, err))
	}
	return res, p.succeeded(ctx, f, &st, now)
}

func (p *Poller) fetchAndSave(ctx context.Context, f config.Feed, st *news.FeedState, now time.Time) (PollResult, error) {
	var res PollResult
	resp, err := p.Fetcher.Fetch(ctx, feed.Request{
		URL: f.URL, ETag: st.ETag, LastModified: st.LastModified, AllowPrivate: f.AllowPrivate,
	})
	if err != nil {
		return res, err
	}
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	if resp.NotModified {
		res.NotModified = true
		return res, nil
	}
	articles, err := Parse(f, resp, now)
	if err != nil {
		return res, err
	}
	res.Stories = len(articles)
	return res, p.save(ctx, f, articles, now, &res)
}

// Parse reads a fetched document as the feed's kind says: a feed's
// entries, or a page's one story (with the comments on it). /feeds preview
// uses it to show exactly what a poll would post.
func Parse(f config.Feed, resp *feed.Response, now time.Time) ([]news.Article, error) {
	kind := feed.Kind(f.Kind)
	if kind == "" || kind == feed.KindAuto {
		kind = feed.Detect(resp.Body)
	}
	base := resp.FinalURL
	if base == "" {
		base = f.URL
	}
	if kind == feed.KindPage {
		a, err := page.Parse(bytes.NewReader(resp.Body), page.Options{Now: now, URL: base})
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", f.URL, err)
		}
		if a.Title == "" {
			return nil, fmt.Errorf("parse page %s: %w", f.URL, page.ErrNoTitle)
		}
		if a.URL == "" && !f.IsLocal() {
			a.URL = base
		}
		return []news.Article{a}, nil
	}
	_, articles, err := feed.ParseFeed(resp.Body, base)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", f.URL, err)
	}
	if f.Comments.Source == "rss" {
		linkCommentFeeds(resp.Body, base, articles)
	}
	return articles, nil
}

// save stores the articles oldest first, so a channel receives them in the
// order they were published, and decides which channels are owed a post.
func (p *Poller) save(ctx context.Context, f config.Feed, articles []news.Article, now time.Time, res *PollResult) error {
	fresh, err := p.unseededChannels(ctx, f, now)
	if err != nil {
		return err
	}
	order := oldestFirst(articles)
	for rank, i := range order {
		a := articles[i]
		// rank counts from the oldest; the newest Backfill items are posted
		// to channels seeing this feed for the first time.
		backfilled := len(order)-rank <= f.Backfill
		opts := store.SaveOptions{FeedID: f.ID, Now: now, MaxComments: f.Comments.Max}
		for _, ch := range f.Channels {
			switch {
			case !f.Matches(a.Title, strings.Join(a.Paragraphs, "\n")):
				opts.Skip = append(opts.Skip, ch)
			case fresh[ch] && !backfilled:
				opts.Skip = append(opts.Skip, ch)
			default:
				opts.Post = append(opts.Post, ch)
			}
		}
		r, err := p.Store.SaveArticle(ctx, a, opts)
		if err != nil {
			// One bad item must not hold back the rest of the feed.
			p.log().Warn("story not saved", "feed", f.ID, "title", a.Title, "err", err)
			continue
		}
		switch r.Status {
		case news.StatusNew:
			res.New++
		case news.StatusUpdated:
			res.Updated++
		}
	}
	for ch := range fresh {
		if err := p.Store.MarkSubscriptionSeeded(ctx, f.ID, ch); err != nil {
			return err
		}
	}
	return nil
}

// unseededChannels returns the feed's channels that have not yet had a
// first poll: a feed (or a channel newly added to one) posts nothing old
// beyond its backfill.
func (p *Poller) unseededChannels(ctx context.Context, f config.Feed, now time.Time) (map[string]bool, error) {
	fresh := map[string]bool{}
	for _, ch := range f.Channels {
		sub, _, err := p.Store.EnsureSubscription(ctx, f.ID, ch, now)
		if err != nil {
			return nil, err
		}
		if !sub.Seeded {
			fresh[ch] = true
		}
	}
	return fresh, nil
}

// oldestFirst returns the indexes of articles from oldest to newest:
// by publication time where the feed gives one, else feed order, which
// for nearly every feed lists the newest first.
func oldestFirst(articles []news.Article) []int {
	idx := make([]int, len(articles))
	for i := range idx {
		idx[i] = len(articles) - 1 - i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ta, tb := articles[idx[a]].Published, articles[idx[b]].Published
		if ta.IsZero() || tb.IsZero() {
			return false
		}
		return ta.Before(tb)
	})
	return idx
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}
