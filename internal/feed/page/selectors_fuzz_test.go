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

// checkComments asserts what every list of comments must uphold.
func checkComments(t *testing.T, cs []news.Comment) {
	t.Helper()
	for i, c := range cs {
		if c.Index != i+1 {
			t.Errorf("comment %d has Index %d", i+1, c.Index)
		}
		if c.ReplyTo < 0 || c.ReplyTo >= c.Index {
			t.Errorf("comment %d answers %d", c.Index, c.ReplyTo)
		}
		if c.Depth < 0 || c.Depth > 0 && (c.ReplyTo == 0 || c.Depth != cs[c.ReplyTo-1].Depth+1) {
			t.Errorf("comment %d at depth %d answers %d", c.Index, c.Depth, c.ReplyTo)
		}
		if c.Deleted != (c.Body == "") || !utf8.ValidString(c.Body) || !utf8.ValidString(c.Author) {
			t.Errorf("comment %d: deleted %v with body %q by %q", c.Index, c.Deleted, c.Body, c.Author)
		}
		if strings.TrimSpace(c.Author) != c.Author || strings.Contains(c.Author, "\n") {
			t.Errorf("comment %d: author %q is not one trimmed line", c.Index, c.Author)
		}
		for _, p := range strings.Split(c.Body, "\n\n") {
			if !c.Deleted && strings.TrimSpace(p) == "" {
				t.Errorf("comment %d: empty paragraph in %q", c.Index, c.Body)
			}
		}
	}
}

// fuzzSelectors are selector sets the fuzzer's pages are read with.
var fuzzSelectors = []Selectors{
	{Container: ".c", Author: ".a", Time: "time", Body: ".b", Parent: "data-parent"},
	{Container: "li, div", Author: "b", Time: ".t", Parent: "a"},
	{Container: "li.comment", Author: ".comment-author .fn", Time: ".comment-metadata time", Body: ".comment-content"},
	{Container: "*", Parent: "id"},
}

func FuzzCommentsHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "comments", "*.html"))
	for i, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data, uint8(i))
		}
	}
	for i, s := range []string{"", "<", nested(30), `<div class=c id=1 data-parent=2><div class=c id=2 data-parent=1>x`,
		`<li id=a><a href=#a>a</a><li id=b><a href="#a">b</a><b>@a</b> "a"`, `<p class=c><time datetime=x>99999999999999 years ago`} {
		f.Add([]byte(s), uint8(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		sel := fuzzSelectors[int(which)%len(fuzzSelectors)]
		l, err := ParseCommentsHTML(bytes.NewReader(data), sel, Options{Now: testNow, MaxBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, news.ErrInvalid) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		checkComments(t, l.Comments)
		if l.Found != len(l.Comments)+l.Skipped+l.Dropped {
			t.Errorf("found %d != %d kept + %d skipped + %d dropped", l.Found, len(l.Comments), l.Skipped, l.Dropped)
		}
	})
}
