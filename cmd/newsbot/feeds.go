package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/newsbot-dev/newsbot/internal/commands"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
	"github.com/newsbot-dev/newsbot/internal/scheduler"
	"github.com/newsbot-dev/newsbot/internal/store"
	"github.com/newsbot-dev/newsbot/internal/summarize"
)

// configFeeds answers /feeds from a config file and the database, without
// a running scheduler: the next run is when the schedule next fires.
// nextRun, when set, asks a running scheduler instead.
type configFeeds struct {
	cfg     func() *config.Config // the config in force; the bot swaps it on reload
	db      *store.DB
	fetcher *feed.Fetcher
	nextRun func(feedID string) time.Time
}

func (c *configFeeds) Status(ctx context.Context) ([]commands.FeedStatus, error) {
	cfg := c.cfg()
	out := make([]commands.FeedStatus, 0, len(cfg.Feeds))
	now := time.Now()
	if cfg.Location != nil {
		now = now.In(cfg.Location)
	}
	for _, f := range cfg.Feeds {
		st, err := c.db.FeedState(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		subs, err := c.db.Subscriptions(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		fs := commands.FeedStatus{Feed: f, State: st, Subscriptions: subs}
		if c.nextRun != nil {
			fs.Next = c.nextRun(f.ID)
		} else if next, err := f.NextRun(now); err == nil {
			fs.Next = next
		}
		out = append(out, fs)
	}
	return out, nil
}

// Preview fetches the feed now and returns its newest item.
func (c *configFeeds) Preview(ctx context.Context, feedID string) (news.Story, config.Feed, error) {
	f, ok := c.cfg().Feed(feedID)
	if !ok {
		return news.Story{}, config.Feed{}, fmt.Errorf("feed %q: %w", feedID, news.ErrNotFound)
	}
	resp, err := c.fetcher.Fetch(ctx, feed.Request{URL: f.URL, AllowPrivate: f.AllowPrivate})
	if err != nil {
		return news.Story{}, f, err
	}
	articles, err := scheduler.Parse(f, resp, time.Now())
	if err != nil {
		return news.Story{}, f, err
	}
	if len(articles) == 0 {
		return news.Story{}, f, fmt.Errorf("feed %s has no items", f.ID)
	}
	a := slices.MaxFunc(articles, func(x, y news.Article) int { return x.Published.Compare(y.Published) })
	return news.Story{
		FeedID: f.ID, GUID: a.GUID, URL: revision.CanonicalURL(a.URL), Title: a.Title, Paragraphs: a.Paragraphs,
		Author: a.Author, Source: a.Source, ImageURL: a.ImageURL, CommentsURL: a.CommentsURL,
		ExternalID: a.ExternalID, Published: a.Published, Updated: a.Updated, Revision: 1,
		CommentCount: len(a.Comments),
	}, f, nil
}

// newFetcher is the feed fetcher the config's fetch section describes.
func newFetcher(cfg *config.Config) *feed.Fetcher {
	return &feed.Fetcher{
		UserAgent: cfg.Fetch.UserAgent, Timeout: cfg.Fetch.Timeout,
		MaxBody: cfg.Fetch.MaxBody, MaxRedirects: cfg.Fetch.MaxRedirects,
	}
}

// abstractive is the configured abstractive summarizer, nil for extractive.
func abstractive(cfg *config.Config) *summarize.Abstractive {
	s := cfg.Summarize
	if s.Engine != "openai" {
		return nil
	}
	return &summarize.Abstractive{BaseURL: s.OpenAI.BaseURL, Model: s.OpenAI.Model, APIKey: s.OpenAI.APIKey, Timeout: s.OpenAI.Timeout}
}
