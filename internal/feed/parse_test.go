package feed

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// fixtures are the always-on feed documents, one per format version.
var fixtures = []struct {
	file, base string
	kind       Kind
}{
	{"rss091.xml", "", KindRSS},
	{"rss092.xml", "", KindRSS},
	{"rss10.rdf", "", KindRSS},
	{"rss20.xml", "https://news.example.com/feed.xml", KindRSS},
	{"atom03.xml", "", KindAtom},
	{"atom10.xml", "https://blog.example.org/atom.xml", KindAtom},
	{"jsonfeed11.json", "https://bakery.example/feed.json", KindJSON},
}

type golden struct {
	Info     Info
	Articles []news.Article
}

func TestParseFeedGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := Detect(data); got != fx.kind {
				t.Errorf("Detect = %q, want %q", got, fx.kind)
			}
			info, articles, err := ParseFeed(data, fx.base)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if info.Kind != fx.kind {
				t.Errorf("Info.Kind = %q, want %q", info.Kind, fx.kind)
			}
			got, err := json.MarshalIndent(golden{info, articles}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(fx.file, filepath.Ext(fx.file))+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the parsed articles (go test -update rewrites it); got:\n%s", path, got)
			}
		})
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"malformed XML", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>a</title><item></channel>",
			"parse feed: XML syntax error on line 3: unexpected EOF"},
		{"HTML page", "<!DOCTYPE html><html><body>Hi</body></html>",
			"parse feed: not an RSS, Atom or JSON feed (looks like an HTML page): failed to detect feed type"},
		{"plain text", "Just some words",
			"parse feed: not an RSS, Atom or JSON feed (looks like plain text beginning \"Just some words\"): failed to detect feed type"},
		{"empty", "", "parse feed: not an RSS, Atom or JSON feed (looks like an empty document): failed to detect feed type"},
		{"JSON that is not a feed", `{"kind": "Listing"}`, "parse feed: JSON without a jsonfeed.org version is not a feed"},
		{"broken JSON Feed", "{\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [}",
			"parse feed: JSON syntax error on line 2: invalid character '}' looking for beginning of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseFeed([]byte(tt.in), "feed.xml")
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestParseFeedStructure(t *testing.T) {
	const doc = `<rss version="2.0"><channel><title></title><link>https://site.example/blog/</link>
<item><title>Newest</title><link>c</link><pubDate>Wed, 03 Jan 2024 00:00:00 GMT</pubDate></item>
<item><title>Oldest</title><link>/a</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
<item><title>Middle</title><link>https://other.example/b</link><pubDate>Tue, 02 Jan 2024 00:00:00 GMT</pubDate></item>
</channel></rss>`
	// A local file path is no base for links: the feed's own link is used.
	info, articles, err := ParseFeed([]byte(doc), "testdata/local.xml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range articles {
		got = append(got, a.Title+" "+a.URL+" "+a.Source)
	}
	want := []string{
		"Newest https://site.example/blog/c site.example",
		"Oldest https://site.example/a site.example",
		"Middle https://other.example/b site.example",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("articles (document order, resolved links, host as source):\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if info.Title != "" || info.Link != "https://site.example/blog/" {
		t.Errorf("info = %+v", info)
	}

	// The document's own address wins over the feed's link.
	_, articles, _ = ParseFeed([]byte(doc), "https://mirror.example/feeds/x.xml")
	if articles[0].URL != "https://mirror.example/feeds/c" {
		t.Errorf("with a base URL: %q", articles[0].URL)
	}

	info, articles, err = ParseFeed([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Empty</title></feed>`), "")
	if err != nil || len(articles) != 0 || articles == nil || info.Title != "Empty" {
		t.Errorf("empty feed: info %+v, %d articles (nil %v), err %v", info, len(articles), articles == nil, err)
	}
}

// The fields a channel shows, picked from each place a feed can put them.
func TestParseFeedFields(t *testing.T) {
	tests := []struct {
		file, base string
		index      int
		field      func(news.Article) string
		want       string
	}{
		{"rss20.xml", "", 0, comments, "https://news.example.com/2024/05/park#comments"},
		{"rss20.xml", "", 1, comments, "https://news.example.com/2024/05/storm/comments.rss"},
		{"atom10.xml", "", 0, comments, "https://blog.example.org/posts/go-1-26#comments"},
		{"atom10.xml", "", 1, comments, "https://blog.example.org/posts/summary/comments.atom"},
		{"rss20.xml", "", 0, image, "https://cdn.example.com/park.jpg"},
		{"rss20.xml", "", 1, image, "https://news.example.com/img/storm-thumb.jpg"},
		{"rss20.xml", "", 2, image, "https://news.example.com/photos/sunset.jpg"},
		{"rss092.xml", "", 0, image, "http://radio.example/img/bridge.jpg"},
		{"atom10.xml", "", 0, image, "https://blog.example.org/img/go.png"},
		{"jsonfeed11.json", "", 1, image, "https://bakery.example/sign.png"},
		{"rss20.xml", "", 0, title, "Council approves new park"},
		{"rss20.xml", "", 1, author, "Weather Desk"},
		{"rss10.rdf", "", 0, author, "Ada Lovelace"},
		{"jsonfeed11.json", "", 0, author, "Maria Baker"},
		{"atom10.xml", "", 1, author, "Sam Writer"},
		{"rss20.xml", "", 1, link, "https://news.example.com/2024/05/storm"},
		{"rss10.rdf", "", 1, guid, "http://science.example/coral"},
		{"atom03.xml", "", 0, updated, "2005-01-10T11:00:00Z"},
		{"rss10.rdf", "", 0, updated, "2024-03-01T08:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, articles, err := ParseFeed(data, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.field(articles[tt.index]); got != tt.want {
				t.Errorf("article %d: got %q, want %q", tt.index, got, tt.want)
			}
		})
	}
}

func comments(a news.Article) string { return a.CommentsURL }
func image(a news.Article) string    { return a.ImageURL }
func title(a news.Article) string    { return a.Title }
func author(a news.Article) string   { return a.Author }
func link(a news.Article) string     { return a.URL }
func guid(a news.Article) string     { return a.GUID }
func updated(a news.Article) string  { return a.Updated.Format(time.RFC3339) }

// Titles are plain text for display: markup is removed where the format
// says it is markup, and kept as words where the format says plain text.
func TestParseFeedTitles(t *testing.T) {
	const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title%s>%s</title><id>x</id></entry></feed>`
	tests := []struct{ name, doc, want string }{
		{"atom text keeps brackets", fmt.Sprintf(atom, ` type="text"`, "Why &lt;div&gt; soup"), "Why <div> soup"},
		{"atom default type is text", fmt.Sprintf(atom, "", "a &lt;b&gt; c"), "a <b> c"},
		{"atom html strips tags", fmt.Sprintf(atom, ` type="html"`, "Tom &amp;amp; &lt;b&gt;Jerry&lt;/b&gt;"), "Tom & Jerry"},
		{"atom xhtml strips tags", fmt.Sprintf(atom, ` type="xhtml"`, `<div xmlns="http://www.w3.org/1999/xhtml">A <em>big</em> day</div>`), "A big day"},
		{"rss title is html", `<rss version="2.0"><channel><item><title>AT&amp;amp;T &lt;i&gt;wins&lt;/i&gt;</title></item></channel></rss>`, "AT&T wins"},
		{"rss title whitespace", "<rss version=\"2.0\"><channel><item><title>\n  Two\n  lines  </title></item></channel></rss>", "Two lines"},
		{"json title is text", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"I <3 bread &amp; jam"}]}`, "I <3 bread &amp; jam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, articles, err := ParseFeed([]byte(tt.doc), "")
			if err != nil || len(articles) != 1 {
				t.Fatalf("%d articles, err %v", len(articles), err)
			}
			if articles[0].Title != tt.want {
				t.Errorf("Title = %q, want %q", articles[0].Title, tt.want)
			}
		})
	}
}

// TestParseFeedRepairsInvalidUTF8: one bad byte costs one character, not
// the feed, and the repair is reported once for the document.
func TestParseFeedRepairsInvalidUTF8(t *testing.T) {
	tests := []struct{ name, doc, note string }{
		{"rss", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title>\n<item><title>Bad \xff byte</title><guid>1</guid></item>\n<item><title>Good \xc3 too \xfe</title><guid>2</guid></item></channel></rss>",
			"3 invalid UTF-8 bytes replaced with U+FFFD (the first on line 3); the rest of the feed is intact"},
		{"atom declared utf-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>Bad \xff byte</title><id>1</id></entry><entry><title>Good \xc3 too \xfe</title><id>2</id></entry></feed>",
			"3 invalid UTF-8 bytes replaced with U+FFFD (the first on line 1); the rest of the feed is intact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, articles, err := ParseFeed([]byte(tt.doc), "https://news.example/feed")
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if len(articles) != 2 || articles[0].Title != "Bad \ufffd byte" || articles[1].Title != "Good \ufffd too \ufffd" {
				t.Errorf("articles %+v", articles)
			}
			if len(info.Notes) != 1 || info.Notes[0] != tt.note {
				t.Errorf("notes %q, want [%q]", info.Notes, tt.note)
			}
		})
	}
	// A declared single-byte encoding has no invalid bytes to repair.
	info, articles, err := ParseFeed([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><item><title>caf\xe9</title></item></channel></rss>"), "")
	if err != nil || len(articles) != 1 || articles[0].Title != "café" || len(info.Notes) != 0 {
		t.Errorf("latin-1 feed: %v, %+v, notes %q", err, articles, info.Notes)
	}
}

// TestShapeCheckSeesPastABadByte: an invalid byte early in a document
// must not switch off the nesting limit for the rest of it.
func TestShapeCheckSeesPastABadByte(t *testing.T) {
	doc := "<rss><channel><title>\xff</title>" + strings.Repeat("<x>", maxXMLDepth+10) + "</channel></rss>"
	_, _, err := ParseFeed([]byte(doc), "")
	if err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("err = %v, want the nesting limit", err)
	}
}
