package feed

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsbot-dev/newsbot/internal/htmltext"
)

// hasMarkup finds something a browser would treat as a tag or comment, so
// that "a < b" stays plain text: what `<(?:/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s|/?>)|!--)`
// matches, read without a regular expression, which cost a tenth of the
// splitting of feed HTML into paragraphs.
func hasMarkup(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; i = strings.IndexByte(s, '<') {
		s = s[i+1:]
		if strings.HasPrefix(s, "!--") {
			return true
		}
		name := strings.TrimPrefix(s, "/")
		if name == "" || !isASCIILetter(name[0]) {
			continue
		}
		j := 1
		for j < len(name) && (isASCIILetter(name[j]) || '0' <= name[j] && name[j] <= '9' || name[j] == ':' || name[j] == '-') {
			j++
		}
		switch after := name[j:]; {
		case after == "":
		case strings.IndexByte(" \t\n\f\r>", after[0]) >= 0, strings.HasPrefix(after, "/>"):
			return true
		}
	}
	return false
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// Paragraphs turns an HTML fragment (content:encoded, a description, Atom
// content) into plain-text paragraphs: block elements, double <br>s and
// blank lines in the text separate paragraphs, entities are decoded,
// whitespace is collapsed and scripts and styles are dropped. Input without
// markup is plain text split on blank lines. Empty paragraphs are never
// returned.
func Paragraphs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	o := htmltext.Options{OneLine: true, TextBreaks: true}
	if hasMarkup(s) {
		return htmltext.FragmentParagraphs(s, o)
	}
	// Text, not parsed: the parser would drop "<y" from "x <y".
	root := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
	root.AppendChild(&html.Node{Type: html.TextNode, Data: html.UnescapeString(s)})
	return htmltext.Paragraphs([]*html.Node{root}, o)
}

// collapse trims s and makes each run of whitespace in it one space.
func collapse(s string) string {
	if isCollapsed(s) {
		return s // as most titles and names are
	}
	return strings.Join(strings.Fields(s), " ")
}

func isCollapsed(s string) bool {
	space := true // a space here would lead the string
	for _, r := range s {
		isSpace := unicode.IsSpace(r)
		if isSpace && (space || r != ' ') {
			return false
		}
		space = isSpace
	}
	return !space || s == ""
}

// plainText flattens an HTML or text snippet (a title, a name) to one line.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") && utf8.ValidString(s) {
		// No markup, no entity: the paragraphs would be its words.
		return collapse(s)
	}
	return strings.Join(Paragraphs(s), " ")
}
