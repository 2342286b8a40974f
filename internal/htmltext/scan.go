package htmltext

import "strings"

// fragScanner splits an HTML fragment into the tokens golang.org/x/net/html's
// tokenizer finds in it, for the markup feeds carry: text, start and end
// tags (whatever their attributes) and comments. Anything it does not read
// as that tokenizer would is fragOther: a doctype, CDATA, a processing
// instruction or other bogus comment, "</>" and the like, and a tag or
// comment cut off by the end of the input. It allocates nothing.
type fragScanner struct {
	s   string
	pos int
}

type fragToken int

const (
	fragEOF fragToken = iota
	fragText
	fragStart
	fragEnd
	fragComment
	fragOther
)

// next returns the next token and its data: the raw (still escaped) text
// of a text token, the lower-cased name of a tag.
func (z *fragScanner) next() (fragToken, string) {
	if z.pos >= len(z.s) {
		return fragEOF, ""
	}
	if start := z.pos; z.s[start] != '<' || !z.markupAt(start) {
		// Text runs to the next '<' that starts markup; any other '<' is
		// text.
		z.pos++
		for {
			i := strings.IndexByte(z.s[z.pos:], '<')
			if i < 0 {
				z.pos = len(z.s)
				break
			}
			z.pos += i
			if z.markupAt(z.pos) {
				break
			}
			z.pos++
		}
		return fragText, z.s[start:z.pos]
	}
	z.pos++ // '<'
	c := z.s[z.pos]
	switch {
	case isLetter(c):
		return z.tag(fragStart)
	case c == '/':
		z.pos++
		if z.pos < len(z.s) && isLetter(z.s[z.pos]) {
			return z.tag(fragEnd)
		}
	case strings.HasPrefix(z.s[z.pos:], "!--"):
		z.pos += 3
		if z.comment() {
			return fragComment, ""
		}
	}
	return fragOther, ""
}

// markupAt reports whether the '<' at i starts a tag, a comment or some
// other markup, rather than being text.
func (z *fragScanner) markupAt(i int) bool {
	if i+1 >= len(z.s) {
		return false
	}
	c := z.s[i+1]
	return isLetter(c) || c == '/' || c == '!' || c == '?'
}

// tag reads a tag from its name to its closing '>', its attributes as the
// tokenizer reads them (a quoted value may hold a '>').
func (z *fragScanner) tag(t fragToken) (fragToken, string) {
	start := z.pos
	for z.pos < len(z.s) && !isSpace(z.s[z.pos]) && z.s[z.pos] != '/' && z.s[z.pos] != '>' {
		z.pos++
	}
	name := lowerASCII(z.s[start:z.pos])
	for {
		z.skipSpace()
		c, ok := z.byte()
		if !ok {
			return fragOther, "" // cut off: the tokenizer drops it
		}
		if c == '>' {
			return t, name
		}
		z.pos--
		if !z.attr() {
			return fragOther, ""
		}
	}
}

// attr reads an attribute's key and value, as readTagAttrKey and
// readTagAttrVal do.
func (z *fragScanner) attr() bool {
	keyStart := z.pos
	for {
		c, ok := z.byte()
		if !ok {
			return false
		}
		if c == '=' && z.pos-1 == keyStart {
			continue // a leading '=' is part of the name
		}
		if c == '=' || isSpace(c) || c == '/' || c == '>' {
			z.pos--
			break
		}
	}
	z.skipSpace()
	c, ok := z.byte()
	switch {
	case !ok:
		return false
	case c == '/':
		return true
	case c != '=':
		z.pos--
		return true
	}
	z.skipSpace()
	q, ok := z.byte()
	switch {
	case !ok:
		return false
	case q == '>':
		z.pos--
		return true
	case q == '"' || q == '\'':
		i := strings.IndexByte(z.s[z.pos:], q)
		if i < 0 {
			return false
		}
		z.pos += i + 1
		return true
	}
	for {
		c, ok := z.byte()
		switch {
		case !ok:
			return false
		case isSpace(c):
			return true
		case c == '>':
			z.pos--
			return true
		}
	}
}

// selfClosing reports whether the tag just read ends in "/>" (or might:
// an unquoted value ending in '/' looks the same, and is taken as it).
func (z *fragScanner) selfClosing() bool {
	return z.pos >= 2 && z.s[z.pos-2] == '/'
}

// comment reads a comment after its "<!--", as readComment does, and
// reports false when the input ends inside it.
func (z *fragScanner) comment() bool {
	dashes, beginning := 0, true
	for {
		c, ok := z.byte()
		if !ok {
			return false
		}
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return true
			}
		case '!':
			if dashes >= 2 {
				if c, ok = z.byte(); !ok {
					return false
				}
				if c == '>' {
					return true
				}
				if c == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
}

// skipRaw skips the raw text of the element name (lower case) and its end
// tag, as the tokenizer reads raw text: to the first "</name" followed by
// a space, '/' or '>', in any case. It reports false for a script that
// holds "<!--", whose end the tokenizer finds by other rules.
func (z *fragScanner) skipRaw(name string) bool {
	for i := z.pos; ; {
		j := strings.Index(z.s[i:], "</")
		if j < 0 {
			z.pos = len(z.s)
			return name != "script" || !strings.Contains(z.s[z.pos:], "<!--")
		}
		i += j + 2
		end := i + len(name)
		if end < len(z.s) && lowerASCII(z.s[i:end]) == name && (isSpace(z.s[end]) || z.s[end] == '/' || z.s[end] == '>') {
			if name == "script" && strings.Contains(z.s[z.pos:i], "<!--") {
				return false
			}
			z.pos = i
			if t, _ := z.tag(fragEnd); t != fragEnd {
				z.pos = len(z.s) // cut off: the end of the input ends it
			}
			return true
		}
	}
}

func (z *fragScanner) byte() (byte, bool) {
	if z.pos >= len(z.s) {
		return 0, false
	}
	z.pos++
	return z.s[z.pos-1], true
}

func (z *fragScanner) skipSpace() {
	for z.pos < len(z.s) && isSpace(z.s[z.pos]) {
		z.pos++
	}
}

// isSpace is the tokenizer's whitespace, which is HTML's.
func isSpace(c byte) bool { return IsHTMLSpace(rune(c)) }

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// lowerASCII lower-cases s's ASCII letters, byte by byte as the tokenizer
// does tag names, copying only when it must.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
