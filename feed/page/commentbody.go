package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
// separated by a blank line, quotes as "> " lines. Elements skip reports
// (and their content) are left out.
func commentText(roots []*html.Node, skip func(*html.Node) bool) string {
	w := &bodyWriter{skip: skip}
	for _, r := range roots {
		w.children(r)
		w.endPara()
	}
	return strings.Join(w.paras, "\n\n")
}

// bodyWriter gathers paragraphs; a paragraph is built line by line, a line
// from raw text whose whitespace is collapsed when the line ends.
type bodyWriter struct {
	skip  func(*html.Node) bool
	paras []string
	lines []string
	line  strings.Builder
}

func (w *bodyWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.line.WriteString(c.Data)
		case html.ElementNode:
			w.element(c)
		}
	}
}

func (w *bodyWriter) element(n *html.Node) {
	switch {
	case commentDrop[n.DataAtom] || hidden(n) || w.skip(n):
		w.line.WriteByte(' ') // "<b>Ann</b>wrote" must not glue the words around it
	case n.DataAtom == atom.Br:
		w.endLine()
	case n.DataAtom == atom.Pre:
		w.endPara()
		w.addPara(preText(n, w.skip))
	case n.DataAtom == atom.Blockquote:
		w.endPara()
		inner := &bodyWriter{skip: w.skip}
		inner.children(n)
		inner.endPara()
		for _, p := range inner.paras {
			w.addPara(quoteLines(p))
		}
	case isBlock(n):
		w.endPara()
		w.children(n)
		w.endPara()
	default:
		w.children(n)
	}
}

func (w *bodyWriter) endLine() {
	w.lines = append(w.lines, collapse(w.line.String()))
	w.line.Reset()
}

// endPara ends the paragraph being built. Blank lines in it (two <br> in
// a row) split it; chrome lines ("Reply", "Report") vanish without a break,
// as in text dumps.
func (w *bodyWriter) endPara() {
	w.endLine()
	var cur []string
	for _, l := range w.lines {
		switch {
		case l == "":
			w.addPara(strings.Join(cur, "\n"))
			cur = nil
		case !isChrome(l):
			cur = append(cur, l)
		}
	}
	w.addPara(strings.Join(cur, "\n"))
	w.lines = w.lines[:0]
}

func (w *bodyWriter) addPara(p string) {
	if p != "" {
		w.paras = append(w.paras, p)
	}
}

// preText is a <pre> block's text as laid out, without trailing spaces or
// blank lines around it.
func preText(n *html.Node, skip func(*html.Node) bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || commentDrop[c.DataAtom] || skip(c):
			case c.DataAtom == atom.Br:
				b.WriteByte('\n')
			default:
				walk(c)
			}
		}
	}
	walk(n)
	lines := strings.Split(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// quoteLines marks every line of p as quoted.
func quoteLines(p string) string {
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
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
