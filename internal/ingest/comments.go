package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feed/comments"
	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// CommentSources says where the discussion platforms' APIs are when a
// feed's comments.api_url does not; empty fields mean the real Hacker News
// and Reddit. Tests point them at local servers.
type CommentSources struct {
	HackerNews string
	Reddit     string
}

// apiBase is where f's comment source answers: the feed's api_url, else
// the poller's, else (empty) the public API.
func (p *Poller) apiBase(f config.Feed) string {
	if f.Comments.APIURL != "" {
		return f.Comments.APIURL
	}
	switch f.Comments.Source {
	case config.CommentsHackerNews:
		return p.Sources.HackerNews
	case config.CommentsReddit:
		return p.Sources.Reddit
	}
	return ""
}

// errNoThreadID is a story the feed's comment source cannot find: it links
// to no item of that platform.
var errNoThreadID = errors.New("no discussion id")

// loadComments fetches a story's comment thread from the feed's source.
func (p *Poller) loadComments(ctx context.Context, f config.Feed, s news.Story) ([]news.Comment, comments.Stats, error) {
	g := getter{f: p.Fetcher, allowPrivate: f.AllowPrivate}
	max := f.Comments.Max
	switch f.Comments.Source {
	case config.CommentsHackerNews:
		id, ok := firstID(comments.HNItemID, s.CommentsURL, s.URL)
		if !ok && s.ExternalID != "" && f.Comments.APIURL != "" {
			// A mirror's feed may carry the item id without linking to
			// news.ycombinator.com.
			id, ok = s.ExternalID, true
		}
		if !ok {
			return nil, comments.Stats{}, fmt.Errorf("story %d: %w: no Hacker News item link (news.ycombinator.com/item?id=…) in %q or %q",
				s.ID, errNoThreadID, s.CommentsURL, s.URL)
		}
		if f.Comments.API == config.APIAlgolia {
			return comments.HackerNewsAlgolia(ctx, g, p.apiBase(f), id, max)
		}
		return comments.HackerNews(ctx, g, p.apiBase(f), id, max)
	case config.CommentsReddit:
		id, ok := firstID(comments.RedditPostID, s.CommentsURL, s.URL)
		if !ok {
			return nil, comments.Stats{}, fmt.Errorf("story %d: %w: no Reddit post link (reddit.com/r/…/comments/<id>/…) in %q or %q",
				s.ID, errNoThreadID, s.CommentsURL, s.URL)
		}
		return comments.Reddit(ctx, g, p.apiBase(f), id, max)
	case config.CommentsRSS:
		if s.CommentsURL == "" {
			return nil, comments.Stats{}, nil // the entry has no comment feed
		}
		return comments.FeedComments(ctx, g, s.CommentsURL, max)
	case config.CommentsPage:
		return p.pageComments(ctx, g, f, s)
	}
	return nil, comments.Stats{}, nil
}

// pageComments reads the comments on the story's own page: by the feed's
// CSS selectors when it has them, else as the page parser finds them.
func (p *Poller) pageComments(ctx context.Context, g getter, f config.Feed, s news.Story) ([]news.Comment, comments.Stats, error) {
	if s.URL == "" {
		return nil, comments.Stats{}, nil
	}
	body, err := g.Get(ctx, s.URL)
	if err != nil {
		return nil, comments.Stats{}, err
	}
	opts := page.Options{Now: p.now(), URL: s.URL}
	var cs []news.Comment
	if sel := f.Comments.Selectors; sel.Container != "" {
		cs, err = page.CommentsHTML(bytes.NewReader(body), page.Selectors(sel), opts)
	} else {
		var a news.Article
		a, err = page.Parse(bytes.NewReader(body), opts)
		cs = a.Comments
	}
	if err != nil {
		return nil, comments.Stats{}, fmt.Errorf("comments on %s: %w", s.URL, err)
	}
	return cs, comments.Stats{Fetched: len(cs)}, nil
}

func firstID(parse func(string) (string, bool), urls ...string) (string, bool) {
	for _, u := range urls {
		if id, ok := parse(u); ok {
			return id, true
		}
	}
	return "", false
}

// getter lets comment sources fetch through the feed fetcher, with its
// address guard, caps and timeouts. Their URLs come from fetched content,
// so they may never name a local file.
type getter struct {
	f            Fetcher
	allowPrivate bool
}

func (g getter) Get(ctx context.Context, url string) ([]byte, error) {
	resp, err := g.f.Fetch(ctx, feed.Request{URL: url, AllowPrivate: g.allowPrivate, RemoteOnly: true})
	var he *feed.HTTPError
	if errors.As(err, &he) && (he.Status == http.StatusNotFound || he.Status == http.StatusGone) {
		return nil, fmt.Errorf("%w: %w", comments.ErrNotFound, err)
	}
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// refreshIfIdle refreshes f's comments unless that is already under way
// (the periodic refresh, or a poll just before).
func (p *Poller) refreshIfIdle(ctx context.Context, f config.Feed) {
	mu, _ := p.refreshing.LoadOrStore(f.ID, new(sync.Mutex))
	if !mu.(*sync.Mutex).TryLock() {
		return
	}
	defer mu.(*sync.Mutex).Unlock()
	if _, err := p.refreshComments(ctx, f); err != nil && ctx.Err() == nil {
		p.log().Warn("comment refresh failed", "feed", f.ID, "err", err)
	}
}

// RefreshComments fetches the comments of the feed's stories that are due
// under its refresh policy, and queues an edit of their posts when the
// count changed enough to be worth showing. One story's failure is logged
// and the rest go on; nothing stored is lost.
func (p *Poller) RefreshComments(ctx context.Context, f config.Feed) (refreshed int, err error) {
	mu, _ := p.refreshing.LoadOrStore(f.ID, new(sync.Mutex))
	if !mu.(*sync.Mutex).TryLock() {
		return 0, nil // a refresh of this feed is under way
	}
	defer mu.(*sync.Mutex).Unlock()
	return p.refreshComments(ctx, f)
}

func (p *Poller) refreshComments(ctx context.Context, f config.Feed) (refreshed int, err error) {
	steps := f.Comments.Refresh
	if !f.Comments.Source.Enabled() || len(steps) == 0 || f.Kind == config.KindPage {
		// A page feed is its story's page: every poll reads its comments.
		return 0, nil
	}
	now := p.now()
	ws, err := p.Store.WatchedStories(ctx, f.ID, now.Add(-steps[len(steps)-1].Until), 500)
	if err != nil {
		return 0, err
	}
	var round sourceRound
	defer func() {
		if ctx.Err() == nil {
			err = errors.Join(err, p.recordSource(ctx, f, round, now))
		}
	}()
	for _, w := range ws {
		if ctx.Err() != nil {
			return refreshed, ctx.Err()
		}
		if !commentsDue(w.Story.FirstSeen, w.Checked, now, steps) {
			continue
		}
		err := p.refreshStory(ctx, f, w, now)
		round.add(err)
		if err != nil {
			p.log().Warn("comments not refreshed", "feed", f.ID, "story", w.Story.ID, "err", err)
			continue
		}
		refreshed++
	}
	return refreshed, nil
}

func (p *Poller) refreshStory(ctx context.Context, f config.Feed, w store.Watched, now time.Time) error {
	cs, stats, err := p.loadComments(ctx, f, w.Story)
	if errors.Is(err, comments.ErrNotFound) {
		// A thread that is gone stays as stored; stop asking for it until
		// the next step of the policy. The source answered: it works.
		return errors.Join(err, p.Store.MarkCommentsChecked(ctx, w.Story.ID, now))
	}
	if err != nil {
		return errors.Join(&sourceError{err}, p.Store.MarkCommentsChecked(ctx, w.Story.ID, now))
	}
	ch, err := p.Store.SaveComments(ctx, w.Story.ID, cs, now, f.Comments.Max)
	if err != nil {
		return err
	}
	if dropped := stats.Dropped + ch.Dropped; dropped > 0 && w.Checked.IsZero() {
		p.log().Info("comment thread capped", "feed", f.ID, "story", w.Story.ID,
			"kept", ch.Total, "dropped", dropped, "cap", f.Comments.Max)
	}
	if err := p.Store.MarkCommentsChecked(ctx, w.Story.ID, now); err != nil {
		return err
	}
	if milestone(ch.Total) != milestone(w.Shown) {
		if _, err := p.Store.EnqueueCommentCount(ctx, w.Story.ID, ch.Total, now); err != nil {
			return err
		}
	}
	return nil
}

// commentsDue applies a refresh policy: while a story is younger than a
// step's Until, its comments are fetched every Every; after the last step,
// never again.
func commentsDue(firstSeen, checked, now time.Time, steps []config.RefreshStep) bool {
	age := now.Sub(firstSeen)
	for _, s := range steps {
		if age < s.Until {
			return checked.IsZero() || now.Sub(checked) >= s.Every
		}
	}
	return false
}

// milestones are the comment counts worth editing a post for: a thread
// growing from 40 to 41 comments changes nothing a reader cares about.
var milestones = []int{1, 2, 3, 5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000}

// milestone is the largest milestone at or below n, or 0.
func milestone(n int) int {
	m := 0
	for _, v := range milestones {
		if v > n {
			break
		}
		m = v
	}
	return m
}
