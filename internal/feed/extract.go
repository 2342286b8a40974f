package feed

import (
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"
)

// imageURL picks the entry's picture: one the feed names (gofeed's pick of
// an iTunes image, Media RSS content or an image enclosure; then any image
// enclosure, Media RSS content or thumbnail), and only when it names none
// the first <img> in the content or description, in every format alike.
func imageURL(item *gofeed.Item) string {
	if item.Image != nil && strings.TrimSpace(item.Image.URL) != "" {
		return item.Image.URL
	}
	for _, e := range item.Enclosures {
		if strings.HasPrefix(strings.ToLower(e.Type), "image/") && e.URL != "" {
			return e.URL
		}
	}
	if u := mediaImage(item.Extensions["media"]); u != "" {
		return u
	}
	if u := firstImg(item.Content); u != "" {
		return u
	}
	return firstImg(item.Description)
}

// mediaImage searches Media RSS elements, including those grouped under
// media:group, for an image.
func mediaImage(media map[string][]ext.Extension) string {
	for _, c := range media["content"] {
		t, medium := strings.ToLower(c.Attrs["type"]), strings.ToLower(c.Attrs["medium"])
		if (strings.HasPrefix(t, "image/") || medium == "image") && c.Attrs["url"] != "" {
			return c.Attrs["url"]
		}
	}
	for _, c := range media["thumbnail"] {
		if c.Attrs["url"] != "" {
			return c.Attrs["url"]
		}
	}
	for _, g := range media["group"] {
		if u := mediaImage(g.Children); u != "" {
			return u
		}
	}
	return ""
}

// firstImg returns the src of the first <img> in an HTML fragment.
func firstImg(s string) string {
	if !strings.Contains(s, "<img") && !strings.Contains(s, "<IMG") {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "img" {
				continue
			}
			for hasAttr {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				if string(key) == "src" && strings.TrimSpace(string(val)) != "" {
					return string(val)
				}
			}
		}
	}
}

// commentsURL finds where the entry's discussion lives: RSS <comments> (a
// page), an Atom replies link (preferring HTML), wfw:commentRss (a feed).
func commentsURL(item *gofeed.Item, orig any) string {
	var replies []*atom.Link
	switch o := orig.(type) {
	case *rss.Item:
		if c := strings.TrimSpace(o.Comments); c != "" {
			return c
		}
	case *atom.Entry:
		for _, l := range o.Links {
			if strings.EqualFold(l.Rel, "replies") && l.Href != "" {
				replies = append(replies, l)
			}
		}
	}
	// RSS items may carry atom:link rel="replies" as an extension.
	for _, l := range item.Extensions["atom"]["link"] {
		if strings.EqualFold(l.Attrs["rel"], "replies") && l.Attrs["href"] != "" {
			replies = append(replies, &atom.Link{Href: l.Attrs["href"], Type: l.Attrs["type"]})
		}
	}
	for _, l := range replies {
		if strings.Contains(strings.ToLower(l.Type), "html") {
			return l.Href
		}
	}
	for _, c := range item.Extensions["wfw"]["commentRss"] {
		if v := strings.TrimSpace(c.Value); v != "" {
			return v
		}
	}
	if len(replies) > 0 {
		return replies[0].Href
	}
	return ""
}
