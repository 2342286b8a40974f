package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A point is a claim someone made about the story: a clause at least, with
// something in it a reader could agree or disagree with. Talk between the
// commenters — thanks, agreement, a bare "why?" — moves the conversation
// but says nothing about the subject, so it is never offered as a point.
const (
	clauseWords      = 5 // words a point needs, as budgets count them…
	shortClauseWords = 3 // …unless it has a verb
	clauseTerms      = 2 // distinct content terms a point needs
	questionTerms    = 3 // a question needs more: "Who voted against, and why?" asks, it does not say
	fragmentWords    = 1 // in a thread of one-liners, what a point needs at the least
)

// acknowledgements open a sentence that answers someone rather than saying
// something — thanks, agreement, a concession — whatever follows them:
// "Fair point on the fund, I hadn't read that far" concedes, it claims
// nothing. Compared on normalizeForCues text, as whole words.
var acknowledgements = []string{
	"thanks", "thank you", "thank u", "thx", "much appreciated", "appreciate it", "agreed",
	"i agree", "agree with", "totally agree", "i totally agree", "completely agree", "i completely agree",
	"good point", "great point", "fair point", "valid point", "good call", "fair enough",
	"makes sense", "that makes sense", "that's fair", "well said", "well put", "you're right",
	"you are right", "that's right", "that's true", "good to know", "came here to say this",
	"you beat me to it", "hear hear", "so much this", "this so much", "me too", "same here",
}

// interjections answer someone when they stand alone or are cut off by
// punctuation ("Exactly." "Yes, exactly."), but open ordinary sentences
// too ("True crime…", "Right now the council…"), so they count only
// before a mark, and only when what follows the mark is no clause of its
// own: "Yes, the council approved it in 2019" makes a point.
var interjections = setOf("yes", "yep", "yup", "yeah", "ya", "true", "very true", "so true",
	"too true", "exactly", "this", "same", "right", "correct", "absolutely", "definitely",
	"indeed", "nice", "cool", "great", "awesome", "wow", "oh", "ah", "ha", "haha", "lol",
	"lmao", "ok", "okay", "i see", "gotcha", "noted", "amen", "bingo", "cheers", "ty",
	"yes exactly", "oh well", "oh ok", "ah ok", "ok thanks")

// worthy reports whether a sentence can stand as a point: a clause with
// content, not an acknowledgement, not a question that only asks, not a
// bot's signature or a link with a few words around it.
func worthy(u *unit) bool {
	if u.worth == 0 { // decided once: selection, themes and turns all ask
		u.worth = 2
		if clauseUnit(u) && !acknowledges(u.text()) && !markup(u.text()) && 2*u.links < u.tokens &&
			!(u.cues.question && len(u.vec) < questionTerms) {
			u.worth = 1
		}
	}
	return u.worth == 1
}

// clauseUnit reports whether a sentence is a clause at least: five words
// with two content terms that are not a bare noun phrase, or three words
// with a verb ("Postimg is horrible.").
func clauseUnit(u *unit) bool {
	if u.words >= clauseWords && len(u.vec) >= clauseTerms && !nounPhrase(u) {
		return true
	}
	return u.words >= shortClauseWords && len(u.vec) >= 1 && u.cues.verb
}

// standalone reports whether a worthy sentence can be quoted alone, as a
// bullet: not a later sentence of its comment that leans on the one
// before it.
func standalone(u *unit) bool {
	return worthy(u) && !(u.nth > 0 && leansBack(u.text()))
}

// leansBack reports whether a sentence opens with a word that points at
// the sentence before it ("That would settle the bus argument."): quoted
// alone, it would not say what it is about.
func leansBack(text string) bool {
	return anaphors[firstToken(text)]
}

// anaphors are the openers that lean back, as written at a sentence's
// start.
var anaphors = setOf("That", "This", "It", "These", "Those", "They", "He", "She", "Which",
	"So", "Also", "Then", "Otherwise", "Therefore", "Thus", "Hence", "But", "Still", "Yet",
	"However", "Though", "And", "Or")

// fragment reports whether a sentence may stand as a point of a thread
// that has no worthy sentence at all ("Pancham", "MAGIKARP"): anything but
// an acknowledgement.
func fragment(u *unit) bool {
	return u.words >= fragmentWords && len(u.vec) > 0 && !acknowledges(u.text())
}

// acknowledges reports whether a sentence, after any @-address, opens
// with thanks, agreement or a concession, or is an interjection with no
// clause after it.
func acknowledges(s string) bool {
	s = dropAddress(s)
	if first := firstWord(s); first != "" && !ackOpeners[first] {
		return false // the common case, settled without normalising
	}
	norm := normalizeForCues(s)
	if norm == "" {
		return true
	}
	for _, a := range acknowledgements {
		if hasWordPrefix(norm, a) {
			return !claimFollows(norm[len(a):])
		}
	}
	if rest, ok := strings.CutPrefix(s, "+1"); ok && (rest == "" || !isDigit(rest[0])) {
		return true
	}
	head, rest, cut := strings.Cut(s, ",")
	if k := strings.IndexAny(s, ".!?;:—–"); k >= 0 && (!cut || k < len(head)) {
		head, rest, cut = s[:k], strings.TrimLeft(s[k:], ".!?;:—– "), true
	}
	if !interjections[normalizeForCues(head)] {
		return false
	}
	return !cut || !clause(rest)
}

// ackOpeners are the first words of acknowledgements and interjections,
// lower case, apostrophes straightened.
var ackOpeners = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range acknowledgements {
		m[strings.Fields(a)[0]] = true
	}
	for a := range interjections {
		m[strings.Fields(a)[0]] = true
	}
	return m
}()

// firstWord returns the first run of letters, digits and apostrophes of s,
// lower case, as normalizeForCues would begin; "" when s opens with
// something else, such as "+1".
func firstWord(s string) string {
	return strings.ReplaceAll(strings.ToLower(s[:firstWordEnd(s)]), "’", "'")
}

// firstWordEnd is where the word firstWord reads ends in s.
func firstWordEnd(s string) int {
	end := strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
	if end < 0 {
		end = len(s)
	}
	return end
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// claimConnectors turn an acknowledgement into the frame of a claim: "I
// agree that X", "fair enough, but X", "you're right about X".
var claimConnectors = setOf("that", "but", "which", "though", "however", "about", "with", "although")

// claimFollows reports whether rest, the normalised words after an
// acknowledgement, go on to claim something of their own.
func claimFollows(rest string) bool {
	first, clauseText, _ := strings.Cut(strings.TrimSpace(rest), " ")
	return claimConnectors[first] && clause(clauseText)
}

// clause reports whether text is long enough and says enough to be a
// sentence of its own.
func clause(text string) bool {
	terms := map[string]bool{}
	eachToken(text, func(tok string) {
		if w := strings.ToLower(tok); isTerm(w) {
			terms[w] = true
		}
	})
	return wordCount(text) >= clauseWords && len(terms) >= clauseTerms
}

// dropAddress removes the "@name" or "@ name" a reply may open with.
func dropAddress(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "@") {
		return t
	}
	t = strings.TrimPrefix(strings.TrimPrefix(t, "@"), " ")
	if i := strings.IndexAny(t, " \t\n,:"); i >= 0 {
		return strings.TrimLeft(t[i:], " \t\n,:")
	}
	return ""
}

// isQuestion reports whether a sentence ends in a question mark.
func isQuestion(s string) bool {
	return strings.HasSuffix(strings.TrimRight(s, closers+" "), "?")
}

// nounPhrase reports whether a sentence is a bare noun phrase, an answer
// that only makes sense beside its question: "@bob77 the two members from
// the east ward." Without a tagger, it is a sentence that opens as a noun
// phrase does — an article or a number — and has none of the words that
// mark a verb; sentences that open otherwise are given the benefit of the
// doubt ("I blame the league merger", "Add the gamertag to your list").
func nounPhrase(u *unit) bool {
	first := strings.ToLower(firstToken(dropAddress(u.text())))
	return (nounOpeners[first] || isNumber(first)) && !u.cues.verb
}

// firstToken returns the first run of letters and digits of s, as
// eachToken would give it first.
func firstToken(s string) string {
	start := strings.IndexFunc(s, isWordRune)
	if start < 0 {
		return ""
	}
	end := strings.IndexFunc(s[start:], func(r rune) bool { return !isWordRune(r) })
	if end < 0 {
		return s[start:]
	}
	return s[start : start+end]
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var nounOpeners = setOf("the", "a", "an", "two", "three", "four", "five", "six", "seven",
	"eight", "nine", "ten", "both", "each", "every", "no")

// A clause has a finite verb: "They wanted the money spent on roads" has
// one, "the two members from the east ward" does not. Without a tagger,
// the corpus notes a verb (cues.verb) where it reads a word that is nearly
// always one — an auxiliary, a modal, a contraction, one of the commonest
// verbs, a past form in -ed — a word in -s after a word that can be its
// subject ("it costs"), or a word after a subject pronoun that is no
// function word or adverb ("I prefer", "they play").

// contractions are the tails of "isn't", "it's", "we're", "I'll" as
// eachToken splits them; each carries a verb.
var contractions = setOf("t", "s", "re", "ll", "ve", "d", "m")

// pronouns are subjects the base form of a verb follows.
var pronouns = setOf("i", "you", "we", "they")

// subjects can stand before a verb in -s: "it costs", "that means".
var subjects = setOf("it", "he", "she", "this", "that", "which", "who", "what", "everyone",
	"nobody", "someone", "everything", "nothing", "one", "council", "city", "government", "article")

var verbs = setOf(strings.Fields(`is are was were be been being am isnt arent wasnt werent
has have had hasnt havent hadnt do does did dont doesnt didnt done doing
can could will would shall should may might must cannot cant couldnt wont wouldnt shouldnt
im ive id youre theyre were weve thats theres heres whats its lets
say says said think thinks thought know knows knew get gets got make makes made go goes went
come comes came take takes took see sees saw seem seems want wants need needs look looks find
finds found give gives gave tell tells told work works pay pays cost costs run runs ran build
builds built put puts keep keeps let begin began show shows shown mean means meant feel feels felt
try tries become becomes became leave leaves left call calls hold holds held bring brings brought
write writes wrote read reads buy buys bought spend spends spent lose loses lost win wins won
agree agrees believe believes doubt doubts argue argues suggest suggests use uses like likes
love loves hate hates wish hope hopes happen happens matter matters help helps stop stops start
starts sounds sound seemed looked worked paid happened started stopped tried wanted needed
takes costs goes helps drives drive drove walk walks ride rides vote votes voted`)...)

// lead returns how many bytes of a sentence's opening are address, filler
// and lead-in rather than what it says — "@bob77 ", "lol, ", "Well, ", "I
// think " — so that an extract can start after them, spend its words on
// the claim, and still be the writer's own words.
func lead(s string) int {
	at := 0
	for {
		rest := s[at:]
		next := 0
		if strings.HasPrefix(rest, "@") {
			if d := len(rest) - len(dropAddress(rest)); d < len(rest) {
				next = d
			}
		} else if d := leadIn(rest); d > 0 {
			next = d
		} else if w := firstWord(rest); fillers[w] {
			after := rest[len(w):]
			if t := strings.TrimLeft(after, ",.!:…-— "); len(t) < len(after) && strings.ContainsAny(after[:len(after)-len(t)], ",.!:…-—") && t != "" {
				next = len(rest) - len(t)
			}
		}
		if next == 0 {
			return at
		}
		at += next
	}
}

// fillers open a sentence without saying anything, when punctuation
// sets them off: "lol, ", "Well, ", "Edit: ".
var fillers = setOf("lol", "lmao", "haha", "hah", "heh", "hehe", "well", "oh", "ah", "ahh", "ahah",
	"um", "uh", "hmm", "meh", "edit", "wow", "dude", "man", "so", "anyway", "anyways", "yeah", "yep", "yup")

// leadIns open a sentence with the writer's stance on what follows, not
// with anything it says: "I think that the fund…", "Honestly the fund…",
// "IMO the fund…". The claim is the clause after them, and a summary that
// names its author says whose view it is, so the extract starts there.
// Lower case, apostrophes straightened; matched as whole words at the
// start of a sentence only.
var leadIns = []string{
	"i think that", "i think", "i believe that", "i believe", "i feel like", "i guess",
	"in my opinion", "in my humble opinion", "imo", "imho", "to be fair", "to be honest",
	"tbf", "tbh", "honestly", "personally", "frankly", "basically", "actually",
	"obviously", "of course", "i'd say", "i would say", "i feel that", "i suppose", "i reckon",
	"i'm guessing", "i'd argue that", "i would argue that", "i know that",
	"i also think", "i really think", "i personally think", "i do think", "i'd think",
	"i really believe", "in my experience", "ok so", "so basically",
}

// leadIn returns how many bytes of s a lead-in and the punctuation after
// it take, or 0 when s opens with none, or when too little follows it to
// be a clause of its own ("I think so.", "Honestly, no."): then the
// lead-in is part of what the sentence says.
func leadIn(s string) int {
	for _, l := range leadOpeners[firstWord(s)] { // none, the common case
		at, ok := firstWordEnd(s), true
		for _, w := range l[1:] {
			rest := strings.TrimLeft(s[at:], " ")
			if firstWord(rest) != w {
				ok = false
				break
			}
			at = len(s) - len(rest) + firstWordEnd(rest)
		}
		if !ok {
			continue
		}
		rest := strings.TrimLeft(s[at:], ",:;—– ")
		if rest == s[at:] && at < len(s) && s[at] != ' ' {
			continue // "I thinking", "honestly's": not the whole word
		}
		next := firstWord(rest)
		if l[len(l)-1] == "that" && !subjectOpeners[next] {
			continue // "I think that game is…": "that" is the game's, not the clause's
		}
		if wordCount(rest) < shortClauseWords || !startsClauseWord(rest) || continuers[next] {
			return 0 // "I think so.", "Honestly, no.", "I think about it daily."
		}
		return len(s) - len(rest)
	}
	return 0
}

// subjectOpeners open a clause after "I think that": a subject or
// what leads to one.
var subjectOpeners = setOf("the", "a", "an", "it", "it's", "its", "they", "they're", "we",
	"we're", "you", "you're", "he", "he's", "she", "she's", "i", "i'm", "there", "there's",
	"this", "these", "those", "most", "some", "many", "all", "if", "when", "people", "everyone",
	"nobody", "no", "his", "her", "their", "our", "my", "your", "any", "every", "one")

// continuers go on with the verb of a lead-in rather than opening a
// clause: "I think about…", "I guess not", "I believe in…".
var continuers = setOf("about", "of", "in", "on", "so", "not", "too", "otherwise", "differently",
	"is", "was", "are", "were", "and", "or", "but", "to", "for", "with", "that's", "speaking")

// startsClauseWord reports whether text opens with a letter or digit, as a
// clause does; not with a quote, a bracket or a link.
func startsClauseWord(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// leadOpeners are the leadIns as words, by their first word, in the
// order of the list: "i think that" is tried before "i think".
var leadOpeners = func() map[string][][]string {
	m := map[string][][]string{}
	for _, l := range leadIns {
		w := strings.Fields(l)
		m[w[0]] = append(m[w[0]], w)
	}
	return m
}()

// linkTokens counts the tokens of the links in text: all of them, and
// those chatWords do not already count. A link is an address, not
// something a reader would say, however many words its path has
// ("gatherer", "aspx", "Handlers").
func (c *corpus) linkTokens(text string) (all, extra int) {
	if !strings.Contains(text, "http") && !strings.Contains(text, "www.") {
		return 0, 0
	}
	for _, f := range strings.Fields(text) {
		k := strings.Index(f, "http")
		if k < 0 {
			k = strings.Index(f, "www.")
		}
		if k < 0 {
			continue
		}
		eachToken(f[k:], func(tok string) {
			all++
			if !c.spelling(tok).chat {
				extra++
			}
		})
	}
	return all, extra
}

// markup reports whether a sentence is formatting more than words: a
// bot's superscript signature ("^^^[[cardname]] ^^^to ^^^call"), HTML
// entities.
func markup(text string) bool {
	return strings.Contains(text, "^^") || strings.Contains(text, "&nbsp;") || strings.Count(text, "^") >= 3
}
