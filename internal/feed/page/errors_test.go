package page

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestBadInput(t *testing.T) {
	const url = "https://gazette.example/bad"
	tests := []struct {
		name     string
		input    string
		maxBytes int64
		want     error
		message  string // part of the error an admin reads
	}{
		{"empty", "", 0, ErrEmpty, "page https://gazette.example/bad: 0 bytes, all blank"},
		{"whitespace only", " \n\t\r\n  \n", 0, ErrEmpty, "all blank"},
		{"byte order mark only", "\ufeff\n", 0, ErrEmpty, "all blank"},
		{"NUL bytes", "Title\n\nsome\x00binary\x00data", 0, ErrBinary, "NUL byte at offset 11"},
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 0, ErrBinary, "NUL byte"},
		{"invalid UTF-8", "Title\n\ncaf\xe9 au lait", 0, ErrBinary, "invalid UTF-8 at offset 10"},
		{"too large", strings.Repeat("a", 101), 100, ErrTooLarge, "more than the 100-byte limit"},
		{"only chrome", "Advertisement\n\nShare this article\n", 0, ErrNoTitle, "nothing before the first of 0 comments"},
		{"only comments", "alice3h ago\n\nfirst!\n\nbob2h ago\n\nsecond", 0, ErrNoTitle, "nothing before the first of 2 comments"},
		{"HTML nested too deep", "<html><body>" + strings.Repeat("<div>", 600), 0, news.ErrInvalid, "parse HTML: invalid input: html: open stack of elements exceeds 512 nodes"},
		{"HTML without title or text", "<html><body><nav><a href=/>Home</a></nav></body></html>", 0, ErrNoTitle, "no title and no paragraphs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.input), Options{Now: testNow, URL: url, MaxBytes: tt.maxBytes})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.input, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) || !strings.Contains(err.Error(), url) {
				t.Errorf("error %q should name the page and say %q", err, tt.message)
			}
		})
	}
}

func TestExactlyMaxBytesIsAllowed(t *testing.T) {
	in := "A headline\n\nA paragraph."
	a, err := ParseText(strings.NewReader(in), Options{MaxBytes: int64(len(in))})
	if err != nil || a.Title != "A headline" {
		t.Errorf("ParseText at exactly MaxBytes = %q, %v; want it parsed", a.Title, err)
	}
}

// endless is a reader of unlimited text that counts what was read from it.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "word \n"[i%6]
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestHugeInputIsNotReadWhole feeds a reader that would yield 50 MB (or
// more) and checks that parsing stops just past the limit.
func TestHugeInputIsNotReadWhole(t *testing.T) {
	for _, parse := range []struct {
		name string
		fn   func(io.Reader, Options) error
	}{
		{"Parse", func(r io.Reader, o Options) error { _, err := Parse(r, o); return err }},
		{"ParseText", func(r io.Reader, o Options) error { _, err := ParseText(r, o); return err }},
		{"ParseHTML", func(r io.Reader, o Options) error { _, err := ParseHTML(r, o); return err }},
	} {
		t.Run(parse.name, func(t *testing.T) {
			src := &endless{}
			const limit = 64 << 10
			err := parse.fn(io.LimitReader(src, 50<<20), Options{MaxBytes: limit})
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error = %v, want ErrTooLarge", err)
			}
			if src.read > 2*limit {
				t.Errorf("read %d bytes of a 50 MB input with a %d-byte limit", src.read, limit)
			}
		})
	}
}

func TestDefaultLimit(t *testing.T) {
	src := &endless{}
	_, err := ParseText(io.LimitReader(src, DefaultMaxBytes+10), Options{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10485760-byte limit") {
		t.Errorf("error = %v, want ErrTooLarge at the 10 MiB default", err)
	}
}

// A titleless page with text is not an error: the caller decides.
func TestTitlelessPageParses(t *testing.T) {
	in := "A reader sent us this photo of the flooded underpass this morning.\n\nThe council says pumps are on the way.\n"
	a, err := ParseText(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "" || len(a.Paragraphs) != 2 {
		t.Errorf("got title %q and %d paragraphs, want no title and 2 paragraphs", a.Title, len(a.Paragraphs))
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := Parse(io.MultiReader(strings.NewReader("Title\n"), errReader{boom}), Options{URL: "u"})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "page u: read") {
		t.Errorf("error = %v, want the read error wrapped with the page", err)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
