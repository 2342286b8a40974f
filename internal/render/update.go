package render

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// UpdateReply renders the message that tells a channel what changed in a
// story it already saw: the title change old → new, then each added
// paragraph quoted. When it does not fit one message the rest is left to
// the link, and the reader is told how much was left out.
func UpdateReply(s news.Story, rev news.Revision) *discordgo.MessageSend {
	var b strings.Builder
	if markedUpdated(s.Title) {
		fmt.Fprintf(&b, "**%s**", Escape(s.Title)) // the site's marker is the one
	} else {
		fmt.Fprintf(&b, "**Updated:** %s", Escape(s.Title))
	}
	if rev.OldTitle != "" {
		fmt.Fprintf(&b, "\nTitle: ~~%s~~ → %s", Escape(rev.OldTitle), Escape(rev.Title))
	}
	var more string
	if u := Link(s.URL); u != "" {
		more = "\n… more at <" + u + ">"
	}
	body := b.String()
	shown := 0
	for _, p := range rev.Added {
		next := body + "\n" + Quote(p)
		if Len(next)+Len(more)+40 > MaxContent {
			if shown == 0 {
				// One long paragraph: show its opening rather than nothing.
				room := MaxContent - Len(body) - Len(more) - 40
				body += "\n" + Quote(Trim(p, max(room, 20), ""))
				shown++
			}
			break
		}
		body = next
		shown++
	}
	if n := len(rev.Added) - shown; n > 0 {
		body += fmt.Sprintf("\n*(%s not shown)*", english.Plural(n, "more added paragraph"))
		body += more
	} else if shown == 0 && len(rev.Removed) > 0 {
		body += fmt.Sprintf("\n*(%s removed)*", english.Plural(len(rev.Removed), "paragraph"))
	}
	return &discordgo.MessageSend{Content: Trim(body, MaxContent, ""), AllowedMentions: NoMentions()}
}

// UpdatedStory renders the edit of a story's original post: the same card,
// marked updated, with the latest title and text.
func UpdatedStory(s news.Story, p Post) (*discordgo.MessageEmbed, error) {
	return StoryEmbed(s, p, true)
}
