package summarize

import (
	"regexp"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// attributed finds each quotation of a prose digest with the name it is
// credited to: "Sunny_D replies, “…”".
var attributed = regexp.MustCompile(`(\S+) (?:and \d+ others? )?(?:argues|replies|answers|points out|point out|adds|add|asks|ask|writes), “([^”]+)”`)

// checkProse fails unless every quotation in prose is the words of a
// comment by the author it is credited to, and prose has some.
func checkProse(t *testing.T, th Thread, prose string) {
	t.Helper()
	ms := attributed.FindAllStringSubmatch(prose, -1)
	if len(ms) == 0 || len(ms) != strings.Count(prose, "“") {
		t.Fatalf("%d attributed quotations, %d quotations in %q", len(ms), strings.Count(prose, "“"), prose)
	}
	for _, m := range ms {
		quote := strings.TrimSuffix(m[2], "…")
		found := false
		for _, c := range th.Comments {
			if (c.Author == m[1] || m[1] == "commenter" || m[1] == "another" || m[1] == "third" || m[1] == "fourth") &&
				verbatimIn(strings.Join(strings.Fields(c.Body), " "), quote) {
				found = true
			}
		}
		if !found {
			t.Errorf("quotation %q is not from a comment by %s", quote, m[1])
		}
	}
}

func TestProseNamesTheArgument(t *testing.T) {
	th := footbridge()
	prose := NewDigest(th, Standard).Prose()
	checkProse(t, th, prose)
	if !strings.HasPrefix(prose, "Halvard argues, “") || !strings.Contains(prose, ", while Sunny_D replies, “") {
		t.Errorf("prose does not open with the argument between Halvard and Sunny_D: %q", prose)
	}
	for _, bad := range []string{"thanks", "Fair point", "either/or"} {
		if strings.Contains(prose, bad) {
			t.Errorf("prose quotes %q: %q", bad, prose)
		}
	}
}

func TestProseTextKeepsTheBudget(t *testing.T) {
	th := footbridge()
	anonymous := Thread{Title: th.Title}
	for _, c := range th.Comments {
		c.Author = ""
		anonymous.Comments = append(anonymous.Comments, c)
	}
	for _, words := range []int{12, 30, 65, 200} {
		p := ProseText(th, words)
		if n := wordCount(p); n > words || n == 0 {
			t.Errorf("%d words of prose for a budget of %d: %q", n, words, p)
		}
		if words >= 30 {
			checkProse(t, th, p)
		}
		a := ProseText(anonymous, words)
		if strings.Contains(a, "Halvard") || (words >= 30 && !strings.Contains(a, "One commenter points out, “")) {
			t.Errorf("prose of a thread without names: %q", a)
		}
	}
	if p := ProseText(Thread{Title: "Quiet"}, 65); p != "" {
		t.Errorf("prose of a thread without comments: %q", p)
	}
}

// TestThemesOfALongThread: a thread of 36 comments about three things
// gets those three as themes, named by their words, with the people who
// took part and a sentence of the theme credited to its author.
func TestThemesOfALongThread(t *testing.T) {
	topics := []struct {
		word  string
		lines []string
	}{
		{"parking", []string{"The parking garage on Mill Street will lose forty spaces.", "Parking fees in the garage went up again this spring.",
			"Nobody can find parking near the garage at night.", "The garage parking is half empty on weekdays."}},
		{"ferry", []string{"The old ferry ran every twenty minutes before it stopped.", "Bring back the ferry, it was quicker than any bridge.",
			"The ferry crossing took five minutes with a bike.", "A ferry costs less to run than a bridge costs to build."}},
		{"school", []string{"Kids walk forty minutes to the school every morning.", "The school run blocks Station Road at eight.",
			"Parents at the school have asked for a crossing for years.", "A safe route to school matters more than anything."}},
	}
	var th Thread
	for i := range 36 {
		tp := topics[i%3]
		th.Comments = append(th.Comments, news.Comment{Index: i + 1, Author: tp.word + string(rune('a'+i/3)),
			Body: tp.lines[(i/3)%len(tp.lines)]})
	}
	d := NewDigest(th, Standard)
	if len(d.Themes) != 3 {
		t.Fatalf("%d themes, want 3: %+v", len(d.Themes), d.Themes)
	}
	seen := map[string]bool{}
	for _, x := range d.Themes {
		seen[x.Words[0]] = true
		if x.People != 12 || x.Comments != 12 {
			t.Errorf("theme %v: %d people, %d comments; want 12 and 12", x.Words, x.People, x.Comments)
		}
		if !strings.HasPrefix(x.Point.Author, x.Words[0]) {
			t.Errorf("theme %v quotes %s: %q", x.Words, x.Point.Author, x.Point.Text)
		}
		checkPoints(t, th, []Point{x.Point}, 100)
	}
	for _, tp := range topics {
		if !seen[tp.word] {
			t.Errorf("no theme named by %q: %+v", tp.word, d.Themes)
		}
	}
	if short := NewDigest(footbridge(), Standard); len(short.Themes) != 0 {
		t.Errorf("a 10-comment thread has themes: %+v", short.Themes)
	}
	if p := d.Prose(); !strings.HasPrefix(p, "Of the 36 people commenting, 12 talk about ") {
		t.Errorf("prose of a long thread does not open with its themes: %q", p)
	}
}
