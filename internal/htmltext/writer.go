package htmltext

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blankLine is a blank line within text, for Options.TextBreaks.
var blankLine = regexp.MustCompile(`\n[ \t\r\f\v\x{a0}]*\n`)

// writer gathers paragraphs. The paragraph being read is kept with its
// whitespace already collapsed and '\n' where a line ends, so that a
// link's text can be looked at (and replaced) when the link closes.
type writer struct {
	o     *Options
	paras []string
	buf   []byte
	pre   bool // inside a <pre> whose layout is kept
	ends  int  // paragraphs ended so far, empty ones included
	// raw says buf has held bytes not read through words (the text of a
	// <pre>, a link's address), which may not be UTF-8; words writes only
	// UTF-8, so without them no paragraph needs checking.
	raw bool
}

func (w *writer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.text(c.Data)
		case html.ElementNode:
			w.element(c)
		}
	}
}

func (w *writer) element(n *html.Node) {
	switch {
	case w.o.Skip != nil && w.o.Skip(n):
		if !w.pre {
			w.words(" ")
		}
	case dropTags[n.DataAtom]:
	case n.DataAtom == atom.Br:
		w.lineBreak()
	case n.DataAtom == atom.A && w.o.Links:
		w.link(n)
	case w.pre:
		w.children(n)
	case n.DataAtom == atom.Pre && w.o.Pre:
		w.endPara()
		w.pre = true
		w.children(n)
		w.endPara()
		w.pre = false
	case n.DataAtom == atom.Blockquote && w.o.Quotes:
		w.quote(n)
	case blockTags[n.DataAtom] || (w.o.Cells && isCell(n)):
		w.endPara()
		w.children(n)
		w.endPara()
	case isCell(n) || n.DataAtom == atom.Img:
		w.words(" ")
		w.children(n)
		w.words(" ")
	default:
		w.children(n)
	}
}

func isCell(n *html.Node) bool { return n.DataAtom == atom.Td || n.DataAtom == atom.Th }

// text adds the text of a text node.
func (w *writer) text(t string) {
	switch {
	case w.pre:
		w.buf, w.raw = append(w.buf, t...), true
	case w.o.TextBreaks && strings.Count(t, "\n") >= 2 && strings.TrimSpace(t) != "":
		for i, part := range blankLine.Split(t, -1) {
			if i > 0 {
				w.endPara()
			}
			w.words(part)
		}
	default:
		w.words(t)
	}
}

// words adds t with each run of whitespace made one space, none at the
// start of a line. Bytes that are not UTF-8 become U+FFFD.
func (w *writer) words(t string) {
	ascii := &asciiSpace
	if w.o.HTMLSpace {
		ascii = &asciiHTMLSpace
	}
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf && !ascii[c] {
			// A run of ASCII words with one space between them, as most
			// prose is, is copied as it is: it starts with a word, so its
			// spaces are kept.
			j := i + 1
			for j < len(t) {
				if d := t[j]; d >= utf8.RuneSelf || ascii[d] && (d != ' ' || t[j-1] == ' ') {
					break
				}
				j++
			}
			w.buf = append(w.buf, t[i:j]...)
			i = j
			continue
		}
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(t[i:])
		}
		switch {
		case !w.isSpace(r):
			w.buf = utf8.AppendRune(w.buf, r)
		case len(w.buf) > 0 && !endsInSpace(w.buf):
			w.buf = append(w.buf, ' ')
		}
		i += n
	}
}

// asciiSpace and asciiHTMLSpace are isSpace for ASCII: unicode.IsSpace's
// spaces are HTML's and \v.
var asciiSpace, asciiHTMLSpace = func() (u, h [utf8.RuneSelf]bool) {
	for _, c := range " \t\n\r\f" {
		u[c], h[c] = true, true
	}
	u['\v'] = true
	return u, h
}()

func (w *writer) isSpace(r rune) bool {
	if w.o.HTMLSpace {
		return IsHTMLSpace(r)
	}
	return unicode.IsSpace(r)
}

func endsInSpace(b []byte) bool {
	c := b[len(b)-1]
	return c == ' ' || c == '\n'
}

func (w *writer) lineBreak() {
	for len(w.buf) > 0 && w.buf[len(w.buf)-1] == ' ' {
		w.buf = w.buf[:len(w.buf)-1]
	}
	w.buf = append(w.buf, '\n')
}

// link reads a link's text and, with Options.Links, its address. A link
// whose text spans a paragraph break keeps only its text.
func (w *writer) link(n *html.Node) {
	start, ends := len(w.buf), w.ends
	w.children(n)
	href := strings.TrimSpace(attr(n, "href"))
	if href == "" || w.ends != ends || start > len(w.buf) {
		return
	}
	w.raw = true
	label := strings.TrimSpace(string(w.buf[start:]))
	switch {
	case label == href:
	case label == "":
		if w.pre {
			w.buf = append(w.buf, href...)
		} else {
			w.words(href)
		}
	case strings.HasSuffix(label, "...") && strings.HasPrefix(href, strings.TrimSuffix(label, "...")):
		w.buf = append(w.buf[:start], href...)
	default:
		w.buf = append(w.buf, " ("...)
		w.buf = append(w.buf, href...)
		w.buf = append(w.buf, ')')
	}
}

// quote adds a blockquote's paragraphs as quoted lines.
func (w *writer) quote(n *html.Node) {
	w.endPara()
	inner := &writer{o: w.o}
	inner.children(n)
	inner.endPara()
	for _, p := range inner.paras {
		w.add(quoteLines(p))
	}
}

// endPara ends the paragraph being read. An empty line in it (two <br> in
// a row) splits it in two; lines DropLine reports vanish without a break.
func (w *writer) endPara() {
	w.ends++
	if !w.pre && bytes.IndexByte(w.buf, '\n') < 0 {
		// One line, as most paragraphs are: nothing to split or join.
		l := string(bytes.TrimSpace(w.buf))
		w.buf = w.buf[:0]
		if l != "" && (w.o.DropLine == nil || !w.o.DropLine(l)) {
			w.add(l)
		}
		return
	}
	p := string(w.buf)
	w.buf = w.buf[:0]
	if w.pre {
		w.add(preLines(p))
		return
	}
	sep := "\n"
	if w.o.OneLine {
		sep = " "
	}
	var cur []string
	for l := range strings.SplitSeq(p, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			w.add(strings.Join(cur, sep))
			cur = cur[:0]
		case w.o.DropLine == nil || !w.o.DropLine(l):
			cur = append(cur, l)
		}
	}
	w.add(strings.Join(cur, sep))
}

func (w *writer) add(p string) {
	if p == "" {
		return
	}
	if w.raw && !utf8.ValidString(p) { // ToValidUTF8 would decode every rune to find out
		p = strings.ToValidUTF8(p, "\uFFFD")
	}
	w.paras = append(w.paras, p)
}
