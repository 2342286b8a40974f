package feed

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// blockTags end one paragraph and start the next.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true,
	"caption": true, "dd": true, "details": true, "div": true, "dl": true,
	"dt": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "form": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"main": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "summary": true, "table": true, "tr": true, "ul": true,
}

// hiddenTags hold no readable text.
var hiddenTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true,
	"title": true, "iframe": true, "object": true, "svg": true,
}

var (
	// markup finds something a browser would treat as a tag or comment, so
	// that "a < b" stays plain text.
	markup    = regexp.MustCompile(`<(?:/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s|/?>)|!--)`)
	blankLine = regexp.MustCompile(`\n[ \t\r\f\v\x{a0}]*\n`)
)

// Paragraphs turns an HTML fragment (content:encoded, a description, Atom
// content) into plain-text paragraphs: block elements and double <br>s
// separate paragraphs, entities are decoded, whitespace is collapsed and
// scripts and styles are dropped. Input without markup is plain text split
// on blank lines. Empty paragraphs are never returned.
func Paragraphs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !markup.MatchString(s) {
		return textParagraphs(html.UnescapeString(s))
	}
	return htmlParagraphs(s)
}

func textParagraphs(s string) []string {
	var out []string
	for _, part := range blankLine.Split(s, -1) {
		if p := collapse(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// paraBuilder accumulates the text of the paragraph being read.
type paraBuilder struct {
	out []string
	cur strings.Builder
}

func (b *paraBuilder) flush() {
	if p := collapse(b.cur.String()); p != "" {
		b.out = append(b.out, p)
	}
	b.cur.Reset()
}

func htmlParagraphs(s string) []string {
	var b paraBuilder
	z := html.NewTokenizer(strings.NewReader(s))
	hidden, breaks := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			b.flush()
			return b.out
		case html.TextToken:
			text := string(z.Text())
			if hidden > 0 {
				continue
			}
			if strings.TrimSpace(text) == "" {
				b.cur.WriteByte(' ')
				continue
			}
			breaks = 0
			for i, part := range blankLine.Split(text, -1) {
				if i > 0 {
					b.flush()
				}
				b.cur.WriteString(part)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if hiddenTags[tag] {
				hidden = nextHidden(hidden, tt)
				continue
			}
			if hidden > 0 {
				continue
			}
			switch {
			case tag == "br":
				// Browsers treat </br> as <br> too.
				if breaks++; breaks >= 2 {
					b.flush()
				} else {
					b.cur.WriteByte(' ')
				}
			case blockTags[tag]:
				b.flush()
				breaks = 0
			case tag == "td" || tag == "th" || tag == "img":
				b.cur.WriteByte(' ')
			}
		}
	}
}

// nextHidden tracks nesting inside elements whose text is never shown.
func nextHidden(depth int, tt html.TokenType) int {
	switch tt {
	case html.StartTagToken:
		return depth + 1
	case html.EndTagToken:
		return max(depth-1, 0)
	}
	return depth
}

func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// plainText flattens an HTML or text snippet (a title, a name) to one line.
func plainText(s string) string {
	return strings.Join(Paragraphs(s), " ")
}
