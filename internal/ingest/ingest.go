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
	"slices"
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

	// Shared says other processes poll the same feeds (a PostgreSQL store
	// shared by several bots): a poll starts from the feed's state and
	// subscriptions as the store has them, not as this process last
	// left them, and writes its state back every time.
	Shared bool

	refreshing sync.Map // feed id → *sync.Mutex, held while its comments are refreshed

	mem      memory
	loadOnce sync.Once
	loadErr  error
	flushing sync.Mutex
}

// Result says what one poll did.
type Result struct {
	Skipped     bool // the feed is backing off; nothing was fetched
	NotModified bool
	Stories     int // items in the document
	New         int
	Updated     int
	Capped      int // unseen items left out under max_new_per_poll
}

// Poll polls f once: fetch, parse, save, and the comments of new stories.
// An error means the feed failed this time; it has already been recorded
// in the feed's state. A poll answered 304 reads and writes nothing in the
// store: what it needs is in memory.
func (p *Poller) Poll(ctx context.Context, f config.Feed) (Result, error) {
	if err := p.ensureLoaded(ctx); err != nil {
		return Result{}, err
	}
	now := p.now()
	if p.Shared {
		if err := p.catchUp(ctx, f.ID); err != nil {
			return Result{}, err
		}
	}
	snap := p.snapshot(f.ID)
	if now.Before(snap.state.NextPoll) {
		return Result{Skipped: true}, nil
	}
	snap.state.LastPoll = now
	res, err := p.fetchAndSave(ctx, f, &snap, now)
	if err != nil {
		if ctx.Err() != nil {
			return res, err // shutting down is not the feed's fault
		}
		return res, errors.Join(err, p.failed(ctx, f, &snap, now, err))
	}
	if err := p.succeeded(ctx, f, &snap, now); err != nil {
		return res, err
	}
	p.flushIfDue(ctx)
	if res.New > 0 {
		// New stories get their comments now, not at the next refresh.
		p.refreshIfIdle(ctx, f)
	}
	return res, nil
}

func (p *Poller) fetchAndSave(ctx context.Context, f config.Feed, snap *snapshot, now time.Time) (Result, error) {
	var res Result
	if err := p.subscriptions(ctx, f, snap, now); err != nil {
		return res, err
	}
	st := &snap.state
	req := feed.Request{URL: f.URL, ETag: st.ETag, LastModified: st.LastModified, AllowPrivate: f.AllowPrivate}
	for _, sub := range snap.subs {
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
	if err := p.reloadSubscriptions(ctx, f, snap); err != nil {
		return res, err
	}
	lost, err := p.save(ctx, f, snap, articles, now, &res)
	if err != nil {
		return res, err
	}
	// The validators say "this version is done". Only when every story of
	// it is stored: otherwise a 304 would hide the lost ones for good.
	// (Items max_new_per_poll skipped are not lost but refused, and a
	// poll of the same version would refuse them again: see capnew.go.)
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	if lost > 0 {
		st.ETag, st.LastModified = "", ""
	}
	return res, nil
}

// save stores the articles oldest first, so a channel receives them in the
// order they were published, and decides which channels are owed a post.
// Articles owed to the same channels are saved in one transaction; when
// that fails they are saved one by one, so one bad item does not hold back
// the rest of the feed. Items beyond the feed's max_new_per_poll are left
// out (capNew). It returns how many stories could not be stored.
func (p *Poller) save(ctx context.Context, f config.Feed, snap *snapshot, articles []news.Article, now time.Time, res *Result) (lost int, err error) {
	subs := snap.subs
	order := oldestFirst(articles)
	skip, err := p.capNew(ctx, f, snap, articles, order, now)
	if err != nil {
		return 0, err
	}
	var run []news.Article
	var runOpts store.SaveOptions
	for rank, i := range order {
		if skip != nil && skip[i] {
			res.Capped++
			continue
		}
		// rank counts from the oldest; the newest Backfill items are posted
		// to channels seeing this feed for the first time.
		opts := audience(f, articles[i], subs, len(order)-rank <= f.Backfill)
		opts.Now = now
		if len(run) > 0 && !sameAudience(opts, runOpts) {
			lost += p.saveRun(ctx, f, run, runOpts, res)
			run = nil
		}
		run, runOpts = append(run, articles[i]), opts
	}
	if len(run) > 0 {
		lost += p.saveRun(ctx, f, run, runOpts, res)
	}
	for ch, sub := range subs {
		if !sub.Seeded {
			if err := p.Store.MarkSubscriptionSeeded(ctx, f.ID, ch); err != nil {
				return lost, err
			}
			sub.Seeded = true
			snap.setSub(sub)
		}
	}
	return lost, nil
}

// saveRun saves articles owed to the same channels, all in one
// transaction, or one by one when that fails. It returns how many could
// not be stored.
func (p *Poller) saveRun(ctx context.Context, f config.Feed, as []news.Article, o store.SaveOptions, res *Result) (lost int) {
	rs, err := p.Store.SaveArticles(ctx, as, o)
	if err == nil {
		for _, r := range rs {
			res.count(r.Status)
		}
		return 0
	}
	for _, a := range as {
		r, err := p.Store.SaveArticle(ctx, a, o)
		if err != nil {
			p.log().Warn("story not saved", "feed", f.ID, "title", a.Title, "err", err)
			lost++
			continue
		}
		res.count(r.Status)
	}
	return lost
}

func sameAudience(a, b store.SaveOptions) bool {
	return slices.Equal(a.Post, b.Post) && slices.Equal(a.Skip, b.Skip)
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
