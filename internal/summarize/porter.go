package summarize

import "strings"

// porterStem stems a lower-case word the way ROUGE-1.5.5 does before it
// counts matches: words of three characters or fewer stay as they are,
// longer ones go through its Porter stemmer (the 1980 algorithm with
// Porter's later BLI and LOGI rules and a second pass over MENT, ENT and
// ION). Matching the scorer's stemmer means that what the ranker counts
// as one word is what a reader, or ROUGE, counts as one: "commenters" and
// "comment" meet, "not" and "note" do not. Words with anything but a-z
// and 0-9 are returned unchanged.
func porterStem(word string) string {
	if len(word) <= 3 || !isPlainASCII(word) {
		return word
	}
	b := []byte(word)
	if b[0] == 'y' {
		b[0] = 'Y' // an initial y is a consonant
	}
	b = porterStep1(b)
	b = porterReplace(b, step2Rules, 0)
	b = porterReplace(b, step3Rules, 0)
	b = porterStep4(b)
	b = porterStep5(b)
	if b[0] == 'Y' {
		b[0] = 'y'
	}
	return string(b)
}

func isPlainASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// consonant reports whether b[i] is a consonant: a letter other than
// a, e, i, o, u, and y only when it follows a vowel or starts the word.
func consonant(b []byte, i int) bool {
	switch b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !consonant(b, i-1)
	}
	return true
}

// measure is Porter's m: the number of vowel-consonant sequences in b.
func measure(b []byte) int {
	m := 0
	prevVowel := false
	for i := range b {
		c := consonant(b, i)
		if c && prevVowel {
			m++
		}
		prevVowel = !c
	}
	return m
}

func hasVowel(b []byte) bool {
	for i := range b {
		if !consonant(b, i) {
			return true
		}
	}
	return false
}

// shortCVC is ROUGE-1.5.5's *o test: the whole stem is one consonant run,
// one vowel and a final consonant other than w, x or y ("hop", "shop").
func shortCVC(b []byte) bool {
	n := len(b)
	if n < 3 || strings.IndexByte("aeiou", b[0]) >= 0 || strings.IndexByte("aeiouy", b[n-2]) < 0 ||
		strings.IndexByte("aeiouwxy", b[n-1]) >= 0 {
		return false
	}
	for i := 1; i < n-2; i++ {
		if strings.IndexByte("aeiouy", b[i]) >= 0 {
			return false
		}
	}
	return true
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func porterStep1(b []byte) []byte {
	n := len(b)
	switch {
	case hasSuffix(b, "sses") || hasSuffix(b, "ies"):
		b = b[:n-2]
	case n >= 2 && b[n-1] == 's' && b[n-2] != 's':
		b = b[:n-1]
	}
	if hasSuffix(b, "eed") {
		if measure(b[:len(b)-3]) > 0 {
			b = b[:len(b)-1]
		}
	} else if stem, ok := cutSuffix(b, "ed", "ing"); ok && hasVowel(stem) {
		b = stem
		n := len(b)
		switch {
		case hasSuffix(b, "at") || hasSuffix(b, "bl") || hasSuffix(b, "iz"):
			b = append(b, 'e')
		case n >= 2 && b[n-1] == b[n-2] && strings.IndexByte("aeiouylsz", b[n-1]) < 0:
			b = b[:n-1]
		case shortCVC(b):
			b = append(b, 'e')
		}
	}
	if n := len(b); b[n-1] == 'y' && hasVowel(b[:n-1]) {
		b[n-1] = 'i'
	}
	return b
}

// cutSuffix returns b without the first of the suffixes it ends with.
func cutSuffix(b []byte, suffixes ...string) ([]byte, bool) {
	for _, s := range suffixes {
		if hasSuffix(b, s) {
			return b[:len(b)-len(s)], true
		}
	}
	return b, false
}

type rule struct{ suffix, repl string }

// Steps 2 and 3, longest suffix first within each table: only the longest
// suffix a word ends with is tried.
var (
	step2Rules = []rule{{"ational", "ate"}, {"iveness", "ive"}, {"fulness", "ful"}, {"ousness", "ous"},
		{"ization", "ize"}, {"tional", "tion"}, {"biliti", "ble"}, {"entli", "ent"}, {"ousli", "ous"},
		{"ation", "ate"}, {"alism", "al"}, {"aliti", "al"}, {"iviti", "ive"}, {"enci", "ence"},
		{"anci", "ance"}, {"izer", "ize"}, {"alli", "al"}, {"ator", "ate"}, {"logi", "log"},
		{"bli", "ble"}, {"eli", "e"}}
	step3Rules = []rule{{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"},
		{"ness", ""}, {"ful", ""}}
	step4Suffixes = []string{"ement", "ance", "ence", "able", "ible", "ant", "ism", "ate", "iti", "ous",
		"ive", "ize", "al", "er", "ic", "ou"}
)

// porterReplace applies the rule of the longest suffix b ends with when the
// stem before it has a measure above min.
func porterReplace(b []byte, rules []rule, min int) []byte {
	for _, r := range rules {
		if hasSuffix(b, r.suffix) {
			stem := b[:len(b)-len(r.suffix)]
			if measure(stem) > min {
				return append(stem, r.repl...)
			}
			return b
		}
	}
	return b
}

func porterStep4(b []byte) []byte {
	for _, s := range step4Suffixes {
		if hasSuffix(b, s) {
			if stem := b[:len(b)-len(s)]; measure(stem) > 1 {
				b = stem
			}
			break
		}
	}
	if hasSuffix(b, "ment") && measure(b[:len(b)-4]) > 1 {
		b = b[:len(b)-4]
	}
	if hasSuffix(b, "ent") {
		if measure(b[:len(b)-3]) > 1 {
			b = b[:len(b)-3]
		}
	} else if (hasSuffix(b, "sion") || hasSuffix(b, "tion")) && measure(b[:len(b)-3]) > 1 {
		b = b[:len(b)-3]
	}
	return b
}

func porterStep5(b []byte) []byte {
	if n := len(b); b[n-1] == 'e' {
		s := b[:n-1]
		if m := measure(s); m > 1 || (m == 1 && !shortCVC(s)) {
			b = s
		}
	}
	if hasSuffix(b, "ll") && measure(b) > 1 {
		b = b[:len(b)-1]
	}
	return b
}
