package page

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestIsHeadline(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"North Korea denies attacking Sony, offers to help investigate", true},
		{"North Korea denies attacking Sony, offers to help investigate (updated)", true},
		{"Halo 4 Review | Ready-Up", true},
		{"Sony ships 4.1 million PlayStation Move controllers to retailers (updated)", true},
		{"Deal for Macedonia Name? High Treason, Some Greeks Say", true},
		{"Trump Says He Will Visit the U.S.", true},
		{"Shares of Acme Inc.", true},
		{"Mr. Trump Meets Mr. Kim", true},
		{`An article on the source of the "Xbox is Dead" article posted from 4Square Media.`, false},
		{"Ready-Up writes:", false},
		{"The council voted on Tuesday. Work starts in spring", false},
		{"Three regional papers said on Monday that they will use software to write match reports for amateur football, freeing reporters for longer stories and more time", false},
		{"1234", false},
		{"a", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isHeadline(tt.line); got != tt.want {
				t.Errorf("isHeadline(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

func TestIsChrome(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Advertisement", true},
		{"  ADVERTISEMENT ", true},
		{"Read Full Story >>", true},
		{"The story is too old to be commented.", true},
		{"Share this article", true},
		{"Share on Facebook", true},
		{"42 comments", true},
		{"Subscribe to our newsletter", true},
		{"You have 3 free articles remaining.", true},
		{"Get politics and Washington news updates via Facebook, Twitter and the Morning Briefing newsletter.", true},
		{"A version of this article appears in print on May 17, 2018, on Page A15 of the New York edition.", true},
		{"Advertisement revenue fell by a third last year.", false},
		{"Share prices rose on Monday.", false},
		{"We read the newsletter every morning and it is dull.", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isChrome(tt.line); got != tt.want {
				t.Errorf("isChrome(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

func TestFindHeadersNeedsABreak(t *testing.T) {
	lines := splitLines([]byte("Title\n\nBody.\n\nalice3h ago\n\nI said it.\nbob2h ago\nwas my reply, quoted.\n\ncarol1h ago\nhi"))
	var names []string
	for _, h := range findHeaders(lines) {
		names = append(names, h.readings[0].name)
	}
	if want := []string{"alice", "carol"}; !slices.Equal(names, want) {
		t.Errorf("headers %q, want %q: a header-like line inside a paragraph is text", names, want)
	}
}

func TestCommentBody(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"line breaks kept", []string{"", "one", "two", ""}, "one\ntwo"},
		{"blank runs collapse", []string{"", "", "one", "", "", "", "two"}, "one\n\ntwo"},
		{"quotes verbatim", []string{`"what would you do?"`, "", "> quoted  line", "  indented"}, "\"what would you do?\"\n\n> quoted  line\n  indented"},
		{"chrome dropped", []string{"text", "", "Load more comments"}, "text"},
		{"empty", []string{"", ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commentBody(tt.lines); got != tt.want {
				t.Errorf("commentBody(%q) = %q, want %q", tt.lines, got, tt.want)
			}
		})
	}
}

func TestSplitUpdates(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Plain paragraph. Nothing else.", []string{"Plain paragraph. Nothing else."}},
		{"Sales rose. Update: They fell. Update 2: They rose again.", []string{"Sales rose.", "Update: They fell.", "Update 2: They rose again."}},
		{"Update: leading notes stay whole.", []string{"Update: leading notes stay whole."}},
		{"We will update: maybe.", []string{"We will update: maybe."}},
		{`He said "no." Correction: He said yes.`, []string{`He said "no."`, "Correction: He said yes."}},
	}
	for _, tt := range tests {
		if got := splitUpdates(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitUpdates(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestByline(t *testing.T) {
	tests := []struct {
		name   string
		block  []string
		author string
		date   time.Time
		ok     bool
	}{
		{"stacked", []string{"by", "Vlad Savov", "Vlad Savov", "11.30.2010"}, "Vlad Savov", time.Date(2010, 11, 30, 0, 0, 0, 0, time.UTC), true},
		{"one line", []string{"By Jane Doe and John Roe"}, "Jane Doe and John Roe", time.Time{}, true},
		{"prose", []string{"By the end of the day, the suspect had surrendered."}, "", time.Time{}, false},
		{"heading", []string{"By the numbers"}, "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			author, date, ok := byline(tt.block)
			if author != tt.author || !date.Equal(tt.date) || ok != tt.ok {
				t.Errorf("byline(%q) = %q, %v, %v; want %q, %v, %v", tt.block, author, date, ok, tt.author, tt.date, tt.ok)
			}
		})
	}
}

// TestParseTextFixtures spells out what the golden files hold for the
// awkward cases, so a regression reads as behaviour, not a JSON diff.
func TestParseTextFixtures(t *testing.T) {
	tests := []struct {
		file    string
		title   string
		authors []string
		ages    []time.Duration
		replyTo []int
		edited  []int
	}{
		{
			file:    "robots.txt",
			title:   "Robots are coming to the newsroom",
			authors: []string{"R2D2", "mcstorm", "agent47", "neo1998", "Lara_Croft", "mcstorm", "xX_Sniper_Xx_88", "agent47"},
			ages:    []time.Duration{15 * day, 14 * day, 14 * day, 14 * day, 14 * day, 13 * day, 14 * day, 13 * day},
			replyTo: []int{0, 0, 1, 2, 2, 0, 0, 4},
			edited:  []int{2, 3},
		},
		{
			file:    "bikes.txt",
			title:   "City council approves new bike lanes on Harbour Road",
			authors: []string{"pedal_pusher", "bob_74", "cyclist_99", "pedal_pusher"},
			ages:    []time.Duration{3 * time.Hour, 2 * time.Hour, 45 * time.Minute, 12 * time.Minute},
			replyTo: []int{0, 0, 2, 2},
			edited:  []int{4},
		},
		{
			file:    "archive.txt",
			title:   "Ten years on, the harbour tunnel still leaks",
			authors: []string{"Greta", "Neo_Tokyo2020", "old_timer2", "k9unit", "harbour_watch", "Greta"},
			ages:    []time.Duration{3 * year, 2 * year, year, 11 * month, 5 * month, 2 * week},
			replyTo: []int{0, 0, 0, 0, 3, 0},
		},
		{
			file:    "untitled.txt",
			authors: []string{"rain_man", "Ophelia"},
			ages:    []time.Duration{time.Hour, 45 * time.Minute},
			replyTo: []int{0, 1},
		},
		{file: "robots_updated.txt", title: "Robots are coming to the newsroom (updated)"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := parseFixture(t, tt.file)
			if a.Title != tt.title {
				t.Errorf("title = %q, want %q", a.Title, tt.title)
			}
			var authors []string
			var ages []time.Duration
			var replyTo, edited []int
			for _, c := range a.Comments {
				authors = append(authors, c.Author)
				ages = append(ages, testNow.Sub(c.PostedAt))
				replyTo = append(replyTo, c.ReplyTo)
				if c.Edited() {
					edited = append(edited, c.Index)
				}
			}
			if !slices.Equal(authors, tt.authors) {
				t.Errorf("authors = %q, want %q", authors, tt.authors)
			}
			if !slices.Equal(ages, tt.ages) {
				t.Errorf("ages = %v, want %v", ages, tt.ages)
			}
			if !slices.Equal(replyTo, tt.replyTo) {
				t.Errorf("reply_to = %v, want %v", replyTo, tt.replyTo)
			}
			if !slices.Equal(edited, tt.edited) {
				t.Errorf("edited = %v, want %v", edited, tt.edited)
			}
			for _, p := range a.Paragraphs {
				if isChrome(p) || strings.TrimSpace(p) != p || p == "" {
					t.Errorf("paragraph %q is chrome or untrimmed", p)
				}
			}
		})
	}
}

// TestParseTextRepeatedNames reads a thread where two names ending in
// digits each appear twice glued to ages that also read another way
// (jo718d: jo7 18 days or jo 718 days), listed oldest first and newest
// first. Each pair is decided together, by the thread's time order.
func TestParseTextRepeatedNames(t *testing.T) {
	want := []struct {
		author string
		days   int
	}{{"tomas", 19}, {"jo7", 18}, {"priya", 16}, {"jo7", 12}, {"sam_88", 11}, {"sam_88", 9}}
	for _, tt := range []struct {
		file     string
		reversed bool
	}{{"repeated_oldest.txt", false}, {"repeated_newest.txt", true}} {
		t.Run(tt.file, func(t *testing.T) {
			a := parseFixture(t, tt.file)
			if len(a.Comments) != len(want) {
				t.Fatalf("%d comments, want %d", len(a.Comments), len(want))
			}
			for i, c := range a.Comments {
				w := want[i]
				if tt.reversed {
					w = want[len(want)-1-i]
				}
				if c.Author != w.author || !c.PostedAt.Equal(daysAgo(w.days)) {
					t.Errorf("comment %d = %s %v days ago, want %s %d days ago",
						i+1, c.Author, testNow.Sub(c.PostedAt)/day, w.author, w.days)
				}
			}
		})
	}
}

// parseFixture parses a text dump of testdata as of testNow.
func parseFixture(t *testing.T, file string) news.Article {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := ParseText(f, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
