package revision

import (
	"slices"
	"testing"
	"unicode"
)

// wordsByRunes is words as it was first written, over a []rune copy of
// the text: the reference the byte-wise eachWord must agree with.
func wordsByRunes(s string) []string {
	var out []string
	var cur []rune
	rs := []rune(s)
	between := func(i int, f func(rune) bool) bool {
		return i > 0 && i+1 < len(rs) && f(rs[i-1]) && f(rs[i+1])
	}
	isolated := func(i int) bool { return i == 0 || !(unicode.IsLetter(rs[i-1]) || unicode.IsDigit(rs[i-1])) }
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, foldRune(r))
		case (r == '.' || r == ',') && between(i, unicode.IsDigit):
			cur = append(cur, '.')
		case isApostrophe(r) && between(i, unicode.IsLetter):
		case r == '.' && between(i, unicode.IsLetter) && isolated(i-1):
		default:
			flush()
		}
	}
	flush()
	return out
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"U.S. troops", "don't stop", "iOS 17.1, 17.2", "Café crème", "e\u0301te\u0301", "a.b.c", "x'y'z", "\xff\xfe bad", "1,000,000 people", ".5 and 5."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := words(s), wordsByRunes(s); !slices.Equal(got, want) {
			t.Fatalf("words(%q) = %q, want %q", s, got, want)
		}
	})
}
