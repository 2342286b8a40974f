package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feed/comments"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// Dry is what one poll of a feed finds and would post on a fresh
// database, found without storing anything: what `newsbot check --fetch`
// reports.
type Dry struct {
	Items    int
	Newest   string   // title of the newest item
	Post     []string // titles the first poll posts, newest first: the backfill that passes the filters
	Comments Probe
}

// Probe is what asking the feed's comment source for one thread found.
type Probe struct {
	Tried  bool   // a thread was asked for
	Story  string // title of the item whose thread was asked for
	Count  int    // comments it has
	Linked int    // items the source can find a thread for
	// Err is why no thread could be read. Wrapping ErrNoThreads, it is
	// certain that none ever will: no item links to the source.
	Err error
}

// ErrNoThreads is a feed none of whose items the comment source can find.
var ErrNoThreads = errors.New("no item links to the comment source")

// DryRun fetches f once (unconditionally, through the same guard and
// limits as a poll), parses it as a poll would, and asks the comment
// source for the newest item's thread. It never touches the store, so a
// Poller without one can run it.
func (p *Poller) DryRun(ctx context.Context, f config.Feed) (Dry, error) {
	resp, err := p.Fetcher.Fetch(ctx, feed.Request{URL: f.URL, AllowPrivate: f.AllowPrivate})
	if err != nil {
		return Dry{}, err
	}
	now := p.now()
	articles, err := Parse(f, resp, now)
	if err != nil {
		return Dry{}, err
	}
	d := Dry{Items: len(articles)}
	order := oldestFirst(articles)
	for rank := len(order) - 1; rank >= 0; rank-- {
		a := articles[order[rank]]
		if d.Newest == "" {
			d.Newest = a.Title
		}
		if len(order)-rank <= f.Backfill && f.Matches(a.Title, strings.Join(a.Paragraphs, "\n")) {
			d.Post = append(d.Post, a.Title)
		}
	}
	if f.Comments.Source.Enabled() && len(articles) > 0 {
		d.Comments = p.probe(ctx, f, articles, order)
	}
	return d, nil
}

// probe asks the comment source for the thread of the newest item it can
// find one for.
func (p *Poller) probe(ctx context.Context, f config.Feed, articles []news.Article, order []int) Probe {
	var pr Probe
	var newest *news.Article
	for _, i := range slices.Backward(order) {
		if p.canFind(f, articles[i]) {
			pr.Linked++
			if newest == nil {
				newest = &articles[i]
			}
		}
	}
	if newest == nil {
		pr.Err = fmt.Errorf("%w: %s", ErrNoThreads, noThreadsHint(f, len(articles)))
		return pr
	}
	pr.Tried, pr.Story = true, newest.Title
	if f.Kind == config.KindPage || f.Comments.Source == config.CommentsPage && len(newest.Comments) > 0 {
		pr.Count = len(newest.Comments) // the page itself holds them
		return pr
	}
	cs, _, err := p.loadComments(ctx, f, storyOf(f, *newest))
	pr.Count, pr.Err = len(cs), err
	return pr
}

// canFind reports whether the comment source has a way to a's thread.
func (p *Poller) canFind(f config.Feed, a news.Article) bool {
	switch f.Comments.Source {
	case config.CommentsHackerNews:
		_, ok := firstID(comments.HNItemID, a.CommentsURL, a.URL)
		return ok || (a.ExternalID != "" && f.Comments.APIURL != "")
	case config.CommentsReddit:
		_, ok := firstID(comments.RedditPostID, a.CommentsURL, a.URL)
		return ok
	case config.CommentsRSS:
		return a.CommentsURL != ""
	case config.CommentsPage:
		return a.URL != "" || len(a.Comments) > 0
	}
	return false
}

func noThreadsHint(f config.Feed, items int) string {
	what := map[config.CommentSource]string{
		config.CommentsHackerNews: "a Hacker News item (news.ycombinator.com/item?id=…)",
		config.CommentsReddit:     "a Reddit post (reddit.com/r/…/comments/<id>/…)",
		config.CommentsRSS:        "a comment feed (wfw:commentRss, or a <comments> link to a feed)",
		config.CommentsPage:       "a page to read comments from",
	}[f.Comments.Source]
	return fmt.Sprintf("none of its %d items links to %s, so comments: {source: %s} can never find a thread", items, what, f.Comments.Source)
}

// storyOf is the story a poll would store for a, before it has an id.
func storyOf(f config.Feed, a news.Article) news.Story {
	return news.Story{
		FeedID: f.ID, GUID: a.GUID, URL: revision.CanonicalURL(a.URL), Title: a.Title, Paragraphs: a.Paragraphs,
		Author: a.Author, Source: a.Source, ImageURL: a.ImageURL, CommentsURL: a.CommentsURL,
		ExternalID: a.ExternalID, Published: a.Published, Updated: a.Updated, Revision: 1,
		CommentCount: len(a.Comments),
	}
}

// PreviewPost is Preview with the comment count the post would show: the
// feed's comment source is asked for the newest item's thread. A source
// that fails leaves the count out, as the post would.
func (p *Poller) PreviewPost(ctx context.Context, f config.Feed) (news.Story, error) {
	s, err := Preview(ctx, p.Fetcher, f, p.now())
	if err != nil || !f.Comments.Source.Enabled() || f.Kind == config.KindPage {
		return s, err
	}
	if cs, _, err := p.loadComments(ctx, f, s); err == nil {
		s.CommentCount = len(cs)
	}
	return s, nil
}
