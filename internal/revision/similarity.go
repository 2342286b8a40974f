package revision

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
	wa, wb := textWords(a), textWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	k := min(shingleSize, len(wa), len(wb))
	sa, sb := shingles(wa, k), shingles(wb, k)
	if len(sa) > len(sb) {
		sa, sb = sb, sa
	}
	common := 0
	for s := range sa {
		if sb[s] {
			common++
		}
	}
	return float64(common) / float64(len(sa))
}

func textWords(paras []string) []string {
	var ws []string
	for _, p := range Normalize(paras) {
		ws = append(ws, words(p)...)
	}
	return ws
}

func shingles(ws []string, k int) map[string]bool {
	set := make(map[string]bool, len(ws))
	for i := 0; i+k <= len(ws); i++ {
		key := ws[i]
		for _, w := range ws[i+1 : i+k] {
			key += " " + w
		}
		set[key] = true
	}
	return set
}

// Fingerprint is what SameStory compares: a title key (from TitleKey) and
// the text.
type Fingerprint struct {
	TitleKey string
	Paras    []string
}

// Thresholds for SameStory. Equal headlines only need the texts to share
// half their shingles, which survives an update that rewrote the lede;
// near-equal headlines need the texts to agree almost entirely.
const (
	SameTitleSimilarity = 0.5
	NearTitleJaccard    = 0.8
	NearTitleSimilarity = 0.8
)

// SameStory reports whether two copies are one story. It is true when the
// title keys are equal and the texts are at least SameTitleSimilarity
// similar, or when the keys share NearTitleJaccard of their words (none of
// the differing words holding a digit) and the texts are at least
// NearTitleSimilarity similar. When either text is empty it is false:
// sites reuse headlines such as "Morning briefing" for different stories,
// so without text only a GUID or a URL can tell.
func SameStory(a, b Fingerprint) bool {
	ka, kb := TitleKey(a.TitleKey), TitleKey(b.TitleKey)
	if ka == "" || kb == "" {
		return false
	}
	if len(textWords(a.Paras)) == 0 || len(textWords(b.Paras)) == 0 {
		// A title alone proves nothing: sites reuse headlines ("Letters to
		// the editor"). Without text, only a GUID or a URL can tell.
		return false
	}
	sim := Similarity(a.Paras, b.Paras)
	if ka == kb {
		return sim >= SameTitleSimilarity
	}
	return titleJaccard(ka, kb) >= NearTitleJaccard && sim >= NearTitleSimilarity
}
