package revision

import (
	"regexp"
	"strings"
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
		return strings.Join(words(t), " ")
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
	return strings.Join(words(t), " ")
}

// markerStems are the stems every marker begins with; a headline holding
// none of them skips the patterns.
var markerStems = []string{"updat", "correct", "exclusive", "breaking", "developing", "video", "photo"}

func mayHaveMarker(t string) bool {
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
