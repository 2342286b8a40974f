package summarize

import (
	"slices"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// A reply's stance toward the comment it answers is read from what it
// says, not from its first word: "No, you're right" agrees, and "Two
// thirds of it comes from the cycling fund and can't be spent on buses
// anyway" contradicts "14 million for a footbridge is a lot … I'd rather
// see the buses run on time" without a single cue word. The evidence, in
// units where one piece of contradiction is -1:
//
//   - polarity: a sentence of the reply shares a subject (a content word)
//     with a statement of the parent and one of the two is negated, the
//     other not; a question answered is no contradiction of it;
//   - numbers: the reply gives another number for the same thing ("under 5
//     million" against "14 million");
//   - opposites: the reply uses the opposite of a word of the parent
//     (more/less, safe/dangerous, true/false);
//   - doubt: the reply doubts or disputes, on the parent's subject;
//   - contrast: a sentence turns ("Still…", "… though"), -0.5;
//   - pushback openers and phrases ("No,", "Actually", "I disagree") count
//     as one piece among the others, never alone against the content;
//   - agreement (thanks, "you're right", "makes sense") counts +2, or +0.5
//     when a contrast follows it ("Fair point on the fund … Still think the
//     buses matter more"): the concession only softens the disagreement.
type stance struct {
	score float64
	claim int // the unit of the reply that carries its stance; -1 for none
}

// disputes reports whether the stance is a contradiction.
func (s stance) disputes() bool { return s.score <= -1 }

// Weights of the evidence.
const (
	contrastWeight  = 0.5
	agreeWeight     = 2.0
	concessionWeigh = 0.5
	mostAgainst     = 3.0 // a long reply does not outweigh agreement by length alone
)

// stance reads comment reply (a position) as an answer to comment parent.
func (c *corpus) stance(parent, reply int) stance {
	own := c.own(reply)
	st := stance{claim: -1}
	if len(own) == 0 {
		return st
	}
	ps := c.units[c.starts[parent]:c.starts[parent+1]]
	strongest := 0.0
	agree, contrast := c.agreement(own[0]), false
	for _, r := range own {
		u := &c.units[r]
		sc := 0.0
		if u.cues.contrast {
			contrast = true
			sc -= contrastWeight
		}
		for k := range ps {
			p := &ps[k]
			if !p.cues.question && p.cues.neg != u.cues.neg && c.shared(u, p) > 0 {
				sc--
				break
			}
		}
		if c.otherNumber(ps, u) {
			sc--
		}
		if c.opposite(ps, u) {
			sc--
		}
		if u.cues.doubts && c.sharesAny(ps, u) {
			sc--
		}
		if st.claim < 0 || sc < strongest {
			st.claim, strongest = r, min(sc, strongest)
		}
		st.score += sc
	}
	st.score = max(st.score, -mostAgainst)
	if pushbackCue(c.units[own[0]].body) != "" {
		st.score--
	}
	switch {
	case agree && contrast:
		st.score += concessionWeigh
	case agree:
		st.score += agreeWeight
	}
	return st
}

// own returns the units of comment i that are its own words: not quotes
// of the comment it answers.
func (c *corpus) own(i int) []int {
	var out []int
	for k := c.starts[i]; k < c.starts[i+1]; k++ {
		if !c.units[k].quoted {
			out = append(out, k)
		}
	}
	return out
}

// shared counts the subjects — content terms, not numbers or words of
// stance — two units have in common.
func (c *corpus) shared(a, b *unit) int {
	n := 0
	for i, j := 0, 0; i < len(a.vec) && j < len(b.vec); {
		switch x, y := a.vec[i].term, b.vec[j].term; {
		case x < y:
			i++
		case x > y:
			j++
		default:
			if !c.offTopic[x] {
				n++
			}
			i++
			j++
		}
	}
	return n
}

func (c *corpus) sharesAny(ps []unit, u *unit) bool {
	for k := range ps {
		if c.shared(u, &ps[k]) > 0 {
			return true
		}
	}
	return false
}

// agreement reports whether unit i thanks or agrees.
func (c *corpus) agreement(i int) bool {
	text := c.units[i].text()
	if acknowledges(text) {
		return true
	}
	lower := strings.ToLower(text)
	if !slices.ContainsFunc(agreeKeys, func(k string) bool { return strings.Contains(lower, k) }) {
		return false
	}
	norm := " " + normalizeForCues(text) + " "
	for _, p := range agreePhrases {
		if strings.Contains(norm, " "+p+" ") {
			return true
		}
	}
	return false
}

// otherNumber reports whether u gives a number for something the parent
// numbers differently: "under 5 million" against "14 million".
func (c *corpus) otherNumber(ps []unit, u *unit) bool {
	for _, mine := range u.cues.nums {
		for k := range ps {
			for _, theirs := range ps[k].cues.nums {
				if theirs.thing == mine.thing && theirs.n != mine.n {
					return true
				}
			}
		}
	}
	return false
}

// opposite reports whether u uses the opposite of a word of the parent.
func (c *corpus) opposite(ps []unit, u *unit) bool {
	for _, o := range u.cues.opps {
		id, ok := c.words.ids[o]
		if !ok {
			continue
		}
		for k := range ps {
			if _, found := slices.BinarySearch(ps[k].vocab, id); found {
				return true
			}
		}
	}
	return false
}

// readStance reads reply as an answer to parent, two comments alone, and
// returns the stance with the sentence it rests on.
func readStance(parent, reply string) (stance, string) {
	c := newCorpus(Thread{Comments: []news.Comment{{Index: 1, Body: parent}, {Index: 2, Body: reply, ReplyTo: 1}}})
	st := c.stance(0, 1)
	if st.claim < 0 {
		return st, ""
	}
	return st, c.units[st.claim].text()
}

// cues are what stance reads in a sentence, noted as the corpus reads it.
type cues struct {
	neg, doubts, question, contrast bool
	verb                            bool       // see quality.go: what makes a clause
	nums                            []numbered // "14 million": million, 14
	opps                            []string   // stems of the opposites of its words
}

// numbered is a number and the stem of the word it counts.
type numbered struct{ thing, n string }

// cueFlags mark the spellings stance looks for.
type cueFlags uint32

const (
	cueNegation cueFlags = 1 << iota
	cueNegatable
	cueT // the "t" of "n't"
	cueDoubt
	cueNumber
	cueStance
	cueContrastStart
	cueContrastEnd
	cueOpposite
	cueVerb        // nearly always a verb: is, has, can, said
	cueContraction // the tail of "isn't", "it's", "we're"
	cueEd          // a past form: wanted
	cueS           // a form in -s: costs
	cueSubject     // can stand before a verb in -s: it, that
	cuePronoun     // a subject the base form follows: I, you, we, they
	cueFunction    // a stop word or an adverb in -ly, which no pronoun makes a verb
)

func cueFlagsOf(lower string) cueFlags {
	var f cueFlags
	set := func(on bool, flag cueFlags) {
		if on {
			f |= flag
		}
	}
	set(negations[lower], cueNegation)
	set(negatable[lower], cueNegatable)
	set(lower == "t", cueT)
	set(doubtWords[lower], cueDoubt)
	set(isNumber(lower) || numberWords[lower], cueNumber)
	set(stanceWords[lower], cueStance)
	set(contrastOpeners[lower], cueContrastStart)
	set(lower == "though" || lower == "however", cueContrastEnd)
	_, opp := opposites[lower]
	set(opp, cueOpposite)
	set(verbs[lower], cueVerb)
	set(contractions[lower], cueContraction)
	set(len(lower) > 3 && strings.HasSuffix(lower, "ed"), cueEd)
	set(len(lower) > 2 && strings.HasSuffix(lower, "s") && !strings.HasSuffix(lower, "ss"), cueS)
	set(subjects[lower], cueSubject)
	set(pronouns[lower], cuePronoun)
	set(stopwords[lower] || strings.HasSuffix(lower, "ly"), cueFunction)
	return f
}

// note records what spelling sp (token tok, after prev and prevTok) says
// about its sentence.
func (q *cues) note(sp, prev spelling, tok, prevTok string, first bool) {
	switch {
	case sp.cue&cueNegation != 0, sp.cue&cueT != 0 && prev.cue&cueNegatable != 0:
		q.neg = true
	case sp.cue&cueDoubt != 0:
		q.doubts = true
	}
	if first && sp.cue&cueContrastStart != 0 {
		q.contrast = true
	}
	switch {
	case sp.cue&cueVerb != 0, sp.cue&cueContraction != 0 && !first, sp.cue&cueEd != 0,
		sp.cue&cueS != 0 && prev.cue&cueSubject != 0,
		prev.cue&cuePronoun != 0 && sp.cue&cueFunction == 0:
		q.verb = true
	}
	if sp.cue&cueOpposite != 0 {
		q.opps = append(q.opps, porterStem(opposites[strings.ToLower(tok)]))
	}
	if isNumber(prevTok) && !isNumber(tok) {
		q.nums = append(q.nums, numbered{thing: porterStem(strings.ToLower(tok)), n: prevTok})
	}
}

var (
	negations = setOf("not", "no", "never", "nothing", "none", "nobody", "neither", "nor",
		"cannot", "without", "hardly", "barely", "nowhere", "isnt", "arent", "wasnt", "dont",
		"doesnt", "didnt", "cant", "wont", "couldnt", "shouldnt", "wouldnt", "aint")
	// negatable are the words "n't" attaches to, as eachToken leaves them:
	// "can't" is "can" and "t".
	negatable = setOf("don", "doesn", "didn", "can", "couldn", "won", "wouldn", "shouldn",
		"isn", "aren", "wasn", "weren", "hasn", "haven", "hadn", "ain", "mustn", "needn")
	doubtWords = setOf("doubt", "doubts", "doubtful", "disagree", "disagrees", "unconvinced",
		"wrong", "false", "untrue", "nonsense", "myth", "misleading", "incorrect", "dubious")
	numberWords = setOf("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "hundred", "thousand", "million", "billion", "half", "third", "thirds", "quarter")
	// stanceWords are how a sentence takes its stance, not what it is
	// about, so they never make two sentences share a subject.
	stanceWords     = setOf("think", "doubt", "agree", "disagree", "wrong", "right", "true", "false", "point")
	contrastOpeners = setOf("but", "still", "though", "however", "yet", "although", "except",
		"whereas", "nevertheless", "nonetheless")
	// agreeKeys are words one of which every agreePhrase holds.
	agreeKeys    = []string{"right", "agree", "sense", "point", "thank", "said", "exactly"}
	agreePhrases = []string{"you're right", "you are right", "i agree", "agreed", "makes sense",
		"good point", "fair point", "great point", "thanks", "thank you", "well said", "exactly"}
)

// opposites maps each word to its opposite, both ways.
var opposites = func() map[string]string {
	pairs := [][2]string{{"more", "less"}, {"more", "fewer"}, {"higher", "lower"}, {"increase", "decrease"},
		{"rise", "fall"}, {"safe", "dangerous"}, {"safer", "riskier"}, {"true", "false"},
		{"good", "bad"}, {"better", "worse"}, {"cheap", "expensive"}, {"cheaper", "dearer"},
		{"win", "lose"}, {"right", "wrong"}, {"guilty", "innocent"}, {"legal", "illegal"},
		{"always", "never"}, {"everyone", "nobody"}, {"all", "none"}, {"easy", "hard"},
		{"possible", "impossible"}, {"likely", "unlikely"}, {"increased", "decreased"},
		{"worked", "failed"}, {"works", "fails"}, {"success", "failure"}}
	m := map[string]string{}
	for _, p := range pairs {
		m[p[0]], m[p[1]] = p[1], p[0]
	}
	return m
}()
