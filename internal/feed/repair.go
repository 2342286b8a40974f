package feed

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// xmlEncoding reads the encoding an XML declaration names.
var xmlEncoding = regexp.MustCompile(`^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']`)

// repairUTF8 replaces the invalid UTF-8 in an XML document that is (or
// says it is) UTF-8 with U+FFFD. Go's XML decoder refuses a whole
// document for one bad byte, and a feed whose CMS mangled one character
// of one title would otherwise post nothing at all. A document declaring
// another encoding is left to the charset decoder. note says what was
// done, once for the document; "" when nothing was.
func repairUTF8(data []byte) (out []byte, note string) {
	if utf8.Valid(data) {
		return data, ""
	}
	head := trimLeading(data[:min(len(data), 512)])
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		if enc := strings.ToLower(string(m[1])); enc != "utf-8" && enc != "utf8" {
			return data, ""
		}
	}
	bad, first := 0, -1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
			if first < 0 {
				first = i
			}
		}
		i += size
	}
	line := 1 + bytes.Count(data[:first], []byte("\n"))
	noun := "byte"
	if bad > 1 {
		noun = "bytes"
	}
	return bytes.ToValidUTF8(data, []byte("\uFFFD")),
		fmt.Sprintf("%d invalid UTF-8 %s replaced with U+FFFD (the first on line %d); the rest of the feed is intact", bad, noun, line)
}
