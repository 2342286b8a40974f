package revision

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// chromeLines are whole paragraphs that belong to the page, not the story.
var chromeLines = map[string]bool{
	"advertisement": true, "advertisements": true, "sponsored": true,
	"sponsored content": true, "skip advertisement": true,
	"story continues below advertisement":   true,
	"article continues below advertisement": true,
	"continue reading below":                true, "continue reading": true,
	"continue reading the main story": true,
	"read more":                       true, "read more »": true, "read more >>": true,
	"read full story": true, "read full story >>": true, "read full story »": true,
	"read the full story": true, "read the full article": true,
	"comments": true, "no comments": true, "join the conversation": true,
	"view comments": true, "show comments": true, "leave a comment": true,
	"related": true, "related articles": true, "related stories": true,
	"most popular": true, "recommended": true, "subscribe": true,
	"sign up": true, "log in": true, "sign in": true,
}

var chromePatterns = []*regexp.Regexp{
	// "12 comments", "1,204 Comments", "3.2K comments", "Comments (12)", "View 12 comments"
	regexp.MustCompile(`(?i)^(?:view |show |see |read )?(?:all )?[\d.,]+\s*k?\s+(?:comments?|replies|responses)$`),
	regexp.MustCompile(`(?i)^(?:comments?|replies|discussion)\s*[(\[]?\s*[\d.,]+\s*k?\s*[)\]]?$`),
	// "Read Full Story >>" and its cousins with any arrow
	regexp.MustCompile(`(?i)^(?:read|see|view|continue reading)(?:\s+the)?(?:\s+(?:full|whole|entire))?(?:\s+(?:story|article|post))?\s*(?:>+|»|→|…|\.\.\.)$`),
	regexp.MustCompile(`(?i)^(?:\d+\s*)?(?:min(?:ute)?s?|m) read$`),
}

// shareWords are the words of a share bar: "Share Tweet Email", "Share on
// Facebook", "Share this article".
var shareWords = map[string]bool{
	"share": true, "shares": true, "shared": true, "on": true, "this": true,
	"article": true, "story": true, "via": true, "tweet": true, "email": true,
	"e": true, "mail": true, "facebook": true, "twitter": true, "x": true,
	"linkedin": true, "reddit": true, "whatsapp": true, "pinterest": true,
	"print": true, "copy": true, "link": true, "flipboard": true, "messenger": true,
	"telegram": true, "bluesky": true, "threads": true, "mastodon": true, "sms": true,
	"save": true, "comment": true, "the": true,
}

// Chrome is a short line ("Advertisement", "Share Tweet Email", "1,204
// comments"): at most maxChromeLen bytes and maxChromeWords words, the
// longest share bar. Checking that first spares real paragraphs the
// patterns.
const (
	maxChromeLen   = 160
	maxChromeWords = 10
)

func isChrome(p string) bool {
	if len(p) > maxChromeLen || strings.Count(p, " ") >= maxChromeWords+2 {
		return false
	}
	l := strings.ToLower(strings.Trim(p, " :|-–—•·"))
	if l == "" || chromeLines[l] {
		return true
	}
	for _, re := range chromePatterns {
		if re.MatchString(l) {
			return true
		}
	}
	return isShareBar(l)
}

// isShareBar reports a short line made only of share-bar words that names
// at least one of them (so "on the" alone is not chrome).
func isShareBar(l string) bool {
	ws := words(l)
	if len(ws) == 0 || len(ws) > 10 {
		return false
	}
	named := false
	for _, w := range ws {
		if !shareWords[w] && !isCount(w) {
			return false
		}
		switch w {
		case "share", "tweet", "email", "facebook", "twitter", "linkedin", "reddit",
			"whatsapp", "pinterest", "print", "flipboard":
			named = true
		}
	}
	return named
}

func isCount(w string) bool {
	return strings.Trim(w, "0123456789.k") == ""
}

var urlInText = regexp.MustCompile(`https?://[^\s<>"'()\[\]]+`)

// stripTracking removes tracking parameters from links quoted in the text,
// leaving the rest of each link as written.
func stripTracking(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, func(link string) string {
		// A link ending a sentence keeps its full stop outside.
		trimmed := strings.TrimRight(link, ".,;:!?")
		tail := link[len(trimmed):]
		return stripLinkTracking(trimmed) + tail
	})
}

func stripLinkTracking(link string) string {
	base, query, ok := strings.Cut(link, "?")
	if !ok {
		return link
	}
	query, frag, hasFrag := strings.Cut(query, "#")
	var keep []string
	for _, piece := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(piece, "=")
		if piece != "" && !IsTrackingParam(unescapeQuery(k)) {
			keep = append(keep, piece)
		}
	}
	out := base
	if len(keep) > 0 {
		out += "?" + strings.Join(keep, "&")
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// normalizePara is one paragraph as compared, or "" when it is not content.
func normalizePara(p string) string {
	p = cleanText(p)
	if isChrome(p) {
		return ""
	}
	return stripTracking(p)
}

// Normalize returns the paragraphs of a text as they are compared: white
// space collapsed, typographic quotes folded, tracking parameters stripped
// from links, and empty paragraphs and page chrome ("Advertisement", "Read
// Full Story >>", "12 comments", share bars) dropped.
func Normalize(paras []string) []string {
	var out []string // nil when nothing is content, as callers test
	for _, p := range paras {
		if n := normalizePara(p); n != "" {
			if out == nil {
				out = make([]string, 0, len(paras))
			}
			out = append(out, n)
		}
	}
	return out
}

// normalizeIndexed is Normalize that also says which input paragraph each
// output paragraph came from.
func normalizeIndexed(paras []string) (out []string, from []int) {
	for i, p := range paras {
		if n := normalizePara(p); n != "" {
			out = append(out, n)
			from = append(from, i)
		}
	}
	return out, from
}

// NormalizeTitle is a headline as hashed: white space collapsed and quotes
// folded, every word and marker kept.
func NormalizeTitle(title string) string {
	return cleanText(title)
}

// Hash identifies a version of a story's content: hex SHA-256 of the
// normalised title (markers kept) and the normalised paragraphs.
func Hash(title string, paras []string) string {
	return HashNormalized(title, Normalize(paras))
}

// HashNormalized is Hash of paragraphs already normalised (by Normalize),
// for callers that need the normalised text anyway.
func HashNormalized(title string, norm []string) string {
	// One buffer, sized for the longest piece, carries every piece to the
	// hash: converting each paragraph to []byte copied it into an
	// allocation of its own.
	title = NormalizeTitle(title)
	size := len(title)
	for _, p := range norm {
		size = max(size, 1+len(p))
	}
	buf := make([]byte, 0, size)
	h := sha256.New()
	h.Write(append(buf, title...))
	for _, p := range norm {
		buf = append(buf[:0], 0) // cleanText removes control characters, so 0 cannot occur inside
		h.Write(append(buf, p...))
	}
	var sum [sha256.Size]byte
	var digits [2 * sha256.Size]byte
	hex.Encode(digits[:], h.Sum(sum[:0]))
	return string(digits[:])
}
