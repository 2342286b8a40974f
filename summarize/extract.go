package summarize

import (
	"container/heap"
	"math"
	"slices"
)

// knobs weigh the ranking signals. They were tuned on ConvoSumm's Reddit
// and StackExchange threads against human summaries, and are kept few and
// generic so the engine stays a comment-thread summarizer, not a fit to one
// data set.
type knobs struct {
	query      float64 // extra weight of a word the title or opening post uses
	repeat     float64 // share of a word's weight still earned when already covered
	chat       float64 // extra cost of a chat word (I, you, lol), in words
	sal        float64 // weight of sentence salience against coverage
	lex        float64 // salience: LexRank centrality
	rel        float64 // salience: similarity to the title and opening post
	pos        float64 // salience: earlier comments first
	reply      float64 // salience: comments that drew replies
	redundancy float64 // MMR penalty for similarity to what is chosen
	minWords   int     // shorter sentences are never chosen
	minTrim    int     // never cut a sentence to fewer words than this
	first      float64 // bonus of a comment's first sentence, where people put their point
}

var defaults = knobs{
	query: 1, repeat: 0.3, chat: 1,
	sal: 0.05, lex: 1, rel: 1, pos: 0.3, reply: 0.3,
	redundancy: 0.1,
	minWords:   4, minTrim: 4, first: 0.1,
}

// Extract picks the thread's main points within a budget of words. It
// greedily takes the sentence that covers, per word spent, most of the
// thread's shared vocabulary it has not covered yet, where a word weighs
// more the more comments use it and more again when the title or opening
// post uses it; small nudges favour central (LexRank), on-topic, early and
// replied-to sentences, and sentences that chat ("I think you…", "lol")
// cost more. The last pick is cut at a word boundary to fill the budget.
// Points come back in thread order; the same thread always gives the same
// points.
func Extract(t Thread, words int) []Point {
	return extract(t, words, defaults)
}

func extract(t Thread, words int, k knobs) []Point {
	if words <= 0 {
		return nil
	}
	c := newCorpus(t)
	if len(c.units) == 0 {
		return nil
	}
	return c.points(c.selectUnits(c.salience(k), words, k))
}

// salience scores every unit on its own merits, roughly in [0, 1].
func (c *corpus) salience(k knobs) []float64 {
	n := len(c.units)
	out := make([]float64, n)
	if k.sal == 0 {
		return out
	}
	lex := c.lexRank(30, 0.85)
	for i := range c.units {
		u := &c.units[i]
		s := k.lex * math.Log1p(lex[i]*float64(n)) / math.Log(2)
		s += k.rel * u.vec.dot(c.query)
		s += k.pos * (1 - float64(u.src)/float64(c.comments))
		s += k.reply * math.Log1p(float64(c.replies[u.src]))
		out[i] = s
	}
	return out
}

// pick is one chosen unit and how many of its words to quote.
type pick struct{ unit, words int }

// selectUnits fills the budget greedily (see Extract). A unit's value
// only falls as picks cover its words and resemble it, so the greedy is
// lazy: a value computed in an earlier round is an upper bound, and only
// the units that reach the top are evaluated again.
func (c *corpus) selectUnits(sal []float64, budget int, k knobs) []pick {
	weight := c.wordWeights(k)
	covered := make([]bool, len(weight))
	var picks []pick
	value := func(i int) float64 {
		u := &c.units[i]
		v := c.density(u, weight, covered, k) + k.sal*sal[i]
		if u.nth == 0 {
			v += k.first
		}
		if k.redundancy > 0 {
			v -= k.redundancy * c.maxSim(u, picks)
		}
		return v
	}
	minWords := k.minWords
	if !slices.ContainsFunc(c.units, func(u unit) bool { return u.words >= minWords }) {
		minWords = 1 // a thread of one-liners still gets a summary
	}
	var q candidates
	for i := range c.units {
		if c.units[i].words >= minWords {
			q = append(q, candidate{unit: i, val: value(i)})
		}
	}
	heap.Init(&q)
	for left, round := budget, 0; left >= min(k.minTrim, budget) && q.Len() > 0; round++ {
		for q[0].round != round {
			q[0].val, q[0].round = value(q[0].unit), round
			heap.Fix(&q, 0)
		}
		best := heap.Pop(&q).(candidate).unit
		u := &c.units[best]
		picks = append(picks, pick{best, min(u.words, left)})
		for _, w := range u.vocab {
			covered[w] = true
		}
		left -= min(u.words, left)
	}
	return picks
}

// candidate is a unit waiting in the lazy greedy's queue with the value
// it had in round.
type candidate struct {
	unit, round int
	val         float64
}

// candidates is a max-heap by value; ties go to the earlier unit, so the
// choice never depends on heap order.
type candidates []candidate

func (h candidates) Len() int { return len(h) }
func (h candidates) Less(i, j int) bool {
	if h[i].val != h[j].val {
		return h[i].val > h[j].val
	}
	return h[i].unit < h[j].unit
}
func (h candidates) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *candidates) Push(x any)   { *h = append(*h, x.(candidate)) }
func (h *candidates) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// wordWeights gives each word the log of the number of comments that use
// it, plus a bonus when the title or opening post uses it; chat words and
// words one comment alone uses weigh nothing.
func (c *corpus) wordWeights(k knobs) []float64 {
	w := make([]float64, len(c.words.df))
	for id, df := range c.words.df {
		if c.chat[id] {
			continue
		}
		w[id] = math.Log(float64(df))
		if c.inQuery[id] {
			w[id] += k.query
		}
	}
	return w
}

// density is what a unit adds to the summary per token it costs.
func (c *corpus) density(u *unit, weight []float64, covered []bool, k knobs) float64 {
	var g float64
	for _, w := range u.vocab {
		if covered[w] {
			g += k.repeat * weight[w]
		} else {
			g += weight[w]
		}
	}
	cost := float64(u.tokens) + k.chat*float64(u.chat)
	return g / math.Max(cost, 1)
}

func (c *corpus) maxSim(u *unit, picks []pick) float64 {
	var m float64
	for _, p := range picks {
		m = math.Max(m, u.vec.dot(c.units[p.unit].vec))
	}
	return m
}

// points turns picks into extracts in thread order, joining neighbouring
// sentences of one comment into one verbatim extract.
func (c *corpus) points(picks []pick) []Point {
	sorted := slices.Clone(picks)
	slices.SortFunc(sorted, func(a, b pick) int { return a.unit - b.unit })
	var out []Point
	start, prev := 0, pick{unit: -2}
	for _, p := range sorted {
		u := &c.units[p.unit]
		joins := prev.unit == p.unit-1 && c.units[prev.unit].src == u.src &&
			prev.words == c.units[prev.unit].words
		if joins {
			head := u.body[start:u.sp.start]
			out[len(out)-1].Text = trimWords(u.body[start:u.sp.end], wordCount(head)+p.words)
		} else {
			start = u.sp.start
			out = append(out, Point{Text: trimWords(u.text(), p.words), Author: u.author, Index: u.index})
		}
		prev = p
	}
	return out
}
