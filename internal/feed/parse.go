package feed

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/weburl"
)

// Info describes a feed as a whole.
type Info struct {
	Title    string // plain text
	Link     string // the site the feed belongs to, absolute when it could be resolved
	Language string
	Kind     Kind
	Notes    []string `json:",omitempty"` // what was repaired to read the document, for the admin's log
}

// ParseFeed parses an RSS, Atom or JSON Feed document into articles, in
// document order. baseURL, the address the document came from, resolves
// relative links; it may be empty or a file path. A feed without entries is
// not an error.
func ParseFeed(data []byte, baseURL string) (info Info, articles []news.Article, err error) {
	info, articles, _, err = parseFeed(data, baseURL, true)
	return info, articles, err
}

// parseFeed is ParseFeed; fast lets plain RSS 2.0 take parseRSSFast
// instead of gofeed's parser, and usedFast says whether it did.
func parseFeed(data []byte, baseURL string, fast bool) (info Info, articles []news.Article, usedFast bool, err error) {
	// gofeed is third-party code facing hostile input; a panic in it must
	// become an error for this one feed, not a crash of the bot.
	defer func() {
		if r := recover(); r != nil {
			info, articles, usedFast, err = Info{}, nil, false, fmt.Errorf("parse feed: parser failed: %v", r)
		}
	}()
	if head := trimLeading(data); len(head) > 0 && head[0] == '{' && !isJSONFeed(head) {
		// gofeed would read any JSON object as an empty feed.
		return Info{}, nil, false, errors.New("parse feed: JSON without a jsonfeed.org version is not a feed")
	}
	var note string
	xmlDoc := false
	if head := trimLeading(data); len(head) > 0 && head[0] == '<' {
		// Repair first: the shape check stops at the first bad byte.
		data, note = repairUTF8(data)
		if err := checkShape(data); err != nil {
			return Info{}, nil, false, err
		}
		xmlDoc = true
	}
	var f *gofeed.Feed
	var orig any
	if fast && xmlDoc {
		var rf *rss.Feed
		if f, rf, usedFast = parseRSSFast(data); usedFast {
			orig = rf
		}
	}
	if !usedFast {
		if f, err = newParser().Parse(bytes.NewReader(data)); err != nil {
			return Info{}, nil, false, parseError(data, err)
		}
		orig = f.OriginalFeed()
	}
	info, articles = convert(f, orig, data, baseURL)
	if note != "" {
		info.Notes = append(info.Notes, note)
	}
	return info, articles, usedFast, nil
}

// newParser is gofeed's universal parser without its search of each RSS
// item's HTML for a picture: that search parses the whole HTML of every item
// into a tree (a third of gofeed's time on a large feed), and imageURL does
// it with the tokenizer, and only for items that name no picture.
func newParser() *gofeed.Parser {
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	p.RSSTranslator = rssTranslator()
	return p
}

// rssTranslator makes gofeed's universal feed of an RSS document, for
// gofeed's parser and for parseRSSFast alike.
func rssTranslator() *gofeed.DefaultRSSTranslator {
	return &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
}

// convert maps gofeed's universal feed onto Info and articles, adding what
// gofeed drops (see hints) and resolving links.
func convert(f *gofeed.Feed, orig any, data []byte, baseURL string) (Info, []news.Article) {
	base := weburl.Absolute(baseURL)
	kind := Kind(f.FeedType)
	var h hints
	if kind == KindRSS || kind == KindAtom {
		h = scanHints(data)
	}
	info := Info{
		Title:    titleText(f.Title, kind, h.feedTitleType),
		Link:     weburl.Resolve(base, strings.TrimSpace(f.Link)),
		Language: strings.TrimSpace(f.Language),
		Kind:     kind,
	}
	if base == nil {
		// Without a document address, the feed's own link is the best base.
		base = weburl.Absolute(info.Link)
	}
	source := cmp.Or(info.Title, weburl.Host(info.Link))
	if source == "" && base != nil {
		source = weburl.Host(base.String())
	}
	feedAuthor := firstPerson(f.Author, f.Authors)
	if len(h.entries) != len(f.Items) {
		h.entries = make([]entryHint, len(f.Items))
	}
	articles := make([]news.Article, 0, len(f.Items))
	for i, item := range f.Items {
		a := article(item, originalItem(orig, i), base)
		a.Title = titleText(item.Title, kind, h.entries[i].titleType)
		a.GUID = cmp.Or(a.GUID, strings.TrimSpace(h.entries[i].about))
		a.Source = source
		a.Author = cmp.Or(a.Author, feedAuthor)
		articles = append(articles, a)
	}
	return info, articles
}

func parseError(data []byte, err error) error {
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return fmt.Errorf("parse feed: not an RSS, Atom or JSON feed (looks like %s): %w", describe(data), err)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		return fmt.Errorf("parse feed: JSON syntax error on line %d: %w", line, err)
	}
	return fmt.Errorf("parse feed: %w", err)
}

// titleText flattens a title to one line of plain text. RSS titles are
// HTML by convention; JSON Feed titles and Atom titles of type text are
// plain text, where "<blink>" is a word, not a tag.
func titleText(s string, kind Kind, atomType string) string {
	if kind == KindJSON || (kind == KindAtom && plainType(atomType)) {
		return collapse(s)
	}
	return plainText(s)
}

// originalItem returns the format-specific entry behind f.Items[i], where
// orig is f's original feed, which keeps what the universal item drops (RSS
// <comments>, Atom link rels).
func originalItem(orig any, i int) any {
	switch o := orig.(type) {
	case *rss.Feed:
		if i < len(o.Items) {
			return o.Items[i]
		}
	case *atom.Feed:
		if i < len(o.Entries) {
			return o.Entries[i]
		}
	}
	return nil
}

func article(item *gofeed.Item, orig any, base *url.URL) news.Article {
	a := news.Article{
		GUID:   strings.TrimSpace(item.GUID),
		Author: firstPerson(item.Author, item.Authors),
	}
	a.URL = weburl.Resolve(base, entryLink(item, orig))
	a.Paragraphs = Paragraphs(item.Content)
	if len(a.Paragraphs) == 0 {
		a.Paragraphs = Paragraphs(item.Description)
	}
	// Other references in the entry are relative to the document, as XML
	// and feed readers have it, not to the entry's own link.
	a.ImageURL = weburl.Resolve(base, imageURL(item))
	a.CommentsURL = weburl.Resolve(base, commentsURL(item, orig))
	a.Published = timeOrZero(item.PublishedParsed)
	a.Updated = timeOrZero(item.UpdatedParsed)
	if a.Updated.IsZero() {
		a.Updated = a.Published
	}
	return a
}

// entryLink is the entry's link, falling back to other links it carries and
// to an RSS guid that is a permalink (the RSS 2.0 default).
func entryLink(item *gofeed.Item, orig any) string {
	if l := strings.TrimSpace(item.Link); l != "" {
		return l
	}
	for _, l := range item.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	if ri, ok := orig.(*rss.Item); ok && ri.GUID != nil && !strings.EqualFold(ri.GUID.IsPermalink, "false") {
		if u := weburl.Absolute(strings.TrimSpace(ri.GUID.Value)); u != nil {
			return u.String()
		}
	}
	return ""
}

// firstPerson names the author: the main one, else the first of a list
// (JSON Feed 1.1 only has the list); a name, else an email address.
func firstPerson(main *gofeed.Person, all []*gofeed.Person) string {
	for _, p := range append([]*gofeed.Person{main}, all...) {
		if p == nil {
			continue
		}
		if name := nameOf(plainText(p.Name)); name != "" {
			return name
		}
		if email := strings.TrimSpace(p.Email); email != "" {
			return nameOf(email)
		}
	}
	return ""
}

// nameOf keeps the name of "Name <address>", which gofeed can leave whole
// (in either field).
func nameOf(s string) string {
	if !strings.Contains(s, "@") {
		return s // an address has an @; most names have none
	}
	if a, err := mail.ParseAddress(s); err == nil && a.Name != "" {
		return a.Name
	}
	return s
}

// timeOrZero dereferences an optional time.
func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
