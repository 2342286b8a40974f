// Package opml reads and writes OPML subscription lists, the format feed
// readers import and export feed lists in (OPML 2.0, http://opml.org/spec2.opml).
package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Feed is one subscription of a list.
type Feed struct {
	Title   string // the outline's title, else its text
	XMLURL  string // the feed's address
	HTMLURL string // the site's, when given
	Group   string // the enclosing outlines' texts, outermost first, joined by " / "
}

// MaxSize bounds a list read: a few thousand feeds are a few hundred
// kilobytes, and anything far larger is the wrong file.
const MaxSize = 8 << 20

type document struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    head     `xml:"head"`
	Body    body     `xml:"body"`
}

type body struct {
	Outlines []outline `xml:"outline"`
}

type head struct {
	Title       string `xml:"title,omitempty"`
	DateCreated string `xml:"dateCreated,omitempty"`
	Docs        string `xml:"docs,omitempty"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Children []outline `xml:"outline"`
}

// maxDepth bounds outline nesting: real lists nest a folder or two.
const maxDepth = 32

// Parse reads a subscription list: every outline with an xmlUrl, at any
// depth, in document order. Outlines without one (folders, links) only
// name the group of those inside them. Any encoding XML declares is read.
func Parse(r io.Reader) ([]Feed, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read OPML: %w", err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("OPML is over %d MiB; is this a subscription list?", MaxSize>>20)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	var doc document
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("OPML is not well-formed XML (line %d): %s", se.Line, se.Msg)
		}
		return nil, fmt.Errorf("not an OPML document: %w", err)
	}
	var out []Feed
	if err := collect(doc.Body.Outlines, nil, 0, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func collect(outlines []outline, group []string, depth int, out *[]Feed) error {
	if depth > maxDepth {
		return fmt.Errorf("OPML outlines nest deeper than %d levels", maxDepth)
	}
	for _, o := range outlines {
		title := strings.TrimSpace(firstNonEmpty(o.Title, o.Text))
		if u := strings.TrimSpace(o.XMLURL); u != "" {
			*out = append(*out, Feed{Title: title, XMLURL: u, HTMLURL: strings.TrimSpace(o.HTMLURL), Group: strings.Join(group, " / ")})
		}
		if len(o.Children) > 0 {
			if err := collect(o.Children, append(group[:len(group):len(group)], title), depth+1, out); err != nil {
				return err
			}
		}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Write writes feeds as an OPML 2.0 subscription list titled title, one
// flat outline of type rss per feed.
func Write(w io.Writer, title string, created time.Time, feeds []Feed) error {
	doc := document{Version: "2.0", Head: head{Title: title, DateCreated: created.UTC().Format(time.RFC1123Z),
		Docs: "http://opml.org/spec2.opml"}}
	for _, f := range feeds {
		doc.Body.Outlines = append(doc.Body.Outlines, outline{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.XMLURL, HTMLURL: f.HTMLURL})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
