// Package commands defines newsbot's slash commands and answers them.
//
// It is pure in the sense that matters to the bot: an interaction goes in,
// a response value comes out. Reading the store and the feeds goes through
// small interfaces, and nothing here talks to Discord, so `newsbot ask`, the
// bot and the tests all run exactly the same code.
package commands

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
	"github.com/newsbot-dev/newsbot/internal/summarize"
)

// Store is what the commands read of the store; *store.DB implements it.
// Unknown story ids come back as errors wrapping news.ErrNotFound.
type Store interface {
	Story(ctx context.Context, id int64) (news.Story, error)
	Revisions(ctx context.Context, storyID int64) ([]news.Revision, error)
	Comments(ctx context.Context, storyID int64) ([]news.Comment, error)
	FindComments(ctx context.Context, storyID int64, author, contains string) ([]news.Comment, error)
	Commenters(ctx context.Context, storyID int64, prefix string, limit int) ([]string, error)
	LatestStories(ctx context.Context, feedID string, limit int) ([]news.Story, error)
	SearchStories(ctx context.Context, query string, limit int) ([]news.Story, error)
	SuggestStories(ctx context.Context, text string, limit int) ([]news.Story, error)
	// CommentHealth says whether a feed's comment source works, so a
	// thread that is empty because the source fails is not called quiet.
	CommentHealth(ctx context.Context, feedID string) (news.SourceHealth, error)
}

var _ Store = (*store.DB)(nil)

// FeedStatus is one configured feed with its polling health.
type FeedStatus struct {
	Feed          config.Feed
	State         news.FeedState
	Next          time.Time // next scheduled poll; zero when not scheduled
	Subscriptions []news.Subscription
	Comments      news.SourceHealth // the feed's comment source, when it has one
}

// Feeds is what /feeds needs of the running bot.
type Feeds interface {
	// Status lists every configured feed with its health and next run.
	Status(ctx context.Context) ([]FeedStatus, error)
	// Preview fetches a feed now and returns its newest item as a Story
	// (ID 0) with the feed's configuration. An unknown feed id is an error
	// wrapping news.ErrNotFound.
	Preview(ctx context.Context, feedID string) (news.Story, config.Feed, error)
}

// Handler answers newsbot's slash commands, their autocompletes and the
// buttons of their messages. The zero value of every optional field works.
type Handler struct {
	Store Store
	// Feeds may be nil: /feeds then says feeds aren't available (as in
	// `newsbot ask` without a config).
	Feeds Feeds
	// Summarizer writes prose summaries when configured; nil means the
	// extractive summary alone.
	Summarizer *summarize.Abstractive
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand returns the random source for one pick:random; a fresh
	// source per call keeps the Handler safe for concurrent use. Tests
	// return a seeded source. Nil means an unseeded source.
	Rand func() *rand.Rand
	// Log receives handler failures; slog.Default when nil.
	Log *slog.Logger
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) rand() *rand.Rand {
	if h.Rand != nil {
		if r := h.Rand(); r != nil {
			return r
		}
	}
	return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

// Respond answers one interaction. It always returns a valid response:
// what the member did wrong, and what failed inside, are both answered
// with an ephemeral message (the latter logged), so the error result is
// always nil and kept only to satisfy bot.Handler.
func (h *Handler) Respond(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	if i == nil {
		return ephemeral("That interaction was empty."), nil
	}
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil
	case discordgo.InteractionApplicationCommandAutocomplete:
		return h.autocomplete(ctx, i), nil
	case discordgo.InteractionApplicationCommand:
		resp, err := h.command(ctx, i)
		return h.finish(i, resp, err), nil
	case discordgo.InteractionMessageComponent:
		resp, err := h.component(ctx, i)
		return h.finish(i, resp, err), nil
	}
	return ephemeral("newsbot doesn't handle that kind of interaction."), nil
}

// Ephemeral reports whether the answer to i is for the asker alone, so a
// deferred answer is deferred as ephemeral: /feeds answers only admins.
func (h *Handler) Ephemeral(i *discordgo.Interaction) bool {
	if i == nil || i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	d, ok := commandData(i)
	return ok && d.Name == cmdFeeds
}

// command routes a slash command to its handler.
func (h *Handler) command(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	d, ok := commandData(i)
	if !ok {
		return nil, userErrorf("That command arrived without its data.")
	}
	opts := optionsOf(d.Options)
	switch d.Name {
	case cmdNews:
		return h.news(ctx, opts)
	case cmdStory:
		return h.story(ctx, opts)
	case cmdQuote:
		return h.quote(ctx, opts)
	case cmdSummarize:
		return h.summarize(ctx, opts)
	case cmdThread:
		return h.thread(ctx, opts)
	case cmdFeeds:
		return h.feeds(ctx, i, opts)
	}
	return nil, userErrorf("newsbot has no command /%s — try /news, /quote or /summarize.", clip(d.Name, 32))
}

// commandData returns a command's data without discordgo's panic on a
// mismatched type.
func commandData(i *discordgo.Interaction) (discordgo.ApplicationCommandInteractionData, bool) {
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		return d, true
	case *discordgo.ApplicationCommandInteractionData:
		if d != nil {
			return *d, true
		}
	}
	return discordgo.ApplicationCommandInteractionData{}, false
}

// componentData is commandData for button clicks.
func componentData(i *discordgo.Interaction) (discordgo.MessageComponentInteractionData, bool) {
	switch d := i.Data.(type) {
	case discordgo.MessageComponentInteractionData:
		return d, true
	case *discordgo.MessageComponentInteractionData:
		if d != nil {
			return *d, true
		}
	}
	return discordgo.MessageComponentInteractionData{}, false
}
