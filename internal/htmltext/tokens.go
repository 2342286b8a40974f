package htmltext

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FragmentParagraphs returns the paragraphs of the HTML fragment s: those
// of Paragraphs([]*html.Node{Parse(s)}, o). Most fragments a feed or an
// API carries are paragraphs of text and inline markup, every element
// closed where it was opened; for those the tokens say all the tree would,
// and the tree is not built (it costs as much again as reading the
// tokens). Anything else is parsed.
func FragmentParagraphs(s string, o Options) []string {
	if ps, ok := tokenParagraphs(s, o); ok {
		return ps
	}
	return Paragraphs([]*html.Node{Parse(s)}, o)
}

// maxTokenDepth keeps the token reading well inside the HTML parser's
// limit of 512 open elements, past which Parse keeps only the text.
const maxTokenDepth = 256

// tokenParagraphs reads s from its tokens alone, as the HTML parser would
// build it, and reports false at the first token after which the tree might
// differ from the tokens' nesting: an end tag that does not close the
// element open last, a block where a <p> is open (which the parser closes),
// a second <li> or heading inside another, nested links, and every element
// the parser treats in its own way (tables, forms, <pre>, foreign content,
// document-level tags). Options that look at nodes (Skip, Links, Pre,
// Quotes, Cells) are left to the tree, and so is markup the scanner does
// not read (see fragScanner).
func tokenParagraphs(s string, o Options) ([]string, bool) {
	// IndexByte twice, not ContainsAny, which looks at every byte in turn.
	if o.Skip != nil || o.Links || o.Pre || o.Quotes || o.Cells ||
		strings.IndexByte(s, '\r') >= 0 || strings.IndexByte(s, 0) >= 0 {
		return nil, false
	}
	// The text of a paragraph is at most about as long as s: one buffer.
	w := &writer{o: &o, buf: make([]byte, 0, len(s))}
	z := fragScanner{s: s}
	var open []openElement
	for {
		tok, data := z.next()
		switch tok {
		case fragEOF:
			w.endPara()
			return w.paras, true
		case fragText:
			w.text(html.UnescapeString(data))
		case fragComment:
			// A node of its own, between the text nodes around it.
		case fragStart:
			e := openElement{a: atom.Lookup([]byte(data))}
			if e.a == 0 {
				e.name = data
			}
			var ok bool
			if open, ok = start(w, &z, open, e); !ok {
				return nil, false
			}
		case fragEnd:
			a := atom.Lookup([]byte(data))
			if a == atom.Br {
				w.lineBreak() // </br> is read as <br>
				continue
			}
			n := len(open) - 1
			if n < 0 || open[n].a != a || a == 0 && open[n].name != data {
				return nil, false
			}
			open = open[:n]
			if blockTags[a] {
				w.endPara()
			}
		default:
			return nil, false
		}
	}
}

// openElement is an element open at the current token: its atom, or its
// name when it has none.
type openElement struct {
	a    atom.Atom
	name string
}

// start reads a start tag onto the writer and the open elements.
func start(w *writer, z *fragScanner, open []openElement, e openElement) ([]openElement, bool) {
	switch {
	case treeOnly[e.a] || len(open) >= maxTokenDepth:
		return nil, false
	case rawDrop[e.a]:
		// Its text is raw up to its end tag, and not read.
		return open, !z.selfClosing() && z.skipRaw(e.a.String())
	case e.a == atom.Br:
		w.lineBreak()
		return open, true
	case e.a == atom.Img:
		w.words(" ")
		return open, true
	case e.a == atom.Wbr:
		return open, true
	case e.a == atom.Hr:
		if isOpen(open, atom.P) {
			return nil, false
		}
		w.endPara()
		return open, true
	case blockTags[e.a]:
		if isOpen(open, atom.P) || e.a == atom.Li && listItemOpen(open) ||
			heading[e.a] && len(open) > 0 && heading[open[len(open)-1].a] {
			return nil, false
		}
		w.endPara()
	case e.a == atom.A && isOpen(open, atom.A):
		return nil, false
	}
	// A self-closing tag of an element that is not void is a start tag.
	return append(open, e), true
}

func isOpen(open []openElement, a atom.Atom) bool {
	for _, e := range open {
		if e.a == a {
			return true
		}
	}
	return false
}

// listItemOpen reports whether a new <li> would close an open one: one
// open with nothing between but inline elements, <address>, <div> or <p>.
func listItemOpen(open []openElement) bool {
	for i := len(open) - 1; i >= 0; i-- {
		switch a := open[i].a; {
		case a == atom.Li:
			return true
		case a == atom.Address || a == atom.Div || a == atom.P:
		case blockTags[a]:
			return false
		}
	}
	return false
}

var heading = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

// rawDrop are elements whose content the tokenizer reads as raw text, as
// the parser does, and the writer drops.
var rawDrop = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true, atom.Title: true,
}

// treeOnly are the elements the HTML parser treats in ways the tokens do
// not show: it moves, ignores, renames or implies them or what they hold,
// or reads their text differently. blockTags not listed here, the
// formatting elements and every other tag read the same from tokens.
var treeOnly = map[atom.Atom]bool{
	atom.Html: true, atom.Head: true, atom.Body: true, atom.Frameset: true, atom.Frame: true,
	atom.Base: true, atom.Basefont: true, atom.Bgsound: true, atom.Link: true, atom.Meta: true,
	atom.Template: true, atom.Noframes: true, atom.Noembed: true, atom.Plaintext: true, atom.Xmp: true,
	atom.Textarea: true, atom.Pre: true, atom.Listing: true, atom.Form: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Option: true, atom.Optgroup: true, atom.Keygen: true,
	atom.Center: true, atom.Dialog: true, atom.Dir: true, atom.Dl: true, atom.Dd: true, atom.Dt: true,
	atom.Hgroup: true, atom.Menu: true, atom.Search: true, atom.Nobr: true,
	atom.Applet: true, atom.Marquee: true, atom.Object: true, atom.Embed: true, atom.Param: true,
	atom.Source: true, atom.Track: true, atom.Area: true, atom.Image: true,
	atom.Table: true, atom.Caption: true, atom.Col: true, atom.Colgroup: true, atom.Tbody: true,
	atom.Thead: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Rb: true, atom.Rp: true, atom.Rt: true, atom.Rtc: true, atom.Math: true, atom.Svg: true,
}
