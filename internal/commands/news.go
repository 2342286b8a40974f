package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// lineTitle bounds a title in a story list, so ten lines always fit.
const lineTitle = 120

func (h *Handler) news(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	switch o.sub {
	case "latest":
		return h.newsLatest(ctx, o)
	case "search":
		return h.newsSearch(ctx, o)
	}
	return nil, userErrorf("/news needs a subcommand: latest or search.")
}

func (h *Handler) newsLatest(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	n, given, err := o.integer(optCount)
	if err != nil || (given && (n < 1 || n > maxLatest)) {
		return nil, userErrorf("count takes a number from 1 to %d.", maxLatest)
	}
	if !given {
		n = defaultLatest
	}
	feedID := o.str(optFeed)
	if feedID != "" {
		if err := h.checkFeed(ctx, feedID); err != nil {
			return nil, err
		}
	}
	stories, err := h.Store.LatestStories(ctx, feedID, int(n))
	if err != nil {
		return nil, err
	}
	if len(stories) == 0 {
		if feedID != "" {
			return ephemeral(fmt.Sprintf("No stories from feed %s yet.", echo(feedID))), nil
		}
		return ephemeral("No stories yet — the feeds haven't brought any in."), nil
	}
	head := "**Latest stories**"
	if feedID != "" {
		head = fmt.Sprintf("**Latest stories from %s**", render.Escape(clip(feedID, 60)))
	}
	return message(storyList(head, stories)), nil
}

// checkFeed refuses a feed id that is not configured, when the feeds are
// known; without them any id is taken at its word.
func (h *Handler) checkFeed(ctx context.Context, id string) error {
	if h.Feeds == nil {
		return nil
	}
	all, err := h.Feeds.Status(ctx)
	if err != nil {
		return err
	}
	var ids []string
	for _, f := range all {
		if f.Feed.ID == id {
			return nil
		}
		ids = append(ids, render.Escape(f.Feed.ID))
	}
	if len(ids) == 0 {
		return userErrorf("There is no feed %s: no feeds are configured.", echo(id))
	}
	return userErrorf("There is no feed %s. Feeds: %s.", echo(id), clip(strings.Join(ids, ", "), 1500))
}

func (h *Handler) newsSearch(ctx context.Context, o options) (*discordgo.InteractionResponse, error) {
	q := o.str(optQuery)
	if q == "" {
		return nil, userErrorf("Give some words to search for, like /news search query:north korea.")
	}
	stories, err := h.Store.SearchStories(ctx, q, maxSearch)
	if err != nil {
		return nil, err
	}
	if len(stories) == 0 {
		return ephemeral(fmt.Sprintf("No story's title or text holds every word of %s.", echo(q))), nil
	}
	return message(storyList(fmt.Sprintf("**Stories matching %s**", echo(q)), stories)), nil
}

// storyList is one line per story: its id, linked title, comment count
// and when it was first seen. Lines that would overflow a message are
// counted instead of shown.
func storyList(head string, stories []news.Story) string {
	out := head
	for i, s := range stories {
		line := fmt.Sprintf("`#%d` %s · %s", s.ID, storyLink(s, lineTitle), english.Plural(s.CommentCount, "comment"))
		if at := render.Timestamp(s.FirstSeen, 'R'); at != "" {
			line += " · " + at
		}
		if render.Len(out)+1+render.Len(line) > render.MaxContent-40 {
			return out + fmt.Sprintf("\n*(%d more not shown)*", len(stories)-i)
		}
		out += "\n" + line
	}
	return out
}
