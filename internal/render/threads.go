package render

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// MaxThreadName is Discord's limit on a thread's (and a forum post's) name.
const MaxThreadName = 100

// ThreadName is the name of a story's discussion thread or forum post: its
// title, cut to Discord's 100 characters. Thread names are plain text, so
// nothing is escaped.
func ThreadName(title string) string {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return "Untitled story"
	}
	return Trim(title, MaxThreadName, "")
}

// NoticeTitle names the forum post a feed notice opens in a forum or media
// channel, where a message needs a post of its own.
func NoticeTitle(n news.Notice, f NoticeFeed) string {
	if n.Kind == news.NoticeRecovered {
		return ThreadName("Feed " + f.Name + " works again")
	}
	if n.Kind == news.NoticeCapped {
		return ThreadName("Feed " + f.Name + " listed too many new items")
	}
	return ThreadName("Feed " + f.Name + " is failing")
}

// Ping makes m ping exactly roles and users, which a feed opted into: their
// mentions open the content, and allowed_mentions names them and nothing
// else. parse stays empty, so @everyone, @here and any mention inside the
// article's text still cannot ping.
func Ping(m *discordgo.MessageSend, roles, users []string) {
	if len(roles)+len(users) == 0 {
		return
	}
	var b strings.Builder
	for _, r := range roles {
		b.WriteString("<@&" + r + "> ")
	}
	for _, u := range users {
		b.WriteString("<@" + u + "> ")
	}
	lead := strings.TrimSpace(b.String())
	if m.Content != "" {
		lead += "\n" + m.Content
	}
	m.Content = Trim(lead, MaxContent, "")
	m.AllowedMentions = &discordgo.MessageAllowedMentions{
		Parse: []discordgo.AllowedMentionType{}, Roles: roles, Users: users,
	}
}
