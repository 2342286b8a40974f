package comments

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlText turns a comment's HTML into plain paragraphs separated by a blank
// line: block elements and <p> (which Hacker News uses as a separator, not a
// container) end a paragraph, entities are decoded, inline markup keeps its
// text, <br> becomes a line break, <pre> keeps its layout, and a link keeps
// its text followed by its address when the two differ.
func htmlText(s string) string {
	w := &textWriter{}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			w.flush()
			return strings.Join(w.paras, "\n\n")
		case html.TextToken:
			if w.skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			w.start(string(name), hasAttr, z, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			w.end(string(name))
		}
	}
}

type textWriter struct {
	paras []string
	buf   []byte
	pre   int // open <pre> elements
	skip  int // open <script>/<style> elements
	links []openLink
}

type openLink struct {
	href  string
	start int // offset in buf where the link text begins
}

func (w *textWriter) text(t string) {
	if w.pre > 0 {
		w.buf = append(w.buf, t...)
		return
	}
	// Outside <pre>, a run of HTML whitespace (newlines included) is one space.
	for i := 0; i < len(t); i++ {
		if !isHTMLSpace(rune(t[i])) {
			w.buf = append(w.buf, t[i])
		} else if len(w.buf) > 0 && !endsInSpace(w.buf) {
			w.buf = append(w.buf, ' ')
		}
	}
}

func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

func endsInSpace(b []byte) bool {
	c := b[len(b)-1]
	return c == ' ' || c == '\n'
}

func (w *textWriter) start(name string, hasAttr bool, z *html.Tokenizer, selfClosing bool) {
	switch {
	case name == "br":
		for len(w.buf) > 0 && w.buf[len(w.buf)-1] == ' ' {
			w.buf = w.buf[:len(w.buf)-1]
		}
		w.buf = append(w.buf, '\n')
	case name == "script" || name == "style":
		if !selfClosing {
			w.skip++
		}
	case name == "pre":
		w.flush()
		w.pre++
	case name == "a":
		href := ""
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if string(k) == "href" {
				href = strings.TrimSpace(string(v))
			}
		}
		if !selfClosing {
			w.links = append(w.links, openLink{href: href, start: len(w.buf)})
		}
	case isBlock(name):
		w.flush()
	}
}

func (w *textWriter) end(name string) {
	switch {
	case name == "script" || name == "style":
		if w.skip > 0 {
			w.skip--
		}
	case name == "pre":
		w.flush()
		if w.pre > 0 {
			w.pre--
		}
	case name == "a":
		w.closeLink()
	case isBlock(name):
		w.flush()
	}
}

// closeLink appends the address after the link text unless the text already
// says it. Hacker News shortens long link texts with "...": those become the
// full address.
func (w *textWriter) closeLink() {
	if len(w.links) == 0 {
		return
	}
	l := w.links[len(w.links)-1]
	w.links = w.links[:len(w.links)-1]
	if l.href == "" || l.start > len(w.buf) {
		return
	}
	label := strings.TrimSpace(string(w.buf[l.start:]))
	switch {
	case label == l.href:
	case label == "":
		w.text(l.href)
	case strings.HasSuffix(label, "...") && strings.HasPrefix(l.href, strings.TrimSuffix(label, "...")):
		w.buf = append(w.buf[:l.start], l.href...)
	default:
		w.buf = append(w.buf, " ("...)
		w.buf = append(w.buf, l.href...)
		w.buf = append(w.buf, ')')
	}
}

func isBlock(name string) bool {
	switch name {
	case "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
		"h1", "h2", "h3", "h4", "h5", "h6", "hr", "section", "article", "header", "footer", "figure":
		return true
	}
	return false
}

// flush ends the current paragraph.
func (w *textWriter) flush() {
	p := string(w.buf)
	w.buf = w.buf[:0]
	w.links = w.links[:0]
	if w.pre > 0 {
		p = strings.Trim(p, "\n")
	} else {
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		p = strings.Trim(strings.Join(lines, "\n"), "\n")
	}
	if strings.TrimSpace(p) != "" {
		w.paras = append(w.paras, p)
	}
}
