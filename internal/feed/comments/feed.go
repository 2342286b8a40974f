package comments

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/dates"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// FeedComments loads a comment feed (the document a story's wfw:commentRss,
// Atom replies link or feed-like RSS <comments> link points to; see
// CommentFeedLinks) and returns its comments in page order.
func FeedComments(ctx context.Context, g Getter, feedURL string, maxComments int) ([]news.Comment, Stats, error) {
	if g == nil {
		return nil, Stats{}, fmt.Errorf("comment feed %s: %w", feedURL, errNoGetter)
	}
	data, err := g.Get(ctx, feedURL)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("comment feed %s: %w", feedURL, err)
	}
	cs, st, err := ParseFeedComments(bytes.NewReader(data), maxComments)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("comment feed %s: %w", feedURL, err)
	}
	return cs, st, nil
}

// ParseFeedComments reads an RSS or Atom comment feed. Each entry is a
// comment; an RFC 4685 thr:in-reply-to ref becomes its ParentID, so entries
// answering another entry nest under it while those answering the story
// itself (or anything not in the feed) are top-level. Feeds list newest
// first; page order is oldest first, replies under their parent.
func ParseFeedComments(r io.Reader, maxComments int) ([]news.Comment, Stats, error) {
	var st Stats
	root, err := parseXML(r)
	if err != nil {
		return nil, st, fmt.Errorf("parse: %w", err)
	}
	entries, atom, err := feedEntries(root)
	if err != nil {
		return nil, st, err
	}
	story := storyRef(root)
	cs := make([]news.Comment, 0, len(entries))
	for _, e := range entries {
		c := rssComment
		if atom {
			c = atomComment
		}
		cm := c(e)
		if story != "" && cm.ExternalID == story {
			continue // the story itself, which some comment feeds lead with
		}
		st.Fetched++
		cs = append(cs, cm)
	}
	return finish(cs, maxComments, &st), st, nil
}

// storyRef returns the id of the story a comment feed answers, from the
// feed's (or RSS channel's) own thr:in-reply-to.
func storyRef(root *xnode) string {
	if ch := root.one("channel", rssNS); ch != nil {
		if ref := inReplyTo(ch); ref != "" {
			return ref
		}
	}
	return inReplyTo(root)
}

// feedEntries returns the entries of an Atom feed or the items of an RSS
// 0.9x/1.0/2.0 feed, and whether the feed is Atom.
func feedEntries(root *xnode) ([]*xnode, bool, error) {
	switch strings.ToLower(root.name.Local) {
	case "feed":
		return root.all("entry", atomNS), true, nil
	case "rss":
		if ch := root.one("channel", rssNS); ch != nil {
			return ch.all("item", rssNS), false, nil
		}
		return nil, false, nil
	case "rdf":
		return root.all("item", rssNS), false, nil
	}
	return nil, false, fmt.Errorf("not an RSS or Atom feed (root element <%s>)", root.name.Local)
}

func atomComment(e *xnode) news.Comment {
	c := news.Comment{
		ExternalID: e.value("id", atomNS),
		ParentID:   inReplyTo(e),
		PostedAt:   parseTime(firstValue(e, atomNS, "published", "issued", "created", "updated", "modified")),
		Body:       atomText(firstNode(e, atomNS, "content", "summary")),
	}
	if a := e.one("author", atomNS); a != nil {
		c.Author = a.value("name", atomNS)
	}
	if c.Author == "" {
		c.Author = e.value("creator", dcNS)
	}
	c.EditedAt = editedAt(c.PostedAt, parseTime(firstValue(e, atomNS, "updated", "modified")))
	return c
}

func rssComment(e *xnode) news.Comment {
	c := news.Comment{
		ExternalID: firstValue(e, rssNS, "guid", "link"),
		ParentID:   inReplyTo(e),
		Author:     e.value("creator", dcNS),
		PostedAt:   parseTime(firstValue(e, rssNS, "pubDate")),
	}
	if c.PostedAt.IsZero() {
		c.PostedAt = parseTime(e.value("date", dcNS))
	}
	if c.Author == "" {
		c.Author = rssAuthor(e.value("author", rssNS))
	}
	if title := e.value("title", rssNS); c.Author == "" && strings.HasPrefix(title, "By: ") {
		c.Author = strings.TrimSpace(strings.TrimPrefix(title, "By: ")) // WordPress comment feeds
	}
	body := e.value("encoded", contentNS)
	if body == "" {
		body = e.value("description", rssNS)
	}
	c.Body = htmlText(body)
	c.EditedAt = editedAt(c.PostedAt, parseTime(e.value("modified", dcNS)))
	return c
}

// inReplyTo returns the entry's thr:in-reply-to ref (its href when the ref
// is missing).
func inReplyTo(e *xnode) string {
	r := e.one("in-reply-to", threadNS)
	if r == nil {
		return ""
	}
	if ref := r.attrValue("ref"); ref != "" {
		return ref
	}
	return r.attrValue("href")
}

// atomText reads an Atom text construct by its type.
func atomText(n *xnode) string {
	if n == nil {
		return ""
	}
	switch t := strings.ToLower(n.attrValue("type")); {
	case t == "xhtml":
		return htmlText(n.innerHTML())
	case t == "html" || strings.Contains(t, "html"):
		return htmlText(n.textContent())
	default:
		return plainText(n.textContent())
	}
}

// plainText trims a plain-text body and joins its paragraphs the way every
// other body is joined.
func plainText(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	var paras []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// rssAuthor reads RSS <author>, which is "email (Name)" or just an email.
func rssAuthor(s string) string {
	if i, j := strings.Index(s, "("), strings.LastIndex(s, ")"); i >= 0 && j > i {
		if name := strings.TrimSpace(s[i+1 : j]); name != "" {
			return name
		}
	}
	return s
}

func firstValue(e *xnode, spaces []string, names ...string) string {
	for _, name := range names {
		if v := e.value(name, spaces); v != "" {
			return v
		}
	}
	return ""
}

func firstNode(e *xnode, spaces []string, names ...string) *xnode {
	for _, name := range names {
		if n := e.one(name, spaces); n != nil {
			return n
		}
	}
	return nil
}

// editedAt reports an update time only when it is clearly later than the
// posting: feeds often repeat the posting time as the update time.
func editedAt(posted, updated time.Time) time.Time {
	if posted.IsZero() || updated.IsZero() || !updated.After(posted.Add(time.Minute)) {
		return time.Time{}
	}
	return updated
}

// parseTime reads the date formats feeds and exports use, in UTC; times
// without a zone are taken as UTC. Unreadable dates give the zero time.
func parseTime(s string) time.Time {
	t, _ := dates.Parse(s)
	return t.UTC()
}
