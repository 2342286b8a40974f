package page

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/thread"
)

// Selectors say where the comments sit in an HTML page, for sites that
// render their discussion into the article page itself. Each is a CSS
// selector in cascadia's syntax (groups with ",", attribute selectors,
// structural pseudo-classes; no pseudo-elements). The fields are those of
// config.Selectors, which this package does not import.
type Selectors struct {
	// Container is required: every element it matches is one comment, in
	// document order. A container inside another container is its reply
	// unless Parent says otherwise.
	Container string
	// Author, Time and Body are matched inside the container, never inside
	// a nested container (a reply's author is not its parent's). The first
	// match of Author and Time counts; every outermost match of Body does.
	Author string
	Time   string
	// Body empty means the container's own text, less the Author, Time and
	// Parent elements and any nested comments.
	Body string
	// Parent is the name of a container attribute holding the parent
	// comment's id ("data-parent"), or a selector inside the container for
	// an element whose href fragment ("#comment-12") or text names it.
	// A bare name is tried as an attribute first, then as a selector.
	Parent string
}

// MaxComments is the most comments one page yields; containers past it are
// not read and are counted in CommentList.Dropped.
const MaxComments = 10000

// CommentList is the comments of one page and what was left out of them.
type CommentList struct {
	// Comments in page order: Index 1..n, ReplyTo always an earlier Index.
	// Nil when the page has none.
	Comments []news.Comment
	Found    int // containers the Container selector matched
	Skipped  int // containers with no text and no replies, left out
	Dropped  int // containers past MaxComments, not read
}

// CommentsHTML reads the comments that sel locates in an HTML page. Past
// MaxComments it keeps the first MaxComments silently; use
// ParseCommentsHTML to learn how many were dropped.
//
// Each comment gets:
//   - Author: the Author element's text ("says:" and a leading "by "
//     removed; its title or alt when it has no text); "" when there is
//     none: the comment is kept, as other comment sources keep it.
//   - PostedAt: from the Time element's datetime attribute, then
//     data-timestamp, data-time, title, a descendant's datetime, its text;
//     RFC 3339 and common date layouts, unix seconds or milliseconds, and
//     ages such as "3 hours ago" or "2d ago" counted back from Options.Now.
//     Zero when none of them parses.
//   - Body: paragraphs separated by a blank line (block elements and
//     <br><br> end one, a single <br> is a line break), quotes as lines
//     starting with "> ", <pre> kept as laid out, whitespace collapsed
//     inside paragraphs; scripts, styles, forms, hidden elements and chrome
//     lines ("Reply", "Report") left out.
//   - ExternalID: the container's data-comment-id, data-id or id; an id
//     the page repeats is the first comment's, later ones get none.
//   - ParentID, ReplyTo, Depth: from Parent, else from DOM nesting. A
//     parent id matches a comment's id whole or by its trailing digits
//     ("12" finds id="comment-12"). Only an earlier comment can be a
//     parent, which breaks loops; a forward or self reference is dropped.
//     A parent id that is not on the page (it has a digit and no spaces)
//     stays in ParentID with ReplyTo 0; other unresolved text is ignored.
//
// A comment without text is left out, unless a kept comment replies to it:
// then it stays as a Deleted placeholder. When the page shows no structure
// at all (no parent references, no nesting), replies are inferred from the
// text with thread.InferReplies, as for text dumps; when it does, a
// comment without a parent is top-level and nothing is inferred. Parent
// text that names no id ("Reply") is no structure.
//
// Errors: bad selectors (wrapping news.ErrInvalid, naming the field as the
// config does), and the page errors of Parse (ErrEmpty, ErrBinary,
// ErrTooLarge past Options.MaxBytes, news.ErrInvalid for HTML nested over
// 512 elements deep).
func CommentsHTML(r io.Reader, sel Selectors, opts Options) ([]news.Comment, error) {
	l, err := ParseCommentsHTML(r, sel, opts)
	return l.Comments, err
}

// ParseCommentsHTML is CommentsHTML with the counts of what was left out.
func ParseCommentsHTML(r io.Reader, sel Selectors, opts Options) (CommentList, error) {
	m, err := sel.compile()
	if err != nil {
		return CommentList{}, err
	}
	data, err := read(r, opts)
	if err != nil {
		return CommentList{}, err
	}
	root, err := html.Parse(bytes.NewReader(toUTF8(data)))
	if err != nil {
		// x/net/html refuses documents nested over 512 elements deep.
		return CommentList{}, fmt.Errorf("%s: parse HTML: %w: %w", name(opts), news.ErrInvalid, err)
	}
	return m.comments(root, now(opts)), nil
}

// Validate reports the first selector that does not compile, in the words
// of the config file: "comments.selectors.author: bad CSS selector …".
func (s Selectors) Validate() error {
	_, err := s.compile()
	return err
}

// matchers are compiled Selectors; nil where a field is empty.
type matchers struct {
	container, author, time, body, parent cascadia.Matcher

	parentAttr string // Parent as an attribute name, when it can be one
}

func (s Selectors) compile() (*matchers, error) {
	if strings.TrimSpace(s.Container) == "" {
		return nil, fmt.Errorf("comments.selectors.container: missing: it is required to find the comments: %w", news.ErrInvalid)
	}
	m := &matchers{}
	if isAttrName(s.Parent) {
		m.parentAttr = strings.ToLower(s.Parent) // the HTML parser lower-cases attribute names
	}
	fields := []struct {
		name, sel string
		dst       *cascadia.Matcher
	}{
		{"container", s.Container, &m.container}, {"author", s.Author, &m.author},
		{"time", s.Time, &m.time}, {"body", s.Body, &m.body}, {"parent", s.Parent, &m.parent},
	}
	for _, f := range fields {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		g, err := cascadia.ParseGroup(f.sel)
		switch {
		case err == nil:
			*f.dst = g
		case f.name == "parent" && m.parentAttr != "":
			// "xlink:parent" is an attribute name but no selector.
		default:
			return nil, fmt.Errorf("comments.selectors.%s: bad CSS selector %q: %w: %w", f.name, f.sel, news.ErrInvalid, err)
		}
	}
	return m, nil
}

// isAttrName reports whether s can name an HTML attribute as written in a
// config: a letter or "_", then letters, digits, "-", "_", ":" or ".".
func isAttrName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		other := r >= '0' && r <= '9' || r == '-' || r == ':' || r == '.'
		if !letter && (i == 0 || !other) {
			return false
		}
	}
	return true
}

// comments reads every container under root into a CommentList.
func (m *matchers) comments(root *html.Node, now time.Time) CommentList {
	all := cascadia.QueryAll(root, m.container)
	keep := min(len(all), MaxComments)
	l := &locator{m: m, pos: make(map[*html.Node]int, len(all)), skip: map[*html.Node]bool{}}
	for i, c := range all {
		l.pos[c] = -1 // past the limit: its text belongs to no comment
		if i < keep {
			l.pos[c] = i
		}
	}
	l.found = make([]found, keep)
	l.walk(root, -1, false)
	ds := make([]draft, keep)
	for i := range ds {
		ds[i] = l.draft(i, now)
	}
	structured := link(ds)
	cs, skipped := number(ds)
	if !structured && len(cs) > 0 {
		cs = thread.InferReplies(cs)
	}
	return CommentList{Comments: cs, Found: len(all), Skipped: skipped, Dropped: len(all) - keep}
}
