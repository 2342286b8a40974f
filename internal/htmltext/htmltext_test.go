package htmltext

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var (
	comment = Options{Links: true, Pre: true, HTMLSpace: true}
	page    = Options{Pre: true, Quotes: true, Cells: true, DropLine: func(l string) bool { return l == "Reply" }}
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in string
		o        Options
		want     string
	}{
		{"plain text", " Just  text. ", Options{}, "Just text."},
		{"blocks split", "<p>One.</p><div>Two.</div>Three.", Options{}, "One.\n\nTwo.\n\nThree."},
		{"hn paragraph separators", "One.<p>Two.<p>Three.", Options{}, "One.\n\nTwo.\n\nThree."},
		{"br ends a line", "one<br>two<br/>three", Options{}, "one\ntwo\nthree"},
		{"two br split", "a<br><br>b<br>\n <br>c", Options{}, "a\n\nb\n\nc"},
		{"one line per paragraph", "one<br>two<br><br>three", Options{OneLine: true}, "one two\n\nthree"},
		{"many br are one break", "a<br><br><br><br>b", Options{}, "a\n\nb"},
		{"entities decoded", "Tom &amp; Jerry &ldquo;live&rdquo; caf&eacute; &lt;3", Options{}, "Tom & Jerry “live” café <3"},
		{"unicode space collapses", "a&nbsp;&nbsp;b \u2003 c", Options{}, "a b c"},
		{"html space keeps nbsp", "a&nbsp;&nbsp;b \t c&nbsp;", Options{HTMLSpace: true}, "a\u00a0\u00a0b c"},
		{"inline markup joins", "un<b>believ</b>able <i>or</i> not", Options{}, "unbelievable or not"},
		{"script, style and svg dropped", "a<script>x()</script>b<style>p{}</style><svg><text>c</text></svg>", Options{}, "ab"},
		{"noscript dropped", "a<noscript><p>enable JS</p></noscript>", Options{}, "a"},
		{"image separates words", "left<img src=x>right", Options{}, "left right"},
		{"cells share a line", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", Options{}, "a b\n\nc"},
		{"cells as paragraphs", "<table><tr><td>a</td><td>b</td></tr></table>", Options{Cells: true}, "a\n\nb"},
		{"unclosed tags", "<p><b>bold", Options{}, "bold"},
		{"stray closers", "</a></pre></p>text", Options{}, "text"},
		{"only markup", "<p></p><p> </p><br>", Options{}, ""},
		{"link text only", `see <a href="https://x.org/">the site</a>.`, Options{}, "see the site."},
		{"link with address", `see <a href="https://x.org/">the site</a>.`, comment, "see the site (https://x.org/)."},
		{"link same as address", `<a href="https://x.org/a">https://x.org/a</a>`, comment, "https://x.org/a"},
		{"shortened link", `<a href="https://x.org/a/very/long">https://x.org/a/ve...</a>`, comment, "https://x.org/a/very/long"},
		{"empty link", `go <a href=" https://x.org/ "></a>`, comment, "go https://x.org/"},
		{"link without href", `<a name="x">anchor</a>`, comment, "anchor"},
		{"link across paragraphs", `<a href="u">one<p>two</p></a>`, comment, "one\n\ntwo"},
		{"pre collapsed by default", "<pre>  a\n    b</pre>", Options{}, "a b"},
		{"pre keeps layout", "Code:<pre>\n  if x {\n    y()  \n\n\n\n  }\n\n</pre>After", comment, "Code:\n\n  if x {\n    y()\n\n  }\n\nAfter"},
		{"br and links in pre", `<pre>a<br><a href="u">b</a></pre>`, comment, "a\nb (u)"},
		{"blockquote plain", "<blockquote>said<br>twice</blockquote>ok", Options{}, "said\ntwice\n\nok"},
		{"blockquote quoted", "<blockquote>said<br>twice</blockquote>ok", page, "> said\n> twice\n\nok"},
		{"nested quotes", "<blockquote>outer<blockquote>inner</blockquote></blockquote>", page, "> outer\n\n> > inner"},
		{"pre in a quote", "<blockquote><pre>a\n\nb</pre></blockquote>", page, "> a\n>\n> b"},
		{"dropped lines leave no break", "<p>Real<br>Reply<br>text</p><div>Reply</div>", page, "Real\ntext"},
		{"text blank lines ignored", "one\n\ntwo <b>x</b>", Options{}, "one two x"},
		{"text blank lines split", "one\n\ntwo <b>x</b>", Options{TextBreaks: true}, "one\n\ntwo x"},
		{"blank text between tags joins", "<b>x</b>\n\n<i>y</i>", Options{TextBreaks: true}, "x y"},
		{"invalid UTF-8", "caf\xe9 <pre>\xff</pre>", comment, "caf\ufffd\n\n\ufffd"},
		{"too deep to parse", strings.Repeat("<b>", 600) + "deep<script>x</script>", Options{}, "deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in, tt.o); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphsRootsAndSkip(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div id=a><b class=who>Ann</b>wrote <span hidden>x</span>this</div>` +
		`<div id=b>and <button>Reply</button>more<pre>  k <b class=who>Ann</b>v</pre></div>`))
	if err != nil {
		t.Fatal(err)
	}
	var roots []*html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if attr(n, "id") != "" {
			roots = append(roots, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	skip := func(n *html.Node) bool {
		return attr(n, "class") == "who" || n.Data == "button" || hasAttr(n, "hidden")
	}
	got := Paragraphs(roots, Options{Skip: skip, Pre: true})
	// A skipped element separates words outside <pre>, not inside it.
	want := []string{"wrote this", "and more", "  k v"}
	if !slices.Equal(got, want) {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// The HTML feeds carry is read from its tokens, without building a tree:
// paragraphs, inline markup, lists, headings, images, scripts and comments.
func TestFeedHTMLReadsFromTokens(t *testing.T) {
	o := Options{OneLine: true, TextBreaks: true}
	for _, s := range []string{
		"<p>One <b>bold</b> and <a href=\"https://x.example/?a=1&amp;b=2\" rel=nofollow>a link</a>.</p>\n<p>Two</p>",
		"<h2>Head</h2><ul><li>a</li><li>b <em>c</em></li></ul><figure><img src=\"/i.jpg\" alt=\"x > y\"/><figcaption>Cap</figcaption></figure>",
		"Lead<br><br/>Tail <!-- note --> &ldquo;quoted&rdquo; &#8211; 1 < 2",
		"<blockquote class=\"twitter-tweet\"><p lang=\"en\">Tweet</p></blockquote><script async src=\"https://platform.twitter.com/widgets.js\"></script>",
		"<div><o:p>Word</o:p><span style='color:red'>red</span></div>",
	} {
		got, ok := tokenParagraphs(s, o)
		if !ok {
			t.Errorf("%q: read by the tree", s)
			continue
		}
		if want := Paragraphs([]*html.Node{Parse(s)}, o); !slices.Equal(got, want) {
			t.Errorf("%q: tokens read %q, the tree %q", s, got, want)
		}
	}
}
