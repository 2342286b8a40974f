package feed

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// The fast path for plain RSS 2.0. gofeed's RSS parser reads every text
// element with encoding/xml's reflective DecodeElement and its pull parser
// copies a namespace map at every start tag; on a 5,000-item feed that was
// about a third of `newsbot import`'s CPU, more than everything else in
// ParseFeed. parseRSSFast reads the same document with encoding/xml's raw
// token stream and fills the same *rss.Feed gofeed's parser would, for the
// elements a plain RSS 2.0 feed uses; gofeed's own translator then makes
// the universal feed. It answers only when it is sure: anything that could
// make gofeed's reading differ (another format, a declared encoding other
// than UTF-8, an element or namespace outside its list, xml:base, a
// repeated element, a date it cannot read exactly as gofeed does, a syntax
// error) returns ok=false and the caller runs gofeed. FuzzRSSFastPath holds
// the two readings equal.

// rssDetectPeek is how much of a document gofeed's detector reads to find
// the root element: a root beyond it is "not a feed" to gofeed.
const rssDetectPeek = 4096

const (
	rssContentNS = "http://purl.org/rss/1.0/modules/content/"
	rssDCNS      = "http://purl.org/dc/elements/1.1/"
)

// rssKeys are the namespace URIs whose elements gofeed files under a fixed
// prefix that something downstream reads (the translator or convert); an
// element in one of them is read here or refused. Other namespaces are
// extensions nobody reads, unless declared under one of these prefixes.
var rssKeys = map[string]string{
	atom10NS:                        "atom",
	atom03NS:                        "atom03",
	rssContentNS:                    "content",
	rssDCNS:                         "dc",
	"http://search.yahoo.com/mrss":  "media",
	"http://search.yahoo.com/mrss/": "media",
	"http://www.itunes.com/DTDs/PodCast-1.0.dtd":  "itunes",
	"http://example.com/DTDs/PodCast-1.0.dtd":     "itunes",
	"http://wellformedweb.org/commentAPI/":        "wfw",
	rdfNS:                                         "rdf",
	"http://purl.org/rss/1.0/":                    "rss", // gofeed reads these as RSS itself
	"http://channel.netscape.com/rdf/simple/0.9/": "rss",
	"http://my.netscape.com/rdf/simple/0.9/":      "rss",
	"http://www.w3.org/XML/1998/namespace":        "xml",
}

// readKeys are the extension prefixes gofeed's translator or convert read.
var readKeys = map[string]bool{
	"atom": true, "atom10": true, "atom03": true, "content": true, "dc": true,
	"media": true, "itunes": true, "wfw": true, "rdf": true, "xml": true, "rss": true,
}

// unreadDC are the Dublin Core elements of an item that neither the
// translator nor convert look at.
var unreadDC = map[string]bool{
	"subject": true, "publisher": true, "contributor": true, "type": true, "format": true,
	"identifier": true, "source": true, "relation": true, "coverage": true, "rights": true,
	"language": true,
}

type rssReader struct {
	data []byte
	src  *byteReader // the decoder's input
	dec  *xml.Decoder
	// skipped counts the bytes quickInner moved the input past, which the
	// decoder's InputOffset does not.
	skipped int
	// ns maps each prefix the root declares to the key gofeed files its
	// elements under: a read key, or "" for one nobody reads.
	ns map[string]string
	// names interns the names quickTag reads.
	names map[string]string
}

// errBail stops the fast path; the caller runs gofeed. It is panicked
// (and recovered in parseRSSFast only) because the reason to bail can turn
// up at any depth of the reading, which then needs no error plumbing.
type errBail struct{}

// parseRSSFast reads data as gofeed would, or reports ok=false. data has
// been through repairUTF8 and checkShape.
func parseRSSFast(data []byte) (f *gofeed.Feed, orig *rss.Feed, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(errBail); !bail {
				panic(r)
			}
			f, orig, ok = nil, nil, false
		}
	}()
	if indexForbiddenControl(data) >= 0 {
		return nil, nil, false // gofeed's detector reads them unfiltered
	}
	if !utf8.Valid(data) {
		// repairUTF8 leaves a document alone when its declaration names
		// another encoding as it reads it; the decoder may read no
		// encoding there, and then refuses the document.
		return nil, nil, false
	}
	r := &rssReader{data: data, src: &byteReader{data: data}}
	r.dec = xml.NewDecoder(r.src)
	r.dec.Strict = false // as gofeed's decoder; no CharsetReader: UTF-8 only
	orig = r.root()
	f, err := translateRSS(orig)
	if err != nil {
		return nil, nil, false
	}
	return f, orig, true
}

func bail() { panic(errBail{}) }

func check(ok bool) {
	if !ok {
		bail()
	}
}

// offset is where in data the decoder stands.
func (r *rssReader) offset() int {
	return int(r.dec.InputOffset()) + r.skipped
}

// token is the next raw token and the offset where it starts.
func (r *rssReader) token() (xml.Token, int) {
	at := r.offset()
	tok, err := r.dec.RawToken()
	if err != nil {
		bail()
	}
	return tok, at
}

func (r *rssReader) root() *rss.Feed {
	var start xml.StartElement
	for {
		tok, _ := r.token()
		if t, ok := tok.(xml.StartElement); ok {
			start = t
			break
		}
		_, end := tok.(xml.EndElement)
		check(!end) // an error to gofeed's decoder
	}
	check(start.Name == xml.Name{Local: "rss"} && r.offset() <= rssDetectPeek)
	r.declare(start.Attr)
	var channel *rss.Feed
	r.children(start, func(t xml.StartElement) {
		switch {
		case t.Name == xml.Name{Local: "channel"} && channel == nil:
			channel = r.channel(t)
		case t.Name.Space == "" && !isRootNative(strings.ToLower(t.Name.Local)):
			r.skip(t)
		default:
			// gofeed skips extensions here, but reads RSS 1.0's namespace
			// as its own.
			check(r.key(t) == "")
			r.skip(t)
		}
	})
	check(channel != nil)
	return channel
}

// isRootNative names what gofeed reads directly under <rss>.
func isRootNative(name string) bool {
	return name == "channel" || name == "item" || name == "image" || name == "textinput"
}

// declare records the root's namespace declarations, refusing a default
// namespace (gofeed would treat it as RSS's own), xml:base, and anything
// that makes gofeed's prefix for a namespace ambiguous.
func (r *rssReader) declare(attrs []xml.Attr) {
	r.ns = map[string]string{}
	uris := map[string]bool{}
	for _, a := range attrs {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns", a.Name.Space != "" && a.Name.Space != "xmlns":
			bail()
		case a.Name.Space == "xmlns":
			uri := strings.TrimSpace(a.Value)
			_, dup := r.ns[a.Name.Local]
			check(uri != "" && !dup && !uris[uri] && a.Name.Local != "xml" && a.Name.Local != "xmlns")
			uris[uri] = true
			key, known := rssKeys[uri]
			if !known && readKeys[a.Name.Local] {
				key = a.Name.Local // gofeed files an unknown URI under its prefix
			}
			r.ns[a.Name.Local] = key
		}
	}
}

// key is the extension key of a prefixed element; it refuses an
// undeclared prefix and declarations below the root.
func (r *rssReader) key(t xml.StartElement) string {
	check(plainAttrs(t))
	key, ok := r.ns[t.Name.Space]
	check(ok)
	return key
}

// plainAttrs refuses namespace declarations and xml:base below the root.
func plainAttrs(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" ||
			a.Name.Space != "" && a.Name.Local == "base" {
			return false
		}
	}
	return true
}

// children calls f with each child element of parent; f consumes it.
func (r *rssReader) children(parent xml.StartElement, f func(xml.StartElement)) {
	for {
		if t, end, ok := r.quickTag(); ok {
			if end {
				check(t.Name == parent.Name)
				return
			}
			f(t)
			continue
		}
		tok, _ := r.token()
		switch t := tok.(type) {
		case xml.StartElement:
			f(t)
		case xml.EndElement:
			check(t.Name == parent.Name)
			return
		}
	}
}

// skip consumes the rest of element t, requiring every end tag to match
// its start tag: gofeed's decoder quietly re-pairs mismatched ones.
func (r *rssReader) skip(t xml.StartElement) {
	r.inner(t)
}

// inner consumes the rest of element t and returns the raw bytes between
// its tags, which is what gofeed's ",innerxml" reads.
func (r *rssReader) inner(t xml.StartElement) []byte {
	if raw, ok := r.quickInner(t); ok {
		return raw
	}
	from := r.offset()
	open := []xml.Name{t.Name}
	for {
		tok, at := r.token()
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
		case xml.EndElement:
			check(t.Name == open[len(open)-1])
			if open = open[:len(open)-1]; len(open) == 0 {
				return r.data[from:at]
			}
		}
	}
}

// text reads an element as gofeed's shared.ParseText does.
func (r *rssReader) text(t xml.StartElement) string {
	check(plainAttrs(t))
	return rssText(r.inner(t))
}

// textField is an element read once into a string, by its lower-cased
// name (unprefixed, as gofeed matches RSS's own elements).
type textField struct {
	name string
	dst  *string
	seen bool
}

// field reads t into the field of fields its name picks, if one does.
func (r *rssReader) field(fields []textField, t xml.StartElement) bool {
	name := strings.ToLower(t.Name.Local)
	for i := range fields {
		if f := &fields[i]; f.name == name {
			check(!f.seen)
			f.seen = true
			check(name != "link" || len(t.Attr) == 0) // an href would be read, and rewritten
			*f.dst = r.text(t)
			return true
		}
	}
	return false
}

func (r *rssReader) channel(start xml.StartElement) *rss.Feed {
	check(plainAttrs(start))
	c := &rss.Feed{Items: []*rss.Item{}}
	fields := []textField{
		{name: "title", dst: &c.Title}, {name: "link", dst: &c.Link}, {name: "language", dst: &c.Language},
		{name: "managingeditor", dst: &c.ManagingEditor}, {name: "webmaster", dst: &c.WebMaster},
	}
	atomLink := false
	r.children(start, func(t xml.StartElement) {
		if t.Name.Space != "" {
			switch r.key(t) {
			case "":
			case "atom", "atom10", "atom03":
				atomLink = true // a fallback for an empty <link>
			default:
				bail()
			}
			r.skip(t)
			return
		}
		if r.field(fields, t) {
			return
		}
		if strings.ToLower(t.Name.Local) == "item" {
			c.Items = append(c.Items, r.item(t))
			return
		}
		check(plainAttrs(t))
		r.skip(t)
	})
	if c.Link != "" {
		c.Links = []string{c.Link}
	}
	check(c.Link != "" || !atomLink)
	return c
}

func (r *rssReader) item(start xml.StartElement) *rss.Item {
	check(plainAttrs(start))
	it := &rss.Item{}
	fields := []textField{
		{name: "title", dst: &it.Title}, {name: "description", dst: &it.Description}, {name: "link", dst: &it.Link},
		{name: "author", dst: &it.Author}, {name: "comments", dst: &it.Comments}, {name: "pubdate", dst: &it.PubDate},
	}
	content := false
	var creator *string
	r.children(start, func(t xml.StartElement) {
		if t.Name.Space != "" {
			switch key := r.key(t); {
			case key == "content" && strings.ToLower(t.Name.Local) == "encoded":
				check(!content)
				content = true
				it.Content = r.text(t)
			case key == "dc" && t.Name.Local == "creator":
				check(creator == nil)
				creator = new(string)
				*creator = r.extensionText(t)
			case key == "" || key == "dc" && unreadDC[t.Name.Local]:
				r.skip(t)
			default:
				bail()
			}
			return
		}
		if r.field(fields, t) {
			return
		}
		switch strings.ToLower(t.Name.Local) {
		case "guid":
			check(it.GUID == nil)
			it.GUID = &rss.GUID{IsPermalink: permalinkAttr(t.Attr)}
			it.GUID.Value = r.text(t)
		case "enclosure":
			bail() // may name the picture
		default:
			check(plainAttrs(t))
			r.skip(t) // gofeed keeps it in Item.Custom, which nothing reads
		}
	})
	it.PubDateParsed = rssDate(it.PubDate)
	if it.Link != "" {
		it.Links = []string{it.Link}
	}
	if creator != nil {
		it.DublinCoreExt = &ext.DublinCoreExtension{Creator: []string{*creator}}
	}
	return it
}

// extensionText reads an extension element's text as gofeed does: the
// decoded character data, trimmed. One with child elements is refused.
func (r *rssReader) extensionText(t xml.StartElement) string {
	if raw, end, ok := r.quickInnerEnd(t); ok && !bytes.HasPrefix(raw, cdataOpen) &&
		bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		// Text without references or carriage returns is its own
		// character data.
		r.moveTo(end)
		return string(bytes.TrimSpace(raw))
	}
	var b strings.Builder
	for {
		tok, _ := r.token()
		switch tt := tok.(type) {
		case xml.StartElement:
			bail()
		case xml.CharData:
			b.Write(tt)
		case xml.EndElement:
			check(tt.Name == t.Name)
			return strings.TrimSpace(b.String())
		}
	}
}
