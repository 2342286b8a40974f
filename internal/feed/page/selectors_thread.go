package page

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// found is where one comment's parts sit in the page.
type found struct {
	node                 *html.Node
	dom                  int        // position of the enclosing comment; -1 when none
	author, time, parent *html.Node // first match of each inside the comment
	bodies               []*html.Node
}

// locator assigns every element to the comment that owns it: the nearest
// enclosing container. Matching in one walk, rather than querying inside
// each container, keeps a reply's author out of its parent and costs one
// pass however deep the nesting.
type locator struct {
	m     *matchers
	pos   map[*html.Node]int // container → position; -1 past MaxComments
	found []found
	skip  map[*html.Node]bool // author, time and parent elements: not body text
}

// walk visits n's descendants; owner is the position of the comment they
// belong to (-1 for none) and inBody whether they lie in a Body match.
func (l *locator) walk(n *html.Node, owner int, inBody bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if p, ok := l.pos[c]; ok {
			if p >= 0 {
				l.found[p].node, l.found[p].dom = c, owner
			}
			l.walk(c, p, false)
			continue
		}
		in := inBody
		if owner >= 0 {
			in = l.match(c, &l.found[owner], inBody)
		}
		l.walk(c, owner, in)
	}
}

// match records what c is for comment f and reports whether c's
// descendants are inside a Body match.
func (l *locator) match(c *html.Node, f *found, inBody bool) bool {
	m := l.m
	if m.author != nil && m.author.Match(c) {
		f.author = firstOf(f.author, c)
		l.skip[c] = true
	}
	if m.time != nil && m.time.Match(c) {
		f.time = firstOf(f.time, c)
		l.skip[c] = true
	}
	if m.parent != nil && m.parent.Match(c) {
		f.parent = firstOf(f.parent, c)
		l.skip[c] = true
	}
	if m.body != nil && !inBody && m.body.Match(c) {
		f.bodies = append(f.bodies, c)
		return true
	}
	return inBody
}

func firstOf(had, n *html.Node) *html.Node {
	if had != nil {
		return had
	}
	return n
}

// draft is one comment read from its container, before numbering.
type draft struct {
	c      news.Comment
	ids    []string // every id the container carries
	ref    string   // the parent's id as the page gives it
	dom    int      // position of the enclosing comment; -1 when none
	parent int      // position of the chosen parent; -1 when none
}

// draft reads the comment at position i.
func (l *locator) draft(i int, now time.Time) draft {
	f := l.found[i]
	d := draft{dom: f.dom, parent: -1}
	for _, key := range []string{"data-comment-id", "data-id", "id"} {
		if v := strings.TrimSpace(attr(f.node, key)); v != "" {
			d.ids = append(d.ids, v)
		}
	}
	if len(d.ids) > 0 {
		d.c.ExternalID = d.ids[0]
	}
	if v, ok := attrOK(f.node, l.m.parentAttr); ok && l.m.parentAttr != "" {
		d.ref = normalizeRef(v)
	} else if f.parent != nil {
		d.ref = normalizeRef(parentRef(f.parent, l.isComment))
	}
	d.c.Author = authorName(f.author, l.isComment)
	d.c.PostedAt = timeOf(f.time, now)
	bodies := f.bodies
	if l.m.body == nil {
		bodies = []*html.Node{f.node}
	}
	d.c.Body = commentText(bodies, func(n *html.Node) bool { return l.skip[n] || l.isComment(n) })
	return d
}

// isComment reports whether n is a container (kept or not).
func (l *locator) isComment(n *html.Node) bool {
	_, ok := l.pos[n]
	return ok
}

// parentRef reads a parent element: the fragment of its link, else its text.
func parentRef(n *html.Node, skip func(*html.Node) bool) string {
	if h := attr(n, "href"); strings.Contains(h, "#") {
		return h
	}
	return plainText(n, skip)
}

// normalizeRef turns "#comment-12" or ".../post#comment-12" into
// "comment-12", and the ways pages say "no parent" into "".
func normalizeRef(s string) string {
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "0", "-1", "null", "nil", "none", "undefined", "false":
		return ""
	}
	return s
}

// idLike reports whether a parent reference that matched no comment on the
// page can still be an id worth keeping: short, without spaces, with a
// digit, as comment ids have. "in reply to Bob" and a "Reply" link caught
// by a loose selector are not ids.
func idLike(s string) bool {
	return s != "" && len(s) <= 128 && strings.IndexFunc(s, unicode.IsSpace) < 0 &&
		strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// idIndex finds comments by id, whole or by trailing digits.
type idIndex struct {
	exact map[string]int
	tail  map[string]int // -1 where two comments share the digits
}

func newIDIndex(ds []draft) idIndex {
	x := idIndex{exact: map[string]int{}, tail: map[string]int{}}
	for i, d := range ds {
		for _, id := range d.ids {
			if _, dup := x.exact[id]; !dup {
				x.exact[id] = i
			}
			if t := digitTail(id); t != "" {
				if p, seen := x.tail[t]; !seen {
					x.tail[t] = i
				} else if p != i {
					x.tail[t] = -1
				}
			}
		}
	}
	return x
}

func (x idIndex) find(ref string) (int, bool) {
	if ref == "" {
		return -1, false
	}
	if p, ok := x.exact[ref]; ok {
		return p, true
	}
	p, ok := x.tail[digitTail(ref)]
	return p, ok && p >= 0
}

// digitTail is the run of digits that ends s: "12" for "comment-12".
func digitTail(s string) string {
	i := len(s)
	for i > 0 && isDigit(s[i-1]) {
		i--
	}
	return s[i:]
}

// link chooses each comment's parent: the comment its reference names when
// that comes earlier, else the enclosing comment. It reports whether the
// page shows any structure at all.
func link(ds []draft) bool {
	x := newIDIndex(ds)
	structured := false
	for i := range ds {
		d := &ds[i]
		if x.exact[d.c.ExternalID] != i {
			d.c.ExternalID = "" // an id the page repeats identifies only its first comment
		}
		p, known := x.find(d.ref)
		elsewhere := !known && idLike(d.ref) // a parent that is not on this page
		structured = structured || known || elsewhere || d.dom >= 0
		switch {
		case known && p < i:
			d.parent = p
		case d.dom >= 0:
			d.parent = d.dom
		case elsewhere:
			d.c.ParentID = d.ref
		}
		if d.parent >= 0 {
			d.c.ParentID = ds[d.parent].c.ExternalID
			d.c.Depth = ds[d.parent].c.Depth + 1
		}
	}
	return structured
}

// number leaves out comments without text that nobody answers, keeps the
// rest (empty ones as Deleted placeholders) and numbers them 1..n. Parents
// come before their replies, so one backward pass counts live replies.
func number(ds []draft) ([]news.Comment, int) {
	live := make([]bool, len(ds))
	replies := make([]int, len(ds))
	for i := len(ds) - 1; i >= 0; i-- {
		live[i] = ds[i].c.Body != "" || replies[i] > 0
		if p := ds[i].parent; live[i] && p >= 0 {
			replies[p]++
		}
	}
	var out []news.Comment
	index := make([]int, len(ds))
	for i, d := range ds {
		if !live[i] {
			continue
		}
		c := d.c
		c.Index = len(out) + 1
		index[i] = c.Index
		if d.parent >= 0 {
			c.ReplyTo = index[d.parent]
		}
		c.Deleted = c.Body == ""
		out = append(out, c)
	}
	return out, len(ds) - len(out)
}
