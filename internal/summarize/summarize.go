// Package summarize condenses a story's comment thread: which points people
// made, who made them, where they disagreed and who talked most.
//
// The extractive engine is the default and the fallback: it quotes real
// sentences from the thread, each attributed to the person who wrote it,
// and gives the same summary for the same thread every time. An optional
// abstractive engine asks an OpenAI-compatible chat-completions endpoint
// for prose and falls back to the extracts whenever that fails.
package summarize

import (
	"strings"
	"unicode"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Thread is what gets summarized: a title, the opening post or question
// (may be empty) and the comments in page order.
type Thread struct {
	Title    string
	Question string
	Author   string // who wrote Question, if known
	Comments []news.Comment
}

// Point is one extract: text from the thread, verbatim but for a "…"
// where it was cut at a word boundary or starts after the sentence's
// opening filler or lead-in ("Honestly, the fund is broke" → "…the fund
// is broke"), and who wrote it.
type Point struct {
	Text   string
	Author string
	Index  int // the comment's Index; 0 for the opening post
	Others int // other people who made the same point, in sentences alike
}

// Length is how much of a summary the reader asked for.
type Length string

const (
	Short    Length = "short"
	Standard Length = "standard"
	Detailed Length = "detailed"
)

// Words is the word budget of a summary of this length; unknown lengths
// get the standard budget.
func (l Length) Words() int {
	switch l {
	case Short:
		return 40
	case Detailed:
		return 180
	}
	return 90
}

// Text joins extracts into one plain summary of at most words words (as
// strings.Fields counts them), with runs of space collapsed. A cut extract
// ends in "…".
func Text(points []Point, words int) string {
	var out []string
	for _, p := range points {
		out = append(out, strings.Fields(p.Text)...)
	}
	if words <= 0 {
		return ""
	}
	if len(out) > words {
		out = out[:words]
		out[words-1] = ellipsize(out[words-1])
	}
	return strings.Join(out, " ")
}

// trimWords cuts text to its first n words, keeping the original spacing
// between them so the result stays a verbatim prefix, and marks the cut
// with "…". It returns text unchanged when it has n words or fewer.
func trimWords(text string, n int) string {
	fields := fieldSpans(text)
	if len(fields) <= n {
		return text
	}
	if n <= 0 {
		return ""
	}
	return ellipsize(text[:fields[n-1].end])
}

// ellipsize marks a word as cut, replacing punctuation that would read as
// a finished sentence. A word of punctuation alone ("#", "--") keeps it, so
// the extract still quotes something.
func ellipsize(w string) string {
	trimmed := strings.TrimRightFunc(w, func(r rune) bool {
		return unicode.IsPunct(r) && r != ')' && r != '"' && r != '”'
	})
	if trimmed == "" {
		trimmed = w
	}
	return trimmed + "…"
}

// wordCount counts words as the budget does: whitespace-separated fields,
// as strings.Fields would find them.
func wordCount(s string) int {
	n := 0
	inWord := false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !inWord {
			n++
		}
		inWord = !space
	}
	return n
}
