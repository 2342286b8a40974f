package revision

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// markerWords are the words editors attach to a headline to flag its state
// rather than its subject.
const markerWords = `(?:updated?(?:\s*#?\d+)?|corrected|corrections?|exclusive|breaking(?:\s+news)?|developing|video|photos?)`

var titleMarkers = []*regexp.Regexp{
	// "(updated)", "[Update 2]", "(Updated 3:45 p.m. ET)"
	regexp.MustCompile(`(?i)[(\[]\s*` + markerWords + `\b[^()\[\]]{0,40}[)\]]`),
	// "UPDATE:", "Updated:", "UPDATE 2:", "Exclusive:", "BREAKING:"
	regexp.MustCompile(`(?i)\b` + markerWords + `\s*:`),
	// "BREAKING — …", "EXCLUSIVE | …"
	regexp.MustCompile(`(?i)^\s*` + markerWords + `\s*[-–—|]+`),
	// "… - Updated", "… — UPDATE 2"
	regexp.MustCompile(`(?i)[-–—|]+\s*` + markerWords + `\s*$`),
}

// TitleKey returns a headline reduced to what identifies the story: markers
// such as "(updated)", "UPDATE 2:" or "BREAKING:" removed wherever they sit,
// case and accents folded, punctuation, quotes and dashes dropped, words
// separated by single spaces. Two copies of one story's headline, on
// different sites or before and after an update, usually share a key.
func TitleKey(title string) string {
	t := cleanText(title)
	if !mayHaveMarker(t) {
		return joinWords(t)
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
	return joinWords(t)
}

// joinWords is the words of t separated by single spaces, built in one
// buffer: a string per word and a join cost TitleKey most of its time.
func joinWords(t string) string {
	var stack [128]byte
	out := stack[:0]
	var buf [64]rune
	sc := newWordScanner(t)
	for w, ok := sc.next(buf[:0]); ok; w, ok = sc.next(buf[:0]) {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		for _, r := range w {
			out = utf8.AppendRune(out, r)
		}
	}
	return string(out)
}

// markerStems are the stems every marker begins with; a headline holding
// none of them skips the patterns.
var markerStems = []string{"updat", "correct", "exclusive", "breaking", "developing", "video", "photo"}

// hasMarkerPunct reports a character every pattern of titleMarkers needs
// besides the marker word: an opening bracket, a colon, a dash or a bar.
// Most headlines have none, and looking costs no copy of the headline
// (strings.ContainsAny with the dashes' runes took longer than the rest
// of TitleKey).
func hasMarkerPunct(t string) bool {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(', '[', ':', '-', '|':
			return true
		case "–"[0]: // the lead byte of both dashes
			if strings.HasPrefix(t[i:], "–") || strings.HasPrefix(t[i:], "—") {
				return true
			}
		}
	}
	return false
}

func mayHaveMarker(t string) bool {
	if !hasMarkerPunct(t) {
		return false
	}
	l := strings.ToLower(t)
	for _, m := range markerStems {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// TitleChanged reports whether a headline changed in a way a reader would
// call a change: adding "(updated)" or fixing a curly quote is not one.
func TitleChanged(old, new string) bool {
	return TitleKey(old) != TitleKey(new)
}

// titleJaccard is the share of words two title keys have in common.
// (Numbers are Same's business: a changed figure is weighed against the
// text, not scored here.)
func titleJaccard(a, b string) float64 {
	as, bs := wordSet(strings.Fields(a)), wordSet(strings.Fields(b))
	if len(as) == 0 || len(bs) == 0 {
		return 0
	}
	common := 0
	for w := range as {
		if bs[w] {
			common++
		}
	}
	return float64(common) / float64(len(as)+len(bs)-common)
}

func wordSet(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}
