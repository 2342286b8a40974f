package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// measures holds per-element text counts, taken in one walk of the tree so
// that scoring a page costs time in proportion to its size, not its size
// times its depth (hostile pages nest hundreds of elements deep).
type measures struct {
	text  map[*html.Node]int  // length of the element's text, whitespace collapsed
	links map[*html.Node]int  // length of that text inside <a> elements
	paras map[*html.Node]int  // length of that text inside <p> elements
	block map[*html.Node]bool // a block element is inside
}

func measure(root *html.Node) *measures {
	m := &measures{
		text:  map[*html.Node]int{},
		links: map[*html.Node]int{},
		paras: map[*html.Node]int{},
		block: map[*html.Node]bool{},
	}
	m.walk(root, false, false)
	return m
}

// walk measures n and returns its text, link-text and paragraph-text
// lengths and whether it is or holds a block element.
func (m *measures) walk(n *html.Node, inLink, inPara bool) (text, links, paras int, block bool) {
	switch n.Type {
	case html.TextNode:
		l := collapsedLen(n.Data)
		if inLink {
			links = l
		}
		if inPara {
			paras = l
		}
		return l, links, paras, false
	case html.ElementNode:
		if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
			return 0, 0, 0, false
		}
		inLink = inLink || n.DataAtom == atom.A
		inPara = inPara || n.DataAtom == atom.P
	}
	inside := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l, p, b := m.walk(c, inLink, inPara)
		text, links, paras = text+t, links+l, paras+p
		inside = inside || b
	}
	if n.Type == html.ElementNode {
		m.text[n], m.links[n], m.paras[n], m.block[n] = text, links, paras, inside
	}
	return text, links, paras, inside || isBlock(n)
}

// collapsedLen is len(strings.Join(strings.Fields(s), " ")), without
// building the string.
func collapsedLen(s string) int {
	n, words := 0, 0
	for f := range strings.FieldsSeq(s) {
		n += len(f)
		words++
	}
	if words > 1 {
		n += words - 1
	}
	return n
}

// linkDensity is the share of n's text that is link text.
func (m *measures) linkDensity(n *html.Node) float64 {
	if m.text[n] == 0 {
		return 0
	}
	return min(1, float64(m.links[n])/float64(m.text[n]))
}

// hasBlock reports whether n has a block element inside it.
func (m *measures) hasBlock(n *html.Node) bool {
	if b, ok := m.block[n]; ok {
		return b
	}
	return false
}

// elements calls f for n and every element under it, in document order.
func elements(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		elements(c, f)
	}
}
