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
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		// c-' ' wraps below ' ', so one comparison rejects controls and
		// non-ASCII alike.
		c := s[i]
		if c-' ' >= 0x7f-' ' || c == '`' || c == ' ' && prev == ' ' {
			return false
		}
		prev = c
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

// words splits text into folded alphanumeric words (see wordScanner).
func words(s string) []string {
	var out []string
	var buf [64]rune
	sc := newWordScanner(s)
	for w, ok := sc.next(buf[:0]); ok; w, ok = sc.next(buf[:0]) {
		out = append(out, string(w))
	}
	return out
}

// A wordScanner yields the words of a text one at a time: letters and
// digits lower-cased and stripped of accents, a dot or comma between
// digits kept inside the word so "17.1" and "17.2" remain different,
// apostrophes inside words dropped so "don't" and "dont" match, and
// abbreviations joined ("U.S." → "us"). It hands each word back in a
// buffer the caller owns: a callback per word made every caller's buffer
// escape to the heap, and words are what every text is made of.
type wordScanner struct {
	s string
	i int
	// The runes before s[i] and before that: the rules between letters
	// and digits look one rune each way.
	before, prev rune
}

func newWordScanner(s string) wordScanner {
	return wordScanner{s: s, before: noRune, prev: noRune}
}

// next appends the next word's folded runes to buf and returns them, or
// returns false when the text has no more words.
func (sc *wordScanner) next(buf []rune) ([]rune, bool) {
	cur := buf
	s, i, before, prev := sc.s, sc.i, sc.before, sc.prev
	for i < len(s) {
		r, size := rune(s[i]), 1
		ended := false
		switch {
		// ASCII letters and digits, most of any text, need no lookahead.
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			// The rest of a run of them goes in without the loop's
			// bookkeeping: most of a word is lower-case letters.
			j := i + 1
			for j < len(s) && ('a' <= s[j] && s[j] <= 'z' || '0' <= s[j] && s[j] <= '9') {
				j++
			}
			for _, c := range []byte(s[i:j]) {
				cur = append(cur, rune(c))
			}
			if j-i > 1 {
				prev, r = rune(s[j-2]), rune(s[j-1])
			}
			size = j - i
		case 'A' <= r && r <= 'Z':
			cur = append(cur, r+'a'-'A')
		case r == ' ':
			ended = len(cur) > 0
		default:
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
			cur, ended = foldOther(s, i+size, r, before, prev, cur)
		}
		before, prev = prev, r
		i += size
		if ended {
			sc.i, sc.before, sc.prev = i, before, prev
			return cur, true
		}
	}
	sc.i, sc.before, sc.prev = i, before, prev
	return cur, len(cur) > 0
}

// foldOther applies the word rules to a rune r other than an ASCII letter
// or digit, followed by s[after:]; ended reports that r ends the word in
// cur.
func foldOther(s string, after int, r, before, prev rune, cur []rune) (_ []rune, ended bool) {
	next := noRune
	if after < len(s) && (r == '.' || r == ',' || isApostrophe(r)) {
		next, _ = decodeRune(s, after)
	}
	switch {
	case isMark(r):
		// combining accent: part of the previous letter, dropped
	case isLetter(r) || isDigit(r):
		cur = append(cur, foldRune(r))
	case (r == '.' || r == ',') && isDigit(prev) && isDigit(next):
		cur = append(cur, '.')
	case isApostrophe(r) && isLetter(prev) && isLetter(next):
		// joined: "don't" → "dont"
	case r == '.' && isLetter(prev) && isLetter(next) && !isLetter(before) && !isDigit(before):
		// an abbreviation: "U.S." → "us"
	default:
		return cur, len(cur) > 0
	}
	return cur, false
}

// noRune stands for the rune before the start or after the end of a text:
// neither a letter nor a digit.
const noRune rune = -1

func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isLetter, isDigit and isMark are unicode's, with the ASCII answers first.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isMark(r rune) bool {
	return r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}
