package render

import (
	"strings"
	"testing"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "North Korea denies attacking Sony", "North Korea denies attacking Sony"},
		{"bold and underline", "**big** __news__", `\*\*big\*\* \_\_news\_\_`},
		{"code and spoiler", "`rm -rf` ||secret||", "\\`rm -rf\\` \\|\\|secret\\|\\|"},
		{"masked link", "[click](https://evil.example)", `\[click\](https://evil.example)`},
		{"mass mention", "hey @everyone and @here", "hey @\u200beveryone and @\u200bhere"},
		{"user and role mention", "<@123> <@&456>", `\<@123\> \<@&456\>`},
		{"heading", "# Breaking", `\# Breaking`},
		{"quote start", "> not a quote", `\> not a quote`},
		{"list", "- item\n12. first", "\\- item\n12\\. first"},
		{"subtext", "-# small", `\-# small`},
		{"url kept", "see https://example.com/a_b_c.html.", "see https://example.com/a_b_c.html."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestQuoteKeepsEveryLineInside(t *testing.T) {
	in := "first line\n\n> fake quote\n```\ncode\n```\n@everyone look"
	got := Quote(in)
	for i, line := range strings.Split(got, "\n") {
		if line != ">" && !strings.HasPrefix(line, "> ") {
			t.Errorf("line %d %q escapes the quote block", i, line)
		}
	}
	if strings.Contains(got, "@everyone") {
		t.Errorf("mass mention survived: %q", got)
	}
	if !strings.Contains(got, "> \\> fake quote") {
		t.Errorf("nested quote marker not escaped: %q", got)
	}
}

func TestTrim(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"fits", "Short.", 10, "Short."},
		{"at sentence", "One sentence here. Another one that is long.", 30, "One sentence here. …"},
		{"at word", "words without any full stop anywhere", 20, "words without any…"},
		{"sentence ending at the edge (FuzzEscapeQuote)", strings.Repeat("0", 48) + "!00", 50, strings.Repeat("0", 48) + "!…"},
		{"astral runes count double", strings.Repeat("😀", 10), 9, "😀😀😀😀…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Trim(tt.in, tt.max, "")
			if got != tt.want {
				t.Errorf("Trim(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if Len(got) > tt.max {
				t.Errorf("Trim gave %d characters, over %d", Len(got), tt.max)
			}
		})
	}
}

func story() news.Story {
	return news.Story{
		ID: 7, Title: "North Korea denies attacking Sony, offers to help investigate",
		URL: "https://example.com/nk", Source: "example.com", ImageURL: "https://example.com/nk.jpg",
		Paragraphs: []string{
			"North Korea has ratcheted the absurdity level of the Sony hack up a notch. The FBI recently blamed North Korea.",
			"Second paragraph.",
		},
		Published: time.Date(2014, 12, 20, 10, 0, 0, 0, time.UTC), Revision: 1, CommentCount: 22,
	}
}

func TestNewStory(t *testing.T) {
	m, err := NewStory(story(), Post{FeedName: "World"})
	if err != nil {
		t.Fatal(err)
	}
	if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Fatalf("post may ping: allowed_mentions = %+v", m.AllowedMentions)
	}
	e := m.Embeds[0]
	if e.Title != "North Korea denies attacking Sony, offers to help investigate" || e.URL != "https://example.com/nk" {
		t.Errorf("title/url = %q %q", e.Title, e.URL)
	}
	if e.Author.Name != "World" || e.Image.URL != "https://example.com/nk.jpg" || e.Timestamp != "2014-12-20T10:00:00Z" {
		t.Errorf("author/image/time = %q %q %q", e.Author.Name, e.Image.URL, e.Timestamp)
	}
	if e.Footer.Text != "story 7 · 22 comments" {
		t.Errorf("footer = %q", e.Footer.Text)
	}
	if !strings.HasPrefix(e.Description, "North Korea has ratcheted") {
		t.Errorf("description = %q", e.Description)
	}
}

func TestNewStoryStaysInsideDiscordLimits(t *testing.T) {
	s := story()
	s.Title = strings.Repeat("Very long *title* ", 40)
	s.Paragraphs = []string{strings.Repeat("A sentence that goes on. ", 500)}
	tmpl := template.Must(template.New("big").Parse(`{{range .Paragraphs}}{{.}}{{.}}{{end}}`))
	m, err := NewStory(s, Post{FeedName: strings.Repeat("feed", 100), Template: tmpl})
	if err != nil {
		t.Fatal(err)
	}
	e := m.Embeds[0]
	total := Len(e.Title) + Len(e.Description) + Len(e.Author.Name) + Len(e.Footer.Text)
	if Len(e.Title) > MaxEmbedTitle || Len(e.Description) > MaxEmbedDescription ||
		Len(e.Author.Name) > MaxAuthor || total > MaxEmbedTotal {
		t.Errorf("over a limit: title %d, description %d, author %d, total %d",
			Len(e.Title), Len(e.Description), Len(e.Author.Name), total)
	}
}

func TestNewStoryBrokenTemplateFallsBack(t *testing.T) {
	tmpl := template.Must(template.New("feed").Parse("{{.Nope}}"))
	m, err := NewStory(story(), Post{Template: tmpl})
	if err == nil || !strings.Contains(err.Error(), `template "feed"`) {
		t.Fatalf("err = %v, want one naming the template", err)
	}
	if !strings.HasPrefix(m.Embeds[0].Description, "North Korea has ratcheted") {
		t.Errorf("no fallback description: %q", m.Embeds[0].Description)
	}
}

func TestUpdateReplyQuotesAddedParagraphs(t *testing.T) {
	s := story()
	rev := news.Revision{Number: 2, Title: s.Title, Added: []string{
		"The real-life story of the attack could make a better film.",
		"Update: The US isn't exactly buying North Korea's version of events.",
	}}
	m := UpdateReply(s, rev)
	for _, want := range []string{"**Updated:**", "> The real-life story", "> Update: The US isn't exactly buying"} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("reply lacks %q:\n%s", want, m.Content)
		}
	}
	if len(m.AllowedMentions.Parse) != 0 {
		t.Error("reply may ping")
	}
}

func TestUpdateReplyShowsTitleChange(t *testing.T) {
	s := story()
	rev := news.Revision{Number: 2, Title: "New title", OldTitle: "Old title"}
	if got := UpdateReply(s, rev).Content; !strings.Contains(got, "Title: ~~Old title~~ → New title") {
		t.Errorf("reply = %q", got)
	}
}

func TestUpdateReplyTrimsLongChangesWithLink(t *testing.T) {
	s := story()
	var added []string
	for i := 0; i < 30; i++ {
		added = append(added, strings.Repeat("Paragraph text goes here. ", 8))
	}
	m := UpdateReply(s, news.Revision{Number: 2, Title: s.Title, Added: added})
	if Len(m.Content) > MaxContent {
		t.Fatalf("reply is %d characters", Len(m.Content))
	}
	if !strings.Contains(m.Content, "more added paragraphs not shown") || !strings.Contains(m.Content, "<https://example.com/nk>") {
		t.Errorf("no trimming marker or link:\n%s", m.Content)
	}
	if !utf8.ValidString(m.Content) {
		t.Error("cut inside a rune")
	}
}

func FuzzEscapeQuote(f *testing.F) {
	f.Add("**x** @everyone\n> y")
	f.Add("https://a.b/c_d")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		q := Quote(s)
		for _, line := range strings.Split(q, "\n") {
			if line != ">" && !strings.HasPrefix(line, "> ") {
				t.Fatalf("line %q escapes the quote", line)
			}
		}
		if got := Trim(s, 50, ""); Len(got) > 50 {
			t.Fatalf("Trim over limit: %d", Len(got))
		}
		if strings.ContainsFunc(q+Escape(s)+Trim(s, 50, ""), isBidiControl) {
			t.Fatalf("a bidi control passed through: %q", q)
		}
	})
}
