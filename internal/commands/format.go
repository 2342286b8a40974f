package commands

import (
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// echo quotes text a member typed back to them, escaped and shortened.
func echo(s string) string {
	return "“" + render.Escape(clip(s, 60)) + "”"
}

// name renders a person's name in bold, escaped: names are written by
// strangers and may hold markdown or mention syntax.
func name(author string) string {
	author = strings.TrimSpace(author)
	if author == "" {
		return "*someone*"
	}
	return "**" + escapeFit(author, 64) + "**"
}

// escapeFit escapes s and keeps the result within limit characters,
// cutting the text before escaping so no escape is split from its
// character.
func escapeFit(s string, limit int) string {
	out := render.Escape(s)
	for n := limit; render.Len(out) > limit && n > 1; {
		n = max(n-(render.Len(out)-limit), 1)
		out = render.Escape(render.Trim(s, n, ""))
	}
	if render.Len(out) > limit {
		return render.Ellipsis
	}
	return out
}

// storyTitle is a story's title for a line of text: escaped, at most
// limit characters.
func storyTitle(s news.Story, limit int) string {
	t := strings.TrimSpace(s.Title)
	if t == "" {
		t = "(untitled)"
	}
	return escapeFit(t, limit)
}

// storyLink is "[title](<url>)": a link that doesn't unfurl a preview.
// Without a usable URL it is the bare title.
func storyLink(s news.Story, limit int) string {
	t := storyTitle(s, limit)
	if u := linkURL(s.URL); u != "" {
		return "[" + t + "](<" + u + ">)"
	}
	return t
}

// linkURL is render.Link for a link inside a line of text, where a long
// one would crowd out the text: "" when it is over 300 characters.
func linkURL(u string) string {
	if s := render.Link(u); len(s) <= 300 {
		return s
	}
	return ""
}

// span says how long something ran, roughly: "3 hours", "2 days".
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return english.Plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return english.Plural(int(d/time.Hour), "hour")
	}
	return english.Plural(int(d/(24*time.Hour)), "day")
}

// joinNames lists names as "a, b and c".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
