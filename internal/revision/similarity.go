package revision

import "slices"

// shingleSize is the number of consecutive words compared as one unit: long
// enough that shared phrases mean shared text, short enough that an edit
// to one word spoils only five shingles.
const shingleSize = 5

// Similarity returns how much of the shorter text appears in the longer
// one, from 0 (nothing) to 1 (all of it): the share of the shorter text's
// word 5-shingles found among the longer text's. A story that grew new
// paragraphs therefore stays fully similar to its first version. Texts
// shorter than five words are compared with shingles as long as the
// shorter text. Either text being empty gives 0: there is nothing to
// compare.
func Similarity(a, b []string) float64 {
	return TextSimilarity(NewDoc("", Normalize(a)), NewDoc("", Normalize(b)))
}

// Fingerprint is what SameStory compares: a title key (from TitleKey) and
// the text.
type Fingerprint struct {
	TitleKey string
	Paras    []string
}

// SameStory reports whether two copies are one story, by the rules of
// Same.
func SameStory(a, b Fingerprint) bool {
	return Same(NewDoc(TitleKey(a.TitleKey), Normalize(a.Paras)), NewDoc(TitleKey(b.TitleKey), Normalize(b.Paras)))
}

// Rules are the thresholds Same decides by.
type Rules struct {
	// TextAlone: a copy sharing this much of the shorter text is the same
	// story under any headline, however reworded.
	TextAlone float64
	// SameTitleText: under the same headline less text need agree, so an
	// update that rewrote the lede stays one story.
	SameTitleText float64
	// NearTitleJaccard and NearTitleText: headlines sharing this share of
	// their words need this much text.
	NearTitleJaccard, NearTitleText float64
	// LongerShare: under another headline, text shared must also be this
	// much of the longer text, unless both texts open with it. A story
	// that quotes another's lede as background holds all of it, but it is
	// a small part of the story and not where the story begins.
	LongerShare float64
}

// DefaultRules are Same's thresholds, chosen on labelled pairs
// (identity_eval_test.go; BENCHMARKS.md has the figures): copies of one
// story across sites and revisions share 0.73-1.00 of the shorter text,
// different stories on one topic at most 0.44 — 1.00 only of a lede one
// quotes from the other, which LongerShare keeps apart.
var DefaultRules = Rules{TextAlone: 0.6, SameTitleText: 0.5, NearTitleJaccard: 0.5, NearTitleText: 0.5, LongerShare: 0.5}

// minTextAlone is the fewest shingles the shorter text needs for text
// alone to decide: two short texts agreeing is weaker evidence.
const minTextAlone = 20

// Same reports whether two copies are one story, by DefaultRules.
func Same(a, b *Doc) bool { return DefaultRules.Same(a, b) }

// Same reports whether two copies are one story. Both need a headline and
// text: sites reuse headlines such as "Morning briefing" for different
// stories, so a title alone proves nothing. The text decides: under the
// same headline, SameTitleText of the shorter text shared; under another,
// TextAlone of it (or NearTitleText under a headline sharing
// NearTitleJaccard of its words), where what is shared is the story
// itself — LongerShare of the longer text too, or the opening of both.
// One rule vetoes: headlines whose numbers changed ("iOS 17.1" and "iOS
// 17.2") are different stories unless the text changed with them, as when
// an update raises a figure.
func (r Rules) Same(a, b *Doc) bool {
	if a.Key == "" || b.Key == "" || len(a.words) == 0 || len(b.words) == 0 {
		return false
	}
	if numbersConflict(a, b) {
		return false
	}
	sim, ofLonger := TextOverlap(a, b)
	if a.Key == b.Key {
		return sim >= r.SameTitleText
	}
	if ofLonger < r.LongerShare && !openAlike(a, b) {
		return false
	}
	shorter := min(len(a.words), len(b.words)) - shingleSize + 1
	if sim >= r.TextAlone && shorter >= minTextAlone {
		return true
	}
	return titleJaccard(a.Key, b.Key) >= r.NearTitleJaccard && sim >= r.NearTitleText
}

// How openAlike compares openings: one of the shorter text's first
// openShingles shingles must be among the longer text's first
// openReach, which leaves room for a dateline or a sentence one site
// added in front.
const (
	openShingles = 10
	openReach    = 40
)

// openAlike reports whether two texts begin with the same words.
func openAlike(a, b *Doc) bool {
	if len(a.words) > len(b.words) {
		a, b = b, a
	}
	k := min(shingleSize, len(a.words))
	first := shingleHashes(a.words[:min(len(a.words), openShingles+k-1)], k)
	reach := shingleHashes(b.words[:min(len(b.words), openReach+k-1)], k)
	for _, h := range first {
		if slices.Contains(reach, h) {
			return true
		}
	}
	return false
}

// numbersConflict reports headlines whose numbers changed without the
// text changing with them. A number dropped or added is a rewording; a
// number changed is an update only when the new figure is new in the
// text and the old one, if the old text had it, is still there.
func numbersConflict(a, b *Doc) bool {
	na, nb := titleNumbers(a.Key), titleNumbers(b.Key)
	onlyA, onlyB := missing(na, nb), missing(nb, na)
	if len(onlyA) == 0 || len(onlyB) == 0 {
		return false
	}
	return !updatedNumbers(a, b, onlyA, onlyB) && !updatedNumbers(b, a, onlyB, onlyA)
}

// updatedNumbers reports whether to is an update of from whose headline
// changed from the numbers gone to the numbers come.
func updatedNumbers(from, to *Doc, gone, come []string) bool {
	for _, n := range come {
		if !to.hasNumber(n) || from.hasNumber(n) {
			return false
		}
	}
	for _, n := range gone {
		if from.hasNumber(n) && !to.hasNumber(n) {
			return false
		}
	}
	return true
}

// missing lists the words of a that b lacks.
func missing(a, b []string) []string {
	var out []string
	for _, w := range a {
		found := false
		for _, v := range b {
			found = found || v == w
		}
		if !found {
			out = append(out, w)
		}
	}
	return out
}
