package feed

import (
	"bytes"
	"encoding/xml"
	"io"
)

// quickInner is inner for the two shapes that carry nearly all of a
// feed's bytes, text without markup and one CDATA section, each followed
// at once by the end tag: it finds the end itself and moves the decoder's
// input past it, instead of having the decoder copy the content byte by
// byte. It checks what the decoder would refuse there (a "]]>" in text, a
// character XML forbids: the C0 controls are refused for the whole
// document, and data is valid UTF-8); a character reference, which could
// decode to a forbidden character, leaves the element to the decoder.
func (r *rssReader) quickInner(t xml.StartElement) ([]byte, bool) {
	raw, end, ok := r.quickInnerEnd(t)
	if ok {
		r.moveTo(end)
	}
	return raw, ok
}

// quickInnerEnd is quickInner without moving the input: the content and
// where the end tag ends.
func (r *rssReader) quickInnerEnd(t xml.StartElement) (raw []byte, end int, ok bool) {
	from := r.src.pos
	// A byte the decoder read ahead, or the end tag "/>" implies, would be
	// lost.
	if from != r.offset() || from < 2 || r.data[from-2] == '/' {
		return nil, 0, false
	}
	rest := r.data[from:]
	var n int // the length of the content
	if bytes.HasPrefix(rest, cdataOpen) {
		end := bytes.Index(rest, cdataClose)
		if end < 0 || forbiddenChar(rest[len(cdataOpen):end]) {
			return nil, 0, false
		}
		n = end + len(cdataClose)
	} else {
		n = bytes.IndexByte(rest, '<')
		if n < 0 || bytes.Contains(rest[:n], cdataClose) || bytes.Contains(rest[:n], []byte("&#")) || forbiddenChar(rest[:n]) {
			return nil, 0, false
		}
	}
	tag := rest[n:]
	if !bytes.HasPrefix(tag, []byte("</")) {
		return nil, 0, false
	}
	tag = tag[2:]
	if t.Name.Space != "" {
		if !bytes.HasPrefix(tag, []byte(t.Name.Space)) || len(tag) <= len(t.Name.Space) || tag[len(t.Name.Space)] != ':' {
			return nil, 0, false
		}
		tag = tag[len(t.Name.Space)+1:]
	}
	if !bytes.HasPrefix(tag, []byte(t.Name.Local)) || len(tag) <= len(t.Name.Local) || tag[len(t.Name.Local)] != '>' {
		return nil, 0, false
	}
	return rest[:n], len(r.data) - len(tag) + len(t.Name.Local) + 1, true
}

var (
	cdataOpen  = []byte("<![CDATA[")
	cdataClose = []byte("]]>")
)

// forbiddenChar finds U+FFFE or U+FFFF, the characters outside XML's
// range that valid UTF-8 without C0 controls can still hold.
func forbiddenChar(b []byte) bool {
	return bytes.Contains(b, []byte("\xef\xbf\xbe")) || bytes.Contains(b, []byte("\xef\xbf\xbf"))
}

// byteReader is the decoder's input; quickInner moves it forward. The
// decoder reads an io.ByteReader a byte at a time, without a buffer of its
// own.
type byteReader struct {
	data []byte
	pos  int
}

func (b *byteReader) ReadByte() (byte, error) {
	if b.pos >= len(b.data) {
		return 0, io.EOF
	}
	b.pos++
	return b.data[b.pos-1], nil
}

func (b *byteReader) Read(p []byte) (int, error) {
	if b.pos >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.pos:])
	b.pos += n
	return n, nil
}
