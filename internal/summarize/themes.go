package summarize

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Theme is one thing a long thread talks about: a group of comments that
// share their words, named by the words that set it apart from the rest of
// the thread.
type Theme struct {
	Words    []string // its most distinctive words, most distinctive first
	Comments int      // comments in it
	People   int      // distinct people who wrote them
	Point    Point    // its best-supported sentence: the one most like the theme as a whole
}

// Themes are found only in threads long enough to have several, and each
// needs enough comments and people to be more than an exchange.
const (
	themeThread   = 30  // comments a thread needs before it has themes
	themeComments = 4   // comments a theme needs
	themePeople   = 3   // people a theme needs
	themeWords    = 3   // words that name a theme
	themeShare    = 0.5 // a word more than this share of the comments use is the thread's subject, not a theme
	themeOverlap  = 0.5 // a theme sharing more than this share of its comments with a larger one is that one again
)

func (l Length) themes() int {
	switch l {
	case Short:
		return 2
	case Detailed:
		return 5
	}
	return 3
}

// themes groups the comments of a long thread around the words many of
// its people use. Comment threads are short texts, where clustering whole
// vectors gathers most comments into one vague group; a word that many
// people use, and the comments that use it, is a theme a reader can
// name. Words are tried from the most widely used down; a word whose
// comments are mostly those of a theme already found adds nothing, and a
// word nearly every comment uses is what the whole thread is about. Up to
// n themes come back, the one most people took part in first.
func (c *corpus) themes(n int) []Theme {
	if c.spoken < themeThread || n <= 0 {
		return nil
	}
	docs := c.commentVectors()
	users := make([][]int, len(c.terms.df)) // term → comments using it, ascending
	for i, d := range docs {
		for _, e := range d {
			users[e.term] = append(users[e.term], i)
		}
	}
	var cands []int
	for term, us := range users {
		if len(us) >= themeComments && float64(len(us)) <= themeShare*float64(c.spoken) &&
			c.themeWord(term) && !generic[c.termSpelling[term]] {
			cands = append(cands, term)
		}
	}
	slices.SortStableFunc(cands, func(a, b int) int {
		return cmp.Or(len(users[b])-len(users[a]), a-b)
	})
	covered := make([]bool, len(docs))
	quoted := map[int]bool{} // units already some theme's extract
	var out []Theme
	for _, term := range cands {
		if len(out) == n {
			break
		}
		members := users[term]
		seen := 0
		for _, i := range members {
			if covered[i] {
				seen++
			}
		}
		if float64(seen) > themeOverlap*float64(len(members)) {
			continue
		}
		t, ok := c.theme(docs, members, term, quoted)
		if !ok {
			continue
		}
		for _, i := range members {
			covered[i] = true
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b Theme) int {
		return cmp.Or(b.People-a.People, b.Comments-a.Comments)
	})
	return out
}

// commentVectors sums each comment's sentence vectors (quotes left out)
// into one unit-length vector.
func (c *corpus) commentVectors() []vector {
	out := make([]vector, c.comments)
	acc := make([]float64, len(c.terms.df)) // dense, cleared through touched
	var touched []int32
	for i := range out {
		touched = touched[:0]
		for k := c.starts[i]; k < c.starts[i+1]; k++ {
			if c.units[k].quoted {
				continue
			}
			for _, e := range c.units[k].vec {
				if acc[e.term] == 0 {
					touched = append(touched, e.term)
				}
				acc[e.term] += e.w
			}
		}
		if len(touched) == 0 {
			continue
		}
		slices.Sort(touched)
		v := make(vector, len(touched))
		var norm float64
		for j, t := range touched {
			v[j] = entry{t, acc[t]}
			norm += acc[t] * acc[t]
			acc[t] = 0
		}
		norm = math.Sqrt(norm)
		for j := range v {
			v[j].w /= norm
		}
		out[i] = v
	}
	return out
}

// theme describes the comments members, gathered by the word seed, or
// reports that they are too few to be a theme.
func (c *corpus) theme(docs []vector, members []int, seed int, quoted map[int]bool) (Theme, bool) {
	inside := make([]int, len(c.terms.df)) // comments of the theme using each term
	centroid := make([]float64, len(c.terms.df))
	people := map[string]bool{}
	t := Theme{Comments: len(members)}
	for _, i := range members {
		if a := authorKey(c.units[c.starts[i]].author); a != "" {
			people[a] = true
		} else {
			t.People++ // no name: one person each
		}
		for _, e := range docs[i] {
			inside[e.term]++
			centroid[e.term] += e.w
		}
	}
	t.People += len(people)
	if t.Comments < themeComments || t.People < themePeople {
		return Theme{}, false
	}
	t.Words = append([]string{c.termSpelling[seed]}, c.distinctive(inside, len(members), seed)...)
	// The best-supported sentence: of those that use the theme's word and
	// can stand alone, the one most like the theme's comments together.
	best, bestSim := -1, 0.0
	for _, i := range members {
		for k := c.starts[i]; k < c.starts[i+1]; k++ {
			u := &c.units[k]
			if u.quoted || quoted[k] || !u.vec.has(int32(seed)) || !standalone(u) || strings.Contains(u.text(), "://") {
				continue
			}
			if s := u.vec.dotDense(centroid); s > bestSim {
				best, bestSim = k, s
			}
		}
	}
	if best < 0 {
		return Theme{}, false
	}
	quoted[best] = true
	u := &c.units[best]
	t.Point = Point{Text: u.opening(dropAddress(trimWords(u.text(), turnWords))), Author: u.author, Index: u.index,
		Others: c.seconders(u, defaults.same)}
	return t, true
}

// themeWord reports whether a term can name a theme: a word of three
// letters or more about the subject, not a number, a word of stance or a
// piece of a link.
func (c *corpus) themeWord(term int) bool {
	return !c.offTopic[term] && !c.chatTerm[term] && len(c.termSpelling[term]) > 2
}

// generic are common words that many comments of any thread use without
// sharing a subject ("time", "people", "work"): they name no theme.
var generic = setOf(strings.Fields(`time times people person thing way back look looks looking
make makes making work works working good great bad know knew think thought going went want
need still even day days year years guy guys man today new first last long little big best
better feel feels felt try tried happen happens happened cause comment comments post posts
thread reason part point place places kind sort whole keep kept put start started real right
getting love hate mean means read reading thanks shit fuck fucking damn holy god`)...)

// has reports whether v has a weight for term.
func (v vector) has(term int32) bool {
	_, found := slices.BinarySearchFunc(v, term, func(e entry, t int32) int { return cmp.Compare(e.term, t) })
	return found
}

// distinctive returns the words that set a group of size comments apart:
// used by at least two of its comments, and by a larger share of them
// than of the thread's other comments.
func (c *corpus) distinctive(inside []int, size, seed int) []string {
	type scored struct {
		term  int
		score float64
	}
	var cands []scored
	rest := float64(c.spoken - size + 1)
	for term, n := range inside {
		if n < 2 || term == seed || !c.themeWord(term) || generic[c.termSpelling[term]] {
			continue
		}
		in := float64(n) / float64(size)
		out := (float64(c.terms.df[term]-n) + 1) / rest
		if in > out {
			cands = append(cands, scored{term, in * math.Log(in/out)})
		}
	}
	slices.SortStableFunc(cands, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.term, b.term))
	})
	var out []string
	for _, s := range cands[:min(themeWords-1, len(cands))] {
		out = append(out, c.termSpelling[s.term])
	}
	return out
}
