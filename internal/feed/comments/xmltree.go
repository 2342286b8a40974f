package comments

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
)

// Namespaces, each with the prefix it conventionally goes by: a lenient
// decoder leaves an undeclared prefix as the namespace, and real feeds
// forget declarations.
var (
	atomNS    = []string{"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#", "atom", ""}
	rssNS     = []string{"", "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"}
	dcNS      = []string{"http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/", "dc", "dcterms"}
	contentNS = []string{"http://purl.org/rss/1.0/modules/content/", "content"}
	wfwNS     = []string{"http://wellformedweb.org/CommentAPI/", "wfw"}
	threadNS  = []string{"http://purl.org/syndication/thread/1.0", "thr"}
)

// maxXMLDepth bounds the element tree kept; deeper elements are read and
// dropped, so a hostile document cannot build an unbounded tree.
const maxXMLDepth = 256

// xnode is an element (name set) or a text node (name empty) of a small
// document tree that keeps mixed content in order.
type xnode struct {
	name xml.Name
	attr []xml.Attr
	kids []*xnode
	text string
}

// newXMLDecoder is lenient the way feeds and exports in the wild need: HTML
// entities, unclosed HTML tags, and any declared character set.
func newXMLDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// parseXML reads a document into a tree and returns its root element.
func parseXML(r io.Reader) (*xnode, error) {
	d := newXMLDecoder(r)
	doc := &xnode{name: xml.Name{Local: "#document"}}
	stack := []*xnode{doc}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name, attr: t.Attr}
			if len(stack) <= maxXMLDepth {
				top.kids = append(top.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top.kids = append(top.kids, &xnode{text: string(t)})
		}
	}
	for _, k := range doc.kids {
		if k.name.Local != "" {
			return k, nil
		}
	}
	return nil, fmt.Errorf("no root element")
}

func inSpace(space string, spaces []string) bool {
	for _, s := range spaces {
		if strings.EqualFold(space, s) {
			return true
		}
	}
	return false
}

// all returns the element children named local (any case) in one of spaces.
func (n *xnode) all(local string, spaces []string) []*xnode {
	var out []*xnode
	for _, k := range n.kids {
		if k.name.Local != "" && strings.EqualFold(k.name.Local, local) && inSpace(k.name.Space, spaces) {
			out = append(out, k)
		}
	}
	return out
}

// one returns the first element child named local in one of spaces, or nil.
func (n *xnode) one(local string, spaces []string) *xnode {
	for _, k := range n.kids {
		if k.name.Local != "" && strings.EqualFold(k.name.Local, local) && inSpace(k.name.Space, spaces) {
			return k
		}
	}
	return nil
}

// value returns the trimmed text of the first matching child, or "".
func (n *xnode) value(local string, spaces []string) string {
	if k := n.one(local, spaces); k != nil {
		return strings.TrimSpace(k.textContent())
	}
	return ""
}

func (n *xnode) textContent() string {
	if n == nil {
		return ""
	}
	if n.name.Local == "" {
		return n.text
	}
	var b strings.Builder
	n.writeText(&b)
	return b.String()
}

func (n *xnode) writeText(b *strings.Builder) {
	for _, k := range n.kids {
		if k.name.Local == "" {
			b.WriteString(k.text)
		} else {
			k.writeText(b)
		}
	}
}

func (n *xnode) attrValue(local string) string {
	for _, a := range n.attr {
		if strings.EqualFold(a.Name.Local, local) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// innerHTML serialises the children back to markup, for XHTML content.
func (n *xnode) innerHTML() string {
	var b strings.Builder
	for _, k := range n.kids {
		k.writeHTML(&b)
	}
	return b.String()
}

func (n *xnode) writeHTML(b *strings.Builder) {
	if n.name.Local == "" {
		b.WriteString(html.EscapeString(n.text))
		return
	}
	b.WriteString("<" + n.name.Local)
	for _, a := range n.attr {
		if a.Name.Space == "" {
			b.WriteString(" " + a.Name.Local + `="` + html.EscapeString(a.Value) + `"`)
		}
	}
	b.WriteString(">")
	for _, k := range n.kids {
		k.writeHTML(b)
	}
	b.WriteString("</" + n.name.Local + ">")
}

// base returns the xml:base in effect inside n, given the one outside it.
func (n *xnode) base(outer *url.URL) *url.URL {
	for _, a := range n.attr {
		if a.Name.Local == "base" && (a.Name.Space == "http://www.w3.org/XML/1998/namespace" || a.Name.Space == "xml") {
			if u, err := url.Parse(strings.TrimSpace(a.Value)); err == nil {
				if outer == nil {
					return u
				}
				return outer.ResolveReference(u)
			}
		}
	}
	return outer
}
