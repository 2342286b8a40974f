package summarize

import (
	"math"
	"slices"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// unit is one sentence of a comment, the thing the ranker scores.
type unit struct {
	src    int    // position of its comment in Thread.Comments
	index  int    // the comment's Index
	author string // who wrote it
	body   string // the whole comment
	sp     span   // the sentence in body
	nth    int    // position of the sentence within its comment
	led    bool   // sp starts after an address, filler or lead-in: quoted, it opens with "…"
	quoted bool   // it repeats the comment it answers: never anyone's point
	words  int    // whitespace-separated words, what budgets count
	tokens int    // runs of letters and digits, what a reader's eye counts
	chat   int    // tokens about the speakers, not the topic: I, you, lol
	links  int    // tokens of links
	vec    vector // tf-idf of its content terms, unit length
	// vocab is its words, sorted, repeats kept: a summary that says "the"
	// twice may match a second "the" in what a reader would write.
	vocab []int32
	pairs []int32 // its distinct pairs of adjacent words, sorted
	cues  cues    // what stance reads in it
	worth int8    // whether it can be a point: 0 not yet known, 1 yes, 2 no
}

func (u *unit) text() string { return u.body[u.sp.start:u.sp.end] }

// opening is text, the extract of u or one that starts where u does, as
// a reader sees it: quoted, so where the sentence's address, filler or
// lead-in was left out an ellipsis says so ("I think the fund is broke"
// → "…the fund is broke"), as the one a cut end gets.
func (u *unit) opening(text string) string {
	if !u.led || text == "" {
		return text
	}
	return "…" + text
}

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

// docFreq counts in how many comments each id occurs.
type docFreq struct {
	df    []int
	stamp []int // per id: the last comment (+1) counted, so each counts once
	last  int
}

func (d *docFreq) add() int32 {
	d.df = append(d.df, 0)
	d.stamp = append(d.stamp, 0)
	return int32(len(d.df) - 1)
}

// count adds one comment's ids to the document frequencies.
func (d *docFreq) count(ids []int32) {
	d.last++
	for _, id := range ids {
		if d.stamp[id] != d.last {
			d.stamp[id] = d.last
			d.df[id]++
		}
	}
}

// vocabulary numbers strings and counts in how many comments each occurs.
type vocabulary struct {
	docFreq
	ids map[string]int32
}

func newVocabulary(capacity int) *vocabulary {
	return &vocabulary{ids: make(map[string]int32, capacity)}
}

func (v *vocabulary) id(s string) int32 {
	id, ok := v.ids[s]
	if !ok {
		id = v.add()
		v.ids[s] = id
	}
	return id
}

// spelling is what the corpus knows of one lower-case token.
type spelling struct {
	word int32 // its stem in words
	term int32 // its stem in terms; -1 for a stop word
	chat bool
	cue  cueFlags
}

// corpus is a thread cut into units with the statistics the ranker needs.
// Two vocabularies: content terms (stop words out) for similarity, and
// every word for coverage, since a summary's plain words ("the others
// say that") are as much what readers share with a thread as its nouns.
type corpus struct {
	units        []unit
	starts       []int // comment i's units are units[starts[i]:starts[i+1]]
	terms        *vocabulary
	offTopic     []bool   // per term: a number or a word of stance, which shows no shared subject
	termSpelling []string // per term: the spelling it was first seen in, lower case
	chatTerm     []bool   // per term: talk, not topic (http, www)
	words        *vocabulary
	spellings    map[string]spelling // stemming each spelling once keeps big threads fast
	pairs        pairs
	comments     int
	spoken       int    // comments with at least one word
	query        vector // the title and opening post, as terms
	inTitle      []bool // per word
	inQuery      []bool // per word: the opening post uses it
	replies      []int  // per comment: direct replies it received
}

func newCorpus(t Thread) *corpus {
	// Split every comment first, so that the units are allocated once: a
	// big thread has tens of thousands.
	var spans, scratch []span
	starts := make([]int, len(t.Comments)+1)
	size := 0
	for i, cm := range t.Comments {
		starts[i] = len(spans)
		if !cm.Deleted { // what is left of it is no one's point
			spans = appendSentenceSpans(spans, &scratch, cm.Body)
			size += len(cm.Body)
		}
	}
	starts[len(t.Comments)] = len(spans)
	// Rough room for the words and pairs too: growing maps step by step
	// costs more than the counting.
	c := &corpus{terms: newVocabulary(size / 64), words: newVocabulary(size / 64),
		spellings: make(map[string]spelling, size/64), pairs: newPairs(size / 8),
		units: make([]unit, 0, len(spans)), comments: len(t.Comments), starts: starts}
	termEnds := make([]int, 0, len(spans)) // unit i's terms are termBuf[termEnds[i-1]:termEnds[i]]
	var termBuf, seq, commentWords, commentPairs []int32
	quotes := newQuoteFinder(t.Comments)
	for i, cm := range t.Comments {
		commentTerms := len(termBuf)
		commentWords, commentPairs = commentWords[:0], commentPairs[:0]
		quotes.reset(cm)
		for n, sp := range spans[starts[i]:starts[i+1]] {
			skip := lead(cm.Body[sp.start:sp.end])
			sp.start += skip
			u := unit{src: i, index: cm.Index, author: cm.Author, body: cm.Body, sp: sp, nth: n, led: skip > 0}
			u.quoted = quotes.quoted(u.text())
			seq, termBuf = c.read(&u, seq[:0], termBuf)
			u.cues.question = isQuestion(u.text())
			u.vocab = slices.Clone(seq)
			slices.Sort(u.vocab)
			u.pairs = c.pairs.of(seq)
			commentWords = append(commentWords, seq...)
			commentPairs = append(commentPairs, u.pairs...)
			c.units = append(c.units, u)
			termEnds = append(termEnds, len(termBuf))
		}
		c.terms.count(termBuf[commentTerms:])
		c.words.count(commentWords)
		c.pairs.count(commentPairs)
		if len(commentWords) > 0 {
			c.spoken++
		}
	}
	for i := range c.units {
		start := 0
		if i > 0 {
			start = termEnds[i-1]
		}
		c.units[i].vec = c.weigh(termBuf[start:termEnds[i]])
	}
	c.replies = replyCounts(t.Comments)
	c.setQuery(t.Title, t.Question)
	return c
}

// read counts a unit's words and tokens and appends its word ids, in
// order, to seq and its term ids to terms.
func (c *corpus) read(u *unit, seq, terms []int32) ([]int32, []int32) {
	text := u.text()
	u.words = wordCount(text)
	var prev spelling
	var prevTok string
	u.cues = cues{}
	eachToken(text, func(tok string) {
		sp := c.spelling(tok)
		seq = append(seq, sp.word)
		if sp.term >= 0 {
			terms = append(terms, sp.term)
		}
		if sp.chat {
			u.chat++
		}
		if sp.cue != 0 || prev.cue&(cueNumber|cuePronoun) != 0 {
			u.cues.note(sp, prev, tok, prevTok, len(seq) == 1)
		}
		prev, prevTok = sp, tok
	})
	u.cues.contrast = u.cues.contrast || prev.cue&cueContrastEnd != 0
	links, extra := c.linkTokens(text)
	u.links = links
	u.chat += extra
	u.tokens = len(seq)
	return seq, terms
}

// spelling numbers a token, stemming each new spelling once.
func (c *corpus) spelling(tok string) spelling {
	lower := strings.ToLower(tok)
	if sp, ok := c.spellings[lower]; ok {
		return sp
	}
	s := porterStem(lower)
	sp := spelling{word: c.words.id(s), term: -1, chat: chatWords[s], cue: cueFlagsOf(lower)}
	if isTerm(lower) {
		sp.term = c.terms.id(s)
		for len(c.offTopic) <= int(sp.term) {
			c.offTopic = append(c.offTopic, false)
			c.termSpelling = append(c.termSpelling, lower)
			c.chatTerm = append(c.chatTerm, false)
		}
		c.chatTerm[sp.term] = c.chatTerm[sp.term] || sp.chat
		if sp.cue&(cueNumber|cueStance) != 0 {
			c.offTopic[sp.term] = true
		}
	}
	c.spellings[lower] = sp
	return sp
}

// setQuery records what the thread is about, as its title and opening
// post say: as terms for similarity, as words for the word model.
func (c *corpus) setQuery(title, question string) {
	var ids []int32
	for _, s := range stems(title + "\n" + question) {
		if id, ok := c.terms.ids[s]; ok {
			ids = append(ids, id)
		}
	}
	c.query = c.weigh(ids)
	c.inTitle = c.marks(title)
	c.inQuery = c.marks(question)
}

// marks marks the words of the thread that text uses.
func (c *corpus) marks(text string) []bool {
	out := make([]bool, len(c.words.df))
	for _, s := range stems(text) {
		if id, ok := c.words.ids[s]; ok {
			out[id] = true
		}
	}
	return out
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
