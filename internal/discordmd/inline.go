package discordmd

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inlineRule tries the inline rules at s[i:] in Discord's order of
// precedence and returns how much the one that matched consumed.
func (r *renderer) inlineRule(s string, i int) int {
	rest := s[i:]
	switch rest[0] {
	case '`':
		if n := r.codeBlock(rest); n > 0 {
			return n
		}
		return r.code(rest)
	case '\\':
		return r.escape(rest)
	case '<':
		if n := r.angle(rest); n > 0 {
			return n
		}
	case 'h':
		if i == 0 || !isWordByte(s[i-1]) {
			return r.bareURL(rest)
		}
	case '[':
		return r.maskedLink(rest)
	case '|':
		return r.span(rest, "||", `<span class="spoiler">`, "</span>")
	case '~':
		return r.span(rest, "~~", "<s>", "</s>")
	case '*':
		if n := r.span(rest, "**", "<strong>", "</strong>"); n > 0 {
			return n
		}
		return r.em(rest, '*')
	case '_':
		if n := r.span(rest, "__", "<u>", "</u>"); n > 0 {
			return n
		}
		if i == 0 || !isWordRune(lastRune(s[:i])) {
			return r.em(rest, '_')
		}
	}
	return 0
}

// escape: a backslash before punctuation prints the punctuation itself.
func (r *renderer) escape(s string) int {
	c, size := utf8.DecodeRuneInString(s[1:])
	if size == 0 || c == utf8.RuneError || unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsSpace(c) {
		return 0
	}
	r.b.WriteString(html.EscapeString(s[1 : 1+size]))
	return 1 + size
}

// codeBlock renders ```lang\ncode``` with everything inside literal.
func (r *renderer) codeBlock(s string) int {
	if !strings.HasPrefix(s, "```") {
		return 0
	}
	end := strings.Index(s[3:], "```")
	if end < 0 {
		return 0
	}
	body := s[3 : 3+end]
	if nl := strings.IndexByte(body, '\n'); nl > 0 && isLang(body[:nl]) {
		body = body[nl+1:]
	}
	body = strings.TrimPrefix(strings.TrimSuffix(body, "\n"), "\n")
	if strings.TrimSpace(body) == "" {
		return 0
	}
	r.b.WriteString("<pre><code>" + html.EscapeString(body) + "</code></pre>")
	n := 3 + end + 3
	if n < len(s) && s[n] == '\n' {
		n++ // the block ends its line
	}
	return n
}

func isLang(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_+-.#", c)) {
			return false
		}
	}
	return s != ""
}

// code renders inline code between one backtick or, around code that
// holds a backtick, two.
func (r *renderer) code(s string) int {
	ticks := len(s) - len(strings.TrimLeft(s, "`"))
	if ticks > 2 {
		return 0
	}
	fence := s[:ticks]
	for j := ticks; j < len(s); {
		k := strings.Index(s[j:], fence)
		if k < 0 {
			return 0
		}
		j += k
		run := len(s[j:]) - len(strings.TrimLeft(s[j:], "`"))
		if run == ticks && j > ticks {
			r.b.WriteString("<code>" + html.EscapeString(s[ticks:j]) + "</code>")
			return j + ticks
		}
		j += run
	}
	return 0
}

// span renders a pair of delim around non-empty text (bold, underline,
// strike-through, spoiler). The closing delim is the first one after the
// text that is not followed by the delim's character again, so ***x***
// is bold italics; backslash escapes never close.
func (r *renderer) span(s, delim, open, close string) int {
	// At the depth limit nothing can nest, so do not look for a close:
	// that search, repeated at every position, is what deep input costs.
	if !strings.HasPrefix(s, delim) || r.depth >= maxDepth {
		return 0
	}
	d := len(delim)
	for j := d + 1; j+d <= len(s); j++ {
		if s[j-1] == '\\' && !escapedBackslash(s[:j-1]) {
			continue
		}
		if s[j:j+d] == delim && (j+d == len(s) || s[j+d] != delim[0]) {
			if !r.nested(open, s[d:j], close, inline) {
				return 0
			}
			return j + d
		}
	}
	return 0
}

// escapedBackslash reports whether the backslash ending s is itself
// escaped (an odd number of backslashes before it).
func escapedBackslash(s string) bool {
	n := len(s) - len(strings.TrimRight(s, `\`))
	return n%2 == 1
}

// em renders *italics* or _italics_: the text starts and ends with a
// non-space; inside *…*, a ** pair (bold) does not close it; _…_ must
// not be followed by a letter, so snake_case_names stay as they are.
func (r *renderer) em(s string, c byte) int {
	if len(s) < 3 || isSpaceByte(s[1]) || s[1] == c || r.depth >= maxDepth {
		return 0
	}
	for j := 1; j < len(s); j++ {
		switch {
		case s[j] == '\\':
			j++
		case c == '*' && strings.HasPrefix(s[j:], "**"):
			j++
		case s[j] == c && !isSpaceByte(s[j-1]):
			if c == '_' && j+1 < len(s) && isWordRune(firstRune(s[j+1:])) {
				continue
			}
			if !r.nested("<em>", s[1:j], "</em>", inline) {
				return 0
			}
			return j + 1
		}
	}
	return 0
}

// angle renders what Discord writes in angle brackets: <https://…> (a
// link without a preview), <t:…> timestamps, mentions, custom emoji and
// command mentions.
func (r *renderer) angle(s string) int {
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return 0
	}
	inner := s[1:end]
	switch {
	case strings.HasPrefix(inner, "http://") || strings.HasPrefix(inner, "https://"):
		u, ok := safeURL(inner)
		if !ok || strings.ContainsAny(inner, " \n\t") {
			return 0
		}
		if r.links {
			r.link(u, html.EscapeString(inner))
		} else {
			r.b.WriteString(html.EscapeString(inner))
		}
	case strings.HasPrefix(inner, "t:"):
		if !r.timestamp(inner[2:]) {
			return 0
		}
	default:
		if !r.mention(inner) {
			return 0
		}
	}
	return end + 1
}

// mention renders <@id>, <@!id>, <@&id>, <#id>, <:name:id>, <a:name:id>
// and </name:id> as inert labels. The page fills in names it knows; none
// of them ever notifies anyone.
func (r *renderer) mention(inner string) bool {
	kind, id := "", ""
	switch {
	case strings.HasPrefix(inner, "@&"):
		kind, id = "role", inner[2:]
	case strings.HasPrefix(inner, "@!"):
		kind, id = "user", inner[2:]
	case strings.HasPrefix(inner, "@"):
		kind, id = "user", inner[1:]
	case strings.HasPrefix(inner, "#"):
		kind, id = "channel", inner[1:]
	case strings.HasPrefix(inner, ":") || strings.HasPrefix(inner, "a:"):
		parts := strings.Split(strings.TrimPrefix(inner, "a"), ":")
		if len(parts) != 3 || !isName(parts[1]) || !isID(parts[2]) {
			return false
		}
		r.b.WriteString(`<span class="emoji">:` + parts[1] + `:</span>`)
		return true
	case strings.HasPrefix(inner, "/"):
		name, cid, ok := strings.Cut(inner[1:], ":")
		if !ok || !isID(cid) || !isCommandName(name) {
			return false
		}
		r.b.WriteString(`<span class="mention command">/` + html.EscapeString(name) + `</span>`)
		return true
	}
	if !isID(id) {
		return false
	}
	label := map[string]string{"user": "@unknown-user", "role": "@unknown-role", "channel": "#unknown"}[kind]
	r.b.WriteString(`<span class="mention" data-` + kind + `="` + id + `">` + label + `</span>`)
	return true
}

// bareURL links an http(s) URL in running text; closing punctuation is
// left out, as Discord does.
func (r *renderer) bareURL(s string) int {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return 0
	}
	n := strings.IndexFunc(s, func(c rune) bool { return unicode.IsSpace(c) || c == '<' })
	if n < 0 {
		n = len(s)
	}
	for n > 0 && strings.IndexByte(`.,:;"')]`, s[n-1]) >= 0 {
		n--
	}
	u, ok := safeURL(s[:n])
	if !ok {
		return 0
	}
	if !r.links {
		return 0
	}
	r.link(u, html.EscapeString(s[:n]))
	return n
}

// maskedLink renders [text](url) and [text](<url>). The text may not
// hold another link; a URL that is not http(s) leaves it all as text.
func (r *renderer) maskedLink(s string) int {
	if !r.links {
		return 0
	}
	close := matchingBracket(s)
	if close < 0 || close+1 >= len(s) || s[close+1] != '(' {
		return 0
	}
	end := strings.IndexByte(s[close+2:], ')')
	if end < 0 {
		return 0
	}
	target := strings.TrimSpace(s[close+2 : close+2+end])
	target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
	text := s[1:close]
	u, ok := safeURL(target)
	if !ok || strings.TrimSpace(text) == "" || strings.ContainsAny(target, " \n\t") {
		return 0
	}
	if r.depth >= maxDepth {
		return 0
	}
	inner := renderer{depth: r.depth + 1} // links: false, as Discord nests none
	inner.parse(text, inline)
	r.link(u, inner.b.String())
	return close + 2 + end + 1
}

// matchingBracket finds the ] closing the [ at s[0], allowing one level
// of brackets inside, or -1.
func matchingBracket(s string) int {
	depth := 0
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			return -1
		case '[':
			depth++
			if depth > 2 {
				return -1
			}
		case ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// link writes an anchor; the address shows on hover, since a masked link
// may say one thing and go elsewhere.
func (r *renderer) link(u, text string) {
	a := html.EscapeString(u)
	r.b.WriteString(`<a href="` + a + `" title="` + a + `" target="_blank" rel="noopener noreferrer nofollow ugc">` + text + `</a>`)
}

// safeURL accepts absolute http(s) URLs with a host and returns them as
// written but for the scheme, which url.Parse reads in any case
// ("htTp://") and which the page writes in lower case, the one form every
// later check of an href expects.
func safeURL(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.Scheme + s[len(u.Scheme):], true
}

func isID(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c))) {
			return false
		}
	}
	return true
}

func isCommandName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c == ' ' || c == '-' || c == '_' || c == '\'' || unicode.IsLetter(c) || unicode.IsDigit(c)) {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isWordRune(c rune) bool { return c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c) }

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func firstRune(s string) rune {
	c, _ := utf8.DecodeRuneInString(s)
	return c
}

func lastRune(s string) rune {
	c, _ := utf8.DecodeLastRuneInString(s)
	return c
}
