package summarize

import (
	"math"
	"slices"
	"strings"
)

// knobs weigh the ranking signals. They were fitted on the first half of
// ConvoSumm's Reddit and StackExchange threads against human summaries
// (the second half held out), and are kept few and generic so the engine
// stays a comment-thread summarizer, not a fit to one data set.
type knobs struct {
	words      wordModel
	again      float64 // a word's k-th use in the summary earns p·(again·p)^(k-1) of its chance p
	pairs      float64 // weight of shared word pairs against single words
	pairBias   float64 // logit of a pair two comments share being in a summary
	pairSlope  float64 // its growth per log of the number of comments sharing it
	chat       float64 // extra cost of a chat word (I, you, lol), in words
	sal        float64 // weight of sentence salience against coverage
	lex        float64 // salience: LexRank centrality
	rel        float64 // salience: similarity to the title and opening post
	pos        float64 // salience: earlier comments first
	reply      float64 // salience: comments that drew replies
	redundancy float64 // MMR penalty for similarity to what is chosen
	same       float64 // similarity at which two sentences make the same point
	minTrim    int     // never cut a sentence to fewer words than this
	first      float64 // bonus of a comment's first sentence, where people put their point
	lastTries  int     // candidates weighed, cut to fit, for the last words of the budget
}

var defaults = knobs{
	words: wordModel{
		bias: [numClasses]float64{contentWord: -0.31, connective: 1.78, reporting: -0.05,
			functionWord: -1.13, chatWord: -1.84},
		slope: [numClasses]float64{contentWord: 1.17, connective: 0.54, reporting: 0.29,
			functionWord: 0.57, chatWord: 0.82},
		title: 0.43, opening: 0.8,
	},
	again: 0.59, pairs: 1.9, pairBias: -2.7, pairSlope: 1.9, chat: 1,
	sal: 0.015, lex: 1, rel: 0.8, pos: 0.3, reply: 0.3,
	redundancy: 0.03, same: 0.7,
	minTrim: 4, first: 0.05, lastTries: 16,
}

// Extract picks the thread's main points within a budget of words. It
// greedily takes the sentence that adds, per word spent, most of what a
// reader's summary of the thread would share with it: each word counts
// with the chance that such a summary uses it (higher the more comments
// use it, higher again when the title or opening post does, and set by the
// word's class: "the" and "that" nearly always, "I" and "lol" almost
// never), a repeat counts for less, and pairs of words that several
// comments share count too. Small nudges favour central (LexRank),
// on-topic, early, replied-to and comment-opening sentences, and sentences
// that chat ("I think you…") cost more. The last pick is the candidate
// whose first words fill the rest of the budget best, cut at a word
// boundary. Points come back in thread order; the same thread always gives
// the same points.
func Extract(t Thread, words int) []Point {
	return extract(t, words, defaults)
}

func extract(t Thread, words int, k knobs) []Point {
	return extractLimited(t, limits{words: words, cut: true}, k)
}

// limits bound a summary's points: at most words words in all, at most
// points of them (0: no limit), whether the last may be a sentence cut
// short to fill the budget, and whether each must stand alone as a bullet
// (not "That would settle it." without what "that" is).
type limits struct {
	words, points int
	cut, alone    bool
}

func extractLimited(t Thread, l limits, k knobs) []Point {
	if l.words <= 0 {
		return nil
	}
	return newCorpus(t).extract(l, k)
}

func (c *corpus) extract(l limits, k knobs) []Point {
	if l.words <= 0 || len(c.units) == 0 {
		return nil
	}
	return c.points(c.selectUnits(c.salience(k), l, k), k.same)
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

// restates reports whether u says what one of the picks says: as alike
// as same, and negated alike.
func (c *corpus) restates(u *unit, picks []pick, same float64) bool {
	for _, p := range picks {
		v := &c.units[p.unit]
		if v.cues.neg == u.cues.neg && u.vec.dot(v.vec) >= same {
			return true
		}
	}
	return false
}

func (c *corpus) maxSim(u *unit, picks []pick) float64 {
	var m float64
	for _, p := range picks {
		m = math.Max(m, u.vec.dot(c.units[p.unit].vec))
	}
	return m
}

// points turns picks into extracts in thread order, joining neighbouring
// sentences of one comment into one verbatim extract, and credits each
// with the other people who said the same.
func (c *corpus) points(picks []pick, same float64) []Point {
	sorted := slices.Clone(picks)
	slices.SortFunc(sorted, func(a, b pick) int { return a.unit - b.unit })
	var out []Point
	start, prev, first := 0, pick{unit: -2}, (*unit)(nil)
	for _, p := range sorted {
		u := &c.units[p.unit]
		joins := prev.unit == p.unit-1 && c.units[prev.unit].src == u.src &&
			prev.words == c.units[prev.unit].words &&
			strings.TrimSpace(u.body[c.units[prev.unit].sp.end:u.sp.start]) == "" // no filler left out between
		others := c.seconders(u, same)
		if joins {
			head := u.body[start:u.sp.start]
			last := &out[len(out)-1]
			last.Text = first.opening(trimWords(u.body[start:u.sp.end], wordCount(head)+p.words))
			last.Others = max(last.Others, others)
		} else {
			start, first = u.sp.start, u
			// "@bob77 the east ward…" is addressed to bob77, but the point
			// is for everyone: the address is left out.
			text := dropAddress(trimWords(u.text(), p.words))
			if text == "" {
				text = trimWords(u.text(), p.words)
			}
			out = append(out, Point{Text: u.opening(text), Author: u.author, Index: u.index, Others: others})
		}
		prev = p
	}
	return out
}

// seconders counts the other people who made the point u makes: authors
// of sentences at least same alike and negated alike ("developing is a
// noun" is not "developing is not a noun"), each once; comments without
// an author count one each.
func (c *corpus) seconders(u *unit, same float64) int {
	self := authorKey(u.author)
	seen := map[string]bool{}
	anonymous := map[int]bool{}
	for i := range c.units {
		v := &c.units[i]
		if v.src == u.src || v.quoted || len(v.vec) == 0 || v.cues.neg != u.cues.neg || v.vec.dot(u.vec) < same {
			continue
		}
		switch a := authorKey(v.author); {
		case a == "":
			anonymous[v.src] = true
		case a != self:
			seen[a] = true
		}
	}
	return len(seen) + len(anonymous)
}
