package feed

import (
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// translateRSS is gofeed's translation of a channel the fast path read,
// but for the items whose author is a bare name. gofeed reads every author
// with up to four regular expressions in turn (a ninth of the fast path's
// time on a news feed); a text without '@', '(' or ')' can match only the
// third, `^([^@()]+)$`, which makes it the name and no address. Those
// authors are set aside while the translator runs, and filled in as it
// would. This relies on what item() reads: no DublinCore element but
// dc:creator, no iTunes or other extension.
func translateRSS(c *rss.Feed) (*gofeed.Feed, error) {
	type author struct {
		set  bool
		text string // the item's Author
		dc   *ext.DublinCoreExtension
	}
	var bare []author // by item
	for i, it := range c.Items {
		text := it.Author
		if text == "" && it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
			text = it.DublinCoreExt.Creator[0]
		}
		if text == "" || strings.ContainsAny(text, "@()") {
			continue
		}
		if bare == nil {
			bare = make([]author, len(c.Items))
		}
		bare[i] = author{set: true, text: it.Author, dc: it.DublinCoreExt}
		it.Author, it.DublinCoreExt = "", nil
	}
	f, err := rssTranslator().Translate(c)
	for i, a := range bare {
		if !a.set {
			continue
		}
		it := c.Items[i]
		it.Author, it.DublinCoreExt = a.text, a.dc
		if err != nil {
			continue
		}
		name := a.text
		if name == "" {
			name = a.dc.Creator[0]
		}
		fi := f.Items[i]
		fi.DublinCoreExt = a.dc
		fi.Author = &gofeed.Person{Name: name}
		fi.Authors = []*gofeed.Person{fi.Author}
	}
	return f, err
}
