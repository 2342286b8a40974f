package page

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A comment header is a whole line: the author's name glued to a relative
// age, "ChrisW2138d ago", optionally followed by "(Edited 2138d ago )".
// When the name ends in digits the split is ambiguous ("sonic9892138d ago"
// is sonic989, 2138 days; "Scissorman822176d ago" is Scissorman82), so a
// header carries every reading that is possible and split.go chooses among
// them with the rest of the thread as evidence.
type header struct {
	line     int       // line number in the dump, from 0
	readings []reading // possible name/age splits, fewest digits in the name first
	unit     ageUnit
	edited   time.Duration // age of the edit mark
	hasEdit  bool
}

// reading is one way to split a header's glued name and age.
type reading struct {
	name  string
	age   time.Duration
	moved int // digits of the run that went to the name
}

// natural reports whether the age is one a site would write in this unit
// ("90m" is usually written "1h").
func (h header) natural(r reading) bool {
	return int(r.age/h.unit.size) <= h.unit.natural
}

// parseHeader reads line as a comment header, or reports that it is not one.
func parseHeader(line string) (header, bool) {
	s := strings.TrimSpace(line)
	var h header
	if strings.HasSuffix(s, ")") {
		open := strings.LastIndexByte(s, '(')
		if open < 0 {
			return header{}, false
		}
		d, ok := editMark(s[open+1 : len(s)-1])
		if !ok {
			return header{}, false
		}
		h.edited, h.hasEdit = d, true
		s = strings.TrimSpace(s[:open])
	}
	glued, ok := cutAgo(s)
	if !ok {
		return header{}, false
	}
	stem, u, ok := cutUnit(glued)
	if !ok {
		return header{}, false
	}
	h.unit = u
	h.readings = readings(stem, u)
	return h, len(h.readings) > 0
}

// editMark reads the inside of "(Edited 2138d ago )".
func editMark(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	const word = "edited"
	if len(s) < len(word) || !strings.EqualFold(s[:len(word)], word) {
		return 0, false
	}
	rest, ok := cutAgo(strings.TrimSpace(s[len(word):]))
	if !ok {
		return 0, false
	}
	return parseAge(rest)
}

// cutAgo removes a trailing " ago" (any case) from s.
func cutAgo(s string) (string, bool) {
	const ago = " ago"
	if len(s) <= len(ago) || !strings.EqualFold(s[len(s)-len(ago):], ago) {
		return "", false
	}
	return strings.TrimRight(s[:len(s)-len(ago)], " \t"), true
}

// maxAgeDigits is the most digits an age may have: 2176d, 45m, 11000d;
// no site writes "1000000m ago".
const maxAgeDigits = 6

// readings lists every split of stem ("Jrmy842138") into a name and an age
// in unit u that could be true: the name must be a user name with a letter
// in it, the age must have no leading zero and be younger than maxAge.
func readings(stem string, u ageUnit) []reading {
	digitsAt := len(stem)
	for digitsAt > 0 && isDigit(stem[digitsAt-1]) {
		digitsAt--
	}
	prefix, run := stem[:digitsAt], stem[digitsAt:]
	if run == "" || !isUserName(prefix) || len(run) > maxNameLen {
		return nil
	}
	var out []reading
	// An age has at most maxAgeDigits digits, so only the last few splits
	// can be readings; the rest would only cost time on a line of digits.
	for k := max(0, len(run)-maxAgeDigits); k < len(run); k++ {
		name := prefix + run[:k]
		if !hasLetter(name) {
			continue
		}
		if age, ok := count(run[k:], u); ok {
			out = append(out, reading{name: name, age: age, moved: k})
		}
	}
	return out
}

// maxNameLen bounds a user name, in characters.
const maxNameLen = 64

// isUserName reports whether s can be (the start of) a user name: no
// spaces, only letters, digits, "-", "_" and ".".
func isUserName(s string) bool {
	if utf8.RuneCountInString(s) > maxNameLen {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
