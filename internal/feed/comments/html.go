package comments

import "github.com/newsbot-dev/newsbot/internal/htmltext"

// htmlText turns a comment's HTML into plain paragraphs separated by a blank
// line: block elements and <p> (which Hacker News uses as a separator, not a
// container) end a paragraph, entities are decoded, inline markup keeps its
// text, <br> becomes a line break, <pre> keeps its layout, and a link keeps
// its text followed by its address when the two differ. &nbsp; stays, as
// the comment's author typed it.
func htmlText(s string) string {
	return htmltext.Text(s, htmltext.Options{Links: true, Pre: true, HTMLSpace: true})
}

// isHTMLSpace is the whitespace htmlText collapses.
func isHTMLSpace(r rune) bool { return htmltext.IsHTMLSpace(r) }
