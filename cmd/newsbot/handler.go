package main

import (
	"time"

	"github.com/newsbot-dev/newsbot/internal/bot"
	"github.com/newsbot-dev/newsbot/internal/commands"
	"github.com/newsbot-dev/newsbot/internal/config"
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
			fetcher: newFetcher(cfg),
			nextRun: func(id string) time.Time {
				if a.sched == nil || !a.works { // nothing runs here: the schedule says
					return time.Time{}
				}
				return a.sched.NextRun(id)
			},
		},
		Summarizer: abstractive(cfg),
	}
}
