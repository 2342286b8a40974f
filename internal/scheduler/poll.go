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

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
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
	subs, err := p.subscriptions(ctx, f, now)
	if err != nil {
		return res, err
	}
	req := feed.Request{URL: f.URL, ETag: st.ETag, LastModified: st.LastModified, AllowPrivate: f.AllowPrivate}
	for _, sub := range subs {
		if !sub.Seeded {
			// A channel new to the feed is owed its backfill from the
			// document as it is, even if the feed has not changed.
			req.ETag, req.LastModified = "", ""
		}
	}
	resp, err := p.Fetcher.Fetch(ctx, req)
	if err != nil {
		return res, err
	}
	if resp.NotModified {
		res.NotModified = true
		return res, nil
	}
	articles, notes, err := parseNoting(f, resp, now)
	if err != nil {
		return res, err // the old validators stay: the next poll fetches again
	}
	for _, n := range notes {
		p.log().Warn("feed read with repairs", "feed", f.ID, "url", f.URL, "repair", n)
	}
	res.Stories = len(articles)
	lost, err := p.save(ctx, f, subs, articles, now, &res)
	if err != nil {
		return res, err
	}
	// The validators say "this version is done". Only when every story of
	// it is stored: otherwise a 304 would hide the lost ones for good.
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	if lost > 0 {
		st.ETag, st.LastModified = "", ""
	}
	return res, nil
}

// Parse reads a fetched document as the feed's kind says: a feed's
// entries, or a page's one story (with the comments on it). /feeds preview
// uses it to show exactly what a poll would post.
func Parse(f config.Feed, resp *feed.Response, now time.Time) ([]news.Article, error) {
	articles, _, err := parseNoting(f, resp, now)
	return articles, err
}

// parseNoting is Parse that also returns what had to be repaired to read
// the document, for the log.
func parseNoting(f config.Feed, resp *feed.Response, now time.Time) ([]news.Article, []string, error) {
	kind, err := feed.KindOf(feed.Kind(f.Kind), resp.Body, resp.ContentType)
	if err != nil {
		return nil, nil, fmt.Errorf("feed %s: %w", f.URL, err)
	}
	base := resp.FinalURL
	if base == "" {
		base = f.URL
	}
	if kind == feed.KindPage {
		a, err := page.Parse(bytes.NewReader(resp.Body), page.Options{Now: now, URL: base})
		if err != nil {
			return nil, nil, fmt.Errorf("parse page %s: %w", f.URL, err)
		}
		if a.Title == "" {
			return nil, nil, fmt.Errorf("parse page %s: %w", f.URL, page.ErrNoTitle)
		}
		if a.URL == "" && !f.IsLocal() {
			a.URL = base
		}
		return []news.Article{a}, nil, nil
	}
	info, articles, err := feed.ParseFeed(resp.Body, base)
	if err != nil {
		return nil, nil, fmt.Errorf("parse feed %s: %w", f.URL, err)
	}
	if f.Comments.Source == "rss" {
		linkCommentFeeds(resp.Body, base, articles)
	}
	return articles, info.Notes, nil
}

// save stores the articles oldest first, so a channel receives them in the
// order they were published, and decides which channels are owed a post.
// It returns how many stories could not be stored.
func (p *Poller) save(ctx context.Context, f config.Feed, subs map[string]news.Subscription, articles []news.Article, now time.Time, res *PollResult) (lost int, err error) {
	order := oldestFirst(articles)
	for rank, i := range order {
		a := articles[i]
		// rank counts from the oldest; the newest Backfill items are posted
		// to channels seeing this feed for the first time.
		opts := p.audience(f, a, subs, len(order)-rank <= f.Backfill)
		opts.Now = now
		r, err := p.Store.SaveArticle(ctx, a, opts)
		if err != nil {
			// One bad item must not hold back the rest of the feed.
			p.log().Warn("story not saved", "feed", f.ID, "title", a.Title, "err", err)
			lost++
			continue
		}
		switch r.Status {
		case news.StatusNew:
			res.New++
		case news.StatusUpdated:
			res.Updated++
		}
	}
	for ch, sub := range subs {
		if !sub.Seeded {
			if err := p.Store.MarkSubscriptionSeeded(ctx, f.ID, ch); err != nil {
				return lost, err
			}
		}
	}
	return lost, nil
}

// audience says which of the feed's channels are owed a post of a and
// which must never get it as new. A channel Discord refused is left out of
// both until it is healed: it neither receives nor forfeits the story.
func (p *Poller) audience(f config.Feed, a news.Article, subs map[string]news.Subscription, backfilled bool) store.SaveOptions {
	opts := store.SaveOptions{FeedID: f.ID, MaxComments: f.Comments.Max}
	wanted := f.Matches(a.Title, strings.Join(a.Paragraphs, "\n"))
	for _, ch := range f.Channels {
		sub := subs[ch]
		switch {
		case sub.Broken != "":
		case !wanted, !sub.Seeded && !backfilled:
			opts.Skip = append(opts.Skip, ch)
		default:
			opts.Post = append(opts.Post, ch)
		}
	}
	return opts
}

// subscriptions returns the feed's channels with their subscription, and
// forgets channels that left the feed: one that comes back later is new
// to it, and gets the backfill, not everything it missed.
func (p *Poller) subscriptions(ctx context.Context, f config.Feed, now time.Time) (map[string]news.Subscription, error) {
	subs := map[string]news.Subscription{}
	for _, ch := range f.Channels {
		sub, _, err := p.Store.EnsureSubscription(ctx, f.ID, ch, now)
		if err != nil {
			return nil, err
		}
		subs[ch] = sub
	}
	all, err := p.Store.Subscriptions(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	for _, sub := range all {
		if _, ok := subs[sub.ChannelID]; !ok {
			if err := p.Store.DeleteSubscription(ctx, f.ID, sub.ChannelID); err != nil {
				return nil, err
			}
		}
	}
	return subs, nil
}

// oldestFirst returns the indexes of articles from oldest to newest: by
// publication time when every item has one, else in reverse feed order,
// which for nearly every feed lists the newest first. (Sorting a mix of
// dated and undated items has no consistent order.)
func oldestFirst(articles []news.Article) []int {
	idx := make([]int, len(articles))
	dated := true
	for i := range idx {
		idx[i] = len(articles) - 1 - i
		dated = dated && !articles[i].Published.IsZero()
	}
	if dated {
		sort.SliceStable(idx, func(a, b int) bool {
			return articles[idx[a]].Published.Before(articles[idx[b]].Published)
		})
	}
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
