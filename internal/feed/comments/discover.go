package comments

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/weburl"
)

// FeedLink ties a story in a story feed to the feed of its comments.
type FeedLink struct {
	ItemID  string // the entry's guid or Atom id
	ItemURL string // the entry's link, absolute
	FeedURL string // the comment feed, absolute
}

// CommentFeedLinks finds, in a story feed, the comment feed of each entry:
// wfw:commentRss, an Atom link rel="replies" to a feed, or an RSS <comments>
// link that points to a feed rather than a page. Relative links resolve
// against xml:base and then baseURL (the document's URL, or its
// Content-Location when the server sent one). wfw:comment is the posting
// endpoint, not a feed, and is ignored. Entries without a comment feed are
// left out.
func CommentFeedLinks(r io.Reader, baseURL string) ([]FeedLink, error) {
	root, err := parseXML(r)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	entries, atom, err := feedEntries(root)
	if err != nil {
		return nil, err
	}
	var base *url.URL
	if baseURL != "" {
		if base, err = url.Parse(baseURL); err != nil {
			return nil, fmt.Errorf("base URL %q: %w", baseURL, err)
		}
	}
	base = root.base(base)
	if ch := root.one("channel", rssNS); ch != nil {
		base = ch.base(base)
	}
	var links []FeedLink
	for _, e := range entries {
		b := e.base(base)
		l := FeedLink{}
		var feed string
		if atom {
			l.ItemID = e.value("id", atomNS)
			l.ItemURL = atomLink(e, "alternate", false)
			feed = atomLink(e, "replies", true)
		} else {
			l.ItemID = e.value("guid", rssNS)
			l.ItemURL = e.value("link", rssNS)
			if c := e.value("comments", rssNS); looksLikeFeed(c) {
				feed = c
			}
		}
		if w := e.value("commentRss", wfwNS); w != "" {
			feed = w
		}
		if feed == "" {
			continue
		}
		l.FeedURL = weburl.Resolve(b, feed)
		l.ItemURL = weburl.Resolve(b, l.ItemURL)
		links = append(links, l)
	}
	return links, nil
}

// atomLink returns the href of the entry's first link with rel (an absent
// rel means alternate). With feedOnly, links typed as something other than
// a feed are passed over.
func atomLink(e *xnode, rel string, feedOnly bool) string {
	for _, l := range e.all("link", atomNS) {
		r := strings.ToLower(l.attrValue("rel"))
		if r == "" {
			r = "alternate"
		}
		t := strings.ToLower(l.attrValue("type"))
		if r != rel || (feedOnly && t != "" && !strings.Contains(t, "xml")) {
			continue
		}
		if href := l.attrValue("href"); href != "" {
			return href
		}
	}
	return ""
}

// looksLikeFeed tells a comments link to a feed from the usual link to a
// page: feed-like paths and WordPress's ?feed= query.
func looksLikeFeed(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || raw == "" {
		return false
	}
	if u.Query().Has("feed") {
		return true
	}
	p := strings.ToLower(strings.TrimSuffix(u.Path, "/"))
	for _, suffix := range []string{"/feed", "/rss", "/rss2", "/atom", ".rss", ".xml", ".atom", ".rdf"} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}
