package feed

import (
	"bytes"
	"fmt"
	"html"
	"mime"
	"strings"
	"unicode"
)

// NotFeedError is a document fetched from a feed's URL that is not a
// feed. Most often it is a login, challenge or error page a site answers
// with 200 - whatever its Content-Type says - and posting it as a story
// would put that page in front of every channel.
type NotFeedError struct {
	Got         string // what the document is: `an HTML page titled "Sign in"`, "plain text", …
	ContentType string // the media type it was served as; "" when none
}

func (e *NotFeedError) Error() string {
	s := "not a feed: got " + e.Got
	if e.ContentType != "" {
		s += " (served as " + e.ContentType + ")"
	}
	return s + "; nothing from it is posted (if this URL is one article page, set kind: page)"
}

// KindOf decides how to read a document fetched for a feed configured
// with kind (empty means auto). Only `kind: page` takes a page; for every
// other kind the document itself must be an RSS, Atom or JSON feed, which
// its content decides, never its Content-Type label. Anything else is a
// *NotFeedError, refused before any parser sees it.
func KindOf(kind Kind, body []byte, contentType string) (Kind, error) {
	if kind == KindPage {
		return KindPage, nil
	}
	if got := Detect(body); got != KindPage {
		return got, nil
	}
	return "", &NotFeedError{Got: describe(body), ContentType: mediaType(contentType)}
}

// describe says in a few words what a document that is not a feed is, for
// an admin reading why their feed posted nothing.
func describe(data []byte) string {
	head := trimLeading(data[:min(len(data), sniffLimit)])
	switch {
	case len(head) == 0:
		return "an empty document"
	case head[0] == '{' || head[0] == '[':
		return "JSON without a jsonfeed.org version"
	case head[0] == '<':
		return describeMarkup(head)
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	return fmt.Sprintf("plain text beginning %q", clipText(string(line), 60))
}

func describeMarkup(head []byte) string {
	// ASCII only: bytes.ToLower turns each invalid byte into a 3-byte
	// U+FFFD, and htmlTitle cuts head where it found the tags in lower.
	lower := make([]byte, len(head))
	for i, c := range head {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html")) ||
		bytes.Contains(lower, []byte("<body")) || bytes.Contains(lower, []byte("<head")) {
		if t := htmlTitle(head, lower); t != "" {
			return fmt.Sprintf("an HTML page titled %q", t)
		}
		return "an HTML page"
	}
	if root, _ := rootElement(head); root.Local != "" {
		name := root.Local
		if root.Space != "" {
			name = root.Space + ":" + name
		}
		return fmt.Sprintf("an XML document whose root is <%s>", clipText(name, 40))
	}
	return "markup that is neither a feed nor an HTML page"
}

// htmlTitle returns the text of the page's <title>, unescaped, on one
// line and cut short, or "".
func htmlTitle(head, lower []byte) string {
	i := bytes.Index(lower, []byte("<title"))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(lower[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	end := bytes.Index(lower[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	return clipText(html.UnescapeString(string(head[start:start+end])), 80)
}

// clipText collapses whitespace, drops control and format characters (a
// hostile page's title goes into logs and channel notices) and cuts s to
// at most n runes.
func clipText(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// mediaType is the media type of a Content-Type header without its
// parameters, or the header cut short when it does not parse.
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return clipText(ct, 60)
}
