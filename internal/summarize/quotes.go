package summarize

import (
	"slices"
	"strings"
	"unicode"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// quoteMarks are what a quoted line may be wrapped in or start with.
const quoteMarks = `>"“”'‘’ `

// quoteFinder tells the sentences a comment repeats from the comment it
// answers — "> you said" lines and quoted words — so that they are never
// offered as the replier's point: the words are someone else's.
type quoteFinder struct {
	byIndex  map[int]int // comment Index → position in the thread
	comments []news.Comment
	norm     map[int]string // normalised bodies of the parents compared, padded with spaces
	parent   int            // position of the current comment's parent; -1 for none
}

func newQuoteFinder(cs []news.Comment) *quoteFinder {
	q := &quoteFinder{comments: cs, parent: -1}
	if slices.ContainsFunc(cs, func(c news.Comment) bool { return c.ReplyTo > 0 }) {
		q.byIndex = make(map[int]int, len(cs))
		for i, c := range cs {
			q.byIndex[c.Index] = i
		}
	}
	return q
}

// reset points the finder at the comment whose sentences come next.
func (q *quoteFinder) reset(c news.Comment) {
	q.parent = -1
	if p, ok := q.byIndex[c.ReplyTo]; ok && c.ReplyTo > 0 {
		q.parent = p
	}
}

// quoted reports whether sentence s of the current comment is a quote:
// a "> " line, or three or more words found as they stand in the parent,
// with or without quotation marks around them.
func (q *quoteFinder) quoted(s string) bool {
	if strings.HasPrefix(s, ">") {
		return true
	}
	if q.parent < 0 {
		return false
	}
	// Most sentences are the replier's own: its longest word missing from
	// the parent settles that without normalising either text.
	body := q.comments[q.parent].Body
	if !strings.Contains(body, longestWord(s)) {
		return false
	}
	n := normalizeForCues(strings.Trim(s, quoteMarks))
	if strings.Count(n, " ") < 2 {
		return false
	}
	parent, ok := q.norm[q.parent]
	if !ok {
		if q.norm == nil {
			q.norm = make(map[int]string)
		}
		parent = " " + normalizeForCues(body) + " "
		q.norm[q.parent] = parent
	}
	return strings.Contains(parent, " "+n+" ")
}

// longestWord returns the longest run of letters and digits in s.
func longestWord(s string) string {
	best, start := "", -1
	for i, r := range s + " " {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > len(best) {
			best = s[start:i]
		}
		start = -1
	}
	return best
}
