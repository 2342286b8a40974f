// Package htmltext turns HTML into plain-text paragraphs, the one way every
// parser in newsbot reads markup: feed entries, comment bodies from APIs
// and feeds, and comments found on pages by CSS selectors.
//
// It walks parsed nodes (golang.org/x/net/html) rather than tokens, so that
// text is read as a browser builds the page: unclosed and stray tags,
// implied paragraphs and script contents are settled by the HTML parser.
// FragmentParagraphs reads a fragment from its tokens instead only where
// they say what the tree would, which covers most feed HTML at half the
// cost. Block elements and two <br> in a row separate paragraphs, a single <br>
// ends a line, and whitespace collapses. Options cover what readers of
// different sources need differently.
package htmltext

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options choose how markup reads where sources differ. The zero value
// gives collapsed paragraphs whose lines end at <br>.
type Options struct {
	// Skip reports elements to leave out with their content (a comment's
	// author line, a reply form). Outside <pre> a skipped element still
	// separates the words around it: "<b>Ann</b>wrote" is two words.
	Skip func(*html.Node) bool
	// DropLine reports lines to leave out without a paragraph break, such
	// as page chrome ("Reply", "Report").
	DropLine func(line string) bool
	// Links writes a link's address after its text, "text (address)",
	// unless the text already says it; an address shortened with "..."
	// (as Hacker News does) is written in full.
	Links bool
	// Pre keeps the layout of <pre> blocks: their lines, indentation and
	// single blank lines. Otherwise <pre> reads like any other block.
	Pre bool
	// Quotes writes each line of a <blockquote> as a "> " line. Otherwise a
	// quote reads as plain paragraphs.
	Quotes bool
	// Cells makes each table cell a paragraph, as page layouts use cells
	// for columns. Otherwise a row is one line with its cells separated by
	// a space.
	Cells bool
	// OneLine joins the lines of a paragraph outside <pre> with a space, so
	// that a single <br> only separates words.
	OneLine bool
	// TextBreaks ends a paragraph at a blank line within the text itself,
	// as feed entries mix text paragraphs with markup.
	TextBreaks bool
	// HTMLSpace collapses only HTML's own whitespace (space, tab, newline,
	// carriage return, form feed), keeping &nbsp; and other Unicode spaces
	// inside a line as a browser shows them. Otherwise every Unicode space
	// collapses.
	HTMLSpace bool
}

// blockTags end the paragraph before them and the one they hold.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Caption: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Tfoot: true, atom.Thead: true,
	atom.Tr: true, atom.Ul: true,
}

// dropTags hold no readable text.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Title: true, atom.Iframe: true, atom.Object: true, atom.Svg: true,
}

// IsHTMLSpace reports whether r is whitespace HTML collapses: what
// Options.HTMLSpace collapses.
func IsHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// Parse reads s as the content of a <div>, as a feed entry's or a
// comment's HTML is shown, and returns that <div>. It never fails: past the
// parser's nesting limit (512 open elements) the text is kept without its
// markup.
func Parse(s string) *html.Node {
	div := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
	nodes, err := html.ParseFragment(strings.NewReader(s), div)
	if err != nil {
		div.AppendChild(&html.Node{Type: html.TextNode, Data: tokenText(s)})
		return div
	}
	for _, n := range nodes {
		div.AppendChild(n)
	}
	return div
}

// tokenText is the text of s without tags, for markup too deep to parse.
func tokenText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	drop := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if !drop {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			drop = dropTags[atom.Lookup(name)] // the raw text of <script> and the like
		case html.EndTagToken:
			drop = false
		}
	}
}

// Paragraphs returns the paragraphs of the content of roots, in document
// order; each root ends a paragraph. A paragraph's lines are joined by
// "\n"; none is empty, none begins or ends with a newline, and only <pre>
// layout keeps a blank line inside one (never two in a row). The text is
// valid UTF-8.
func Paragraphs(roots []*html.Node, o Options) []string {
	w := &writer{o: &o}
	for _, r := range roots {
		w.children(r)
		w.endPara()
	}
	return w.paras
}

// Text is the HTML fragment s as paragraphs separated by a blank line.
func Text(s string, o Options) string {
	return strings.Join(FragmentParagraphs(s, o), "\n\n")
}

// quoteLines marks every line of p as quoted.
func quoteLines(p string) string {
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// preLines lays out a <pre> block's text: no trailing space on a line, no
// blank lines around it, and at most one in a row inside it.
func preLines(p string) string {
	var out []string
	for l := range strings.SplitSeq(p, "\n") {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	if len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}
