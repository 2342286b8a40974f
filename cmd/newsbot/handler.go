package main

import "github.com/newsbot-dev/newsbot/bot"

// newHandler returns the slash command handler the bot hosts.
func newHandler(a *app) bot.Handler { return nil }
