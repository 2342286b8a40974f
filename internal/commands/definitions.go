package commands

import (
	"github.com/bwmarrin/discordgo"
)

// Command and option names. /quote, /summarize and /feeds, and the story
// option, are a documented interface: outside checks type them.
const (
	cmdNews      = "news"
	cmdStory     = "story"
	cmdQuote     = "quote"
	cmdSummarize = "summarize"
	cmdThread    = "thread"
	cmdFeeds     = "feeds"

	optStory    = "story"
	optAuthor   = "author"
	optContains = "contains"
	optPick     = "pick"
	optLength   = "length"
	optStyle    = "style"
	optFeed     = "feed"
	optCount    = "count"
	optQuery    = "query"
	optRevision = "revision"
)

// Discord permission bits /feeds checks.
const (
	permAdministrator int64 = 0x8
	permManageServer  int64 = 0x20
)

// Limits of what members may ask for.
const (
	defaultLatest = 5
	maxLatest     = 10
	maxSearch     = 10
)

// Commands returns the slash command definitions the bot registers.
func (h *Handler) Commands() []*discordgo.ApplicationCommand {
	return Definitions()
}

// Definitions are the slash commands, as registered with Discord. They are
// rebuilt on each call so a caller may change its copy freely.
func Definitions() []*discordgo.ApplicationCommand {
	manage := permManageServer
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	return []*discordgo.ApplicationCommand{
		{
			Name: cmdNews, Description: "Recent stories, or a search of every story's title and text",
			Options: []*discordgo.ApplicationCommandOption{
				sub("latest", "The newest stories, with their comment counts",
					feedOption(false, "Only stories from this feed"),
					intOption(optCount, "How many stories to list (default 5)", false, 1, maxLatest)),
				sub("search", "Find stories whose title or text hold every word you give",
					stringOption(optQuery, "Words to look for", true, false, 200)),
			},
		},
		{
			Name: cmdStory, Description: "A story's card, its revision history and what changed",
			Options: []*discordgo.ApplicationCommandOption{
				sub("show", "The story card as it was posted, with its revision history", storyOption()),
				sub("changes", "What changed between the story's revisions", storyOption(),
					intOption(optRevision, "Only this revision's changes (default: all)", false, 2, 10000)),
			},
		},
		{
			Name: cmdQuote, Description: "Quote one comment of a story's thread, word for word",
			Options: []*discordgo.ApplicationCommandOption{
				storyOption(),
				authorOption(),
				stringOption(optContains, "Only comments containing this text", false, false, 200),
				choiceOption(optPick, "Which comment when several match (default: top)",
					"top", "latest", "random"),
			},
		},
		{
			Name: cmdSummarize, Description: "Summarize a story's comment thread: points, disagreements, people",
			Options: []*discordgo.ApplicationCommandOption{
				storyOption(),
				choiceOption(optLength, "How much detail (default: standard)", "short", "standard", "detailed"),
				choiceOption(optStyle, "Quoted points, or a paragraph that quotes them (default: points)", "points", "prose"),
			},
		},
		{
			Name: cmdThread, Description: "A story's comments as an outline of who replied to whom",
			Options: []*discordgo.ApplicationCommandOption{
				storyOption(),
				authorOption(),
			},
		},
		{
			Name: cmdFeeds, Description: "Admins: the configured feeds, their health, and a post preview",
			// Hidden from members without Manage Server; checked again on
			// each use, since server admins can override the default.
			DefaultMemberPermissions: &manage,
			Contexts:                 &guildOnly,
			Options: []*discordgo.ApplicationCommandOption{
				sub("list", "Every feed: where it comes from, its schedule and channels"),
				sub("status", "Every feed's health: last poll, errors, next run"),
				sub("preview", "Show a feed's newest item exactly as it would be posted",
					feedOption(true, "The feed to preview")),
			},
		},
	}
}

func sub(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts,
	}
}

func storyOption() *discordgo.ApplicationCommandOption {
	one := 1.0
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionInteger, Name: optStory,
		Description: "The story: type words of its title, or its number",
		Required:    true, Autocomplete: true, MinValue: &one,
	}
}

func authorOption() *discordgo.ApplicationCommandOption {
	return stringOption(optAuthor, "Only comments by this person", false, true, 100)
}

func feedOption(required bool, desc string) *discordgo.ApplicationCommandOption {
	return stringOption(optFeed, desc, required, true, 100)
}

func stringOption(name, desc string, required, autocomplete bool, maxLen int) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc,
		Required: required, Autocomplete: autocomplete, MaxLength: maxLen,
	}
}

func intOption(name, desc string, required bool, lo, hi float64) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionInteger, Name: name, Description: desc,
		Required: required, MinValue: &lo, MaxValue: hi,
	}
}

func choiceOption(name, desc string, values ...string) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc}
	for _, v := range values {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
	}
	return o
}
