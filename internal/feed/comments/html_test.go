package comments

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Just text.", "Just text."},
		{"hn paragraphs", "One.<p>Two.<p>Three.", "One.\n\nTwo.\n\nThree."},
		{"closed paragraphs", "<p>One.</p>\n<p>Two.</p>", "One.\n\nTwo."},
		{"entities", "It&#x27;s &quot;fine&quot; &amp; &lt;ok&gt; caf&eacute;", `It's "fine" & <ok> café`},
		{"italics keep text", "<i>or</i> HN", "or HN"},
		{"no space added inside words", "un<b>believ</b>able", "unbelievable"},
		{"whitespace collapses", "a \n\t b", "a b"},
		{"link same as text", `<a href="https://x.org/a">https://x.org/a</a>`, "https://x.org/a"},
		{"link with label", `see <a href="https://x.org/">the site</a>.`, "see the site (https://x.org/)."},
		{"shortened link", `<a href="https://x.org/a/very/long">https://x.org/a/ve...</a>`, "https://x.org/a/very/long"},
		{"empty link", `<a href="https://x.org/"></a>`, "https://x.org/"},
		{"link without href", `<a name="x">anchor</a>`, "anchor"},
		{"line break", "one<br>two<br/>three", "one\ntwo\nthree"},
		{"pre keeps layout", "Code:<p><pre><code>  if x {\n    y()\n  }\n</code></pre>After", "Code:\n\n  if x {\n    y()\n  }\n\nAfter"},
		{"script dropped", "a<script>alert(1)</script>b", "ab"},
		{"list items", "<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"},
		{"unclosed tags", "<p><b>bold", "bold"},
		{"stray closers", "</a></pre></p>text", "text"},
		{"only markup", "<p></p><p> </p>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlText(tt.in); got != tt.want {
				t.Errorf("htmlText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestHTMLTextSamples converts the real item texts: one paragraph per <p>
// outside <pre>, no markup or entity left.
func TestHTMLTextSamples(t *testing.T) {
	dir := sampleDir(t, "hackernews")
	for _, name := range []string{"item_121003.json", "item_192327.json", "item_2921983.json", "item_160705.json"} {
		t.Run(name, func(t *testing.T) {
			var it struct{ Text string }
			if err := json.Unmarshal(readFile(t, filepath.Join(dir, name)), &it); err != nil {
				t.Fatal(err)
			}
			got := htmlText(it.Text)
			for _, bad := range []string{"<p>", "<i>", "<a ", "</", "&#x27;", "&quot;", "&amp;"} {
				if strings.Contains(got, bad) {
					t.Errorf("%q left in %q", bad, got)
				}
			}
			paras := strings.Count(it.Text, "<p>") + 1
			if strings.Contains(it.Text, "<pre>") {
				paras = strings.Count(it.Text, "<p>") + strings.Count(it.Text, "<pre>") + 1
			}
			if n := len(strings.Split(got, "\n\n")); n != paras {
				t.Errorf("%d paragraphs, want %d:\n%s", n, paras, got)
			}
		})
	}
}
