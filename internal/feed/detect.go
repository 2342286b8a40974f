package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
)

// Kind is the format of a document.
type Kind string

const (
	KindAuto Kind = "auto" // decide with Detect
	KindRSS  Kind = "rss"  // RSS 0.9x, 1.0 (RDF) and 2.0
	KindAtom Kind = "atom" // Atom 0.3 and 1.0
	KindJSON Kind = "json" // JSON Feed 1.0 and 1.1
	KindPage Kind = "page" // anything else: an HTML page or a text dump
)

// sniffLimit bounds how much of a document Detect looks at: the root element
// or the JSON Feed version comes early in any real document.
const sniffLimit = 64 << 10

// Detect sniffs data: an XML root of rss or rdf:RDF is RSS, feed is Atom, a
// JSON object whose version names jsonfeed.org is JSON Feed, and everything
// else (HTML, plain text, other JSON) is a page.
func Detect(data []byte) Kind {
	data = trimLeading(data[:min(len(data), sniffLimit)])
	switch {
	case len(data) == 0:
		return KindPage
	case data[0] == '<':
		return detectXML(data)
	case data[0] == '{':
		if isJSONFeed(data) {
			return KindJSON
		}
	}
	return KindPage
}

// trimLeading drops byte order marks and whitespace.
func trimLeading(data []byte) []byte {
	for {
		n := len(data)
		data = bytes.TrimLeft(data, " \t\r\n")
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if len(data) == n {
			return data
		}
	}
}

func detectXML(data []byte) Kind {
	root, html := rootElement(data)
	switch strings.ToLower(root.Local) {
	case "rss", "rdf":
		if !html {
			return KindRSS
		}
	case "feed":
		if !html {
			return KindAtom
		}
	}
	return KindPage
}

// rootElement reads the document's first element, and whether an HTML
// doctype came before it. Feeds declare all sorts of encodings; the root
// name is ASCII in all of them that matter, so the bytes are read as they
// are. A document with no element in its first 256 tokens has none.
func rootElement(data []byte) (root xml.Name, htmlDoctype bool) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for range 256 {
		tok, err := dec.RawToken()
		if err != nil {
			return xml.Name{}, htmlDoctype
		}
		switch t := tok.(type) {
		case xml.Directive:
			if strings.HasPrefix(strings.ToLower(string(t)), "doctype html") {
				htmlDoctype = true
			}
		case xml.StartElement:
			return t.Name, htmlDoctype
		}
	}
	return xml.Name{}, htmlDoctype
}

// isJSONFeed reads the top-level object's keys looking for a version that
// names jsonfeed.org, without decoding the (possibly large) items.
func isJSONFeed(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key == "version" {
			var v string
			if err := dec.Decode(&v); err != nil {
				return false
			}
			return strings.Contains(strings.ToLower(v), "jsonfeed.org")
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}
