package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// Discord's autocomplete limits.
const (
	maxChoices    = 25
	maxChoiceName = 100
)

// autocomplete offers choices for the option being typed. Failures offer
// nothing (and are logged): an autocomplete has no way to show an error.
func (h *Handler) autocomplete(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	d, ok := commandData(i)
	if !ok {
		return choices(nil)
	}
	o := optionsOf(d.Options)
	var cs []*discordgo.ApplicationCommandOptionChoice
	var err error
	switch o.focused {
	case optStory:
		cs, err = h.storyChoices(ctx, o.str(optStory))
	case optAuthor:
		cs, err = h.authorChoices(ctx, o)
	case optFeed:
		if d.Name == cmdFeeds && checkAdmin(i) != nil {
			break
		}
		cs, err = h.feedChoices(ctx, o.str(optFeed))
	}
	if err != nil {
		h.log().Warn("autocomplete failed", "interaction", describe(i), "option", o.focused, "err", err)
		return choices(nil)
	}
	return choices(cs)
}

// storyChoices suggests live stories whose titles have words starting
// with each word typed, newest first; a typed number offers that story
// first.
func (h *Handler) storyChoices(ctx context.Context, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	var out []*discordgo.ApplicationCommandOptionChoice
	seen := map[int64]bool{}
	if id, ok := typedID(text); ok {
		s, err := h.Store.Story(ctx, id)
		if err != nil && !errors.Is(err, news.ErrNotFound) {
			return nil, err
		}
		if err == nil && !s.Deleted {
			out = append(out, storyChoice(s))
			seen[s.ID] = true
		}
	}
	stories, err := h.Store.SuggestStories(ctx, text, maxChoices)
	if err != nil {
		return nil, err
	}
	for _, s := range stories {
		if len(out) == maxChoices {
			break
		}
		if !seen[s.ID] {
			out = append(out, storyChoice(s))
			seen[s.ID] = true
		}
	}
	return out, nil
}

func typedID(text string) (int64, bool) {
	var id int64
	t := strings.TrimPrefix(strings.TrimSpace(text), "#")
	if t == "" || len(t) > 15 {
		return 0, false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return 0, false
		}
		id = id*10 + int64(r-'0')
	}
	return id, id > 0
}

// storyChoice names a story by its title, cut to fit, and its id:
// "North Korea denies attacking Sony… (#1)".
func storyChoice(s news.Story) *discordgo.ApplicationCommandOptionChoice {
	suffix := fmt.Sprintf(" (#%d)", s.ID)
	title := strings.Join(strings.Fields(s.Title), " ")
	if title == "" {
		title = "(untitled)"
	}
	title = render.Trim(title, maxChoiceName-len(suffix), "")
	return &discordgo.ApplicationCommandOptionChoice{Name: title + suffix, Value: s.ID}
}

// authorChoices suggests the story's commenters whose names start with
// what was typed, most prolific first. Without a story there is no one
// to suggest.
func (h *Handler) authorChoices(ctx context.Context, o options) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	id, ok, err := o.integer(optStory)
	if err != nil || !ok || id <= 0 {
		return nil, nil
	}
	names, err := h.Store.Commenters(ctx, id, o.str(optAuthor), maxChoices)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, n := range names {
		n = strings.TrimSpace(n)
		// A name too long for a choice could not be sent back intact.
		if n == "" || render.Len(n) > maxChoiceName {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
	}
	return out, nil
}

// feedChoices suggests configured feeds whose id or name holds what was
// typed, those starting with it first.
func (h *Handler) feedChoices(ctx context.Context, text string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	if h.Feeds == nil {
		return nil, nil
	}
	all, err := h.Feeds.Status(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(text)
	var starts, holds []*discordgo.ApplicationCommandOptionChoice
	for _, f := range all {
		id, label := f.Feed.ID, f.Feed.ID
		if id == "" || render.Len(id) > maxChoiceName {
			continue
		}
		if f.Feed.Name != "" && f.Feed.Name != id {
			label = render.Trim(id+" — "+f.Feed.Name, maxChoiceName, "")
		}
		c := &discordgo.ApplicationCommandOptionChoice{Name: label, Value: id}
		switch l := strings.ToLower(label); {
		case strings.HasPrefix(strings.ToLower(id), q):
			starts = append(starts, c)
		case strings.Contains(l, q):
			holds = append(holds, c)
		}
	}
	out := slices.Concat(starts, holds)
	return out[:min(len(out), maxChoices)], nil
}
