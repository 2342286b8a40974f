package thread

import (
	"slices"
	"strings"
	"unicode"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// prepared holds a thread's comments in the normalised forms the evidence
// rules compare, with indexes so that a thread of thousands of comments
// costs little more than its length.
type prepared struct {
	cs       []news.Comment
	authors  []string         // lower-cased authors
	words    [][]string       // normalised words of each body
	padded   []string         // " w1 w2 … " for whole-word substring search
	postings map[string][]int // word → comments containing it, ascending
	byAuthor map[string][]int // lower-cased author → their comments, ascending
	names    []string         // distinct lower-cased authors, sorted
	runs     *runIndex
}

func prepare(cs []news.Comment) *prepared {
	th := &prepared{
		cs:       cs,
		authors:  make([]string, len(cs)),
		words:    make([][]string, len(cs)),
		padded:   make([]string, len(cs)),
		postings: map[string][]int{},
		byAuthor: map[string][]int{},
	}
	for i, c := range cs {
		a := strings.ToLower(strings.TrimSpace(c.Author))
		th.authors[i] = a
		if len(th.byAuthor[a]) == 0 {
			th.names = append(th.names, a)
		}
		th.byAuthor[a] = append(th.byAuthor[a], i)
		th.words[i] = words(c.Body)
		th.padded[i] = pad(th.words[i])
		for _, w := range th.words[i] {
			if ps := th.postings[w]; len(ps) == 0 || ps[len(ps)-1] != i {
				th.postings[w] = append(ps, i)
			}
		}
	}
	slices.Sort(th.names)
	th.runs = newRunIndex(th.words)
	return th
}

// before returns the positions in ps (ascending) that come before j.
func before(ps []int, j int) []int {
	k, _ := slices.BinarySearch(ps, j)
	return ps[:k]
}

// words splits text into lower-cased words of letters and digits, so that
// quotes compare regardless of case, punctuation, quote style and spacing.
// Apostrophes split words ("don't" → "don", "t") on both sides alike.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func pad(ws []string) string {
	if len(ws) == 0 {
		return " "
	}
	return " " + strings.Join(ws, " ") + " "
}

// stopWords are words too common to show that one comment echoes another.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are
		as at be because been before being below between both but by can could did do does doing
		don down during each even few for from further get got had has have having he her here hers
		him his how i if in into is it its just let ll like me more most much my no nor not now of
		off on once only or other our ours out over own re really s same she should so some still
		such t than that the their theirs them then there these they this those through to too
		under until up us ve very was we were what when where which while who whom why will with
		would you your yours yes yeah lol ok`) {
		m[w] = true
	}
	return m
}()

// contentWords counts the words of ws that are not stop words.
func contentWords(ws []string) int {
	n := 0
	for _, w := range ws {
		if !stopWords[w] {
			n++
		}
	}
	return n
}

// isLetterOrDigit reports whether r can be part of a word or name.
func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
