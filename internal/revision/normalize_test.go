package revision

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"whitespace collapsed", []string{"  One\u00a0two\t three\n four  "}, []string{"One two three four"}},
		{"zero-width and soft hyphen dropped", []string{"co\u00adoper\u200bate\ufeff"}, []string{"cooperate"}},
		{"empty paragraphs dropped", []string{"", " ", "\u00a0", "Text"}, []string{"Text"}},
		{"quotes folded", []string{"“Help,” he said ‘twice’"}, []string{`"Help," he said 'twice'`}},
		{"advertisement", []string{"Advertisement", "ADVERTISEMENT", "Text"}, []string{"Text"}},
		{"read full story", []string{"Read Full Story >>", "Read full story »", "Continue reading…", "Text"}, []string{"Text"}},
		{"comment counts", []string{"12 comments", "1,204 Comments", "3.2K comments", "Comments (7)", "View 40 comments", "Text"}, []string{"Text"}},
		{"share bars", []string{"Share", "Share this article", "Share on Facebook", "Share Tweet Email", "Facebook Twitter LinkedIn", "Text"}, []string{"Text"}},
		{"reading time", []string{"4 min read", "Text"}, []string{"Text"}},
		{"tracking in links", []string{"See https://example.com/a?utm_source=x&id=3#top and http://x.org/?fbclid=1."},
			[]string{"See https://example.com/a?id=3#top and http://x.org/."}},
		{"a sentence about comments stays", []string{"The post drew 12 comments from readers."}, []string{"The post drew 12 comments from readers."}},
		{"a sentence about sharing stays", []string{"Share prices fell on Facebook news."}, []string{"Share prices fell on Facebook news."}},
		{"nil", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); !equalStrings(got, tt.want) {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Changes a reader would not call news must not change the hash; real
// edits must.
func TestHash(t *testing.T) {
	title := "Minister resigns over expenses"
	body := []string{
		"The minister resigned on Friday after reports about his expenses.",
		"Read the report at https://example.com/report?id=7 before judging.",
		"12 comments",
	}
	same := []struct {
		name  string
		title string
		paras []string
	}{
		{"whitespace only", "Minister  resigns over\u00a0expenses ", []string{
			"The minister  resigned on Friday\nafter reports about his expenses. ",
			"",
			"Read the report at https://example.com/report?id=7 before judging.",
			"12 comments"}},
		{"tracking params only", title, []string{body[0],
			"Read the report at https://example.com/report?id=7&utm_source=twitter&fbclid=abc before judging.", body[2]}},
		{"comment count line", title, []string{body[0], body[1], "13 comments"}},
		{"comment count line gone", title, body[:2]},
		{"chrome added", title, append([]string{"Advertisement"}, append(body, "Share Tweet Email")...)},
		{"curly quotes", title, body},
	}
	want := Hash(title, body)
	for _, tt := range same {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hash(tt.title, tt.paras); got != want {
				t.Errorf("Hash changed for a non-change: %s vs %s", got, want)
			}
		})
	}
	different := map[string]struct {
		title string
		paras []string
	}{
		"marker in title":  {title + " (updated)", body},
		"word changed":     {title, []string{strings.Replace(body[0], "Friday", "Saturday", 1), body[1]}},
		"paragraph added":  {title, append(body[:2:2], "He denies wrongdoing.")},
		"real query param": {title, []string{body[0], strings.Replace(body[1], "id=7", "id=8", 1)}},
		"paragraphs split": {title, []string{"The minister resigned on Friday", "after reports about his expenses.", body[1]}},
	}
	for name, tt := range different {
		t.Run(name, func(t *testing.T) {
			if Hash(tt.title, tt.paras) == want {
				t.Error("Hash unchanged for a real change")
			}
		})
	}
	if h := Hash("", nil); len(h) != 64 {
		t.Errorf("Hash of nothing = %q, want 64 hex digits", h)
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("Advertisement\x00  “x”  https://a.b/?utm_source=1&q=2\u00a0", "12 comments")
	f.Add("\xff\xfe", "Share Tweet Email")
	f.Fuzz(func(t *testing.T, a, b string) {
		n := Normalize([]string{a, b})
		for _, p := range n {
			if p == "" || !utf8.ValidString(p) || p != strings.TrimSpace(p) {
				t.Fatalf("Normalize gave %q", p)
			}
		}
		if again := Normalize(n); !equalStrings(again, n) {
			t.Fatalf("Normalize not idempotent: %q → %q", n, again)
		}
		if Hash(a, []string{a, b}) != Hash(a, n) {
			t.Fatal("Hash differs between raw and normalised text")
		}
	})
}
