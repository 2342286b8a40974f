// Package discordmd renders the Markdown Discord shows in messages and
// embeds as HTML that is safe to put in a page.
//
// It follows Discord's client rather than CommonMark: emphasis may span
// lines, a block quote needs "> " (with the space) or ">>> ", headings
// stop at ###, "-# " is subtext, a backslash before any punctuation makes
// it literal, masked links and URLs link only to http(s), and <t:…>
// timestamps, <@…> mentions and custom emoji get their own elements.
//
// Everything that is not markup is escaped, so text written by strangers
// (a feed is the internet) can only ever be text. Mentions are inert: they
// come out as a span naming the id, for the page to label, never as a ping.
package discordmd

import (
	"html"
	"strings"
)

// maxDepth bounds nesting (bold in italics in a quote …): deeper
// delimiters are left as text, so no input can recurse without end.
const maxDepth = 12

// Block renders text where Discord allows everything: message content,
// embed descriptions and field values. Line breaks stay "\n"; the page
// shows them with white-space: pre-wrap, as Discord does.
func Block(src string) string {
	r := renderer{links: true}
	r.parse(src, mode{blocks: true, quotes: true, lineStart: true})
	return r.b.String()
}

// Inline renders text where Discord allows only inline formatting and no
// links: embed titles (themselves a link) and field names.
func Inline(src string) string {
	var r renderer
	r.parse(src, mode{})
	return r.b.String()
}

// Preview renders the one-line preview of a replied-to message: inline
// formatting only, line breaks as spaces, cut to about max characters.
func Preview(src string, max int) string {
	src = strings.Join(strings.Fields(src), " ")
	if n := []rune(src); len(n) > max {
		src = strings.TrimRight(string(n[:max]), " ") + "…"
	}
	return Inline(src)
}

type renderer struct {
	b     strings.Builder
	links bool // masked links and URLs become anchors
	depth int
}

// mode says which rules apply where the parse is.
type mode struct {
	blocks    bool // headings, subtext, lists
	quotes    bool // block quotes (never inside one)
	lineStart bool // the text starts at the beginning of a line
}

// parse renders s: at each position it tries the line-start rules (at a
// line's beginning) and then the inline rules; a position no rule claims
// is text.
func (r *renderer) parse(s string, m mode) {
	text := 0
	flush := func(end int) {
		r.b.WriteString(html.EscapeString(s[text:end]))
	}
	for i := 0; i < len(s); {
		atLine := (m.blocks || m.quotes) && ((i == 0 && m.lineStart) || (i > 0 && s[i-1] == '\n'))
		if !atLine && strings.IndexByte(triggers, s[i]) < 0 {
			i++
			continue
		}
		// A rule writes its element at once, so the text before it goes first.
		flush(i)
		text = i
		n := 0
		if atLine {
			n = r.lineRule(s[i:], m)
		}
		if n == 0 {
			n = r.inlineRule(s, i)
		}
		if n == 0 {
			n = 1
		} else {
			text = i + n
		}
		i += n
	}
	flush(len(s))
}

// triggers are the bytes an inline rule can start with.
const triggers = "`\\<h[|~*_"

// nested renders inner content with one more level of depth, or reports
// false when the limit is reached (the caller then leaves its delimiters
// as text).
func (r *renderer) nested(open, inner, close string, m mode) bool {
	if r.depth >= maxDepth {
		return false
	}
	r.depth++
	r.b.WriteString(open)
	r.parse(inner, m)
	r.b.WriteString(close)
	r.depth--
	return true
}

// inline is the mode of text inside an inline element: no blocks.
var inline = mode{}

// lineOf returns the line at the start of s and the length consumed with
// its newline.
func lineOf(s string) (line string, n int) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i], i + 1
	}
	return s, len(s)
}
