package page

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Choosing how to split glued headers ("Jrmy842138d ago") is done for the
// whole thread at once, by scoring each reading with evidence and letting
// the headers settle on the readings that agree best (iterated conditional
// modes: each header in turn takes its best reading given the others').
//
// Evidence, in score units:
//   - coherence: comments on one page are close in age, so a reading gains
//     up to ageWeight for an age like its neighbours' (within window
//     headers in page order) and like its own edit mark;
//   - page order: threads list comments by time, so an age between the
//     ages of the comments just before and after it gains orderWeight;
//   - an edit mark younger than the age is required: a comment cannot be
//     edited before it was posted;
//   - names: a name another header settled on, or an @-mentioned name,
//     is more likely than a new one;
//   - plausibility: ages a site would not write in that unit ("90m") lose,
//     and, all else equal, fewer digits in the name win (mcstorm2176d is
//     mcstorm, 2176 days), which only matters when nothing else decides.
const (
	ageWeight      = 4.0
	orderWeight    = 1.0
	ageTolerance   = 0.5 // how fast coherence falls with the log ratio of two ages
	window         = 8
	editTooOld     = -6.0
	editWeight     = 2.0
	sameNameBonus  = 3.0
	mentionBonus   = 1.5
	mentionPrefix  = 0.5
	unnaturalAge   = -2.0
	movedDigitCost = 0.1
	maxRounds      = 20
)

// resolveSplits returns, for each header, the index of its chosen reading.
// bodies are the comments' texts, searched for @-mentions.
func resolveSplits(hs []header, bodies []string) []int {
	mentioned := mentionedNames(bodies)
	choice := make([]int, len(hs))
	names := map[string]int{} // chosen name → headers that chose it
	bases := make([][]float64, len(hs))
	for i, h := range hs {
		bases[i] = make([]float64, len(h.readings))
		for k, r := range h.readings {
			bases[i][k] = base(h, r, mentioned)
		}
		choice[i] = bestReading(h, func(k int, _ reading) float64 { return bases[i][k] })
		names[strings.ToLower(h.readings[choice[i]].name)]++
	}
	for round := 0; round < maxRounds; round++ {
		changed := false
		for i, h := range hs {
			if len(h.readings) == 1 {
				continue
			}
			old := strings.ToLower(h.readings[choice[i]].name)
			names[old]--
			c := bestReading(h, func(k int, r reading) float64 {
				s := bases[i][k] + ageWeight*coherence(hs, choice, i, r.age) +
					orderWeight*inOrder(hs, choice, i, r.age)
				if names[strings.ToLower(r.name)] > 0 {
					s += sameNameBonus
				}
				return s
			})
			names[strings.ToLower(h.readings[c].name)]++
			if c != choice[i] {
				choice[i], changed = c, true
			}
		}
		if !changed {
			break
		}
	}
	return choice
}

// bestReading returns the index of h's reading with the highest score; ties
// go to the reading with fewer digits in the name.
func bestReading(h header, score func(int, reading) float64) int {
	best, bestScore := 0, math.Inf(-1)
	for k, r := range h.readings {
		if s := score(k, r); s > bestScore+1e-9 {
			best, bestScore = k, s
		}
	}
	return best
}

// base scores what a reading shows on its own and from the whole page's
// mentions, before the neighbours' choices are known.
func base(h header, r reading, mentioned map[string]bool) float64 {
	s := -movedDigitCost * float64(r.moved)
	if !h.natural(r) {
		s += unnaturalAge
	}
	if h.hasEdit {
		if h.edited > r.age {
			s += editTooOld
		} else {
			s += editWeight * similarity(h.edited, r.age)
		}
	}
	return s + mentionScore(strings.ToLower(r.name), mentioned)
}

// mentionScore is the support @-mentions give a name. "@sonic989" decides
// between sonic989 and sonic9892; "@ jrmy" supports Jrmy, Jrmy8 and Jrmy84
// alike, so it cannot decide a split, only confirm the name's stem.
func mentionScore(name string, mentioned map[string]bool) float64 {
	if mentioned[name] && isDigit(name[len(name)-1]) {
		return mentionBonus
	}
	for end := 3; end <= len(name); end++ {
		if mentioned[name[:end]] {
			return mentionPrefix
		}
	}
	return 0
}

// coherence is how close age is to the chosen ages of header i's
// neighbours, from 0 (nothing alike, or no neighbours) to 1.
func coherence(hs []header, choice []int, i int, age time.Duration) float64 {
	sum, n := 0.0, 0
	for k := max(0, i-window); k <= min(len(hs)-1, i+window); k++ {
		if k == i {
			continue
		}
		sum += similarity(age, hs[k].readings[choice[k]].age)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// inOrder is 1 when age lies between the chosen ages of the headers just
// before and after header i (either way round), else 0.
func inOrder(hs []header, choice []int, i int, age time.Duration) float64 {
	if i == 0 || i == len(hs)-1 {
		return 0
	}
	a := hs[i-1].readings[choice[i-1]].age
	b := hs[i+1].readings[choice[i+1]].age
	if min(a, b) <= age && age <= max(a, b) {
		return 1
	}
	return 0
}

// similarity compares two ages by their ratio: 1 for equal ages, 0.999
// for 2138 and 2139 days, 0.44 for 2 and 3 hours, 0.004 for 2138 and 138
// days.
func similarity(a, b time.Duration) float64 {
	const floor = float64(time.Minute)
	r := math.Abs(math.Log((float64(a) + floor) / (float64(b) + floor)))
	return math.Exp(-r / ageTolerance)
}

// mentionedNames collects the lower-cased names @-mentioned in bodies.
func mentionedNames(bodies []string) map[string]bool {
	m := map[string]bool{}
	for _, b := range bodies {
		for i := strings.IndexByte(b, '@'); i >= 0; {
			rest := strings.TrimPrefix(b[i+1:], " ")
			if n := leadingName(rest); n != "" && utf8.RuneCountInString(n) >= 2 {
				m[strings.ToLower(n)] = true
			}
			next := strings.IndexByte(b[i+1:], '@')
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return m
}

// leadingName returns the user name s starts with.
func leadingName(s string) string {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !isUserName(string(r)) {
			break
		}
		end += size
	}
	return strings.TrimRight(s[:end], ".-")
}
