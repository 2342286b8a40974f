package feed

import (
	"bytes"
	"encoding/xml"
)

// quickTag is the decoder's RawToken for the tags between an element's
// children, which, with quickInner, is all a plain feed is made of: after
// nothing but whitespace (the text children ignores), a start tag of
// ASCII names with quoted attribute values, or an end tag. The decoder
// allocated a token, an interface and each name's strings for every tag,
// a fifth of the fast path's time. quickTag moves the decoder's input
// past the tag, as quickInner does past content, and reports ok=false,
// having read nothing, for anything else: a self-closing tag (the decoder
// then owes an end tag), a character or entity reference, a name the
// decoder could read differently, or input it has read ahead.
func (r *rssReader) quickTag() (t xml.StartElement, end, ok bool) {
	from := r.src.pos
	if from != r.offset() || from >= 2 && r.data[from-2] == '/' && r.data[from-1] == '>' {
		return t, false, false
	}
	p := skipXMLSpace(r.data, from)
	if p+1 >= len(r.data) || r.data[p] != '<' {
		return t, false, false
	}
	if r.data[p+1] == '/' {
		t.Name, p, ok = r.quickName(p + 2)
		if p = skipXMLSpace(r.data, p); !ok || p >= len(r.data) || r.data[p] != '>' {
			return t, false, false
		}
		r.moveTo(p + 1)
		return t, true, true
	}
	if t.Name, p, ok = r.quickName(p + 1); !ok {
		return t, false, false
	}
	for {
		p = skipXMLSpace(r.data, p)
		if p >= len(r.data) || r.data[p] == '/' {
			return t, false, false
		}
		if r.data[p] == '>' {
			r.moveTo(p + 1)
			return t, false, true
		}
		var a xml.Attr
		if a, p, ok = r.quickAttr(p); !ok {
			return t, false, false
		}
		t.Attr = append(t.Attr, a)
	}
}

// quickAttr reads name="value" at p, where the value holds no reference,
// '<' (an error), carriage return (which the decoder rewrites) or
// character XML forbids.
func (r *rssReader) quickAttr(p int) (a xml.Attr, next int, ok bool) {
	if a.Name, p, ok = r.quickName(p); !ok {
		return a, p, false
	}
	if p = skipXMLSpace(r.data, p); p >= len(r.data) || r.data[p] != '=' {
		return a, p, false // a name without a value, read as its own value
	}
	if p = skipXMLSpace(r.data, p+1); p >= len(r.data) || r.data[p] != '"' && r.data[p] != '\'' {
		return a, p, false
	}
	n := bytes.IndexByte(r.data[p+1:], r.data[p])
	if n < 0 {
		return a, p, false
	}
	value := r.data[p+1 : p+1+n]
	if bytes.IndexAny(value, "<&\r") >= 0 || forbiddenChar(value) {
		return a, p, false
	}
	a.Value = string(value)
	return a, p + 1 + n + 1, true
}

// quickName reads an XML name at p as the decoder's nsname does, for a
// name of ASCII characters followed by another byte; it returns where the
// name ends.
func (r *rssReader) quickName(p int) (name xml.Name, next int, ok bool) {
	start := p
	for p < len(r.data) && r.data[p] < 0x80 && isNameByte(r.data[p]) {
		p++
	}
	if p == start || p >= len(r.data) || r.data[p] >= 0x80 {
		return name, p, false // none, cut off, or going on past ASCII
	}
	if c := r.data[start]; '0' <= c && c <= '9' || c == '.' || c == '-' {
		return name, p, false // not a name's first character: an error
	}
	s := r.data[start:p]
	switch i := bytes.IndexByte(s, ':'); {
	case bytes.Count(s, []byte(":")) > 1:
		return name, p, false // an error to the decoder
	case i <= 0 || i == len(s)-1:
		name.Local = r.intern(s)
	default:
		name.Space, name.Local = r.intern(s[:i]), r.intern(s[i+1:])
	}
	return name, p, true
}

// intern returns b as a string, one string for each distinct name: a feed
// repeats a few dozen names thousands of times.
func (r *rssReader) intern(b []byte) string {
	if s, ok := r.names[string(b)]; ok {
		return s
	}
	if r.names == nil {
		r.names = map[string]string{}
	}
	s := string(b)
	r.names[s] = s
	return s
}

// moveTo moves the decoder's input to end, past what quickTag or
// quickInner read in its stead.
func (r *rssReader) moveTo(end int) {
	r.skipped += end - r.src.pos
	r.src.pos = end
}

// skipXMLSpace is where the whitespace the decoder skips at p ends.
func skipXMLSpace(data []byte, p int) int {
	for p < len(data) && (data[p] == ' ' || data[p] == '\t' || data[p] == '\n' || data[p] == '\r') {
		p++
	}
	return p
}
