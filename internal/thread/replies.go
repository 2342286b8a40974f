// Package thread analyses reader comment threads: which comment answers
// which (replies.go), and, as it grows, quote search and summaries.
package thread

import (
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Evidence tiers, strongest last. An @-address says outright whom a comment
// answers; a quotation shows it; a shared run of words only suggests it.
const (
	tierRun = iota + 1
	tierQuote
	tierAddress
)

// evidence is one reason to think a comment answers the comment at target
// (a position in the slice, not an Index).
type evidence struct {
	target   int
	tier     int
	strength int // words matched; for addresses, 2 for a full name, 1 for a prefix
}

// beats reports whether e is stronger evidence than o: higher tier, then
// more words, then the nearer (later) target.
func (e evidence) beats(o evidence) bool {
	if e.tier != o.tier {
		return e.tier > o.tier
	}
	if e.strength != o.strength {
		return e.strength > o.strength
	}
	return e.target > o.target
}

// InferReplies returns a copy of cs, which must be in page order, with
// ReplyTo set to the Index of the earlier comment each comment answers,
// where its text shows it:
//
//   - it addresses an earlier author: "@name", "@ name", a prefix of at least
//     three letters of the name ("@ jrmy" for Jrmy84), or "Name," opening
//     the comment; the nearest earlier comment by that author is meant;
//   - it quotes an earlier comment: text in quotation marks ("…", '…', “…”)
//     or a line starting with ">" that occurs in the earlier comment,
//     ignoring case, punctuation and spacing;
//   - it repeats a run of five or more consecutive words of an earlier
//     comment, at least two of them not stop words.
//
// An address beats a quote, a quote beats a shared run, longer matches beat
// shorter ones, and ties go to the nearest earlier comment. Comments never
// answer themselves, later comments, or comments by their own author.
// Quotes that match no earlier comment (the article, a paraphrase) and
// single common words are ignored.
//
// Comments that already have a ReplyTo or a ParentID come from a source with
// real structure and are left as they are; so are comments without evidence.
func InferReplies(cs []news.Comment) []news.Comment {
	out := make([]news.Comment, len(cs))
	copy(out, cs)
	if len(out) < 2 {
		return out
	}
	th := prepare(out)
	for j := range out {
		c := &out[j]
		if c.ReplyTo != 0 || c.ParentID != "" || c.Index <= 0 {
			continue
		}
		best, ok := th.bestEvidence(j)
		if !ok {
			continue
		}
		if target := out[best.target].Index; target > 0 && target < c.Index {
			c.ReplyTo = target
		}
	}
	return out
}

// bestEvidence returns the strongest evidence about comment j.
func (th *prepared) bestEvidence(j int) (evidence, bool) {
	var best evidence
	found := false
	consider := func(e evidence) {
		if e.target < 0 || e.target >= j || !th.eligible(j, e.target) {
			return
		}
		if !found || e.beats(best) {
			best, found = e, true
		}
	}
	for _, e := range th.addressEvidence(j) {
		consider(e)
	}
	for _, e := range th.quoteEvidence(j) {
		consider(e)
	}
	for _, e := range th.runEvidence(j) {
		consider(e)
	}
	return best, found
}

// postedSlack is how much later than its reply a comment may seem to have
// been posted: pages round ages ("1h ago" may be 40 minutes), but nobody
// answers a comment written well after their own.
const postedSlack = time.Hour

// eligible reports whether comment j may answer comment i: an earlier
// comment with a usable Index, by someone else, not posted after j.
func (th *prepared) eligible(j, i int) bool {
	if i >= j || th.cs[i].Index <= 0 || th.cs[i].Index >= th.cs[j].Index {
		return false
	}
	if pi, pj := th.cs[i].PostedAt, th.cs[j].PostedAt; !pi.IsZero() && !pj.IsZero() && pi.After(pj.Add(postedSlack)) {
		return false
	}
	a, b := th.authors[i], th.authors[j]
	return a == "" || a != b
}
