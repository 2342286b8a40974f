package summarize

import (
	"slices"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Digest is everything the /summarize command shows about a thread.
type Digest struct {
	Comments      int       // comments in the thread
	People        int       // distinct named authors
	First, Last   time.Time // first and last comment times; zero when unknown
	Points        []Point   // the main points, in thread order
	Disagreements []Exchange
	Themes        []Theme       // for long threads: what groups of people talked about, largest first
	Active        []Participant // most active first
	MostReplied   *news.Comment // nil when no comment drew a reply
	Replies       int           // direct replies to MostReplied
}

// Exchange is a reply chain where people push back on each other.
type Exchange struct {
	People [2]string // who argued, in order of appearance
	Turns  []Point   // the chain, oldest first, each a short extract
	Cue    string    // the pushback words found ("actually", "?" for a question back); "" for a plain back-and-forth
}

// Participant is one author's share of a thread.
type Participant struct {
	Author   string
	Comments int
	Words    int
}

// How many disagreements and participants each length shows, and how long
// a turn of an exchange may be.
const (
	turnWords = 25
	maxActive = 5
)

func (l Length) exchanges() int {
	switch l {
	case Short:
		return 1
	case Detailed:
		return 5
	}
	return 3
}

// points is how many main points a digest of a thread of n comments
// shows: about one for every three comments, so that a short thread is not
// retold sentence by sentence, and never more than the length allows.
func (l Length) points(n int) int {
	most := 5
	switch l {
	case Short:
		most = 2
	case Detailed:
		most = 8
	}
	return max(1, min(most, (n+2)/3))
}

// NewDigest summarizes a thread for the reader: its size and span, its main
// points, where people disagreed, who talked most and which comment drew
// the most replies. Deleted comments count but are never quoted.
func NewDigest(t Thread, l Length) Digest {
	kept := 0
	for _, c := range t.Comments {
		if !c.Deleted {
			kept++
		}
	}
	c := newCorpus(t)
	d := Digest{
		Comments:      len(t.Comments),
		Points:        c.extract(limits{words: l.Words(), points: l.points(kept), alone: true}, defaults),
		Disagreements: c.disagreements(t.Comments, l.exchanges()),
		Themes:        c.themes(l.themes()),
		Active:        active(t.Comments, maxActive),
	}
	authors := map[string]bool{}
	for _, c := range t.Comments {
		if a := authorKey(c.Author); a != "" {
			authors[a] = true
		}
		if c.PostedAt.IsZero() {
			continue
		}
		if d.First.IsZero() || c.PostedAt.Before(d.First) {
			d.First = c.PostedAt
		}
		if c.PostedAt.After(d.Last) {
			d.Last = c.PostedAt
		}
	}
	d.People = len(authors)
	d.MostReplied, d.Replies = mostReplied(t.Comments)
	return d
}

// authorKey folds an author name so that "Jrmy84" and "jrmy84" are one
// person.
func authorKey(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

// active ranks named authors by comment count, then by words written, then
// by name so the order never depends on map iteration.
func active(cs []news.Comment, n int) []Participant {
	byKey := map[string]*Participant{}
	var order []*Participant
	for _, c := range cs {
		k := authorKey(c.Author)
		if k == "" {
			continue
		}
		p := byKey[k]
		if p == nil {
			p = &Participant{Author: strings.TrimSpace(c.Author)}
			byKey[k] = p
			order = append(order, p)
		}
		p.Comments++
		p.Words += wordCount(c.Body)
	}
	slices.SortStableFunc(order, func(a, b *Participant) int {
		if a.Comments != b.Comments {
			return b.Comments - a.Comments
		}
		if a.Words != b.Words {
			return b.Words - a.Words
		}
		return strings.Compare(a.Author, b.Author)
	})
	out := make([]Participant, 0, min(n, len(order)))
	for _, p := range order[:min(n, len(order))] {
		out = append(out, *p)
	}
	return out
}

// mostReplied returns the comment with the most direct replies (the
// earliest on a tie) and how many it has.
func mostReplied(cs []news.Comment) (*news.Comment, int) {
	counts := replyCounts(cs)
	best := -1
	for i, n := range counts {
		if n > 0 && (best < 0 || n > counts[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil, 0
	}
	c := cs[best]
	return &c, counts[best]
}
