package render

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// NoticeFeed is what a notice shows of the feed it is about: its name and
// address as the config has them when the notice is sent. A feed no longer
// configured is shown by its id, without an address.
type NoticeFeed struct {
	Name string
	URL  string
}

// Notice renders a feed health notice. Channels are public: the feed's
// address and the error go out without query strings or credentials,
// which may hold an API key.
func Notice(n news.Notice, f NoticeFeed) *discordgo.MessageSend {
	name := "**" + Escape(f.Name) + "**"
	var text string
	switch n.Kind {
	case news.NoticeCommentsFailing:
		text = fmt.Sprintf("⚠️ Comments for feed %s can't be fetched: its comment source has failed %s in a row since %s. Last error: %s\n"+
			"Stories still post; newsbot keeps retrying and will say here when comments arrive again.",
			name, english.Plural(n.Failures, "time"), Timestamp(n.Since, 'R'), Escape(RedactURLs(n.LastError)))
	case news.NoticeCommentsRecovered:
		text = fmt.Sprintf("✅ Comments for feed %s arrive again: its comment source works after %s since %s.",
			name, english.Plural(n.Failures, "failed attempt"), Timestamp(n.Since, 'R'))
	case news.NoticeRecovered:
		text = fmt.Sprintf("✅ Feed %s works again after %s since %s.",
			name, english.Plural(n.Failures, "failed attempt"), Timestamp(n.Since, 'R'))
	default:
		if f.URL != "" {
			name += " (<" + RedactURLs(f.URL) + ">)"
		}
		text = fmt.Sprintf("⚠️ Feed %s has failed %s in a row since %s. Last error: %s\nnewsbot keeps retrying and will say here when it works again.",
			name, english.Plural(n.Failures, "time"), Timestamp(n.Since, 'R'), Escape(RedactURLs(n.LastError)))
	}
	return PlainText(text)
}

// PlainText renders a message that is only text, already escaped where it
// needs to be (a notice queued before notices were stored as facts).
func PlainText(text string) *discordgo.MessageSend {
	return &discordgo.MessageSend{Content: Trim(text, MaxContent, ""), AllowedMentions: NoMentions()}
}

// urlPattern finds URLs in error text.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?|file)://[^\s<>"']+`)

// RedactURLs shortens every URL in s to scheme, host and path: query
// strings, fragments and user:password@ can carry secrets, and notices are
// posted where everyone reads them. A local path passes unchanged.
func RedactURLs(s string) string {
	return urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		trail := ""
		for strings.ContainsAny(raw[len(raw)-1:], ".,;:)") {
			trail = raw[len(raw)-1:] + trail
			raw = raw[:len(raw)-1]
		}
		u, err := url.Parse(raw)
		if err != nil {
			return "(a URL)" + trail
		}
		u.User, u.RawQuery, u.Fragment, u.ForceQuery = nil, "", "", false
		return u.String() + trail
	})
}
