package page

import "slices"

// Choosing how to split glued headers ("Jrmy842138d ago") is done for the
// whole thread at once: every assignment of readings to headers has a
// score, and the search moves to better assignments until none is left.
// A move changes one header's reading, or — the reason the score is global
// — every header that can read as one name to that name together. A name
// seen twice, both times with an ambiguous age, is decided by both
// headers' ages at once: one at a time, the wrong pair would hold each
// other in place through the name they share.
//
// Evidence, in score units:
//   - coherence: comments on one page are close in age, so each pair of
//     headers within window of each other gains up to ageWeight (shared
//     among each header's neighbours) for ages alike, and a reading gains
//     for an age like its own edit mark;
//   - time order, strong: threads list comments oldest first or newest
//     first, so each pair within window that breaks the page's order
//     (whichever of the two it follows better) costs up to orderWeight;
//   - an edit mark younger than the age is required: a comment cannot be
//     edited before it was posted;
//   - names: each distinct author costs nameCost, so a name another header
//     has is more likely than a new one, and an @-mentioned name is more
//     likely than one nobody wrote;
//   - plausibility: ages a site would not write in that unit ("90m") lose,
//     and, all else equal, fewer digits in the name win (mcstorm2176d is
//     mcstorm, 2176 days), which only matters when nothing else decides.
const (
	ageWeight      = 4.0
	orderWeight    = 2.0
	ageTolerance   = 0.5 // how fast likeness falls with the log ratio of two ages
	window         = 8
	editTooOld     = -6.0
	editWeight     = 2.0
	nameCost       = 3.0
	mentionBonus   = 1.5
	mentionPrefix  = 0.5
	unnaturalAge   = -2.0
	movedDigitCost = 0.1
	maxRounds      = 20
	minGain        = 1e-9
)

// resolveSplits returns, for each header, the index of its chosen reading.
// bodies are the comments' texts, searched for @-mentions.
//
// The search starts from the best of three assignments — each header's
// best reading on its own, and the best chain of readings down the page
// for each time order — so that one misleading start (two wrong readings
// of one name holding each other in place) does not trap it.
func resolveSplits(hs []header, bodies []string) []int {
	s := newSplits(hs, mentionedNames(bodies))
	groups := s.nameGroups()
	var best []int
	bestScore := 0.0
	for _, start := range [][]int{s.alone(), s.chain(0), s.chain(1)} {
		s.reset(start)
		if sc := s.total(); best == nil || sc > bestScore+minGain {
			best, bestScore = start, sc
		}
	}
	s.reset(best)
	s.search(groups)
	return s.choice
}

// search makes improving moves until there are none: for each header its
// best other reading, then each name given to every header that can
// read as it. After the first round only the headers a move may have
// changed the score of are tried again: those within window of it, and
// those that can read as the name it left or took.
func (s *splits) search(groups []group) {
	dirty := make([]bool, len(s.hs))
	for i := range dirty {
		dirty[i] = true
	}
	next := make([]bool, len(s.hs))
	for round := 0; round < maxRounds; round++ {
		changed := false
		for i, h := range s.hs {
			if !dirty[i] || len(h.readings) == 1 {
				continue
			}
			at := []int{i}
			before := s.part(at)
			best, bestGain := -1, minGain
			for k := range h.readings {
				if k == s.choice[i] {
					continue
				}
				if g := s.gain(at, []int{k}, before); g > bestGain {
					best, bestGain = k, g
				}
			}
			if best >= 0 {
				s.move(at, []int{best}, next)
				changed = true
			}
		}
		for _, g := range groups {
			if slices.ContainsFunc(g.at, func(i int) bool { return dirty[i] }) && s.gain(g.at, g.to, s.part(g.at)) > minGain {
				s.move(g.at, g.to, next)
				changed = true
			}
		}
		if !changed {
			return
		}
		dirty, next = next, dirty
		clear(next)
	}
}

// move applies a move and marks in touched the headers whose best
// reading it may have changed.
func (s *splits) move(at, to []int, touched []bool) {
	mark := func(i int) {
		for k := max(0, i-window); k <= min(len(s.hs)-1, i+window); k++ {
			touched[k] = true
		}
		for _, k := range s.holders[s.name(i)] {
			touched[k] = true
		}
	}
	for _, i := range at {
		mark(i)
	}
	s.apply(at, to)
	for _, i := range at {
		mark(i)
	}
}

// alone is each header's best reading on its own evidence.
func (s *splits) alone() []int {
	choice := make([]int, len(s.hs))
	for i := range s.hs {
		for k := range s.base[i] {
			if s.base[i][k] > s.base[i][choice[i]]+minGain {
				choice[i] = k
			}
		}
	}
	return choice
}

// chain is the best sequence of readings down the page (Viterbi) when
// only neighbours count: each reading's own evidence, its likeness to the
// previous header's age, and the page's time order read in direction dir
// (0 oldest first, 1 newest first).
func (s *splits) chain(dir int) []int {
	n := len(s.hs)
	if n == 0 {
		return nil
	}
	score := make([][]float64, n)
	from := make([][]int, n)
	score[0] = append([]float64(nil), s.base[0]...)
	for i := 1; i < n; i++ {
		score[i] = make([]float64, len(s.base[i]))
		from[i] = make([]int, len(s.base[i]))
		for k := range s.base[i] {
			best := 0
			bestScore := 0.0
			for p := range s.base[i-1] {
				sc := score[i-1][p] + s.link(i-1, p, k, dir)
				if p == 0 || sc > bestScore+minGain {
					best, bestScore = p, sc
				}
			}
			score[i][k], from[i][k] = bestScore+s.base[i][k], best
		}
	}
	choice := make([]int, n)
	for k := range score[n-1] {
		if score[n-1][k] > score[n-1][choice[n-1]]+minGain {
			choice[n-1] = k
		}
	}
	for i := n - 1; i > 0; i-- {
		choice[i-1] = from[i][choice[i]]
	}
	return choice
}

// link scores header i reading p followed by header i+1 reading k.
func (s *splits) link(i, p, k, dir int) float64 {
	j := i + 1
	coh := (s.share[i] + s.share[j]) * likeness(s.lo[i][p], s.lo[j][k])
	if dir == 0 {
		return coh - orderWeight*disorder(s.hi[i][p], s.lo[j][k])
	}
	return coh - orderWeight*disorder(s.hi[j][k], s.lo[i][p])
}
