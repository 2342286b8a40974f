package revision

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The implementations as they were before issue 10's speed work, kept as
// the references the rewritten ones must agree with on every input
// (equivalence_test.go).

// refEachWord is eachWord as it was: a closure per word, a rune buffer
// that escaped to the heap.
func refEachWord(s string, fn func(w []rune)) {
	var buf [64]rune
	cur := buf[:0]
	before, prev := noRune, noRune
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		next := noRune
		if i+size < len(s) {
			next, _ = decodeRune(s, i+size)
		}
		switch {
		case isMark(r):
		case isLetter(r) || isDigit(r):
			cur = append(cur, foldRune(r))
		case (r == '.' || r == ',') && isDigit(prev) && isDigit(next):
			cur = append(cur, '.')
		case isApostrophe(r) && isLetter(prev) && isLetter(next):
		case r == '.' && isLetter(prev) && isLetter(next) && !isLetter(before) && !isDigit(before):
		default:
			if len(cur) > 0 {
				fn(cur)
				cur = cur[:0]
			}
		}
		before, prev = prev, r
		i += size
	}
	if len(cur) > 0 {
		fn(cur)
	}
}

func refWords(s string) []string {
	var out []string
	refEachWord(s, func(w []rune) { out = append(out, string(w)) })
	return out
}

// refDocWords is what NewDoc kept of a text: its word hashes and the set
// of its words holding a digit.
func refDocWords(norm []string) (hashes []uint64, nums map[string]bool) {
	for _, p := range norm {
		refEachWord(p, func(w []rune) {
			hashes = append(hashes, hashWord(w))
			if hasDigitRunes(w) {
				if nums == nil {
					nums = map[string]bool{}
				}
				nums[string(w)] = true
			}
		})
	}
	return hashes, nums
}

func refTitleKey(title string) string {
	t := cleanText(title)
	if !refMayHaveMarker(t) {
		return strings.Join(refWords(t), " ")
	}
	for {
		prev := t
		for _, re := range titleMarkers {
			t = re.ReplaceAllString(t, " ")
		}
		if t == prev {
			break
		}
	}
	return strings.Join(refWords(t), " ")
}

func refMayHaveMarker(t string) bool {
	l := strings.ToLower(t)
	for _, m := range []string{"updat", "correct", "exclusive", "breaking", "developing", "video", "photo"} {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

func refIsClean(s string) bool {
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

func refNormalize(paras []string) []string {
	var out []string
	for _, p := range paras {
		if n := normalizePara(p); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func refHashNormalized(title string, norm []string) string {
	h := sha256.New()
	h.Write([]byte(NormalizeTitle(title)))
	for _, p := range norm {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// refWinnow is winnow as it was, with a queue as long as the text.
func refWinnow(hs []uint64) []uint64 {
	if len(hs) == 0 {
		return nil
	}
	w := min(winnowWindow, len(hs))
	out := make([]uint64, 0, 2*len(hs)/(w+1)+1)
	q, head := make([]int, 0, len(hs)), 0
	for i, h := range hs {
		for len(q) > head && hs[q[len(q)-1]] >= h {
			q = q[:len(q)-1]
		}
		q = append(q, i)
		if q[head] <= i-w {
			head++
		}
		if i < w-1 {
			continue
		}
		if m := hs[q[head]]; len(out) == 0 || out[len(out)-1] != m {
			out = append(out, m)
		}
	}
	return sortedUnique(out)
}
