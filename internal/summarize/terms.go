package summarize

import (
	"maps"
	"slices"
	"strings"
	"unicode"
)

// eachToken calls fn with every token of text: each run of letters and
// digits, as ROUGE and a reader's eye split words ("don't" is "don" and
// "t"), in its original case.
func eachToken(text string, fn func(tok string)) {
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// stems returns the stems of the tokens of text, lower case.
func stems(text string) []string {
	var out []string
	eachToken(text, func(tok string) { out = append(out, porterStem(strings.ToLower(tok))) })
	return out
}

// isTerm reports whether a lower-case token carries topic: stop words and
// single characters do not.
func isTerm(w string) bool { return len(w) > 1 && !stopwords[w] }

// chatWords mark a sentence as talk between the people in the thread
// ("I think you…", "thanks lol") rather than about its subject; a summary
// reports the subject, so such sentences make poor extracts. URL pieces are
// here too: a link is no point.
// They are stored stemmed, as the corpus numbers words.
var chatWords = stemmedSet(strings.Fields(`i me my mine myself im ive id ill you your yours
yourself youre youve we us our ours m re ve ll d don doesn didn isn wasn t lol lmao haha thanks
thx yeah yep yes ok okay well pretty probably maybe really actually just so here right sure edit
http https www com`))

func stemmedSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[porterStem(w)] = true
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

// wordClass sorts words by how readily a summary of a thread repeats them.
// A summary reports in the third person, in plain connecting prose ("Some
// commenters say that the lanes are safer, while others…"): a few
// function words turn up in nearly every summary, a few more in many, the
// other stop words seldom and the talk between commenters (I, you, lol)
// almost never; content words turn up the more, the more of the thread
// shares them.
type wordClass uint8

const (
	contentWord  wordClass = iota
	connective             // the, a, that, to, and, of
	reporting              // is, in, it, for, they, some, other, say…
	functionWord           // the other stop words
	chatWord               // chatWords
	numClasses
)

var (
	connectives    = stemmedSet(strings.Fields("the a that to and of"))
	reportingWords = stemmedSet(strings.Fields(`is are in it for as with on or not be they their
one other some such say`))
	stopStems = stemmedSet(slices.Collect(maps.Keys(stopwords)))
)

// classOf classes a stemmed word.
func classOf(stem string) wordClass {
	switch {
	case connectives[stem]:
		return connective
	case reportingWords[stem]:
		return reporting
	case chatWords[stem]:
		return chatWord
	case stopStems[stem] || len(stem) <= 1:
		return functionWord
	}
	return contentWord
}
