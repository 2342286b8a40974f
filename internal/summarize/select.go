package summarize

import (
	"container/heap"
	"math"
	"slices"
)

// pick is one chosen unit and how many of its words to quote.
type pick struct{ unit, words int }

// selection is the greedy's state: the picks so far and what they cover.
type selection struct {
	c        *corpus
	k        knobs
	sal      []float64
	wordP    []float64 // per word: the chance a summary uses it
	pairP    []float64 // per pair: the same
	used     []int     // per word: how often the picks use it
	pairUsed []bool
	picks    []pick
}

func newSelection(c *corpus, sal []float64, k knobs) *selection {
	s := &selection{c: c, k: k, sal: sal, wordP: c.wordProbs(k.words)}
	s.pairP = c.pairProbs(k.pairBias, k.pairSlope)
	s.used = make([]int, len(s.wordP))
	s.pairUsed = make([]bool, len(s.pairP))
	return s
}

// value is what u (unit i, or the first words of it) is worth as the next
// pick: its gain per token quoted, a chat token costing more, plus the
// nudges of salience and position, less its likeness to the picks.
func (s *selection) value(u *unit, i int) float64 {
	v := s.gain(u)/math.Max(float64(u.tokens)+s.k.chat*float64(u.chat), 1) + s.k.sal*s.sal[i]
	if u.nth == 0 {
		v += s.k.first
	}
	if s.k.redundancy > 0 {
		v -= s.k.redundancy * s.c.maxSim(u, s.picks)
	}
	return v
}

// gain is how many of u's words and pairs a reader's summary is expected
// to share with it, beyond what the picks already share, clipped as ROUGE
// clips: a summary's third "the" matches only a reference with three.
func (s *selection) gain(u *unit) float64 {
	var g float64
	for i := 0; i < len(u.vocab); {
		w := u.vocab[i]
		j := i + 1
		for j < len(u.vocab) && u.vocab[j] == w {
			j++
		}
		p := s.wordP[w]
		share := p * math.Pow(s.k.again*p, float64(s.used[w]))
		for ; i < j; i++ {
			g += share
			share *= s.k.again * p
		}
	}
	var pg float64
	for _, b := range u.pairs {
		if !s.pairUsed[b] {
			pg += s.pairP[b]
		}
	}
	return g + s.k.pairs*pg
}

func (s *selection) take(i, words int) {
	u := &s.c.units[i]
	s.picks = append(s.picks, pick{i, words})
	for _, w := range u.vocab {
		s.used[w]++
	}
	for _, b := range u.pairs {
		s.pairUsed[b] = true
	}
}

// selectUnits fills the budget greedily (see Extract). A unit's value
// only falls as picks cover its words and resemble it, so the greedy is
// lazy: a value computed in an earlier round is an upper bound, and only
// the units that reach the top are evaluated again.
func (c *corpus) selectUnits(sal []float64, l limits, k knobs) []pick {
	s := newSelection(c, sal, k)
	eligible := worthy
	if l.alone {
		eligible = standalone
	}
	q := s.queue(eligible)
	if len(q) == 0 { // a thread of one-liners still gets a summary
		q = s.queue(func(u *unit) bool { return fragment(u) && !markup(u.text()) })
	}
	s.fill(q, l)
	return s.picks
}

// queue is the lazy greedy's queue of the units ok admits, quotes never.
func (s *selection) queue(ok func(*unit) bool) candidates {
	var q candidates
	for i := range s.c.units {
		if u := &s.c.units[i]; !u.quoted && ok(u) {
			q = append(q, candidate{unit: i, val: s.value(u, i)})
		}
	}
	heap.Init(&q)
	return q
}

// fill takes units from q until the limits are reached or q is empty.
func (s *selection) fill(q candidates, l limits) {
	c, k := s.c, s.k
	left := l.words
	for round := 0; left >= min(k.minTrim, l.words) && q.Len() > 0; round++ {
		for q[0].round != round {
			q[0].val, q[0].round = s.value(&c.units[q[0].unit], q[0].unit), round
			heap.Fix(&q, 0)
		}
		best := heap.Pop(&q).(candidate).unit
		if c.restates(&c.units[best], s.picks, k.same) {
			continue // says what a pick says: it supports that point instead
		}
		if c.units[best].words > left {
			if !l.cut {
				continue // only whole sentences: try the next that fits
			}
			best = s.lastPick(best, &q, left, round)
		}
		n := min(c.units[best].words, left)
		s.take(best, n)
		left -= n
		if len(s.picks) == l.points {
			return
		}
	}
}

// lastPick is called when best, the top candidate, does not fit in the
// words left. It weighs best and the next candidates as they would be
// quoted, whole if they fit and cut to the words left if not, and returns
// the one worth most; the others that fit go back in the queue.
func (s *selection) lastPick(best int, q *candidates, left, round int) int {
	tries := []int{best}
	for len(tries) < s.k.lastTries && q.Len() > 0 {
		tries = append(tries, heap.Pop(q).(candidate).unit)
	}
	vals := make([]float64, len(tries))
	bestVal := math.Inf(-1)
	for j, i := range tries {
		u := &s.c.units[i]
		if u.words > left {
			head := s.c.head(u, left)
			u = &head
		}
		vals[j] = s.value(u, i)
		if vals[j] > bestVal {
			best, bestVal = i, vals[j]
		}
	}
	for j, i := range tries {
		if i != best && s.c.units[i].words <= left {
			heap.Push(q, candidate{unit: i, val: vals[j], round: round})
		}
	}
	return best
}

// head is u cut to its first n words.
func (c *corpus) head(u *unit, n int) unit {
	h := *u
	h.worth = 0
	h.sp.end = u.sp.start + fieldSpans(u.text())[n-1].end
	h.chat = 0
	seq, _ := c.read(&h, nil, nil)
	h.vocab = slices.Clone(seq)
	slices.Sort(h.vocab)
	h.pairs = c.pairs.known(seq)
	return h
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
