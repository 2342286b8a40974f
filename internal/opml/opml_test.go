package opml

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []Feed
		wantErr   string
	}{
		{"flat list", `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
			<outline text="World" title="World News" type="rss" xmlUrl="https://example.com/world.xml" htmlUrl="https://example.com/"/>
			<outline text="Tech" type="rss" xmlUrl=" https://example.com/tech.xml "/>
			</body></opml>`,
			[]Feed{{Title: "World News", XMLURL: "https://example.com/world.xml", HTMLURL: "https://example.com/"},
				{Title: "Tech", XMLURL: "https://example.com/tech.xml"}}, ""},
		{"folders name groups and hold no feed themselves", `<opml version="1.0"><body>
			<outline text="News"><outline text="Local"><outline text="Council" xmlUrl="http://a/c.xml"/></outline>
			<outline text="A link" type="link" url="http://a/"/></outline></body></opml>`,
			[]Feed{{Title: "Council", XMLURL: "http://a/c.xml", Group: "News / Local"}}, ""},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml version=\"2.0\"><body><outline text=\"Caf\xe9\" xmlUrl=\"http://a/f\"/></body></opml>",
			[]Feed{{Title: "Café", XMLURL: "http://a/f"}}, ""},
		{"not XML", "feeds: []", nil, "not an OPML document"},
		{"broken XML", `<opml><body><outline text="x"></body></opml>`, nil, "not well-formed XML (line 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.doc))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v; want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v; want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("feed %d = %+v; want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestNestingBounded(t *testing.T) {
	doc := "<opml><body>" + strings.Repeat("<outline text=\"f\">", 40) + strings.Repeat("</outline>", 40) + "</body></opml>"
	if _, err := Parse(strings.NewReader(doc)); err == nil || !strings.Contains(err.Error(), "nest deeper") {
		t.Errorf("40 levels: %v", err)
	}
}

func TestWriteThenParse(t *testing.T) {
	feeds := []Feed{{Title: "World <News> & more", XMLURL: "https://example.com/w.xml?a=1&b=2"}, {Title: "Tech", XMLURL: "http://t/"}}
	var b bytes.Buffer
	if err := Write(&b, "newsbot feeds", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), feeds); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<opml version="2.0">`, `<dateCreated>Fri, 02 Jan 2026 03:04:05 +0000</dateCreated>`, `type="rss"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, b.String())
		}
	}
	got, err := Parse(&b)
	if err != nil || len(got) != 2 || got[0] != feeds[0] || got[1] != feeds[1] {
		t.Errorf("read back %+v, %v", got, err)
	}
	b.Reset()
	if err := Write(&b, "empty", time.Now(), nil); err != nil || !strings.Contains(b.String(), "<body></body>") {
		t.Errorf("an empty list: %v\n%s", err, b.String())
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`<opml version="2.0"><body><outline text="a" xmlUrl="http://a/"><outline text="b" xmlUrl="http://b/"/></outline></body></opml>`)
	f.Add(`<?xml version="1.0" encoding="windows-1252"?><opml><body/></opml>`)
	f.Fuzz(func(t *testing.T, doc string) {
		feeds, err := Parse(strings.NewReader(doc))
		if err != nil {
			return
		}
		for _, fd := range feeds {
			if fd.XMLURL == "" {
				t.Fatalf("a feed without an address: %+v", fd)
			}
		}
	})
}
