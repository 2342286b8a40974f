package feed

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

const (
	rdfNS    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	atom10NS = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
)

// hints is what gofeed drops but an article needs: the rdf:about of each
// RSS 1.0 item (its identity in RDF, often the only id an RSS 1.0 feed
// has) and the declared type of Atom titles (type="text", the default,
// means brackets are text, not markup).
type hints struct {
	feedTitleType string
	entries       []entryHint // in document order
}

type entryHint struct {
	about     string
	titleType string
}

// scanHints makes one quick pass over an RDF or Atom document, skipping
// entry bodies. It returns what it found before any error; callers use the
// entries only when their count matches gofeed's.
func scanHints(data []byte) hints {
	var h hints
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	root, depth := "", 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return h
		}
		switch t := tok.(type) {
		case xml.EndElement:
			depth--
		case xml.StartElement:
			depth++
			if depth == 1 {
				root = t.Name.Local
				if root != "RDF" && root != "feed" {
					return h
				}
				continue
			}
			if h.take(root, depth, t) {
				if dec.Skip() != nil {
					return h
				}
				depth--
			}
		}
	}
}

// take records what element t says and reports whether its content can be
// skipped.
func (h *hints) take(root string, depth int, t xml.StartElement) bool {
	name := t.Name.Local
	if root == "RDF" {
		if name != "item" {
			return false
		}
		h.entries = append(h.entries, entryHint{about: attr(t, "about", rdfNS)})
		return true
	}
	if !isAtom(t.Name.Space) {
		return depth > 2
	}
	switch {
	case depth == 2 && name == "entry":
		h.entries = append(h.entries, entryHint{})
		return false
	case depth == 2 && name == "title":
		h.feedTitleType = attr(t, "type", "")
	case depth == 3 && name == "title" && len(h.entries) > 0:
		h.entries[len(h.entries)-1].titleType = attr(t, "type", "")
	}
	return depth > 1
}

func isAtom(space string) bool {
	return space == atom10NS || space == atom03NS || space == ""
}

func attr(t xml.StartElement, name, space string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && (a.Name.Space == space || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

// plainType reports whether an Atom text construct's type says plain text:
// "text" (Atom 1.0, and the default), "text/plain" (Atom 0.3).
func plainType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "" || t == "text" || t == "text/plain"
}
