package feed

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// Limits on an XML document's shape, checked in one cheap pass before the
// document reaches gofeed, whose tree of a hostile document (hundreds of
// thousands of nested elements) costs 100 times its size in memory. Real
// feeds are a few levels deep and a few thousand elements, and declare
// their encoding once.
const (
	maxXMLDepth    = 64
	maxXMLElements = 200_000
)

// checkShape refuses XML nested or populated beyond any real feed. It
// reports only shape: syntax errors are left for the parser, which names
// them better.
func checkShape(data []byte) error {
	s := shapeScan{maxDepth: maxXMLDepth, maxElements: maxXMLElements}
	return s.check(data)
}

// shapeScan counts elements the way encoding/xml's RawToken returns them
// (a start tag opens one, an end tag closes one, "/>" both), reading the
// bytes gofeed's decoder reads: without the C0 control bytes gofeed drops,
// and after an <?xml … encoding=…?> in the encoding it names. It is a byte
// scanner, not a tokenizer: it finds where each piece of markup ends
// (comments, CDATA, processing instructions, directives, quoted attribute
// values) and nothing more. The counts are an upper bound on gofeed's tree,
// whose decoder closes at least one element per end tag.
//
// It stops, accepting, where that decoder stops with a syntax error in
// markup, as gofeed stops there too; it reads on through what that decoder
// refuses in text (a stray "]]>", a character XML forbids), which only
// counts more.
type shapeScan struct {
	maxDepth, maxElements int

	data            []byte
	pos             int // next byte to read
	lines           int // newlines in the data before a change of encoding
	depth, elements int
	recoded         bool // the encoding changed once already
}

func (s *shapeScan) check(data []byte) error {
	s.data, s.pos = dropControls(data), 0
	for {
		i := bytes.IndexByte(s.data[s.pos:], '<')
		if i < 0 {
			return nil
		}
		s.pos += i + 1
		if more, err := s.markup(); err != nil || !more {
			return err
		}
	}
}

// markup reads the markup after a '<' and reports whether the decoder
// reads on after it.
func (s *shapeScan) markup() (more bool, err error) {
	b, ok := s.next()
	switch {
	case !ok:
		return false, nil
	case b == '/':
		if !s.name() {
			return false, nil
		}
		s.space()
		if b, ok := s.next(); !ok || b != '>' {
			return false, nil
		}
		s.depth--
		return true, nil
	case b == '?':
		return s.procInst()
	case b == '!':
		return s.bang(), nil
	}
	s.pos--
	return s.startTag()
}

func (s *shapeScan) startTag() (more bool, err error) {
	if !s.name() {
		return false, nil
	}
	empty := false
	for {
		s.space()
		b, ok := s.next()
		if !ok {
			return false, nil
		}
		if b == '/' {
			if b, ok := s.next(); !ok || b != '>' {
				return false, nil
			}
			empty = true
			break
		}
		if b == '>' {
			break
		}
		s.pos--
		if !s.attr() {
			return false, nil
		}
	}
	s.depth++
	s.elements++
	if s.depth > s.maxDepth {
		return false, fmt.Errorf("parse feed: elements nested more than %d deep (line %d): not a feed", s.maxDepth, s.line())
	}
	if s.elements > s.maxElements {
		return false, fmt.Errorf("parse feed: more than %d elements: too large for a feed", s.maxElements)
	}
	if empty {
		s.depth--
	}
	return true, nil
}

// attr reads one attribute: a name, and a value unless the name stands
// alone (which the decoder, not being strict, allows).
func (s *shapeScan) attr() bool {
	if !s.name() {
		return false
	}
	s.space()
	b, ok := s.next()
	if !ok {
		return false
	}
	if b != '=' {
		s.pos--
		return true
	}
	s.space()
	if b, ok = s.next(); !ok {
		return false
	}
	if b == '"' || b == '\'' {
		// A quoted value ends at its quote; a '<' before it is an error.
		for {
			c, ok := s.next()
			switch {
			case !ok || c == '<':
				return false
			case c == b:
				return true
			}
		}
	}
	// Unquoted, as HTML 4 allowed: letters, digits and _:- (maybe none).
	s.pos--
	for {
		b, ok := s.next()
		if !ok {
			return false
		}
		if !isUnquotedByte(b) {
			s.pos--
			return true
		}
	}
}

// bang reads what follows "<!": a comment, a CDATA section or a
// directive such as a DOCTYPE.
func (s *shapeScan) bang() (more bool) {
	rest := s.data[s.pos:]
	switch {
	case bytes.HasPrefix(rest, []byte("--")):
		// The first "--" ends the comment, and must be followed by '>'.
		i := bytes.Index(rest[2:], []byte("--"))
		if i < 0 || 2+i+2 >= len(rest) || rest[2+i+2] != '>' {
			return false
		}
		s.pos += 2 + i + 3
		return true
	case bytes.HasPrefix(rest, []byte("[CDATA[")):
		i := bytes.Index(rest[7:], []byte("]]>"))
		if i < 0 {
			return false
		}
		s.pos += 7 + i + 3
		return true
	case len(rest) > 0 && (rest[0] == '-' || rest[0] == '['):
		return false
	}
	return s.directive()
}

// directive reads a directive up to the '>' that closes it, as the decoder
// does: '<' and '>' nest, except inside quotes, and comments inside it end
// at the first "-->".
func (s *shapeScan) directive() bool {
	var quote byte
	depth := 0
	if _, ok := s.next(); !ok {
		return false
	}
	for {
		b, ok := s.next()
		if !ok {
			return false
		}
		if quote == 0 && b == '>' && depth == 0 {
			return true
		}
	handle:
		switch {
		case b == quote:
			quote = 0
		case quote != 0:
		case b == '\'' || b == '"':
			quote = b
		case b == '>':
			depth--
		case b == '<':
			for i := range 3 {
				if b, ok = s.next(); !ok {
					return false
				}
				if b != "!--"[i] {
					depth++
					goto handle
				}
			}
			i := bytes.Index(s.data[s.pos:], []byte("-->"))
			if i < 0 {
				return false
			}
			s.pos += i + 3
		}
	}
}

// procInst reads a processing instruction. The XML declaration may name
// an encoding: the decoder reads the rest of the document through it, and
// so does the scan, once.
func (s *shapeScan) procInst() (more bool, err error) {
	start := s.pos
	if !s.name() {
		return false, nil
	}
	target := s.data[start:s.pos]
	s.space()
	i := bytes.Index(s.data[s.pos:], []byte("?>"))
	if i < 0 {
		return false, nil
	}
	content := string(s.data[s.pos : s.pos+i])
	s.pos += i + 2
	if string(target) != "xml" {
		return true, nil
	}
	if v := procInstParam("version", content); v != "" && v != "1.0" {
		return false, nil
	}
	enc := procInstParam("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return true, nil
	}
	if s.recoded {
		return false, fmt.Errorf("parse feed: a second XML declaration changes the encoding again (line %d): not a feed", s.line())
	}
	r, err := charset.NewReaderLabel(enc, bytes.NewReader(s.data[s.pos:]))
	if err != nil {
		return false, nil // the parser names the unknown encoding
	}
	// A decoding error ends the document there, for the decoder too.
	rest, _ := io.ReadAll(r)
	s.lines += bytes.Count(s.data[:s.pos], []byte("\n"))
	s.data, s.pos, s.recoded = rest, 0, true
	return true, nil
}

// procInstParam is encoding/xml's reading of a pseudo-attribute of the
// XML declaration, which a document must be read the same way by.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

func (s *shapeScan) next() (byte, bool) {
	if s.pos >= len(s.data) {
		return 0, false
	}
	s.pos++
	return s.data[s.pos-1], true
}

// name reads an XML name as the decoder delimits it: name bytes and any
// byte past ASCII. The decoder then checks the characters; the scan
// doesn't, which can only make it read further.
func (s *shapeScan) name() bool {
	if s.pos >= len(s.data) || !isNameByte(s.data[s.pos]) {
		return false
	}
	for s.pos++; s.pos < len(s.data); s.pos++ {
		if !isNameByte(s.data[s.pos]) {
			return true
		}
	}
	return false // the decoder needs a byte after a name
}

func (s *shapeScan) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\r', '\n', '\t':
			s.pos++
		default:
			return
		}
	}
}

// line is the line the scan has reached, counted as the decoder counts.
func (s *shapeScan) line() int {
	return 1 + s.lines + bytes.Count(s.data[:s.pos], []byte("\n"))
}

// isNameByte reports whether the decoder reads b as part of a name.
func isNameByte(b byte) bool {
	return b >= 0x80 || 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' ||
		'0' <= b && b <= '9' || b == '_' || b == ':' || b == '.' || b == '-'
}

func isUnquotedByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		b == '_' || b == ':' || b == '-'
}

// dropControls removes the C0 control bytes XML forbids (all but tab, LF
// and CR), as gofeed does before its decoder reads a byte. data is
// returned as it is when it has none.
func dropControls(data []byte) []byte {
	i := indexForbiddenControl(data)
	if i < 0 {
		return data
	}
	out := append(make([]byte, 0, len(data)), data[:i]...)
	for _, b := range data[i:] {
		if !isForbiddenControl(b) {
			out = append(out, b)
		}
	}
	return out
}

// indexForbiddenControl is the index of the first C0 control byte XML
// forbids in data, or -1. Every feed is searched twice (by the shape check
// and the RSS fast path), so it looks at eight bytes at a time: a word
// none of whose bytes is below 0x20, as nearly all of a document's are, is
// passed over without looking at each byte.
func indexForbiddenControl(data []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(data); i += 8 {
		// Non-zero when a byte is below 0x20: subtracting borrows into
		// the high bit of the lowest such byte, which ^x keeps since
		// the byte is ASCII. Other bytes may be flagged too; the loop
		// below decides.
		if x := binary.LittleEndian.Uint64(data[i:]); (x-0x20*ones)&^x&highs == 0 {
			continue
		}
		for j, b := range data[i : i+8] {
			if isForbiddenControl(b) {
				return i + j
			}
		}
	}
	for j, b := range data[i:] {
		if isForbiddenControl(b) {
			return i + j
		}
	}
	return -1
}

func isForbiddenControl(b byte) bool {
	return b < 0x20 && b != '\t' && b != '\n' && b != '\r'
}
