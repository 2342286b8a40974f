package summarize

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Phrases that mark a reply as pushing back on the comment it answers:
// openers count only at the start of the reply, anywhere cues count
// wherever they appear.
var (
	pushbackOpeners = []string{"no", "nope", "nah", "but", "wrong", "actually", "not really",
		"not true", "false", "nonsense", "incorrect", "that's not", "that isn't", "that is not",
		"um", "uh", "says who", "except", "not quite", "not at all", "bullshit", "bs", "lol no"}
	pushbackAnywhere = []string{"i disagree", "disagree", "you're wrong", "you are wrong",
		"that's wrong", "that is wrong", "not true", "what are you talking about",
		"doesn't make sense", "makes no sense", "you're missing", "you are missing",
		"that's not how", "that's not what", "not the case", "i don't think so", "you're confusing"}
)

// paddedAnywhere is pushbackAnywhere with a space either side, to match
// whole words only.
var paddedAnywhere = func() []string {
	out := make([]string, len(pushbackAnywhere))
	for i, p := range pushbackAnywhere {
		out[i] = " " + p + " "
	}
	return out
}()

// disagreements finds reply chains where two people push back on each
// other: a reply whose words signal disagreement (or that answers with a
// question), or a back-and-forth of three turns or more. The longest and
// sharpest come first, at most n of them, no two sharing a reply.
func disagreements(cs []news.Comment, n int) []Exchange {
	parent := parents(cs)
	// continued[i]: some reply to i carries on the same two-person chain,
	// so the chain ending at i is only the start of a longer one.
	continued := make([]bool, len(cs))
	for i, p := range parent {
		if p >= 0 && parent[p] >= 0 && sameAuthor(cs[i], cs[parent[p]]) && !sameAuthor(cs[i], cs[p]) {
			continued[p] = true
		}
	}
	var found []Exchange
	for i, p := range parent {
		if p < 0 || continued[i] || authorKey(cs[i].Author) == "" || authorKey(cs[p].Author) == "" ||
			sameAuthor(cs[i], cs[p]) {
			continue
		}
		chain := []int{i, p}
		for j := p; parent[j] >= 0 && sameAuthor(cs[parent[j]], cs[chain[len(chain)-2]]); j = parent[j] {
			chain = append(chain, parent[j])
		}
		slices.Reverse(chain)
		if e, ok := exchange(cs, chain); ok {
			found = append(found, e)
		}
	}
	slices.SortStableFunc(found, func(a, b Exchange) int {
		if len(a.Turns) != len(b.Turns) {
			return len(b.Turns) - len(a.Turns)
		}
		if (a.Cue == "") != (b.Cue == "") {
			if a.Cue != "" {
				return -1
			}
			return 1
		}
		return a.Turns[0].Index - b.Turns[0].Index
	})
	var out []Exchange
	used := map[int]bool{}
	for _, e := range found {
		if len(out) == n {
			break
		}
		if used[e.Turns[1].Index] {
			continue // a shorter view of an argument already shown
		}
		for _, t := range e.Turns[1:] {
			used[t.Index] = true
		}
		for i := range e.Turns {
			e.Turns[i].Text = turnText(e.Turns[i].Text)
		}
		out = append(out, e)
	}
	return out
}

func sameAuthor(a, b news.Comment) bool { return authorKey(a.Author) == authorKey(b.Author) }

// parents maps each comment to the position of the comment it replies to,
// or -1. Only earlier comments count as parents, so hostile reply links
// cannot form a cycle.
func parents(cs []news.Comment) []int {
	pos := make(map[int]int, len(cs))
	for i, c := range cs {
		pos[c.Index] = i
	}
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = -1
		if p, ok := pos[c.ReplyTo]; ok && c.ReplyTo != 0 && p < i {
			out[i] = p
		}
	}
	return out
}

// exchange builds the Exchange for a chain of positions, if it qualifies.
func exchange(cs []news.Comment, chain []int) (Exchange, bool) {
	e := Exchange{People: [2]string{cs[chain[0]].Author, cs[chain[1]].Author}}
	for k, i := range chain {
		c := cs[i]
		if k > 0 && e.Cue == "" {
			e.Cue = pushbackCue(c.Body)
		}
		// Text holds the whole body until the exchange is chosen and cut.
		e.Turns = append(e.Turns, Point{Text: c.Body, Author: c.Author, Index: c.Index})
	}
	return e, len(chain) >= 3 || e.Cue != ""
}

// cueWindow is how many bytes of a reply are searched for pushback.
const cueWindow = 400

// turnText is the opening of a comment, cut to a glance.
func turnText(body string) string {
	spans := sentenceSpans(stripQuotes(body))
	if len(spans) == 0 {
		return ""
	}
	rest := stripQuotes(body)
	return trimWords(rest[spans[0].start:], turnWords)
}

// stripQuotes drops the leading "> quoted" lines a reply often starts
// with, so the reply's own words are what get read.
func stripQuotes(body string) string {
	rest := body
	for {
		t := strings.TrimLeftFunc(rest, unicode.IsSpace)
		if !strings.HasPrefix(t, ">") {
			return rest
		}
		nl := strings.IndexByte(t, '\n')
		if nl < 0 {
			return ""
		}
		rest = t[nl+1:]
	}
}

// pushbackCue returns the words that mark a reply as disagreeing, "?" for
// a reply that opens with a question back, or "".
func pushbackCue(body string) string {
	own := stripQuotes(body)
	if len(own) > cueWindow {
		own = own[:cueWindow] // pushback comes first; a long essay is not scanned whole
	}
	norm := normalizeForCues(own)
	for _, p := range pushbackOpeners {
		if hasWordPrefix(norm, p) {
			return p
		}
	}
	padded := " " + norm + " "
	for i, p := range paddedAnywhere {
		if strings.Contains(padded, p) {
			return pushbackAnywhere[i]
		}
	}
	if firstMark(own) == '?' {
		return "?"
	}
	return ""
}

// firstMark returns the punctuation that ends the first sentence of text
// ('.', '!', '?' or '…'), or 0 when none does. It is a cheap stand-in for
// Sentences, good enough to tell a reply that opens with a question.
func firstMark(text string) rune {
	start := -1
	for i, r := range text + " " {
		if !unicode.IsSpace(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start < 0 {
			continue
		}
		_, punct := splitTerminal(text[start:i])
		if marks := strings.TrimRight(punct, closers); marks != "" {
			last, _ := utf8.DecodeLastRuneInString(marks)
			return last
		}
		start = -1
	}
	return 0
}

// normalizeForCues lower-cases text, straightens apostrophes and reduces
// everything but letters, digits and apostrophes to single spaces.
func normalizeForCues(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '’' || r == '\'':
			b.WriteRune('\'')
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

func hasWordPrefix(norm, phrase string) bool {
	return norm == phrase || strings.HasPrefix(norm, phrase+" ")
}
