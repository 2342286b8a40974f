package page

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/dates"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// article reads the part of a dump before the comments: the title line, if
// the page has one, and the paragraphs, one per line, chrome dropped.
func article(lines []string) news.Article {
	var a news.Article
	bs := blocks(lines)
	if len(bs) > 0 && isHeadline(bs[0][0]) {
		a.Title = bs[0][0]
		bs[0] = bs[0][1:]
	}
	bs = takeByline(bs, &a)
	for _, b := range bs {
		for _, l := range b {
			a.Paragraphs = append(a.Paragraphs, splitUpdates(l)...)
		}
	}
	return a
}

// blocks groups the non-blank, non-chrome lines (trimmed) into runs
// separated by blank lines or chrome.
func blocks(lines []string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || isChrome(t) {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// Headline limits: longer lines are paragraphs.
const (
	maxTitleRunes = 150
	maxTitleWords = 25
)

// sentenceBreak finds a full stop between two sentences ("… Media. He …"),
// which headlines do not have; "Mr. Trump" and "U.S. Army" are not breaks.
var sentenceBreak = regexp.MustCompile(`\p{Ll}{2}\.\s+\p{Lu}`)

// abbreviations may end a headline with a full stop.
var abbreviations = map[string]bool{
	"inc.": true, "co.": true, "corp.": true, "ltd.": true, "jr.": true, "sr.": true,
	"st.": true, "vs.": true, "bros.": true, "etc.": true,
}

// isHeadline reports whether line reads as a title rather than a sentence
// of the article: short, one sentence, and not ended like prose.
func isHeadline(line string) bool {
	n := utf8.RuneCountInString(line)
	words := strings.Fields(line)
	if n < 2 || n > maxTitleRunes || len(words) > maxTitleWords ||
		strings.IndexFunc(line, unicode.IsLetter) < 0 || sentenceBreak.MatchString(line) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	switch last {
	case ',', ';', ':':
		return false
	case '.':
		w := strings.ToLower(words[len(words)-1])
		return abbreviations[w] || strings.Count(w, ".") > 1 // "U.S."
	}
	return true
}

// updateMark finds an "Update:" note run into the end of a paragraph, as
// sites append them ("… in that press release. Update 2: We've also …").
var updateMark = regexp.MustCompile(`[.!?]["”’)]?\s+((?:Update|UPDATE|Correction|CORRECTION)(?: \d+)?:)\s`)

// splitUpdates splits a paragraph before each update note, so a revision
// that adds one shows it as an added paragraph.
func splitUpdates(p string) []string {
	var out []string
	for {
		loc := updateMark.FindStringSubmatchIndex(p)
		if loc == nil {
			return append(out, p)
		}
		out = append(out, strings.TrimSpace(p[:loc[2]]))
		p = p[loc[2]:]
	}
}

// takeByline finds a byline among the first blocks ("By Jane Doe", or
// "by" / "Vlad Savov" / "11.30.2010" on lines of their own), moves it into
// a.Author and a.Published, and returns the blocks without it.
func takeByline(bs [][]string, a *news.Article) [][]string {
	for i := 0; i < len(bs) && i < 3; i++ {
		author, published, ok := byline(bs[i])
		if !ok {
			continue
		}
		a.Author, a.Published = author, published
		return append(bs[:i:i], bs[i+1:]...)
	}
	return bs
}

const maxBylineLine = 60

func byline(b []string) (string, time.Time, bool) {
	if len(b) == 0 || len(b) > 5 {
		return "", time.Time{}, false
	}
	first := strings.Fields(b[0])
	if len(first) == 0 || !strings.EqualFold(first[0], "by") || len(first) > 8 {
		return "", time.Time{}, false
	}
	var names []string
	var published time.Time
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	lines := append([]string{strings.Join(first[1:], " ")}, b[1:]...)
	for _, l := range lines {
		if t, ok := dates.Parse(l); ok {
			published = t
			continue
		}
		if utf8.RuneCountInString(l) > maxBylineLine || !isNameLine(l) {
			return "", time.Time{}, false
		}
		add(l)
	}
	if len(names) == 0 {
		return "", time.Time{}, false
	}
	return strings.Join(names, ", "), published, true
}

// nameConnectors may appear in lower case inside a byline's names.
var nameConnectors = map[string]bool{"and": true, "de": true, "van": true, "von": true,
	"der": true, "den": true, "la": true, "le": true, "du": true, "da": true, "di": true}

// isNameLine reports whether l reads as people's names ("Vlad Savov",
// "Jane Doe and John Roe"), not prose that happens to start with "By the".
func isNameLine(l string) bool {
	for _, w := range strings.Fields(l) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !nameConnectors[strings.ToLower(w)] {
			return false
		}
	}
	return true
}
