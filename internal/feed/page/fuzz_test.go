package page

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func addFixtures(f *testing.F, ext string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
}

// checkArticle asserts what every parse must uphold, whatever the input.
func checkArticle(t *testing.T, a news.Article, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrNoTitle) &&
			!errors.Is(err, ErrTooLarge) && !errors.Is(err, news.ErrInvalid) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		return
	}
	if !utf8.ValidString(a.Title) || strings.Contains(a.Title, "\n") {
		t.Errorf("title %q is not one line of UTF-8", a.Title)
	}
	for _, p := range a.Paragraphs {
		if p == "" || strings.TrimSpace(p) != p || !utf8.ValidString(p) {
			t.Errorf("paragraph %q is empty, untrimmed or not UTF-8", p)
		}
	}
	for i, c := range a.Comments {
		if c.Index != i+1 {
			t.Errorf("comment %d has Index %d", i+1, c.Index)
		}
		if c.ReplyTo < 0 || c.ReplyTo >= c.Index {
			t.Errorf("comment %d answers %d", c.Index, c.ReplyTo)
		}
		if c.Author == "" || !utf8.ValidString(c.Body) {
			t.Errorf("comment %d: author %q, body %q", c.Index, c.Author, c.Body)
		}
		if c.PostedAt.After(testNow) || c.PostedAt.Before(testNow.Add(-maxAge)) {
			t.Errorf("comment %d posted %v, outside the thirty years before %v", c.Index, c.PostedAt, testNow)
		}
	}
}

func FuzzParseText(f *testing.F) {
	addFixtures(f, ".txt")
	for _, s := range []string{"", "\x00", "T\n\na1d ago\n\nx", "ChrisW2138d ago (Edited 2138d ago )",
		"T\n\nsonic9892138d ago\n\n@ sonic \"q\" 'q'\n\nJrmy842138d ago\n\n> q"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseText(bytes.NewReader(data), Options{Now: testNow, MaxBytes: 1 << 16})
		checkArticle(t, a, err)
	})
}

func FuzzParseHTML(f *testing.F) {
	addFixtures(f, ".html")
	for _, s := range []string{"", "<", "<html><body><p>a, b, c, d, e, f, g, h, i, j, k, l, m</p></body></html>",
		`<script type="application/ld+json">{"@graph":[[[[[{"@type":"Article"}]]]]]}</script>`,
		"<meta charset=shift_jis><title>\x82\xa0</title>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseHTML(bytes.NewReader(data), Options{Now: testNow, MaxBytes: 1 << 16, URL: "https://x.example/a"})
		checkArticle(t, a, err)
	})
}
