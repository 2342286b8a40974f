package summarize

import (
	"math"
	"slices"

	"github.com/newsbot-dev/newsbot/news"
)

// unit is one sentence of a comment, the thing the ranker scores.
type unit struct {
	src    int    // position of its comment in Thread.Comments
	index  int    // the comment's Index
	author string // who wrote it
	body   string // the whole comment
	sp     span   // the sentence in body
	nth    int    // position of the sentence within its comment
	words  int    // whitespace-separated words, what budgets count
	tokens int    // runs of letters and digits, what a reader's eye counts
	chat   int    // tokens about the speakers, not the topic: I, you, lol
	vec    vector // tf-idf of its content terms, unit length
	vocab  []int32
}

func (u *unit) text() string { return u.body[u.sp.start:u.sp.end] }

// entry is one weighted term of a sparse vector.
type entry struct {
	term int32
	w    float64
}

// vector is a sparse vector sorted by term.
type vector []entry

func (a vector) dot(b vector) float64 {
	var s float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			s += a[i].w * b[j].w
			i++
			j++
		}
	}
	return s
}

// vocabulary numbers strings and counts in how many comments each occurs.
type vocabulary struct {
	ids   map[string]int32
	df    []int
	stamp []int // per id: the last comment (+1) counted, so each counts once
	last  int
}

func newVocabulary() *vocabulary { return &vocabulary{ids: map[string]int32{}} }

func (v *vocabulary) id(s string) int32 {
	id, ok := v.ids[s]
	if !ok {
		id = int32(len(v.df))
		v.ids[s] = id
		v.df = append(v.df, 0)
		v.stamp = append(v.stamp, 0)
	}
	return id
}

// count adds one comment's ids to the document frequencies.
func (v *vocabulary) count(ids []int32) {
	v.last++
	for _, id := range ids {
		if v.stamp[id] != v.last {
			v.stamp[id] = v.last
			v.df[id]++
		}
	}
}

// corpus is a thread cut into units with the statistics the ranker needs.
// Two vocabularies: content terms (stop words out) for similarity, and
// every word for coverage, since a summary's plain words ("the others
// say that") are as much what readers share with a thread as its nouns.
type corpus struct {
	units    []unit
	terms    *vocabulary
	words    *vocabulary
	comments int
	query    vector // the title and opening post, as terms
	inQuery  []bool // per word: the title or opening post uses it
	chat     []bool // per word: a chat word
	replies  []int  // per comment: direct replies it received
}

func newCorpus(t Thread) *corpus {
	c := &corpus{terms: newVocabulary(), words: newVocabulary(), comments: len(t.Comments)}
	var termIDs [][]int32
	var ts, ws []string
	var spans, scratch []span
	for i, cm := range t.Comments {
		if cm.Deleted {
			continue // what is left of it is no one's point
		}
		var commentTerms, commentWords []int32
		spans = appendSentenceSpans(spans[:0], &scratch, cm.Body)
		for n, sp := range spans {
			u := unit{src: i, index: cm.Index, author: cm.Author, body: cm.Body, sp: sp, nth: n}
			text := u.text()
			u.words = wordCount(text)
			ts, ws = tokenize(text, ts[:0], ws[:0])
			u.tokens = len(ws)
			ids := c.ids(c.terms, ts)
			u.vocab = c.ids(c.words, ws)
			for _, w := range ws {
				if chatWords[w] {
					u.chat++
				}
			}
			commentTerms = append(commentTerms, ids...)
			commentWords = append(commentWords, u.vocab...)
			u.vocab = uniq(u.vocab)
			c.units = append(c.units, u)
			termIDs = append(termIDs, ids)
		}
		c.terms.count(commentTerms)
		c.words.count(commentWords)
	}
	for i := range c.units {
		c.units[i].vec = c.weigh(termIDs[i])
	}
	c.replies = replyCounts(t.Comments)
	c.setQuery(t.Title + "\n" + t.Question)
	c.chat = make([]bool, len(c.words.df))
	for w, id := range c.words.ids {
		c.chat[id] = chatWords[w]
	}
	return c
}

func (c *corpus) ids(v *vocabulary, ss []string) []int32 {
	ids := make([]int32, len(ss))
	for i, s := range ss {
		ids[i] = v.id(s)
	}
	return ids
}

// setQuery records what the thread is about, as its title and opening
// post say, in both vocabularies.
func (c *corpus) setQuery(q string) {
	ts, ws := tokenize(q, nil, nil)
	var ids []int32
	for _, s := range ts {
		if id, ok := c.terms.ids[s]; ok {
			ids = append(ids, id)
		}
	}
	c.query = c.weigh(ids)
	c.inQuery = make([]bool, len(c.words.df))
	for _, s := range ws {
		if id, ok := c.words.ids[s]; ok {
			c.inQuery[id] = true
		}
	}
}

// replyCounts counts the direct replies to each comment, by position.
func replyCounts(cs []news.Comment) []int {
	pos := make(map[int]int, len(cs))
	for i, cm := range cs {
		pos[cm.Index] = i
	}
	out := make([]int, len(cs))
	for _, cm := range cs {
		if p, ok := pos[cm.ReplyTo]; ok && cm.ReplyTo != cm.Index && cm.ReplyTo != 0 {
			out[p]++
		}
	}
	return out
}

// idf is smoothed so that a term every comment uses still weighs a little.
func (c *corpus) idf(term int32) float64 {
	return math.Log(float64(c.comments+1) / (float64(c.terms.df[term]) + 0.5))
}

// weigh turns term ids into a unit-length tf-idf vector.
func (c *corpus) weigh(ids []int32) vector {
	if len(ids) == 0 {
		return nil
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	var v vector
	var norm float64
	for i := 0; i < len(sorted); {
		j := i
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		w := (1 + math.Log(float64(j-i))) * c.idf(sorted[i])
		v = append(v, entry{sorted[i], w})
		norm += w * w
		i = j
	}
	if norm == 0 {
		return nil
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i].w /= norm
	}
	return v
}

func uniq(ids []int32) []int32 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}

// lexRank is continuous LexRank: PageRank over the cosine-similarity graph
// of the units. The graph is never built: with unit vectors V the
// similarity matrix is V·Vᵀ, so each power step costs two passes over the
// vectors and a 5,000-comment thread ranks in milliseconds.
func (c *corpus) lexRank(iterations int, damping float64) []float64 {
	n := len(c.units)
	sum := make([]float64, len(c.terms.df))
	for _, u := range c.units {
		for _, e := range u.vec {
			sum[e.term] += e.w
		}
	}
	deg := make([]float64, n)
	for i, u := range c.units {
		if len(u.vec) > 0 {
			deg[i] = u.vec.dotDense(sum) - 1 // no edge to itself
		}
	}
	p := make([]float64, n)
	for i := range p {
		p[i] = 1 / float64(n)
	}
	acc := make([]float64, len(c.terms.df))
	next := make([]float64, n)
	for range iterations {
		clear(acc)
		var dangling float64
		for i, u := range c.units {
			if deg[i] <= 1e-9 {
				dangling += p[i]
				continue
			}
			for _, e := range u.vec {
				acc[e.term] += p[i] / deg[i] * e.w
			}
		}
		base := (1-damping)/float64(n) + damping*dangling/float64(n)
		for j, u := range c.units {
			in := u.vec.dotDense(acc)
			if deg[j] > 1e-9 {
				in -= p[j] / deg[j] // its own share came back through V·Vᵀ
			}
			next[j] = base + damping*in
		}
		var change float64
		for j := range p {
			change += math.Abs(next[j] - p[j])
		}
		p, next = next, p
		if change < 1e-6 {
			break // converged; usually well before the cap
		}
	}
	return p
}

func (a vector) dotDense(d []float64) float64 {
	var s float64
	for _, e := range a {
		s += e.w * d[e.term]
	}
	return s
}
