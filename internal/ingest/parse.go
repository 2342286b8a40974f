package ingest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/feed/comments"
	"github.com/newsbot-dev/newsbot/internal/feed/page"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// Parse reads a fetched document as the feed's kind says: a feed's
// entries, or a page's one story (with the comments on it). With comments
// from RSS, each entry is pointed at its comment feed.
func Parse(f config.Feed, resp *feed.Response, now time.Time) ([]news.Article, error) {
	articles, _, err := parseNoting(f, resp, now)
	return articles, err
}

// parseNoting is Parse that also returns what had to be repaired to read
// the document, for the log.
func parseNoting(f config.Feed, resp *feed.Response, now time.Time) ([]news.Article, []string, error) {
	// Only kind: page takes a page: anything else must be a feed by its
	// content, whatever its Content-Type says (a login page answered with
	// 200 is refused, not posted).
	detected, err := feed.KindOf(feed.Kind(f.Kind), resp.Body, resp.ContentType)
	if err != nil {
		return nil, nil, fmt.Errorf("feed %s: %w", f.URL, err)
	}
	kind := config.FeedKind(detected)
	base := resp.FinalURL
	if base == "" {
		base = f.URL
	}
	if kind == config.KindPage {
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
	if f.Comments.Source == config.CommentsRSS {
		linkCommentFeeds(resp.Body, base, articles)
	}
	return articles, info.Notes, nil
}

// Preview fetches f now and returns its newest item as the story a poll
// would post, without storing anything: what /feeds preview shows.
func Preview(ctx context.Context, fetcher Fetcher, f config.Feed, now time.Time) (news.Story, error) {
	resp, err := fetcher.Fetch(ctx, feed.Request{URL: f.URL, AllowPrivate: f.AllowPrivate})
	if err != nil {
		return news.Story{}, err
	}
	articles, err := Parse(f, resp, now)
	if err != nil {
		return news.Story{}, err
	}
	if len(articles) == 0 {
		return news.Story{}, fmt.Errorf("feed %s has no items", f.ID)
	}
	a := slices.MaxFunc(articles, func(x, y news.Article) int { return x.Published.Compare(y.Published) })
	return storyOf(f, a), nil
}

// linkCommentFeeds points entries at their comment feeds (wfw:commentRss,
// Atom replies) when the feed's comments come from RSS: the entry's
// comments URL is often the HTML page instead.
func linkCommentFeeds(body []byte, base string, articles []news.Article) {
	links, err := comments.CommentFeedLinks(bytes.NewReader(body), base)
	if err != nil {
		return
	}
	byID, byURL := map[string]string{}, map[string]string{}
	for _, l := range links {
		byID[l.ItemID], byURL[l.ItemURL] = l.FeedURL, l.FeedURL
	}
	for i, a := range articles {
		if u := byID[a.GUID]; u != "" && a.GUID != "" {
			articles[i].CommentsURL = u
		} else if u := byURL[a.URL]; u != "" && a.URL != "" {
			articles[i].CommentsURL = u
		}
	}
}
