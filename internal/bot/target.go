package bot

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
)

const announcement = discordgo.ChannelTypeGuildNews

// target is where one delivery's channel is and how its subscription
// posts there: the channel's kind, and the feed and per-channel settings
// of the config as it is now.
type target struct {
	channelInfo
	channelID string
	feed      config.Feed
	sub       config.Subscription
}

// target resolves a delivery's channel and settings. A feed (or channel)
// that left the config still has its earlier posts kept up to date, with
// the feed's settings or the defaults.
func (dl *Deliverer) target(ctx context.Context, d news.Delivery) (target, error) {
	info, err := dl.checkChannel(ctx, d.ChannelID)
	t := target{channelInfo: info, channelID: d.ChannelID}
	if dl.Feeds != nil {
		t.feed, _ = dl.Feeds(d.FeedID)
	}
	sub, ok := t.feed.Subscription(d.ChannelID)
	if !ok {
		sub = config.Subscription{ChannelID: d.ChannelID, Thread: t.feed.Thread, Include: t.feed.Include,
			Exclude: t.feed.Exclude, Mentions: t.feed.Mentions, Template: t.feed.Template, TemplateText: t.feed.TemplateText}
	}
	t.sub = sub
	return t, err
}

// autoArchive is the minutes a story's thread may idle: the feed's, or
// Discord's default of a day.
func (t target) autoArchive() int {
	if t.feed.AutoArchive > 0 {
		return t.feed.AutoArchive
	}
	return 1440
}

// pings are the roles and users a story's first post pings. The guild's
// own id as a role is @everyone, which is never pinged, whatever the
// config says.
func (t target) pings(s news.Story) (roles, users []string) {
	roles, users = t.sub.Pings(s.Title, strings.Join(s.Paragraphs, "\n"))
	roles = slices.DeleteFunc(roles, func(r string) bool { return r == t.guild && t.guild != "" })
	return roles, users
}

// crosspost reports whether the story's post is to be published: the feed
// asks for it and the channel is an announcement channel.
func (t target) crosspost() bool {
	return t.feed.Crosspost && t.typ == announcement
}

// warnOnce logs a configuration problem once per key, not per post.
type warnOnce struct{ seen sync.Map }

func (w *warnOnce) first(key string) bool {
	_, dup := w.seen.LoadOrStore(key, true)
	return !dup
}
