package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsbot-dev/newsbot/internal/htmltext"
)

// commentDrop are elements whose content is never comment text: code, embeds
// and the reply form's controls.
var commentDrop = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Canvas: true, atom.Object: true, atom.Embed: true,
	atom.Button: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Form: true,
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true,
}

// commentText renders the content of roots as a comment body: paragraphs
// separated by a blank line, quotes as "> " lines, <pre> as laid out, page
// chrome left out. Elements skip reports (and their content) are left out.
func commentText(roots []*html.Node, skip func(*html.Node) bool) string {
	return strings.Join(htmltext.Paragraphs(roots, htmltext.Options{
		Skip:     func(n *html.Node) bool { return commentDrop[n.DataAtom] || hidden(n) || skip(n) },
		DropLine: isChrome,
		Pre:      true,
		Quotes:   true,
		Cells:    true,
	}), "\n\n")
}

// plainText is n's text on one line, leaving out what skip reports.
func plainText(n *html.Node, skip func(*html.Node) bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || commentDrop[c.DataAtom] || hidden(c) || skip(c):
			default:
				b.WriteByte(' ')
				walk(c)
				b.WriteByte(' ')
			}
		}
	}
	walk(n)
	return collapse(b.String())
}

// authorName reads an author element: its text without WordPress's
// "says:" or a leading "by ", else a name its attributes give (an avatar's
// alt, a link's title).
func authorName(n *html.Node, skip func(*html.Node) bool) string {
	if n == nil {
		return ""
	}
	s := plainText(n, skip)
	const says = " says:"
	switch {
	case len(s) > len(says) && strings.EqualFold(s[len(s)-len(says):], says):
		s = s[:len(s)-len(says)]
	case strings.HasSuffix(s, ":"):
		s = s[:len(s)-1]
	}
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		s = s[3:]
	}
	return first(s, attr(n, "title"), attr(n, "aria-label"), attr(n, "alt"))
}
