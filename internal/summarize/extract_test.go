package summarize

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// checkPoints asserts that every extract is its author's own words: a
// verbatim piece of the comment it names (but for a trailing "…" where it
// was cut), attributed to that comment's author, within the budget.
func checkPoints(t *testing.T, th Thread, points []Point, words int) {
	t.Helper()
	byIndex := map[int]news.Comment{}
	for _, c := range th.Comments {
		byIndex[c.Index] = c
	}
	total := 0
	for _, p := range points {
		c, ok := byIndex[p.Index]
		if !ok {
			t.Fatalf("point %q names comment %d, which the thread lacks", p.Text, p.Index)
		}
		if p.Author != c.Author {
			t.Errorf("point %q attributed to %q, but comment %d is by %q", p.Text, p.Author, p.Index, c.Author)
		}
		text := strings.TrimSuffix(p.Text, "…")
		if text == "" || !verbatimIn(c.Body, text) {
			t.Errorf("point %q is not verbatim from comment %d %q", p.Text, p.Index, c.Body)
		}
		total += wordCount(p.Text)
	}
	if total > words {
		t.Errorf("points have %d words, budget %d", total, words)
	}
	if n := wordCount(Text(points, words)); n > words {
		t.Errorf("Text has %d words, budget %d", n, words)
	}
}

// verbatimIn reports whether text is words of body as written, spacing aside,
// but for the "…" that marks a sentence's opening left out ("Actually
// the FBI said…" quoted as "…the FBI said…").
func verbatimIn(body, text string) bool {
	return strings.Contains(body, strings.TrimPrefix(text, "…"))
}

func TestExtractQuotesItsAuthors(t *testing.T) {
	th := bikeLanes()
	for _, words := range []int{1, 2, 5, 12, 40, 90, 180, 1000} {
		t.Run(fmt.Sprint(words), func(t *testing.T) {
			points := Extract(th, words)
			if len(points) == 0 {
				t.Fatal("no points")
			}
			checkPoints(t, th, points, words)
		})
	}
}

func TestExtractPicksTheMainPoints(t *testing.T) {
	points := Extract(bikeLanes(), Standard.Words())
	text := Text(points, Standard.Words())
	// The thread is about protected lanes, parking and shops; "lol" is no
	// point.
	for _, want := range []string{"Protected", "parking"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q: %s", want, text)
		}
	}
	for _, unwanted := range []string{"lol"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("summary quotes %q: %s", unwanted, text)
		}
	}
	for i := 1; i < len(points); i++ {
		if points[i].Index < points[i-1].Index {
			t.Errorf("points out of thread order: %d after %d", points[i].Index, points[i-1].Index)
		}
	}
}

func TestExtractIsDeterministic(t *testing.T) {
	want := Extract(bikeLanes(), 60)
	for range 20 {
		if got := Extract(bikeLanes(), 60); !reflect.DeepEqual(got, want) {
			t.Fatalf("second run differs:\n got %+v\nwant %+v", got, want)
		}
	}
}

func TestExtractEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		th    Thread
		words int
		want  string
	}{
		{"no comments", Thread{Title: "Quiet story"}, 40, ""},
		{"zero budget", bikeLanes(), 0, ""},
		{"only blank comments", Thread{Comments: []news.Comment{{Index: 1, Body: "  \n "}}}, 40, ""},
		{"one-liners still summarized", Thread{Comments: []news.Comment{{Index: 1, Author: "a", Body: "Pancham"}}}, 40, "Pancham"},
		{"cut at a word boundary", Thread{Comments: []news.Comment{{Index: 1, Author: "a",
			Body: "Protected lanes worked well in Portland, Oregon."}}}, 4, "Protected lanes worked well…"},
		{"cut after a word of punctuation", Thread{Comments: []news.Comment{{Index: 1, Author: "a",
			Body: "# footbridge 0"}}}, 1, "#…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(Extract(tt.th, tt.words), tt.words); got != tt.want {
				t.Errorf("summary %q, want %q", got, tt.want)
			}
		})
	}
}

// TestExtractSkipsQuotedWords: a reply that repeats the words it answers
// must not have them quoted back as its own point.
func TestExtractSkipsQuotedWords(t *testing.T) {
	halvard := "14 million for a footbridge is a lot. The road bridge is right there."
	tests := []struct{ name, reply string }{
		{"in quotation marks", "\"14 million for a footbridge is a lot\"\n\nTwo thirds of it comes from the cycling fund."},
		{"as a > line", "> 14 million for a footbridge is a lot\n\nTwo thirds of it comes from the cycling fund."},
		{"bare", "14 million for a footbridge is a lot.\n\nTwo thirds of it comes from the cycling fund."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := Thread{Title: "Council approves footbridge", Comments: []news.Comment{
				{Index: 1, Author: "Halvard", Body: halvard},
				{Index: 2, Author: "Sunny_D", Body: tt.reply, ReplyTo: 1},
			}}
			points := Extract(th, 1000)
			checkPoints(t, th, points, 1000)
			for _, p := range points {
				if p.Author == "Sunny_D" && strings.Contains(p.Text, "14 million") {
					t.Errorf("Halvard's words credited to Sunny_D: %q", p.Text)
				}
			}
			if text := Text(points, 1000); !strings.Contains(text, "Two thirds") || !strings.Contains(text, "14 million") {
				t.Errorf("summary %q lacks Sunny_D's own point or Halvard's", text)
			}
		})
	}
}

func TestTextCollapsesSpaceAndKeepsBudget(t *testing.T) {
	points := []Point{{Text: "One  two\nthree."}, {Text: "Four five six."}}
	tests := []struct {
		words int
		want  string
	}{
		{10, "One two three. Four five six."},
		{4, "One two three. Four…"},
		{3, "One two three…"},
		{0, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.words), func(t *testing.T) {
			if got := Text(points, tt.words); got != tt.want {
				t.Errorf("Text(%d) = %q, want %q", tt.words, got, tt.want)
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Mr. Smith said no. I disagree!", "Wait... what? :)", "lol", uint8(10))
	f.Add("", "", "", uint8(0))
	f.Add("a b c d e f g", "\n\n\n", "U.S. It is. e.g. this", uint8(3))
	f.Fuzz(func(t *testing.T, a, b, c string, words uint8) {
		th := Thread{Title: "t", Question: c, Comments: []news.Comment{
			{Index: 1, Author: "x", Body: a}, {Index: 2, Author: "y", Body: b, ReplyTo: 1},
			{Index: 3, Author: "x", Body: c, ReplyTo: 2}}}
		points := Extract(th, int(words))
		checkPoints(t, th, points, int(words))
		if again := Extract(th, int(words)); !reflect.DeepEqual(again, points) {
			t.Fatalf("not deterministic: %+v then %+v", points, again)
		}
		NewDigest(th, Short).Prose()
		if p := ProseText(th, int(words)); wordCount(p) > int(words) {
			t.Errorf("prose of %d words, budget %d: %q", wordCount(p), words, p)
		}
	})
}
