package render

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Ellipsis marks text that was cut.
const Ellipsis = "…"

// Trim shortens s to at most max characters (as Len counts them). It cuts
// at the last sentence end that keeps at least half the room, else at a word
// boundary, and appends marker (Ellipsis when empty) so a reader sees text
// is missing. Bidi controls are dropped (see stripBidi).
func Trim(s string, max int, marker string) string {
	s = stripBidi(s)
	if Len(s) <= max {
		return s
	}
	if marker == "" {
		marker = Ellipsis
	}
	room := max - Len(marker)
	if room <= 0 {
		return prefix(marker, max)
	}
	head := prefix(s, room)
	if cut := lastSentenceEnd(head); cut > 0 && Len(head[:cut]) >= room/2 {
		// The marker goes after a space here, which room did not count: a
		// sentence ending at the very edge falls through to the cuts below.
		out := strings.TrimRightFunc(head[:cut], unicode.IsSpace) + " " + strings.TrimSpace(marker)
		if Len(out) <= max {
			return out
		}
	}
	if cut := strings.LastIndexFunc(head, unicode.IsSpace); cut > 0 && Len(head[:cut]) >= room/2 {
		head = head[:cut]
	}
	return strings.TrimRightFunc(head, unicode.IsSpace) + marker
}

// prefix returns the longest prefix of s whose Len is at most n.
func prefix(s string, n int) string {
	used := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if used+w > n {
			return s[:i]
		}
		used += w
	}
	return s
}

// lastSentenceEnd returns the byte offset just past the last sentence end
// in s ('.', '!' or '?', possibly followed by closing quotes or brackets,
// then a space), or 0 when there is none.
func lastSentenceEnd(s string) int {
	best := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != '!' && s[i] != '?' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.ContainsRune(`"')]`, rune(s[j])) {
			j++
		}
		if j == len(s) || s[j] == ' ' || s[j] == '\n' {
			best = j
		}
	}
	return best
}

// Escape makes s print literally in Discord: markdown characters are
// backslash-escaped, mass mentions are broken with a zero-width space, and
// line starts that Discord reads as headings, lists or quotes are escaped,
// and bidi controls are dropped. URLs are left alone so they still link.
func Escape(s string) string {
	lines := strings.Split(stripBidi(s), "\n")
	for i, line := range lines {
		lines[i] = escapeLine(line)
	}
	return strings.Join(lines, "\n")
}

func escapeLine(line string) string {
	var b strings.Builder
	b.Grow(len(line) + 8)
	trimmed := strings.TrimLeft(line, " ")
	b.WriteString(line[:len(line)-len(trimmed)])
	if startsBlock(trimmed) {
		// Escape the marker itself once; the loop below must not escape it again.
		i := strings.IndexFunc(trimmed, func(r rune) bool { return r < '0' || r > '9' })
		b.WriteString(trimmed[:i])
		b.WriteByte('\\')
		b.WriteByte(trimmed[i])
		trimmed = trimmed[i+1:]
	}
	for len(trimmed) > 0 {
		if n := urlLen(trimmed); n > 0 {
			b.WriteString(trimmed[:n])
			trimmed = trimmed[n:]
			continue
		}
		c := trimmed[0]
		switch {
		case strings.IndexByte("\\*_~`|[]<>", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '@' && (strings.HasPrefix(trimmed, "@everyone") || strings.HasPrefix(trimmed, "@here")):
			b.WriteString("@\u200b")
		default:
			b.WriteByte(c)
		}
		trimmed = trimmed[1:]
	}
	return b.String()
}

// startsBlock reports whether Discord would read the line as a heading,
// a list item, a block quote or subtext.
func startsBlock(line string) bool {
	switch {
	case strings.HasPrefix(line, "#"), strings.HasPrefix(line, ">"),
		strings.HasPrefix(line, "- "), strings.HasPrefix(line, "* "), strings.HasPrefix(line, "+ "),
		strings.HasPrefix(line, "-#"):
		return true
	}
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i < len(line)-1 && line[i] == '.' && line[i+1] == ' '
}

// urlLen returns the length of an http(s) URL at the start of s, or 0.
func urlLen(s string) int {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return 0
	}
	n := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '<' || r == '>' })
	if n < 0 {
		n = len(s)
	}
	// A sentence's closing punctuation is not part of the link.
	for n > 0 && strings.IndexByte(".,;:!?)'\"", s[n-1]) >= 0 {
		n--
	}
	return n
}

// Quote renders s as a Discord block quote: every line, blank ones included,
// starts with "> ", so nothing in s can end the quote early or smuggle in
// markdown of its own.
func Quote(s string) string {
	lines := strings.Split(Escape(strings.TrimRight(s, "\n")), "\n")
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			lines[i] = ">"
			continue
		}
		lines[i] = "> " + line
	}
	return strings.Join(lines, "\n")
}

// Timestamp is a Discord timestamp, which every reader sees in their own
// time zone and language: style 'R' is relative ("3 days ago"), 'f' a
// date and time. The zero time gives "".
func Timestamp(t time.Time, style byte) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("<t:%d:%c>", t.Unix(), style)
}
