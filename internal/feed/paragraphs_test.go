package feed

import (
	"reflect"
	"regexp"
	"testing"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "  \n ", nil},
		{"block elements split", "<p>One.</p><p>Two.</p>", []string{"One.", "Two."}},
		{"headings and lists", "<h2>Head</h2><ul><li>a</li><li>b</li></ul>", []string{"Head", "a", "b"}},
		{"double br splits", "First line<br><br>Second", []string{"First line", "Second"}},
		{"double br with whitespace and self-closing", "First<br />\n  <br/>Second", []string{"First", "Second"}},
		{"single br joins with a space", "Street 1<br>Town", []string{"Street 1 Town"}},
		{"entities decoded", "<p>Tom &amp; Jerry &ldquo;live&rdquo; &#8211; caf&eacute;</p>", []string{"Tom & Jerry “live” – café"}},
		{"whitespace collapsed", "<p>  lots \n\t of   space&nbsp;here </p>", []string{"lots of space here"}},
		{"script and style dropped", "<p>Keep</p><script>var x = '<p>no</p>';</script><style>p{}</style><p>this</p>", []string{"Keep", "this"}},
		{"inline tags joined", "<p>A <b>bold</b> <a href='x'>link</a>.</p>", []string{"A bold link."}},
		{"text beside blocks", "Lead text<div>Block</div>Tail", []string{"Lead text", "Block", "Tail"}},
		{"blank line in html text", "Para one <i>x</i>\n\nPara two", []string{"Para one x", "Para two"}},
		{"table cells separated", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", []string{"a b", "c"}},
		{"comments ignored", "<p>a<!-- hidden --> b</p>", []string{"a b"}},
		{"plain text split on blank lines", "First para\nstill first.\n\n\nSecond para.", []string{"First para still first.", "Second para."}},
		{"plain text with entities", "Fish &amp; chips", []string{"Fish & chips"}},
		{"comparison is not markup", "1 < 2 and 3 > 2", []string{"1 < 2 and 3 > 2"}},
		{"crlf blank lines", "One\r\n\r\nTwo", []string{"One", "Two"}},
		{"unclosed markup", "<p>Unclosed <b>bold", []string{"Unclosed bold"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Paragraphs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraphs(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzHasMarkup holds hasMarkup to the regular expression it reads.
func FuzzHasMarkup(f *testing.F) {
	markup := regexp.MustCompile(`<(?:/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s|/?>)|!--)`)
	for _, s := range []string{"1 < 2", "<p>x", "a</b>", "<br/>", "<o:p\n>", "<a/b>", "<!-- c", "<!-", "x <3", "</", "<a", "<a-1:b\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasMarkup(s), markup.MatchString(s); got != want {
			t.Fatalf("hasMarkup(%q) = %v, the expression says %v", s, got, want)
		}
	})
}
