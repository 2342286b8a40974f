package main

import (
	"context"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/commands"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
	"github.com/newsbot-dev/newsbot/internal/summarize"
)

// configFeeds answers /feeds from a config file and the database, without
// a running scheduler: the next run is when the schedule next fires.
// nextRun and state, when set, ask the running bot instead; a nextRun
// with nothing for the feed leaves it to the schedule.
type configFeeds struct {
	cfg     func() *config.Config // the config in force; the bot swaps it on reload
	db      *store.DB
	fetcher *feed.Fetcher
	nextRun func(feedID string) time.Time
	state   func(ctx context.Context, feedID string) (news.FeedState, error)
	poller  func() *ingest.Poller // the running bot's, for its comment sources; nil outside the bot
}

func (c *configFeeds) Status(ctx context.Context) ([]commands.FeedStatus, error) {
	cfg := c.cfg()
	now := time.Now()
	if cfg.Location != nil {
		now = now.In(cfg.Location)
	}
	all, err := c.db.AllSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	subs := map[string][]news.Subscription{}
	for _, s := range all {
		subs[s.FeedID] = append(subs[s.FeedID], s)
	}
	sources, err := c.db.CommentHealths(ctx)
	if err != nil {
		return nil, err
	}
	var stored map[string]news.FeedState
	if c.state == nil {
		if stored, err = c.db.FeedStates(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]commands.FeedStatus, 0, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		st, ok := stored[f.ID]
		if c.state != nil {
			if st, err = c.state(ctx, f.ID); err != nil {
				return nil, err
			}
		} else if !ok {
			st = news.FeedState{FeedID: f.ID}
		}
		fs := commands.FeedStatus{Feed: f, State: st, Subscriptions: subs[f.ID]}
		if f.Comments.Source.Enabled() {
			fs.Comments = sources[f.ID]
		}
		if c.nextRun != nil {
			fs.Next = c.nextRun(f.ID)
		}
		if next, err := f.NextRun(now); err == nil && fs.Next.IsZero() {
			fs.Next = next
		}
		out = append(out, fs)
	}
	return out, nil
}

// Preview fetches the feed now and returns its newest item as a poll
// would post it.
func (c *configFeeds) Preview(ctx context.Context, feedID string) (news.Story, config.Feed, error) {
	f, ok := c.cfg().Feed(feedID)
	if !ok {
		return news.Story{}, config.Feed{}, fmt.Errorf("feed %q: %w", feedID, news.ErrNotFound)
	}
	p := &ingest.Poller{Fetcher: c.fetcher}
	if c.poller != nil && c.poller() != nil {
		p = c.poller()
	}
	s, err := p.PreviewPost(ctx, f)
	return s, f, err
}

// abstractive is the configured abstractive summarizer, nil for extractive.
func abstractive(cfg *config.Config) *summarize.Abstractive {
	s := cfg.Summarize
	if s.Engine != config.EngineOpenAI {
		return nil
	}
	return &summarize.Abstractive{BaseURL: s.OpenAI.BaseURL, Model: s.OpenAI.Model, APIKey: s.OpenAI.APIKey, Timeout: s.OpenAI.Timeout}
}
