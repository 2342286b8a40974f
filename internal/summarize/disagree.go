package summarize

import (
	"cmp"
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

// disagreements finds reply chains where two people contradict each
// other: some reply in the chain disputes the comment it answers, as its
// content shows (see stance) — a back-and-forth of questions and answers,
// or of thanks, is no disagreement however long. The chains with the most
// disputed turns come first, then the longest, at most n of them, no two
// sharing a reply. Deleted comments take no part. cs are the comments the
// corpus was built from.
func (c *corpus) disagreements(cs []news.Comment, n int) []Exchange {
	parent := c.conversation(cs)
	stances := map[int]stance{}
	stanceOf := func(i int) stance {
		st, ok := stances[i]
		if !ok {
			st = c.stance(parent[i], i)
			stances[i] = st
		}
		return st
	}
	all := disputedChains(cs, parent, stanceOf)
	slices.SortStableFunc(all, func(a, b chain) int {
		return cmp.Or(b.disputes-a.disputes, len(b.turns)-len(a.turns), a.turns[0]-b.turns[0])
	})
	var out []Exchange
	used := map[int]bool{}
	for _, ch := range all {
		if len(out) == n {
			break
		}
		if used[ch.turns[1]] {
			continue // a shorter view of an argument already shown
		}
		for _, k := range ch.turns[1:] {
			used[k] = true
		}
		out = append(out, c.exchange(cs, ch.turns, stanceOf))
	}
	return out
}

// chain is a two-person reply chain: the positions of its turns, oldest
// first, and how many of its replies dispute what they answer.
type chain struct {
	turns    []int
	disputes int
}

// disputedChains returns every longest two-person reply chain with at
// least one disputed reply.
func disputedChains(cs []news.Comment, parent []int, stanceOf func(int) stance) []chain {
	// continued[i]: some reply to i carries on the same two-person chain,
	// so the chain ending at i is only the start of a longer one.
	continued := make([]bool, len(cs))
	for i, p := range parent {
		if p >= 0 && parent[p] >= 0 && sameAuthor(cs[i], cs[parent[p]]) && !sameAuthor(cs[i], cs[p]) {
			continued[p] = true
		}
	}
	var out []chain
	for i, p := range parent {
		if p < 0 || continued[i] || authorKey(cs[i].Author) == "" || authorKey(cs[p].Author) == "" ||
			sameAuthor(cs[i], cs[p]) {
			continue
		}
		turns := []int{i, p}
		for j := p; parent[j] >= 0 && sameAuthor(cs[parent[j]], cs[turns[len(turns)-2]]); j = parent[j] {
			turns = append(turns, parent[j])
		}
		slices.Reverse(turns)
		d := 0
		for _, k := range turns[1:] {
			if stanceOf(k).disputes() {
				d++
			}
		}
		if d > 0 {
			out = append(out, chain{turns, d})
		}
	}
	return out
}

func sameAuthor(a, b news.Comment) bool { return authorKey(a.Author) == authorKey(b.Author) }

// parents maps each comment to the position of the comment it replies to,
// or -1. Only earlier comments count as parents, so hostile reply links
// cannot form a cycle, and deleted comments neither reply nor are replied
// to: what is left of them is no one's argument.
func parents(cs []news.Comment) []int {
	pos := make(map[int]int, len(cs))
	for i, c := range cs {
		pos[c.Index] = i
	}
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = -1
		if p, ok := pos[c.ReplyTo]; ok && c.ReplyTo != 0 && p < i && !c.Deleted && !cs[p].Deleted {
			out[i] = p
		}
	}
	return out
}

// turnGap is how many comments may stand between a reply and its
// author's answer for the answer to count as one by turn-taking.
const turnGap = 3

// conversation is parents with the turns a flat page leaves implicit:
// when B answers A and A's next comment soon follows, with no reply link
// of its own, A is answering B if the comment takes up B's words or opens
// by conceding or thanking ("Fair point on the fund, … Still think the
// buses matter more").
func (c *corpus) conversation(cs []news.Comment) []int {
	out := parents(cs)
	for i, p := range out {
		if p < 0 || sameAuthor(cs[i], cs[p]) || authorKey(cs[p].Author) == "" {
			continue
		}
		for j := i + 1; j < len(cs) && j <= i+turnGap; j++ {
			if !sameAuthor(cs[j], cs[p]) {
				continue
			}
			if out[j] < 0 && !cs[j].Deleted && c.answers(i, j) {
				out[j] = i
			}
			break // only A's next comment can be the answer
		}
	}
	return out
}

// answers reports whether comment j reads as an answer to comment i: its
// first sentence opens by agreeing or conceding, or takes up i's subject.
func (c *corpus) answers(i, j int) bool {
	own := c.own(j)
	if len(own) == 0 {
		return false
	}
	return c.agreement(own[0]) || c.sharesAny(c.units[c.starts[i]:c.starts[i+1]], &c.units[own[0]])
}

// exchange builds the Exchange for a chain of positions. Each reply is
// shown by the sentence that carries its stance; the first turn, which
// answers nothing, by the sentence the second takes up, or its opening.
func (c *corpus) exchange(cs []news.Comment, chain []int, stanceOf func(int) stance) Exchange {
	e := Exchange{People: [2]string{cs[chain[0]].Author, cs[chain[1]].Author}}
	for k, i := range chain {
		claim := -1
		if k > 0 {
			claim = stanceOf(i).claim
			if e.Cue == "" {
				e.Cue = pushbackCue(cs[i].Body)
			}
		} else if next := stanceOf(chain[1]).claim; next >= 0 {
			claim = c.takenUp(i, &c.units[next])
		}
		if claim < 0 {
			claim = c.opening(i)
		}
		text := turnText(cs[i].Body)
		if claim >= 0 {
			u := &c.units[claim]
			text = u.opening(trimWords(u.text(), turnWords))
		}
		e.Turns = append(e.Turns, Point{Text: text, Author: cs[i].Author, Index: cs[i].Index})
	}
	return e
}

// opening returns comment i's first sentence that is a point in itself,
// or -1.
func (c *corpus) opening(i int) int {
	for k := c.starts[i]; k < c.starts[i+1]; k++ {
		if u := &c.units[k]; !u.quoted && worthy(u) {
			return k
		}
	}
	return -1
}

// takenUp returns the unit of comment i that shares most subjects with
// claim, or -1 when none shares any.
func (c *corpus) takenUp(i int, claim *unit) int {
	best, most := -1, 0
	for k := c.starts[i]; k < c.starts[i+1]; k++ {
		if n := c.shared(&c.units[k], claim); n > most {
			best, most = k, n
		}
	}
	return best
}

// cueWindow is how many bytes of a reply are searched for pushback, and
// openerWindow how many for an opener (the longest is "that is not").
const (
	cueWindow    = 400
	openerWindow = 24
)

// cueKeys are words one of which every phrase of pushbackAnywhere holds,
// lower case.
var cueKeys = []string{"disagree", "wrong", "talking", "sense", "missing", "not", "don", "confus"}

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
	// The openers are short: the start of the reply settles them.
	start := normalizeForCues(own[:min(len(own), openerWindow)])
	for _, p := range pushbackOpeners {
		if hasWordPrefix(start, p) {
			return p
		}
	}
	// Most replies hold none of the words the phrases need; only those
	// that do are normalised whole.
	lower := strings.ToLower(own)
	if slices.ContainsFunc(cueKeys, func(k string) bool { return strings.Contains(lower, k) }) {
		padded := " " + normalizeForCues(own) + " "
		for i, p := range paddedAnywhere {
			if strings.Contains(padded, p) {
				return pushbackAnywhere[i]
			}
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
