package revision

import (
	"slices"
	"strings"
	"unicode"
)

// A Doc is one copy of a story prepared for the identity rules: its
// headline key, and its text as hashed words, from which shingles,
// fingerprints and numbers are derived. Build it once per copy; every
// comparison after that works on hashes.
type Doc struct {
	Key       string   // TitleKey of the headline
	words     []uint64 // hash of each word of the text, in order
	textNums  []string // words of the text that hold a digit, sorted, unique
	shingle5  []uint64 // sorted unique shingleSize-shingles, computed on first use
	hasShing5 bool
	fps       []uint64 // Fingerprints, computed on first use
	hasFPs    bool
}

// NewDoc prepares a copy from its headline's TitleKey and its paragraphs
// as Normalize returns them.
func NewDoc(key string, norm []string) *Doc {
	d := &Doc{Key: key}
	// A word per space, give or take punctuation: one allocation where
	// growing the slice word by word cost several.
	n := 0
	for _, p := range norm {
		n += strings.Count(p, " ") + 1
	}
	d.words = make([]uint64, 0, n)
	var buf [64]rune
	for _, p := range norm {
		sc := newWordScanner(p)
		for w, ok := sc.next(buf[:0]); ok; w, ok = sc.next(buf[:0]) {
			d.words = append(d.words, hashWord(w))
			if hasDigitRunes(w) {
				d.textNums = append(d.textNums, string(w))
			}
		}
	}
	// A sorted slice answers hasNumber as a set would, without a map
	// for the handful of numbers a story holds.
	slices.Sort(d.textNums)
	d.textNums = slices.Compact(d.textNums)
	return d
}

// hasNumber reports whether the text holds the word n.
func (d *Doc) hasNumber(n string) bool {
	_, ok := slices.BinarySearch(d.textNums, n)
	return ok
}

// winnowWindow is the window of the fingerprints: in every run of this
// many consecutive shingles the one with the smallest hash is kept
// (Schleimer, Wilkerson and Aiken, "Winnowing", 2003). Any passage of
// winnowWindow+shingleSize-1 = 16 words that two texts share therefore
// gives them a fingerprint in common, whatever else either text holds: a
// copy grown by new paragraphs, cut to an excerpt or set in another site's
// chrome still meets the original. About one shingle in seven is kept.
const winnowWindow = 12

// Fingerprints returns the text's winnowed fingerprints, sorted: what the
// store looks a copy's candidates up by.
func (d *Doc) Fingerprints() []uint64 {
	if !d.hasFPs {
		d.fps, d.hasFPs = winnow(shingleHashes(d.words, min(shingleSize, len(d.words)))), true
	}
	return d.fps
}

func winnow(hs []uint64) []uint64 {
	if len(hs) == 0 {
		return nil
	}
	w := min(winnowWindow, len(hs))
	out := make([]uint64, 0, 2*len(hs)/(w+1)+1)
	// q holds, in a ring, the indexes of the window's ascending minima, so
	// the window's minimum is hs[q[head]]: each hash enters and leaves
	// once, where comparing every window whole cost winnowWindow per
	// shingle. The indexes live are those of one window and the newcomer,
	// so the ring needs no more room than that, and no allocation.
	var q [winnowRing]int
	var head, tail uint // live: q[head%winnowRing : tail%winnowRing], unsigned so % is a mask
	for i, h := range hs {
		for tail > head && hs[q[(tail-1)%winnowRing]] >= h {
			tail--
		}
		q[tail%winnowRing] = i
		tail++
		if q[head%winnowRing] <= i-w {
			head++
		}
		if i < w-1 {
			continue
		}
		// Neighbouring windows mostly share their minimum: keep it once.
		if m := hs[q[head%winnowRing]]; len(out) == 0 || out[len(out)-1] != m {
			out = append(out, m)
		}
	}
	return sortedUnique(out)
}

// winnowRing is the room of winnow's ring: a power of two (so % is a
// mask) above winnowWindow+1.
const winnowRing = 16

// The ring must hold a window and the index entering it.
var _ [winnowRing - winnowWindow - 1]struct{}

// SketchSize is how many fingerprints a store keeps of each copy (see
// Sketch), chosen on the labelled pairs (identity_eval_test.go).
const SketchSize = 8

// Sketch is the part of the fingerprints a store indexes a copy by: the
// smallest n. Looking up every fingerprint of an article finds a stored
// copy whose sketch lies in the text they share, and a text sharing a
// fraction f of the stored copy misses all n with probability (1-f)^n.
func (d *Doc) Sketch(n int) []uint64 {
	fp := d.Fingerprints()
	return slices.Clone(fp[:min(n, len(fp))])
}

// Words is the number of words of the text.
func (d *Doc) Words() int { return len(d.words) }

// shingles returns the sorted unique hashes of the text's k-word shingles.
func (d *Doc) shingles(k int) []uint64 {
	if k == shingleSize && d.hasShing5 {
		return d.shingle5
	}
	out := sortedUnique(shingleHashes(d.words, k))
	if k == shingleSize {
		d.shingle5, d.hasShing5 = out, true
	}
	return out
}

// shingleHashes hashes every run of k consecutive words, in text order.
func shingleHashes(words []uint64, k int) []uint64 {
	if k <= 0 || len(words) < k {
		return nil
	}
	out := make([]uint64, 0, len(words)-k+1)
	for i := 0; i+k <= len(words); i++ {
		h := uint64(14695981039346656037)
		for _, w := range words[i : i+k] {
			h = (h ^ w) * 1099511628211
		}
		out = append(out, mix64(h))
	}
	return out
}

func sortedUnique(hs []uint64) []uint64 {
	slices.Sort(hs)
	return slices.Compact(hs)
}

// overlap is how much of the smaller and of the larger of two sorted sets
// the other holds: |a ∩ b| / min(|a|, |b|) and |a ∩ b| / max(|a|, |b|).
func overlap(a, b []uint64) (ofSmaller, ofLarger float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	c := float64(common)
	return c / float64(min(len(a), len(b))), c / float64(max(len(a), len(b)))
}

// TextSimilarity is Similarity of two prepared copies.
func TextSimilarity(a, b *Doc) float64 {
	shorter, _ := TextOverlap(a, b)
	return shorter
}

// TextOverlap is how much of the shorter text and of the longer one the
// two copies share, as shares of word shingles.
func TextOverlap(a, b *Doc) (ofShorter, ofLonger float64) {
	k := min(shingleSize, len(a.words), len(b.words))
	if k == 0 {
		return 0, 0
	}
	return overlap(a.shingles(k), b.shingles(k))
}

// hashWord is FNV-1a of a folded word.
func hashWord(w []rune) uint64 {
	h := uint64(14695981039346656037)
	for _, r := range w {
		h = (h ^ uint64(r)) * 1099511628211
	}
	return h
}

// mix64 spreads a hash's bits (the splitmix64 finaliser), so that the
// smallest hashes of a text are a fair sample of it.
func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

func hasDigitRunes(w []rune) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// titleNumbers are the words of a title key that hold a digit.
func titleNumbers(key string) []string {
	var out []string
	for _, w := range strings.Fields(key) {
		if hasDigit(w) {
			out = append(out, w)
		}
	}
	return out
}
