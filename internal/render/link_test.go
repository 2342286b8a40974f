package render

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestLink(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"https", "https://news.example/a", "https://news.example/a"},
		{"http with port and query", "http://news.example:8080/a?b=1", "http://news.example:8080/a?b=1"},
		{"scheme case", "HTTPS://news.example/a", "https://news.example/a"},
		{"ftp", "ftp://files.example/report.pdf", ""},
		{"unparsable once canonical (FuzzCanonicalURL)", "a://[:]/", ""},
		{"javascript", "javascript:alert(1)", ""},
		{"data", "data:text/html,<b>x</b>", ""},
		{"mailto", "mailto:editor@news.example", ""},
		{"relative", "/story/1", ""},
		{"no host", "https:///path", ""},
		{"empty", "", ""},
		{"user info dropped", "https://bank.example@evil.example/login", "https://evil.example/login"},
		{"markdown breakers encoded", "https://news.example/a (b)<c>", "https://news.example/a%20%28b%29%3Cc%3E"},
		{"bidi in the query encoded", "https://news.example/a?f=\u202egnp.exe", "https://news.example/a?f=%E2%80%AEgnp.exe"},
		{"too long for an embed", "https://news.example/" + strings.Repeat("a", MaxURL), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Link(tt.in); got != tt.want {
				t.Errorf("Link(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestStoryWithoutAnHTTPLinkPosts: a story whose link Discord would refuse
// is posted without the link, rather than not at all.
func TestStoryWithoutAnHTTPLinkPosts(t *testing.T) {
	for _, u := range []string{"ftp://files.example/report.pdf", "a://[:]/", "javascript:alert(1)"} {
		s := news.Story{ID: 7, Title: "Report published", URL: u, ImageURL: u, Paragraphs: []string{"The report is out."}}
		m, err := NewStory(s, Post{})
		if err != nil {
			t.Fatal(err)
		}
		e := m.Embeds[0]
		if e.URL != "" || e.Image != nil || e.Title != "Report published" || e.Description != "The report is out." {
			t.Errorf("%s: embed url %q, image %+v, title %q, description %q", u, e.URL, e.Image, e.Title, e.Description)
		}
		reply := UpdateReply(s, news.Revision{Number: 2, Title: s.Title, Added: []string{strings.Repeat("Long paragraph. ", 200), "More."}})
		if strings.Contains(reply.Content, u) {
			t.Errorf("%s: update reply links it:\n%s", u, reply.Content)
		}
	}
}

// TestNoBidiControlReachesAPost: titles, text, names and quotes lose their
// bidi controls wherever they are rendered.
func TestNoBidiControlReachesAPost(t *testing.T) {
	evil := "holiday-\u202egnp.exe \u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069 end"
	s := news.Story{ID: 1, Title: evil, Source: evil, Author: evil, URL: "https://news.example/a", Paragraphs: []string{evil, evil}}
	post, _ := NewStory(s, Post{FeedName: evil})
	upd, _ := UpdatedStory(s, Post{})
	reply := UpdateReply(s, news.Revision{Number: 2, Title: evil, OldTitle: evil, Added: []string{evil}})
	for name, v := range map[string]any{"post": post, "edit": upd, "reply": reply,
		"Escape": Escape(evil), "Quote": Quote(evil), "Trim": Trim(evil, 10, ""), "Lead": Lead([]string{evil}, 100)} {
		raw, _ := json.Marshal(v)
		if strings.ContainsFunc(string(raw), isBidiControl) || strings.Contains(string(raw), `\u202`) || strings.Contains(string(raw), `\u206`) {
			t.Errorf("%s carries a bidi control: %s", name, raw)
		}
	}
	if got := Escape(evil); got != "holiday-gnp.exe   end" {
		t.Errorf("Escape(%q) = %q: the text around the controls must stay", evil, got)
	}
}

func FuzzLink(f *testing.F) {
	for _, s := range []string{"https://news.example/a?b=1#c", "ftp://x/y", "a://[:]/", "A://::", "http://[::1]:80/", "https://u:p@h/", "http://h/\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := Link(raw)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			t.Fatalf("Link(%q) = %q, not an http(s) link Discord accepts (%v)", raw, got, err)
		}
		if len(got) > MaxURL || !utf8.ValidString(got) || strings.ContainsAny(got, " ()<>\"") {
			t.Fatalf("Link(%q) = %q: too long or unsafe in a markdown link", raw, got)
		}
		if again := Link(got); again != got {
			t.Fatalf("Link is not stable: %q → %q → %q", raw, got, again)
		}
	})
}
