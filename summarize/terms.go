package summarize

import (
	"strings"
	"unicode"
)

// tokenize appends to ts the content terms of text (stop words and single
// characters out) and to ws all its words, both lower case with
// inflections folded, so that "racks" meets "rack" and "attacking" meets
// "attack".
func tokenize(text string, ts, ws []string) ([]string, []string) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(text[start:end])
		start = -1
		s := stem(w)
		ws = append(ws, s)
		if len(w) > 1 && !stopwords[w] {
			ts = append(ts, s)
		}
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return ts, ws
}

// stem folds the common English inflections. It is deliberately light:
// plural s, -ing, -ed and -ly go, and a final e is dropped everywhere so that
// "make" and "making" meet in "mak".
func stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = undouble(w[:n-2])
	case n > 5 && strings.HasSuffix(w, "ly"):
		w = w[:n-2]
	}
	if len(w) > 3 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

// undouble turns "stopp" (from stopping) back into "stop".
func undouble(w string) string {
	n := len(w)
	if n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("lsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// chatWords mark a sentence as talk between the people in the thread
// ("I think you…", "thanks lol") rather than about its subject; a summary
// reports the subject, so such sentences make poor extracts. URL pieces are
// here too: a link is no point.
// They are stored stemmed, as tokenize returns words.
var chatWords = stemmedSet(strings.Fields(`i me my mine myself im ive id ill you your yours
yourself youre youve we us our ours m re ve ll d don doesn didn isn wasn t lol lmao haha thanks
thx yeah yep yes ok okay well pretty probably maybe really actually just so here right sure edit
http https www com`))

func stemmedSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[stem(w)] = true
	}
	return m
}

// stopwords are the function words and chat fillers that carry no topic.
var stopwords = setOf(strings.Fields(`
a about above after again against all also am an and any are aren arent as at be because been
before being below between both but by can cannot cant could couldn couldnt d did didn didnt do
does doesn doesnt doing don dont down during each either else even ever every few for from
further get gets getting got gotta had hadn hasn has have haven havent having he her here hers
herself him himself his how i if im in into is isn isnt it its itself ive just let ll lol m
many maybe me might more most much must mustn my myself need no nor not now of off ok okay on
once one only or other others ought our ours ourselves out over own quite rather re really s
same say said says see seem seems shan she should shouldn shouldnt so some still such sure t
than that thats the their theirs them themselves then there theres these they theyre this those
though through thus to too toward under until up upon us use used using ve very via want was
wasn wasnt way we well were weren what whatever when where whether which while who whom whose
why will with within without won wont would wouldn wouldnt yeah yes yet you youd youll your
youre yours yourself yourselves youve also actually anyway thing things something anything
everything lot lots like pretty probably thanks thank go going gonna make made know think
`)...)
