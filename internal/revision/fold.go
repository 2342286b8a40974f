package revision

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteFold maps typographic quotes, primes and invisible characters to what
// a reader would consider the same text. Editors swap "straight" for
// “curly” quotes without changing a word.
var quoteFold = map[rune]string{
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", 'ʼ': "'", '`': "'", '´': "'",
	'“': `"`, '”': `"`, '„': `"`, '‟': `"`, '″': `"`,
	'\u00ad': "", '\u200b': "", '\u200c': "", '\u200d': "", '\u2060': "", '\ufeff': "",
}

// cleanText collapses every run of white space (NBSP, thin spaces, tabs,
// line breaks, control characters) to one space, folds typographic quotes
// and trims the ends. Invalid UTF-8 becomes U+FFFD so output is always valid.
func cleanText(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r >= utf8.RuneSelf {
			if rep, ok := quoteFold[r]; ok {
				if rep == "" {
					continue
				}
				r = rune(rep[0])
			}
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isClean reports text cleanText would return unchanged: printable ASCII
// with single spaces between words, which is most text, and costs no copy.
func isClean(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7f || (c == ' ' && s[i+1] == ' ') || c == '`' {
			return false
		}
	}
	return true
}

// latinFold strips the diacritics a matching key should ignore: "Café"
// and "Cafe" are the same headline typed on different keyboards. The
// standard library has no decomposition tables; this covers Latin-1 and
// Latin Extended-A, which is where headline accents live.
var latinFold = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáâãäåāăąǎ", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě",
		'g': "ĝğġģ", 'h': "ĥħ", 'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ",
		'l': "ĺļľŀł", 'n': "ñńņňŉ", 'o': "òóôõöøōŏőǒ", 'r': "ŕŗř",
		's': "śŝşšș", 't': "ţťŧț", 'u': "ùúûüũūŭůűųǔ", 'w': "ŵ",
		'y': "ýÿŷ", 'z': "źżž",
	}
	m := map[rune]rune{}
	for base, chars := range groups {
		for _, r := range chars {
			m[r] = base
		}
	}
	return m
}()

// foldRune lower-cases r and strips its accent.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	if f, ok := latinFold[r]; ok {
		return f
	}
	return r
}

// words splits text into folded alphanumeric words (see eachWord).
func words(s string) []string {
	var out []string
	eachWord(s, func(w []rune) { out = append(out, string(w)) })
	return out
}

// eachWord calls fn with every word of s: letters and digits lower-cased
// and stripped of accents, a dot or comma between digits kept inside the
// word so "17.1" and "17.2" remain different, apostrophes inside words
// dropped so "don't" and "dont" match, and abbreviations joined ("U.S." →
// "us"). fn must not keep the slice, which is reused.
func eachWord(s string, fn func(w []rune)) {
	var cur []rune
	rs := []rune(s)
	flush := func() {
		if len(cur) > 0 {
			fn(cur)
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent: part of the previous letter, dropped
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, foldRune(r))
		case (r == '.' || r == ',') && between(rs, i, unicode.IsDigit):
			cur = append(cur, '.')
		case isApostrophe(r) && between(rs, i, unicode.IsLetter):
			// joined: "don't" → "dont"
		case r == '.' && between(rs, i, unicode.IsLetter) && isolatedLetter(rs, i-1):
			// an abbreviation: "U.S." → "us"
		default:
			flush()
		}
	}
	flush()
}

// isolatedLetter reports whether rs[i] is a letter with no letter or digit
// before it, as in the "U" and "S" of "U.S.".
func isolatedLetter(rs []rune, i int) bool {
	return i == 0 || !(unicode.IsLetter(rs[i-1]) || unicode.IsDigit(rs[i-1]))
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}

// between reports whether the runes on both sides of i satisfy f.
func between(rs []rune, i int, f func(rune) bool) bool {
	return i > 0 && i+1 < len(rs) && f(rs[i-1]) && f(rs[i+1])
}
