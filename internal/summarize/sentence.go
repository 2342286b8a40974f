package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// Sentences splits text into sentences. Each sentence is a verbatim
// substring of text with the surrounding space removed, so callers can quote
// it and find it again; nothing but space is ever dropped.
//
// Comment threads are informal: the splitter keeps abbreviations (Mr., e.g.,
// U.S.), decimals, URLs and quoted speech ("Stop!" he said) inside their
// sentence, treats ellipses and emoticons as ends only when a new sentence
// visibly starts after them, breaks at blank lines and at line breaks that
// do not continue a wrapped line, and returns a final sentence that lacks
// closing punctuation as it is.
func Sentences(text string) []string {
	spans := sentenceSpans(text)
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = text[s.start:s.end]
	}
	return out
}

// sentenceSpans is Sentences as byte ranges of text.
func sentenceSpans(text string) []span {
	return appendSentenceSpans(nil, nil, text)
}

// appendSentenceSpans appends the sentences of text to dst, using scratch
// (which it may grow and returns nothing of) for the fields, so a caller
// splitting many texts allocates once.
func appendSentenceSpans(dst []span, scratch *[]span, text string) []span {
	var toks []span
	if scratch != nil {
		toks = appendFieldSpans((*scratch)[:0], text)
		*scratch = toks
	} else {
		toks = appendFieldSpans(nil, text)
	}
	out := dst
	first := 0
	for k := range toks {
		var next *span
		if k+1 < len(toks) {
			next = &toks[k+1]
		}
		if next == nil || breakAfter(text, toks[first:k+1], next) {
			out = append(out, span{toks[first].start, toks[k].end})
			first = k + 1
		}
	}
	return out
}

// fieldSpans returns the byte ranges of the whitespace-separated fields.
func fieldSpans(text string) []span { return appendFieldSpans(nil, text) }

func appendFieldSpans(out []span, text string) []span {
	start := -1
	for i, r := range text {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, span{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(text)})
	}
	return out
}

// breakAfter decides whether the sentence made of toks (in text) ends
// before the field next.
func breakAfter(text string, toks []span, next *span) bool {
	cur := toks[len(toks)-1]
	gap := text[cur.end:next.start]
	nextTok := text[next.start:next.end]
	lines := strings.Count(gap, "\n")
	if lines == 0 && strings.Contains(gap, "   ") {
		lines = 1 // scraped text often turns a line break into a run of spaces
	}
	switch lines {
	case 0:
	case 1:
		if !startsLower(nextTok) {
			return true // a new line that is not a wrapped continuation
		}
	default:
		return true // blank line: a new paragraph
	}
	if isEmoticon(nextTok) {
		return false // the emoticon belongs to the sentence before it
	}
	tok := text[cur.start:cur.end]
	if isEmoticon(tok) {
		return startsSentence(nextTok)
	}
	body, punct := splitTerminal(tok)
	if punct == "" {
		return false
	}
	return terminalBreaks(body, punct, nextTok, len(toks) == 1)
}

// terminalBreaks decides a field ending in sentence punctuation: body is the
// field before the punctuation, punct the punctuation itself (closing quotes
// and brackets included), alone whether the field opens the sentence.
func terminalBreaks(body, punct, next string, alone bool) bool {
	marks := strings.TrimRight(punct, closers)
	quoted := len(marks) < len(punct)
	switch {
	case strings.Contains(marks, "…") || strings.Contains(marks, ".."):
		return startsSentence(next) // "wait... what" keeps going
	case strings.ContainsAny(marks, "!?"):
		return !(quoted && startsLower(next)) // "Stop!" he said.
	}
	// A single full stop: the hard case.
	word := strings.ToLower(strings.TrimLeft(body, openers))
	switch {
	case word == "":
		return true
	case titles[word]:
		return false // Mr. Smith, Dr. Who
	case joiners[word]:
		return false // e.g. this, vs. that
	case beforeNumber[word]:
		return !startsDigit(next) // No. 5, but "No. I disagree."
	case softAbbrev[word]:
		return startsSentence(next) // etc. Then …
	case isInitialism(body):
		return startsSentence(next) && isStarter(next) // the U.S. Army / the U.S. It …
	case isInitial(body):
		return body == "I" // John F. Kennedy, but "so do I."
	case alone && isNumber(body):
		return false // list marker "1."
	}
	return true
}

// Characters that may close or open a sentence around its words.
const (
	closers = `"')]}»”’*_`
	openers = `"'([{«“‘*_`
)

// splitTerminal splits a field into its words and its trailing sentence
// punctuation (., !, ?, … followed by any closing quotes or brackets).
// punct is "" when the field does not end a sentence.
func splitTerminal(tok string) (body, punct string) {
	if last := tok[len(tok)-1]; last < 0x80 && !strings.ContainsRune(closers+".!?", rune(last)) {
		return tok, "" // the common case: a word ends in a letter, digit or comma
	}
	t := strings.TrimRight(tok, closers)
	i := len(t)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(t[:i])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			break
		}
		i -= size
	}
	if i == len(t) {
		return tok, ""
	}
	return tok[:i], tok[i:]
}

// firstLetter returns the first rune of a field after any opening quotes.
func firstLetter(tok string) rune {
	t := strings.TrimLeft(tok, openers)
	if t == "" {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(t)
	return r
}

func startsLower(tok string) bool { return unicode.IsLower(firstLetter(tok)) }
func startsDigit(tok string) bool { return unicode.IsDigit(firstLetter(tok)) }

// startsSentence reports whether a field looks like the first word of a
// sentence: a capital, a digit, or a quote or bracket that opens one.
func startsSentence(tok string) bool {
	r := firstLetter(tok)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || (r == 0 && tok != "")
}

// isStarter reports whether a capitalised word is one that usually opens a
// sentence rather than continuing a name ("U.S. It" versus "U.S. Army").
func isStarter(tok string) bool {
	w := strings.ToLower(strings.TrimRight(strings.TrimLeft(tok, openers), closers+",.!?;:"))
	return starters[w]
}

// isInitialism matches dotted initials such as "U.S" or "D.C" (the final
// dot already removed).
func isInitialism(w string) bool {
	w = strings.TrimLeft(w, openers)
	if len(w) < 3 || len(w)%2 == 0 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		isLetter := (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		if (i%2 == 0 && !isLetter) || (i%2 == 1 && c != '.') {
			return false
		}
	}
	return true
}

// isInitial matches a single capital letter, as in "John F. Kennedy".
func isInitial(w string) bool {
	w = strings.TrimLeft(w, openers)
	return len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z'
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// isEmoticon matches the common text faces, which end sentences as often as
// full stops do in comments.
func isEmoticon(tok string) bool {
	if len(tok) > 6 || !strings.Contains(":;=<^-oOTxX", tok[:1]) {
		return false // every face starts with one of these
	}
	return emoticons[strings.TrimRight(tok, ".,!?")]
}

var emoticons = setOf(
	":)", ":-)", ":(", ":-(", ":D", ":-D", ":P", ":p", ":-P", ":-p", ";)", ";-)", ";D", ";P", ";p",
	"=)", "=(", "=D", "=P", "=p", ":/", ":-/", ":\\", ":'(", ":')", ":O", ":o", ":|", ":-|", ":]",
	":[", ":3", "<3", "</3", "XD", "xD", "xd", "^_^", "^^", "-_-", "o_O", "O_o", "T_T", ":*", ";_;",
)

// Abbreviations, lower case, without their final dot.
var (
	titles = setOf("mr", "mrs", "ms", "dr", "prof", "st", "mt", "sen", "rep", "gov", "gen", "col",
		"capt", "lt", "sgt", "rev", "hon", "pres", "messrs", "mme", "fr", "ft")
	joiners = setOf("vs", "v", "e.g", "i.e", "cf", "approx", "ca", "viz", "al", "esp", "incl",
		"resp", "w", "w/o", "ie", "eg")
	beforeNumber = setOf("no", "nos", "vol", "pp", "p", "ch", "sec", "art", "fig", "op", "ed", "pg")
	softAbbrev   = setOf("etc", "inc", "ltd", "co", "corp", "jr", "sr", "a.m", "p.m", "dept",
		"est", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
		"nov", "dec", "min", "max", "avg")
	starters = setOf("i", "it", "the", "a", "an", "we", "they", "he", "she", "you", "this",
		"that", "these", "those", "there", "but", "and", "so", "if", "in", "on", "at", "my",
		"our", "their", "his", "her", "its", "what", "why", "how", "when", "where", "who", "yes",
		"no", "also", "however", "then", "now", "as", "for", "not", "some", "many", "most",
		"all", "one", "maybe", "well", "oh", "ok", "okay", "anyway", "still", "even", "just")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
