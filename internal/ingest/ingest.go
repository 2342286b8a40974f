// Package ingest brings a feed's stories into the store: it fetches the
// feed, reads it with the parser its kind and comment source call for,
// and saves what it found, which queues the posts the feed's channels are
// owed. It keeps each feed's health record (backoff after failures, one
// notice when a feed keeps failing and one when it recovers) and refreshes
// the comments of the stories it brought.
package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// Fetcher is what ingest needs of feed.Fetcher.
type Fetcher interface {
	Fetch(ctx context.Context, r feed.Request) (*feed.Response, error)
}

// Poller polls feeds into the store.
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

	refreshing sync.Map // feed id → *sync.Mutex, held while its comments are refreshed
}

// Result says what one poll did.
type Result struct {
	Skipped     bool // the feed is backing off; nothing was fetched
	NotModified bool
	Stories     int // items in the document
	New         int
	Updated     int
}

// Poll polls f once: fetch, parse, save, and the comments of new stories.
// An error means the feed failed this time; it has already been recorded
// in the feed's state.
func (p *Poller) Poll(ctx context.Context, f config.Feed) (Result, error) {
	now := p.now()
	st, err := p.Store.FeedState(ctx, f.ID)
	if err != nil {
		return Result{}, err
	}
	st.FeedID = f.ID
	if now.Before(st.NextPoll) {
		return Result{Skipped: true}, nil
	}
	st.LastPoll = now
	res, err := p.fetchAndSave(ctx, f, &st, now)
	if err != nil {
		if ctx.Err() != nil {
			return res, err // shutting down is not the feed's fault
		}
		return res, errors.Join(err, p.failed(ctx, f, &st, now, err))
	}
	if err := p.succeeded(ctx, f, &st, now); err != nil {
		return res, err
	}
	if res.New > 0 {
		// New stories get their comments now, not at the next refresh.
		p.refreshIfIdle(ctx, f)
	}
	return res, nil
}

func (p *Poller) fetchAndSave(ctx context.Context, f config.Feed, st *news.FeedState, now time.Time) (Result, error) {
	var res Result
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

// save stores the articles oldest first, so a channel receives them in the
// order they were published, and decides which channels are owed a post.
// It returns how many stories could not be stored.
func (p *Poller) save(ctx context.Context, f config.Feed, subs map[string]news.Subscription, articles []news.Article, now time.Time, res *Result) (lost int, err error) {
	order := oldestFirst(articles)
	for rank, i := range order {
		a := articles[i]
		// rank counts from the oldest; the newest Backfill items are posted
		// to channels seeing this feed for the first time.
		opts := audience(f, a, subs, len(order)-rank <= f.Backfill)
		opts.Now = now
		r, err := p.Store.SaveArticle(ctx, a, opts)
		if err != nil {
			// One bad item must not hold back the rest of the feed.
			p.log().Warn("story not saved", "feed", f.ID, "title", a.Title, "err", err)
			lost++
			continue
		}
		res.count(r.Status)
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

func (r *Result) count(s news.Status) {
	switch s {
	case news.StatusNew:
		r.New++
	case news.StatusUpdated:
		r.Updated++
	}
}

// audience says which of the feed's channels are owed a post of a and
// which must never get it as new. A channel Discord refused is left out of
// both until it is healed: it neither receives nor forfeits the story.
func audience(f config.Feed, a news.Article, subs map[string]news.Subscription, backfilled bool) store.SaveOptions {
	opts := store.SaveOptions{FeedID: f.ID, MaxComments: f.Comments.Max}
	text := strings.Join(a.Paragraphs, "\n")
	for _, ch := range f.Channels {
		sub := subs[ch]
		wanted := f.Matches(a.Title, text)
		if s, ok := f.Subscription(ch); ok {
			wanted = s.Matches(a.Title, text) // a channel's own filters, else the feed's
		}
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
