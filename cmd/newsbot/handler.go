package main

import (
	"context"
	"time"

	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/commands"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// newHandler returns the slash command handler the bot hosts: it reads
// the store, and answers /feeds from the config in force and the running
// scheduler.
func newHandler(a *app) bot.Handler {
	cfg := a.cfg.Load()
	return &commands.Handler{
		Store: a.db,
		Log:   a.log,
		Feeds: &configFeeds{
			cfg:     func() *config.Config { return a.cfg.Load() },
			db:      a.db,
			fetcher: ingest.NewFetcher(cfg.Fetch),
			nextRun: func(id string) time.Time {
				if a.sched == nil || !a.works { // nothing runs here: the schedule says
					return time.Time{}
				}
				return a.sched.NextRun(id)
			},
			state: func(ctx context.Context, id string) (news.FeedState, error) {
				if a.ingest == nil || !a.works { // the polling process writes it to the store
					return a.db.FeedState(ctx, id)
				}
				return a.ingest.State(ctx, id)
			},
			poller: func() *ingest.Poller { return a.ingest },
		},
		Summarizer: abstractive(cfg),
	}
}
