package page

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// base scores what a reading shows on its own and from the whole page's
// mentions, before the other headers' choices are known.
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

// ageFloor keeps ages of a few seconds from looking infinitely far apart
// in log terms.
const ageFloor = float64(time.Minute)

// logAge is the scale ages are compared on: by ratio, not difference, so
// 2138 and 2139 days are alike and 2 and 3 hours are not.
func logAge(d time.Duration) float64 { return math.Log(float64(d) + ageFloor) }

// similarity compares two ages by their ratio: 1 for equal ages, 0.999
// for 2138 and 2139 days, 0.44 for 2 and 3 hours, 0.004 for 2138 and 138
// days.
func similarity(a, b time.Duration) float64 {
	return likeness(logAge(a), logAge(b))
}

// likeness is similarity on log ages.
func likeness(la, lb float64) float64 {
	return math.Exp(-math.Abs(la-lb) / ageTolerance)
}

// disorder is how badly two comments break a thread listed oldest first:
// older is the log of the oldest the earlier comment can be (an age shown
// in days may be a day more), younger the log of the youngest the later
// one can be. It is 0 when the earlier is at least as old, rising towards
// 1 as the later gets many times older than the earlier.
func disorder(older, younger float64) float64 {
	if younger <= older {
		return 0
	}
	return 1 - math.Exp(-(younger-older)/ageTolerance)
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
