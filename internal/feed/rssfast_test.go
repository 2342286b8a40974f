package feed

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sameAsGofeed parses data both ways and fails unless the fast path, when
// it answers, gives exactly what gofeed's path gives. It reports whether
// the fast path answered.
func sameAsGofeed(t *testing.T, data []byte, base string) bool {
	t.Helper()
	info, articles, fast, err := parseFeed(data, base, true)
	if !fast {
		return false
	}
	if err != nil {
		t.Fatalf("fast path answered with an error: %v", err)
	}
	wantInfo, wantArticles, usedFast, wantErr := parseFeed(data, base, false)
	if usedFast {
		t.Fatal("fast path used when turned off")
	}
	if wantErr != nil {
		t.Fatalf("fast path accepted a document gofeed refuses (%v):\n%.300q", wantErr, data)
	}
	if !reflect.DeepEqual(info, wantInfo) {
		t.Fatalf("Info differs:\nfast   %+v\ngofeed %+v\ndocument %.300q", info, wantInfo, data)
	}
	if len(articles) != len(wantArticles) {
		t.Fatalf("%d articles, gofeed %d", len(articles), len(wantArticles))
	}
	for i := range articles {
		if !reflect.DeepEqual(articles[i], wantArticles[i]) {
			t.Fatalf("article %d differs:\nfast   %+v\ngofeed %+v\ndocument %.300q", i, articles[i], wantArticles[i], data)
		}
	}
	return true
}

const rssHead = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>Courier &amp; Co</title><link>https://courier.example/</link><language>en-gb</language>
<atom:link href="https://courier.example/feed" rel="self"/><sy:updatePeriod>hourly</sy:updatePeriod>
`

func rssDoc(items ...string) []byte {
	return []byte(rssHead + strings.Join(items, "\n") + "</channel></rss>")
}

// rssDocs are small documents, each read by the fast path (fast) or left
// to gofeed for something it does not handle.
var rssDocs = []struct {
	name string
	doc  []byte
	fast bool
}{
	{"plain", rssDoc(`<item><title>A &lt;b&gt;bold&lt;/b&gt; move</title><link>https://courier.example/a</link>
<guid isPermaLink="false">a-1</guid><pubDate>Fri, 20 Nov 2026 18:00:00 +0000</pubDate><dc:creator>Ann Lee</dc:creator>
<category>x</category><description>Short &amp;amp; sweet</description>
<content:encoded><![CDATA[<p>First.</p><p>Second <img src="/i.jpg"></p>]]></content:encoded><comments>/a#c</comments></item>`), true},
	{"guid as link, GMT", rssDoc(`<item><title>B</title><guid>https://courier.example/b</guid><pubDate>Tue, 07 May 2024 14:00:00 GMT</pubDate>
<author>bob@courier.example (Bob Roe)</author><description><![CDATA[one]]> &amp; <![CDATA[two]]></description></item>`), true},
	{"relative link, no date", rssDoc(`<item><title>C</title><link>/c</link><description>x &nbsp; y &copy=2;</description><slash:comments xmlns:slash="http://purl.org/rss/1.0/modules/slash/">3</slash:comments></item>`), false},
	{"unknown element, empty fields", rssDoc(`<item><title/><link></link><foo>bar</foo><source url="https://x.example/">X</source><pubDate> </pubDate></item>`), true},
	{"managing editor", []byte(`<rss><channel><title>T</title><link>https://t.example/</link><managingEditor>ed@t.example (Ed)</managingEditor><item><title>x</title></item></channel></rss>`), true},
	{"enclosure", rssDoc(`<item><title>D</title><enclosure url="https://x/i.jpg" type="image/jpeg" length="1"/></item>`), false},
	{"media", rssDoc(`<item><title>E</title><media:thumbnail url="https://x/i.jpg"/></item>`), false},
	{"xml:base", rssDoc(`<item xml:base="https://other.example/"><title>F</title><link>f</link></item>`), false},
	{"latin-1", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>G</title><item><title>g</title></item></channel></rss>`), false},
	{"two titles", rssDoc(`<item><title>H</title><title>H2</title></item>`), false},
	{"other date", rssDoc(`<item><title>I</title><pubDate>2024-05-07T14:00:00Z</pubDate></item>`), false},
	{"named zone", rssDoc(`<item><title>J</title><pubDate>Tue, 07 May 2024 14:00:00 EST</pubDate></item>`), false},
	{"mismatched end tag", rssDoc(`<item><title>K <b>x</title></item>`), false},
	{"RSS 1.0", []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>L</title></channel><item><title>l</title></item></rdf:RDF>`), false},
	{"default namespace", []byte(`<rss xmlns="http://bogus.example/"><channel><title>M</title><item><title>m</title></item></channel></rss>`), false},
	{"text and CDATA read past the decoder", rssDoc(`<item><title><![CDATA[T <b>x</b>]]></title><description>plain &amp; simple</description><link>https://courier.example/q</link></item>`,
		`<item><title><![CDATA[a]]></title ><description><![CDATA[b]]>c</description><guid/><comments></comments></item>`), true},
	{"tags read past the decoder", rssDoc(`<item ><title >a</title
><guid isPermaLink = 'false'x="1">g</guid><link>https://courier.example/t</link ><dc:creator>c</dc:creator></item>`,
		`<item><guid isPermaLink>https://courier.example/v</guid><title>b</title></item>`,
		`<item><guid isPermaLink="&#102;alse">https://courier.example/w</guid><:t>x</:t><t:>y</t:><_é>z</_é></item>`), true},
	{"invalid UTF-8 under a declaration read two ways", []byte("<?xml encoding=\"?><rss a=\"0\"><channel><item><description>\x8c</description></item></channel></rss>"), false},
	{"]]> in text", rssDoc(`<item><title>a ]]> b</title></item>`), false},
	{"reference to a forbidden character", rssDoc(`<item><title>a &#0; b</title></item>`), false},
	{"forbidden character in CDATA", rssDoc("<item><title><![CDATA[a \uFFFE]]></title></item>"), false},
	{"end tag before the root", []byte(`</x><rss><channel><title>O</title></channel></rss>`), false},
	{"atom link without link", []byte(`<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>N</title><atom:link href="https://n.example/" rel="alternate"/><item><title>n</title></item></channel></rss>`), false},
}

func TestRSSFastPathDocs(t *testing.T) {
	for _, d := range rssDocs {
		t.Run(d.name, func(t *testing.T) {
			if got := sameAsGofeed(t, d.doc, "https://courier.example/feed"); got != d.fast {
				t.Errorf("fast path answered = %v, want %v", got, d.fast)
			}
		})
	}
}

// TestRSSFastPathBench: the feeds the benchmarks parse take the fast path.
func TestRSSFastPathBench(t *testing.T) {
	if !sameAsGofeed(t, bigFeed(20), "") {
		t.Error("the benchmark feed is left to gofeed")
	}
	if !sameAsGofeed(t, newsFeed(20), "") {
		t.Error("the news benchmark feed is left to gofeed")
	}
}

// sameTranslation fails unless translateRSS made, from what the fast path
// read of data, the very feed gofeed's translator makes, and left what it
// read as it was.
func sameTranslation(t *testing.T, data []byte) {
	t.Helper()
	f, orig, ok := parseRSSFast(data)
	if !ok {
		return
	}
	want, err := rssTranslator().Translate(orig)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("translateRSS differs from gofeed's translator:\n%+v\n%+v\ndocument %.300q", f, want, data)
	}
}

func TestTranslateRSS(t *testing.T) {
	sameTranslation(t, newsFeed(20))
	for _, d := range rssDocs {
		sameTranslation(t, d.doc)
	}
	sameTranslation(t, rssDoc(`<item><author>Ann Lee</author><dc:creator>Bob</dc:creator></item>`,
		`<item><author>ann@x.example (Ann)</author></item>`, `<item><dc:creator>Ann (Editor)</dc:creator></item>`, `<item><dc:creator> </dc:creator></item>`))
}

// TestRSSFastPathSharedTestdata compares the two paths on every RSS
// document in the shared test data.
func TestRSSFastPathSharedTestdata(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "testdata")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared test data absent (%v)", err)
	}
	var rssFiles, fast int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if Detect(data) != KindRSS {
			return nil
		}
		rssFiles++
		t.Run(strings.TrimPrefix(path, root), func(t *testing.T) {
			if sameAsGofeed(t, data, "https://example.com/feed.xml") {
				fast++
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the fast path read %d of %d RSS documents; gofeed read the rest", fast, rssFiles)
}

// FuzzRSSFastPath holds the fast path equal to gofeed's wherever it
// answers. Each input is tried as a document and as the body of an item in
// a plain RSS 2.0 document, so that most mutations stay where the fast path
// answers rather than where it bails.
func FuzzRSSFastPath(f *testing.F) {
	addFixtures(f)
	for _, d := range rssDocs {
		f.Add(d.doc)
	}
	f.Add(bigFeed(2))
	for _, body := range []string{
		`<title>A &amp; B</title><link>https://x.example/a</link><guid isPermaLink="false">a</guid>`,
		`<guid>https://x.example/b</guid><pubDate>Tue, 07 May 2024 14:00:00 GMT</pubDate><author>b@x.example (B)</author>`,
		`<pubDate>Fri, 20 Nov 2026 18:00:00 +0100</pubDate><dc:creator>Ann &lt;ann@x.example&gt;</dc:creator>`,
		`<description><![CDATA[<p>one</p>]]> &amp;nbsp; <![CDATA[two]]></description><comments>/c</comments>`,
		`<content:encoded>&lt;p&gt;x&lt;img src="/i.png"&gt;</content:encoded><category domain="d">c</category>`,
		`<title><![CDATA[T]]></title><description>a &copy; b &copy=2; &#38;</description><dc:subject>s</dc:subject>`,
	} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameTranslation(t, data)
		sameAsGofeed(t, data, "https://example.com/feed.xml")
		sameAsGofeed(t, rssDoc("<item>"+string(data)+"</item>"), "https://example.com/feed.xml")
	})
}

// FuzzRSSText holds rssText, which reads the bytes in place, to gofeed's
// ParseText order of work on a string: trim, then unwrap CDATA sections
// and decode the text around them.
func FuzzRSSText(f *testing.F) {
	for _, s := range []string{" <![CDATA[a]]> ", "<![CDATA[a]]>b", "x &amp; <![CDATA[&amp;]]>", "<![CDATA[]]>", "<![CDATA[a]]><![CDATA[b]]>", "<![CDATA[a", " &lt; "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.TrimSpace(s)
		if strings.Contains(want, "<![CDATA[") {
			want = stripCDATAString(want)
		} else {
			want = decodeEntities(want)
		}
		if got := rssText([]byte(s)); got != want {
			t.Fatalf("rssText(%q) = %q, want %q", s, got, want)
		}
	})
}

// stripCDATAString is gofeed v1.4.2's shared.StripCDATA as it reads.
func stripCDATAString(str string) string {
	const start, end = "<![CDATA[", "]]>"
	var b strings.Builder
	for curr := 0; curr < len(str); {
		i := strings.Index(str[curr:], start)
		if i < 0 {
			b.WriteString(decodeEntities(str[curr:]))
			break
		}
		i += curr
		b.WriteString(decodeEntities(str[curr:i]))
		j := strings.Index(str[i+len(start):], end)
		if j < 0 {
			b.WriteString(decodeEntities(str[i:]))
			break
		}
		j += i + len(start)
		b.WriteString(str[i+len(start) : j])
		curr = j + len(end)
	}
	return b.String()
}
