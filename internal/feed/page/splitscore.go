package page

import "strings"

// splits is the search's state: the headers, what each reading scores on
// its own, the current choice and the running totals the global terms need.
type splits struct {
	hs      []header
	base    [][]float64
	lo, hi  [][]float64 // log of each reading's age, and of the oldest it can be
	share   []float64   // a header's weight in each of its coherence pairs
	choice  []int
	names   map[string]int   // chosen name, lower-cased → headers that chose it
	order   [2]float64       // disorder of the choice read oldest first, newest first
	moving  []bool           // headers in the move being scored
	holders map[string][]int // lower-cased name → headers that can read as it
}

func newSplits(hs []header, mentioned map[string]bool) *splits {
	s := &splits{hs: hs, choice: make([]int, len(hs)),
		base: make([][]float64, len(hs)), lo: make([][]float64, len(hs)), hi: make([][]float64, len(hs)),
		share: make([]float64, len(hs)), moving: make([]bool, len(hs))}
	for i, h := range hs {
		s.base[i] = make([]float64, len(h.readings))
		s.lo[i] = make([]float64, len(h.readings))
		s.hi[i] = make([]float64, len(h.readings))
		for k, r := range h.readings {
			s.base[i][k] = base(h, r, mentioned)
			s.lo[i][k] = logAge(r.age)
			s.hi[i][k] = logAge(r.age + h.unit.size)
		}
		// Half of each pair's likeness is credited to each side, averaged
		// over that side's neighbours, as if each header scored its own.
		if n := min(len(hs)-1, i+window) - max(0, i-window); n > 0 {
			s.share[i] = ageWeight / 2 / float64(n)
		}
	}
	return s
}

// reset makes choice the current one and recomputes the running totals.
func (s *splits) reset(choice []int) {
	copy(s.choice, choice)
	s.names = map[string]int{}
	for i := range s.hs {
		s.names[s.name(i)]++
	}
	_, s.order = s.local(s.all())
}

func (s *splits) all() []int {
	all := make([]int, len(s.hs))
	for i := range all {
		all[i] = i
	}
	return all
}

// total is the objective of the current choice.
func (s *splits) total() float64 {
	all := s.all()
	coh, order := s.local(all)
	return s.baseOf(all) + coh - orderWeight*min(order[0], order[1]) - nameCost*float64(len(s.names))
}

// name is header i's chosen name, lower-cased.
func (s *splits) name(i int) string {
	return strings.ToLower(s.hs[i].readings[s.choice[i]].name)
}

// group is a joint move: headers at take readings to, which all give one name.
type group struct{ at, to []int }

// nameGroups lists, for every name that two or more headers can read as,
// the move that gives it to all of them, and notes every name's holders.
func (s *splits) nameGroups() []group {
	byName := map[string]*group{}
	var order []string
	for i, h := range s.hs {
		for k, r := range h.readings {
			n := strings.ToLower(r.name)
			g, ok := byName[n]
			if !ok {
				g = &group{}
				byName[n] = g
				order = append(order, n)
			}
			g.at, g.to = append(g.at, i), append(g.to, k)
		}
	}
	s.holders = make(map[string][]int, len(byName))
	var out []group
	for _, n := range order {
		g := byName[n]
		s.holders[n] = g.at
		if len(g.at) > 1 {
			out = append(out, *g)
		}
	}
	return out
}

// part is the objective's terms that a move of headers at can change.
type part struct {
	coh, base float64
	order     [2]float64
	names     int
}

func (s *splits) part(at []int) part {
	coh, order := s.local(at)
	return part{coh: coh, base: s.baseOf(at), order: order, names: len(s.names)}
}

// gain is how much the objective rises if headers at take readings to;
// before is s.part(at) for the current choice, which the caller may reuse
// across moves of the same headers.
func (s *splits) gain(at, to []int, before part) float64 {
	old := s.swap(at, to)
	after := s.part(at)
	s.swap(at, old)
	next := s.order
	for d := range next {
		next[d] += after.order[d] - before.order[d]
	}
	// The order term reads the thread in whichever direction it follows
	// better: oldest first, or newest first.
	return after.base - before.base + after.coh - before.coh -
		orderWeight*(min(next[0], next[1])-min(s.order[0], s.order[1])) -
		nameCost*float64(after.names-before.names)
}

// apply makes the move.
func (s *splits) apply(at, to []int) {
	_, before := s.local(at)
	s.swap(at, to)
	_, after := s.local(at)
	for d := range s.order {
		s.order[d] += after[d] - before[d]
	}
}

// swap gives headers at the readings to and returns the readings they had.
func (s *splits) swap(at, to []int) []int {
	old := make([]int, len(at))
	for n, i := range at {
		old[n] = s.choice[i]
		name := s.name(i)
		if s.names[name]--; s.names[name] == 0 {
			delete(s.names, name)
		}
		s.choice[i] = to[n]
		s.names[s.name(i)]++
	}
	return old
}

func (s *splits) baseOf(at []int) float64 {
	sum := 0.0
	for _, i := range at {
		sum += s.base[i][s.choice[i]]
	}
	return sum
}

// local sums the coherence and the disorder (read oldest first, newest
// first) of every pair of headers within window of each other that has
// one of at in it, each pair once.
func (s *splits) local(at []int) (coh float64, order [2]float64) {
	for _, i := range at {
		s.moving[i] = true
	}
	for _, i := range at {
		ci := s.choice[i]
		for k := max(0, i-window); k <= min(len(s.hs)-1, i+window); k++ {
			if k == i || (s.moving[k] && k < i) {
				continue
			}
			ck := s.choice[k]
			coh += (s.share[i] + s.share[k]) * likeness(s.lo[i][ci], s.lo[k][ck])
			a, b := i, k // a is the earlier on the page
			ca, cb := ci, ck
			if k < i {
				a, b, ca, cb = k, i, ck, ci
			}
			order[0] += disorder(s.hi[a][ca], s.lo[b][cb])
			order[1] += disorder(s.hi[b][cb], s.lo[a][ca])
		}
	}
	for _, i := range at {
		s.moving[i] = false
	}
	return coh, order
}
