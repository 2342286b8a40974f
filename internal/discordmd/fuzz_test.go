package discordmd

import (
	"fmt"
	"html"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// allowed lists the only elements the renderer may write, with the
// attributes each may carry.
var allowed = map[string][]string{
	"strong": nil, "em": nil, "u": nil, "s": nil, "code": nil, "pre": nil,
	"blockquote": nil, "h1": nil, "h2": nil, "h3": nil, "ul": nil, "li": nil,
	"ol":    {"start"},
	"small": {"class"},
	"span":  {"class", "data-user", "data-role", "data-channel"},
	"time":  {"class", "data-unix", "data-style", "title"},
	"a":     {"href", "title", "target", "rel"},
}

// checkSafe parses out as HTML and fails unless every element is one the
// renderer writes, balanced, with only its attributes, and every link
// goes to http(s).
func checkSafe(out string) error {
	z := xhtml.NewTokenizer(strings.NewReader(out))
	var open []string
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if len(open) > 0 {
				return fmt.Errorf("unclosed %v", open)
			}
			return nil
		case xhtml.StartTagToken:
			tok := z.Token()
			attrs, ok := allowed[tok.Data]
			if !ok {
				return fmt.Errorf("element <%s>", tok.Data)
			}
			for _, a := range tok.Attr {
				if !contains(attrs, a.Key) {
					return fmt.Errorf("attribute %s on <%s>", a.Key, tok.Data)
				}
				if a.Key == "href" && !strings.HasPrefix(a.Val, "http://") && !strings.HasPrefix(a.Val, "https://") {
					return fmt.Errorf("link to %q", a.Val)
				}
			}
			open = append(open, tok.Data)
		case xhtml.EndTagToken:
			tok := z.Token()
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				return fmt.Errorf("</%s> closes %v", tok.Data, open)
			}
			open = open[:len(open)-1]
		case xhtml.SelfClosingTagToken, xhtml.CommentToken, xhtml.DoctypeToken:
			return fmt.Errorf("token %q", z.Raw())
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// FuzzRender: whatever a feed sends, the HTML holds only the renderer's
// own elements, and text without markup comes out as itself.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"**bold** _it_ __u__ ~~s~~ ||sp|| `c` ```go\nx```",
		"> quote\n>>> rest\n# h\n-# sub\n- a\n1. b",
		"[a](https://x.example) <https://y.example> https://z.example/(x)",
		"<t:1796533519:R> <@1> <#2> <@&3> <:e:4> </cmd:5>",
		`\*\_\\ <img src=x onerror=alert(1)> [x](javascript:alert(1)) "'&`,
		"***a***b**c*d*e**f**", "[[a]](http://x.y) [b](<http://x.y/\">)", "`` ` `` ``` ```",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, out := range map[string]string{"Block": Block(s), "Inline": Inline(s), "Preview": Preview(s, 100)} {
			if err := checkSafe(out); err != nil {
				t.Fatalf("%s(%q) = %q: %v", name, s, out, err)
			}
		}
		if !strings.ContainsAny(s, "`\\<>h[]|~*_#-0123456789") {
			if got := Block(s); got != html.EscapeString(s) {
				t.Fatalf("Block(%q) = %q, want the text escaped", s, got)
			}
		}
	})
}
