package feed

import (
	"bytes"
	"encoding/xml"
	"html"
	"strings"
	"time"
)

// How gofeed v1.4.2 reads the values of an RSS item's elements, for the
// fast path (rssfast.go); its own functions are internal to it.

// permalinkAttr is gofeed's reading of a guid's isPermaLink: the
// attribute (with no namespace if there is one), else its lower-case
// spelling, else "true".
func permalinkAttr(attrs []xml.Attr) string {
	for _, name := range []string{"isPermaLink", "isPermalink"} {
		v, found := "", false
		for _, a := range attrs {
			if a.Name.Local != name {
				continue
			}
			if a.Name.Space == "" {
				v, found = a.Value, true
				break
			}
			if !found {
				v, found = a.Value, true
			}
		}
		if v != "" {
			return v
		}
	}
	return "true"
}

// rssDate reads a pubDate as gofeed's date parser does, for the two forms
// RSS 2.0 feeds use (RFC 1123 with a numeric zone, or GMT), which no
// layout gofeed tries before them can match. Any other date is refused.
func rssDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC1123Z, s)
	if err != nil {
		check(strings.HasSuffix(s, " GMT"))
		t, err = time.Parse(time.RFC1123, s)
		check(err == nil)
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	t = t.UTC()
	return &t
}

// rssText is gofeed's shared.ParseText after its decoding of the element:
// the inner XML trimmed, then CDATA sections unwrapped and the text around
// them entity-decoded (internal to gofeed, so repeated here). It reads the
// bytes in place and copies each piece once: the CDATA of content:encoded
// holds most of a feed's bytes.
func rssText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if !bytes.Contains(raw, cdataOpen) {
		return decodeEntities(string(raw))
	}
	if len(raw) >= len(cdataOpen)+len(cdataClose) && bytes.HasPrefix(raw, cdataOpen) &&
		bytes.Index(raw, cdataClose) == len(raw)-len(cdataClose) {
		return string(raw[len(cdataOpen) : len(raw)-len(cdataClose)]) // one section, and nothing else
	}
	return stripCDATA(raw)
}

// stripCDATA is gofeed v1.4.2's shared.StripCDATA.
func stripCDATA(str []byte) string {
	var b strings.Builder
	b.Grow(len(str))
	for curr := 0; curr < len(str); {
		i := bytes.Index(str[curr:], cdataOpen)
		if i < 0 {
			writeDecoded(&b, str[curr:])
			break
		}
		i += curr
		writeDecoded(&b, str[curr:i])
		j := bytes.Index(str[i+len(cdataOpen):], cdataClose)
		if j < 0 {
			writeDecoded(&b, str[i:])
			break
		}
		j += i + len(cdataOpen)
		b.Write(str[i+len(cdataOpen) : j])
		curr = j + len(cdataClose)
	}
	return b.String()
}

// writeDecoded writes decodeEntities(text) to b.
func writeDecoded(b *strings.Builder, text []byte) {
	if bytes.IndexByte(text, '&') < 0 {
		b.Write(text)
		return
	}
	b.WriteString(decodeEntities(string(text)))
}

// decodeEntities is gofeed v1.4.2's shared.DecodeEntities: HTML entities
// that end in ';' within 64 bytes and hold no space are decoded; any other
// '&' is text.
func decodeEntities(str string) string {
	if strings.IndexByte(str, '&') < 0 {
		return str
	}
	const maxEntityLen = 64
	var b strings.Builder
	data := str
	for len(data) > 0 {
		i := strings.IndexByte(data, '&')
		if i < 0 {
			b.WriteString(data)
			break
		}
		b.WriteString(data[:i])
		data = data[i:]
		window := data[:min(len(data), maxEntityLen)]
		end := strings.IndexByte(window, ';')
		if end < 0 && len(window) == len(data) {
			b.WriteString(data)
			break
		}
		if end < 0 || strings.ContainsAny(data[1:end], " \t\r\n") {
			b.WriteByte('&')
			data = data[1:]
			continue
		}
		span := data[:end+1]
		dec := html.UnescapeString(span)
		if dec == html.UnescapeString(span[:len(span)-1])+";" {
			b.WriteByte('&')
			data = data[1:]
			continue
		}
		b.WriteString(dec)
		data = data[end+1:]
	}
	return b.String()
}
