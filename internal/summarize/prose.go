package summarize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The prose digest says what the points, themes and disagreements say, in
// the register of a human summary ("Of the 22 people commenting, 9 talk
// about servers and the FBI; alice writes, “…” ChrisW argues, “…”, while
// alice replies, “…”"). Every claim in it is an extract in quotation marks
// credited to its author; the templates below supply only the framing
// words around them — who, how many, "argues", "replies" — and never a
// claim of their own.

// Style is how a summary is laid out.
type Style string

const (
	Points Style = "points" // attributed extracts, one per line
	Prose  Style = "prose"  // one paragraph of attributed extracts in framing words
)

// Prose writes the digest as one short paragraph. It leaves out how many
// people commented, unless it has themes to say it with: a digest is
// shown under its size line.
func (d Digest) Prose() string {
	return proseOf(d, -1, false)
}

// ProseText summarizes a thread as a prose paragraph of at most words
// words, framing words included: the prose style of newsbot summarize.
func ProseText(t Thread, words int) string {
	if words <= 0 {
		return ""
	}
	c := newCorpus(t)
	named := false
	for _, cm := range t.Comments {
		if authorKey(cm.Author) != "" {
			named = true
		}
	}
	d := Digest{Comments: len(t.Comments), People: c.people(t)}
	if named {
		d.Disagreements = c.disagreements(t.Comments, 1)
	}
	// The frame costs words the extracts cannot have: of the extracts'
	// budgets from all the words down, keep the paragraph that fills the
	// most of its budget.
	best := ""
	for budget := words; budget > 0; budget -= max(1, words/8) {
		d.Points = c.extract(limits{words: budget}, defaults)
		if p := proseOf(d, words, true); wordCount(p) > wordCount(best) {
			best = p
		}
	}
	return best
}

// people counts the distinct named authors, and each comment without a
// name as one more.
func (c *corpus) people(t Thread) int {
	seen := map[string]bool{}
	n := 0
	for _, cm := range t.Comments {
		switch a := authorKey(cm.Author); {
		case cm.Deleted:
		case a == "":
			n++
		case !seen[a]:
			seen[a] = true
			n++
		}
	}
	return n
}

// proseOf lays out d as a paragraph, opening with the thread's size when
// size is set or there are themes; with budget ≥ 0, the clauses that would
// take it over budget words are left out, the opening and the first point
// first.
func proseOf(d Digest, budget int, size bool) string {
	w := proseWriter{named: named(d)}
	var parts []string
	add := func(s string) bool {
		if s == "" {
			return true
		}
		if budget >= 0 && wordCount(strings.Join(append(parts, s), " ")) > budget {
			return false
		}
		parts = append(parts, s)
		return true
	}
	if size || len(d.Themes) > 0 {
		add(w.opening(d))
	}
	var argument *Exchange
	shown := map[int]bool{}
	if len(d.Disagreements) > 0 {
		argument = &d.Disagreements[0]
		for _, t := range argument.Turns {
			shown[t.Index] = true // quoted in the argument
		}
	}
	if argument != nil {
		// The argument leads: it is what a reader most wants to know of
		// a thread that has one.
		before := w
		if !add(w.exchange(*argument)) {
			w = before
		}
	}
	first := true
	for _, p := range d.Points {
		if shown[p.Index] {
			continue
		}
		before := w
		if !add(w.point(p, first)) {
			// The last point that does not fit whole is quoted as far as
			// the budget goes.
			w = before
			sofar := wordCount(strings.Join(parts, " "))
			frame := wordCount(w.point(Point{Author: p.Author, Others: p.Others}, first))
			w = before
			if left := budget - sofar - frame; left >= defaults.minTrim {
				p.Text = trimWords(p.Text, left)
				add(w.point(p, first))
			}
			break
		}
		first = false
	}
	return strings.Join(parts, " ")
}

// named reports whether the digest knows who wrote what.
func named(d Digest) bool {
	for _, p := range d.Points {
		if p.Author != "" {
			return true
		}
	}
	for _, x := range d.Disagreements {
		if x.People[0] != "" {
			return true
		}
	}
	return len(d.Active) > 0
}

// proseWriter holds the framing words, and counts the anonymous
// commenters it has introduced so that they read "one commenter",
// "another".
type proseWriter struct {
	named     bool
	anonymous int
}

// opening is the size of the thread and, for a long one, its themes.
func (w *proseWriter) opening(d Digest) string {
	if len(d.Themes) == 0 {
		switch {
		case d.People > 1:
			return fmt.Sprintf("%d people commented.", d.People)
		case d.Comments > 0:
			return fmt.Sprintf("%s.", plural(d.Comments, "comment"))
		}
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Of the %d people commenting, ", d.People)
	for k, t := range d.Themes {
		if k > 0 {
			b.WriteString(" ")
		}
		verb := "talk"
		if t.People == 1 {
			verb = "talks"
		}
		fmt.Fprintf(&b, "%d %s about %s; %s writes, %s", t.People, verb, list(t.Words),
			w.who(t.Point.Author), quoted(t.Point.Text, true))
	}
	return b.String()
}

// exchange frames an argument: the first claim, the reply that disputes
// it, and a third turn when there is one.
func (w *proseWriter) exchange(x Exchange) string {
	if len(x.Turns) < 2 {
		return ""
	}
	a, b := x.Turns[0], x.Turns[1]
	s := fmt.Sprintf("%s argues, %s, while %s replies, %s", w.who(a.Author), quoted(a.Text, false),
		w.who(b.Author), quoted(b.Text, len(x.Turns) == 2))
	if len(x.Turns) > 2 {
		c := x.Turns[2]
		s += fmt.Sprintf(", and %s answers, %s", w.who(c.Author), quoted(c.Text, true))
	}
	return capitalize(s)
}

// point frames one main point, with the people who made it too.
func (w *proseWriter) point(p Point, first bool) string {
	verb := "adds"
	if first {
		verb = "points out"
	}
	if isQuestion(p.Text) {
		verb = "asks"
	}
	who := w.who(p.Author)
	if p.Others > 0 {
		who = fmt.Sprintf("%s and %s", who, plural(p.Others, "other"))
		verb = pluralVerb(verb)
	}
	return capitalize(fmt.Sprintf("%s %s, %s", who, verb, quoted(p.Text, true)))
}

// who names an author, or introduces an anonymous commenter.
func (w *proseWriter) who(author string) string {
	if a := strings.TrimSpace(author); a != "" && w.named {
		return a
	}
	w.anonymous++
	switch w.anonymous {
	case 1:
		return "one commenter"
	case 3:
		return "a third"
	case 4:
		return "a fourth"
	}
	return "another"
}

// quoted puts an extract in quotation marks; at the end of a sentence it
// keeps its own closing mark or gets a full stop, inside one it loses a
// final full stop so the sentence can go on.
func quoted(text string, end bool) string {
	text = strings.Join(strings.Fields(text), " ")
	if !end {
		text = strings.TrimSuffix(text, ".")
		return "“" + text + "”"
	}
	if r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(text, closers)); strings.ContainsRune(".!?…", r) {
		return "“" + text + "”"
	}
	return "“" + text + "”."
}

// list joins words as prose does: "a", "a and b", "a, b and c".
func list(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// pluralVerb turns a framing verb's third person singular into the plural.
func pluralVerb(v string) string {
	switch v {
	case "points out":
		return "point out"
	case "asks":
		return "ask"
	}
	return strings.TrimSuffix(v, "s")
}

// capitalize upper-cases the first letter of a sentence that opens with
// a frame word ("one commenter…"); one that opens with a name keeps the
// name as its author wrote it (marta_k stays marta_k).
func capitalize(s string) string {
	if !strings.HasPrefix(s, "one commenter") && !strings.HasPrefix(s, "another") && !strings.HasPrefix(s, "a ") {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
