package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func addFixtures(f *testing.F) {
	for _, fx := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", fx.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<rss><channel><item><title>&lt;b&gt;x</title><link>%zz</link></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1}]}`))
	f.Add([]byte("<!DOCTYPE html><p>page"))
}

func FuzzParseFeed(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, articles, err := ParseFeed(data, "https://example.com/feed.xml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "parse feed: ") || strings.Contains(err.Error(), "parser failed") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if info.Kind != KindRSS && info.Kind != KindAtom && info.Kind != KindJSON {
			t.Errorf("Kind = %q", info.Kind)
		}
		for _, a := range articles {
			checkParagraphs(t, a.Paragraphs)
			if strings.ContainsAny(a.Title, "\n\t") {
				t.Errorf("title %q is not one line", a.Title)
			}
		}
	})
}

func FuzzParagraphs(f *testing.F) {
	for _, s := range []string{
		"<p>One</p><p>Two</p>", "a<br><br>b", "plain\n\ntext", "<script>x</script>y",
		"&amp;&lt;&#x1F600;&bogus;", "<p>unclosed <b>", "1 < 2", "<table><tr><td>a</td></tr></table>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParagraphs(t, Paragraphs(s))
	})
}

func FuzzDetect(f *testing.F) {
	addFixtures(f)
	f.Add([]byte("\xef\xbb\xbf  <?xml version='1.0'?><rdf:RDF/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k := Detect(data)
		switch k {
		case KindRSS, KindAtom, KindJSON, KindPage:
		default:
			t.Fatalf("Detect = %q", k)
		}
		got, err := KindOf(KindAuto, data, "text/html; charset=\"x\"")
		if (err != nil) != (k == KindPage) || err == nil && got != k {
			t.Fatalf("KindOf = %q, %v; Detect = %q", got, err, k)
		}
		if err != nil && !utf8.ValidString(err.Error()) {
			t.Fatalf("error %q is not valid UTF-8", err)
		}
	})
}

// checkParagraphs asserts what every caller relies on: no empty paragraph,
// no paragraph with edge or repeated whitespace.
func checkParagraphs(t *testing.T, ps []string) {
	t.Helper()
	for _, p := range ps {
		if p == "" || p != collapse(p) {
			t.Fatalf("paragraph %q is empty or not collapsed", p)
		}
		if utf8.ValidString(p) && strings.ContainsAny(p, "\n\r\t") {
			t.Fatalf("paragraph %q holds line breaks", p)
		}
	}
}
