package thread

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQuote bounds a quotation, in characters: longer "quotes" are usually
// an unmatched quotation mark running on through the comment.
const maxQuote = 600

// maxQuotations is how many quotations of one comment are looked up; a
// comment quoting more is a pasted document, not an answer.
const maxQuotations = 16

// minQuoteWordLen is the shortest single word that counts as a quotation;
// shorter single words ("no", "lol") are said in every thread.
const minQuoteWordLen = 5

// quoteEvidence finds earlier comments that contain text comment j quotes.
// Each quotation names the comment with its longest match; text after "…"
// in a quotation may be elided, so the pieces are tried on their own too.
func (th *prepared) quoteEvidence(j int) []evidence {
	var out []evidence
	qs := quotations(th.cs[j].Body)
	for _, q := range qs[:min(len(qs), maxQuotations)] {
		for _, piece := range quotePieces(q) {
			ws := words(piece)
			if !quotable(ws) {
				continue
			}
			if i, ok := th.nearestHolder(j, ws); ok {
				out = append(out, evidence{target: i, tier: tierQuote, strength: len(ws)})
			}
		}
	}
	return out
}

// maxChecks bounds the comments one quotation is compared with; past it,
// the quoted words are everywhere and say nothing about whom it answers.
const maxChecks = 1000

// nearestHolder returns the nearest comment before j that j may answer and
// that contains the words ws in a row. Only comments holding the rarest of
// the words are compared.
func (th *prepared) nearestHolder(j int, ws []string) (int, bool) {
	var rarest []int
	for k, w := range ws {
		if ps := th.postings[w]; k == 0 || len(ps) < len(rarest) {
			rarest = ps
		}
	}
	needle := pad(ws)
	cands := before(rarest, j)
	for k := len(cands) - 1; k >= 0 && k >= len(cands)-maxChecks; k-- {
		if i := cands[k]; th.eligible(j, i) && strings.Contains(th.padded[i], needle) {
			return i, true // the nearest holder; ties go to it
		}
	}
	return 0, false
}

// quotable reports whether a quotation of ws says enough to point at one
// comment. Three words or more do, even common ones ("what would you do?");
// two need a word that is not a stop word; a lone word must be a long,
// uncommon one ("antics", not "this").
func quotable(ws []string) bool {
	switch len(ws) {
	case 0:
		return false
	case 1:
		return !stopWords[ws[0]] && utf8.RuneCountInString(ws[0]) >= minQuoteWordLen
	case 2:
		return contentWords(ws) > 0
	}
	return true
}

// quotePieces returns q and, when it contains an ellipsis, its parts.
func quotePieces(q string) []string {
	q = strings.ReplaceAll(q, "…", "...")
	parts := strings.Split(q, "...")
	if len(parts) == 1 {
		return parts
	}
	return append([]string{q}, parts...)
}

// quotations returns the quoted passages of body: lines starting with ">"
// and text between quotation marks on one line.
func quotations(body string) []string {
	var out []string
	for line := range strings.SplitSeq(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, ">") {
			out = append(out, strings.TrimLeft(t, "> "))
			continue
		}
		out = append(out, marked(t, false)...)
	}
	return out
}

// quotePairs maps each opening quotation mark to the marks that close it.
var quotePairs = map[rune]string{
	'"': `"”`, '“': `”"`, '„': `“”"`, '«': "»", '‘': "’'", '\'': "'’",
}

// marked returns the passages of line enclosed in quotation marks (only
// single ones when singleOnly is set, inside a double-quoted passage). Single
// quotes double as apostrophes, so a single quote opens only after a
// non-letter and closes only before one ("don't" and "Sony's" are words).
func marked(line string, singleOnly bool) []string {
	var out []string
	rs := []rune(line)
	misses := 0 // openers without a closer; each costs a scan of maxQuote
	for i := 0; i < len(rs) && len(out) < maxQuotations && misses < 4*maxQuotations; i++ {
		closers, ok := quotePairs[rs[i]]
		if !ok || (singleOnly && !isSingle(rs[i])) || (i > 0 && isLetterOrDigit(rs[i-1])) {
			continue
		}
		end := closing(rs, i+1, closers, isSingle(rs[i]))
		if end < 0 {
			misses++
			continue
		}
		q := string(rs[i+1 : end])
		out = append(out, q)
		if !isSingle(rs[i]) {
			// Single quotes nest inside double ones ("… 'The Interview' …").
			out = append(out, marked(q, true)...)
			i = end
		}
	}
	return out
}

func isSingle(r rune) bool { return r == '\'' || r == '‘' }

// closing returns the index of the mark in closers that ends a quotation
// opened just before from, or -1.
func closing(rs []rune, from int, closers string, single bool) int {
	if from >= len(rs) || unicode.IsSpace(rs[from]) {
		return -1
	}
	for k := from; k < len(rs) && k-from <= maxQuote; k++ {
		if !strings.ContainsRune(closers, rs[k]) {
			continue
		}
		if single && k+1 < len(rs) && isLetterOrDigit(rs[k+1]) {
			continue // an apostrophe inside a word
		}
		if k == from {
			return -1
		}
		return k
	}
	return -1
}
