package summarize

import (
	"math"
	"slices"
)

// The ranker values a sentence by the words a reader's summary of the
// thread would share with it. Which words those are is a guess, made per
// word from what the thread shows: the word's class (see wordClass), the
// share of comments that use it, and whether the title or the opening post
// uses it. The guess is a logistic model whose weights (in knobs) were
// fitted to human summaries of comment threads; a word one comment in
// five uses has about a one-in-ten chance, one every comment uses about
// two in five, and "the", where most comments use it, over four in five.

// wordModel is the logistic model of whether a summary uses a word.
type wordModel struct {
	bias, slope [numClasses]float64 // per class: logit at a share of 1, and per log of the share
	title       float64             // added when the title uses the word
	opening     float64             // added when the opening post uses it
}

// wordProbs returns, per word, the chance that a summary of the thread
// uses it.
func (c *corpus) wordProbs(m wordModel) []float64 {
	p := make([]float64, len(c.words.df))
	n := float64(max(c.spoken, 1))
	for s, id := range c.words.ids {
		df := c.words.df[id]
		if df == 0 {
			continue // a word only the title or opening post uses
		}
		class := classOf(s)
		z := m.bias[class] + m.slope[class]*math.Log(float64(df)/n)
		if c.inTitle[id] {
			z += m.title
		}
		if c.inQuery[id] {
			z += m.opening
		}
		p[id] = logistic(z)
	}
	return p
}

func logistic(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// pairs numbers pairs of adjacent words and counts in how many comments
// each occurs. A pair several comments share ("protected lanes", "the
// study") is a phrase of the thread, and a summary often repeats it.
type pairs struct {
	docFreq
	ids map[uint64]int32
}

func newPairs(capacity int) pairs {
	return pairs{ids: make(map[uint64]int32, capacity),
		docFreq: docFreq{df: make([]int, 0, capacity), stamp: make([]int, 0, capacity)}}
}

// of returns the distinct pair ids of a sentence's word ids, sorted.
func (ps *pairs) of(seq []int32) []int32 {
	if len(seq) < 2 {
		return nil
	}
	out := make([]int32, 0, len(seq)-1)
	for i := 1; i < len(seq); i++ {
		key := pairKey(seq[i-1], seq[i])
		id, ok := ps.ids[key]
		if !ok {
			id = ps.add()
			ps.ids[key] = id
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// known returns the distinct ids of a sentence's pairs that are already
// numbered, sorted.
func (ps *pairs) known(seq []int32) []int32 {
	var out []int32
	for i := 1; i < len(seq); i++ {
		if id, ok := ps.ids[pairKey(seq[i-1], seq[i])]; ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// pairProbs returns, per pair, the chance that a summary uses it: 0 for
// a pair one comment alone uses, a chance that grows with the number of
// comments that share it for the others.
func (c *corpus) pairProbs(bias, slope float64) []float64 {
	p := make([]float64, len(c.pairs.df))
	for id, df := range c.pairs.df {
		if df >= 2 {
			p[id] = logistic(bias + slope*math.Log(float64(df)/2))
		}
	}
	return p
}
