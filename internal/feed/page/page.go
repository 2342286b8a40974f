// Package page parses a single news page into a news.Article: a text dump
// of the page (a title line, the article's paragraphs, then the reader
// comments, as in the project's seeds) or the page's HTML.
//
// Page chrome ("Advertisement", "Read Full Story >>", share and subscribe
// lines) is dropped from the article and the comments; the list lives in
// chrome.go. Comment ages such as "2138d ago" resolve against Options.Now.
//
// A page that shows no headline parses with Article.Title == "": whether a
// titleless page is usable is the caller's decision (import refuses them).
package page

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// DefaultMaxBytes is the largest page read when Options.MaxBytes is 0.
const DefaultMaxBytes = 10 << 20

// sniffLen is how much of a page the binary and HTML checks look at.
const sniffLen = 1024

// Options says how to read one page.
type Options struct {
	// Now is the moment relative ages ("2138d ago") count back from; the
	// zero time means the current time.
	Now time.Time
	// URL is where the page came from, if known: it names the page in
	// errors and resolves relative links in HTML.
	URL string
	// MaxBytes refuses larger pages; 0 means DefaultMaxBytes.
	MaxBytes int64
}

// Errors callers test for with errors.Is; returned errors wrap them with
// the page and the detail at fault.
var (
	ErrNoTitle  = errors.New("page has no title and no article text")
	ErrEmpty    = errors.New("page is empty")
	ErrBinary   = errors.New("page is binary, not text")
	ErrTooLarge = errors.New("page is too large")
)

// Parse reads a page that may be a text dump or HTML and parses it as
// whichever it is.
func Parse(r io.Reader, opts Options) (news.Article, error) {
	data, err := read(r, opts)
	if err != nil {
		return news.Article{}, err
	}
	if isHTML(data) {
		return parseHTML(data, opts)
	}
	return parseText(data, opts)
}

// ParseText parses a text dump of a page: a title line, the article's
// paragraphs, then the comment thread (see text.go for the format).
func ParseText(r io.Reader, opts Options) (news.Article, error) {
	data, err := read(r, opts)
	if err != nil {
		return news.Article{}, err
	}
	return parseText(data, opts)
}

// ParseHTML parses an HTML article page: metadata from its head, the body
// from the container that holds the article's paragraphs.
func ParseHTML(r io.Reader, opts Options) (news.Article, error) {
	data, err := read(r, opts)
	if err != nil {
		return news.Article{}, err
	}
	return parseHTML(data, opts)
}

// read reads the whole page, refusing it as soon as it passes the size
// limit so a huge input is never held in memory.
func read(r io.Reader, opts Options) ([]byte, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", name(opts), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: more than the %d-byte limit: %w", name(opts), limit, ErrTooLarge)
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, bom))) == 0 {
		return nil, fmt.Errorf("%s: %d bytes, all blank: %w", name(opts), len(data), ErrEmpty)
	}
	return data, checkText(data, opts)
}

var bom = []byte("\ufeff")

// checkText refuses input whose first KiB holds a NUL byte or, unless it is
// HTML that may declare another charset, bytes that are not UTF-8.
func checkText(data []byte, opts Options) error {
	head := data[:min(len(data), sniffLen)]
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fmt.Errorf("%s: NUL byte at offset %d: %w", name(opts), i, ErrBinary)
	}
	if isHTML(data) {
		return nil
	}
	cut := len(head) < len(data)
	for i := 0; i < len(head); {
		if cut && !utf8.FullRune(head[i:]) {
			break // a rune cut in half by the sniff window
		}
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 {
			return fmt.Errorf("%s: invalid UTF-8 at offset %d: %w", name(opts), i, ErrBinary)
		}
		i += size
	}
	return nil
}

// isHTML reports whether data looks like an HTML document rather than a
// text dump that happens to mention a tag.
func isHTML(data []byte) bool {
	head := bytes.TrimLeft(bytes.TrimPrefix(data[:min(len(data), sniffLen)], bom), " \t\r\n")
	if len(head) == 0 || head[0] != '<' {
		return false
	}
	ct := http.DetectContentType(head)
	return strings.HasPrefix(ct, "text/html") ||
		bytes.Contains(bytes.ToLower(head), []byte("<html"))
}

// name names the page in error messages.
func name(opts Options) string {
	if opts.URL != "" {
		return "page " + opts.URL
	}
	return "page"
}

func now(opts Options) time.Time {
	if opts.Now.IsZero() {
		return time.Now().UTC()
	}
	return opts.Now
}
