package page

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsbot-dev/newsbot/internal/htmltext"
)

// blockTags are the elements scoring counts as blocks: a <div> without
// them inside is read as a paragraph (readability.go), and their text is
// set apart from the words around it (textOf).
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Details: true, atom.Dialog: true, atom.Dd: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Ul: true, atom.Figcaption: true,
	atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Caption: true,
}

func isBlock(n *html.Node) bool { return n.Type == html.ElementNode && blockTags[n.DataAtom] }

// textOf returns n's text with whitespace collapsed; block elements and
// line breaks separate words.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
		case n.Type == html.ElementNode && (isBlock(n) || n.DataAtom == atom.Br):
			b.WriteByte(' ')
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			b.WriteByte(' ')
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// paragraphs reads the story's paragraphs out of its containers: each
// block, each run of loose text between blocks, and each part of a run
// where two <br> meet is one paragraph, on one line.
func paragraphs(content []*html.Node) []string {
	return htmltext.Paragraphs(content, htmltext.Options{Cells: true, OneLine: true})
}

// correctionLabel is how sites head a correction or editor's note set
// apart from the story ("<strong>Correction:</strong> <p>…</p>").
var correctionLabel = regexp.MustCompile(`(?i)^(correction|clarification|editor['’]?s['’]? note)s?\s*:?$`)

// corrections returns the correction notes outside the story's container,
// as "Correction: …" paragraphs: a correction changes what the story says.
// A note is a short label element followed by its paragraphs.
func corrections(root *html.Node, content []*html.Node) []string {
	inContent := map[*html.Node]bool{}
	for _, c := range content {
		inContent[c] = true
	}
	var out []string
	var walk func(n *html.Node, inside bool)
	walk = func(n *html.Node, inside bool) {
		inside = inside || inContent[n]
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inside)
		}
		if inside || n.Type != html.TextNode || n.Parent == nil || !labelStart(n.Data) {
			return
		}
		label := n.Parent
		text := textOf(label)
		if !correctionLabel.MatchString(text) {
			return
		}
		for s := label.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode && s.DataAtom == atom.P {
				if t := textOf(s); t != "" {
					out = append(out, strings.TrimRight(text, ": ")+": "+t)
				}
			}
		}
	}
	walk(root, false)
	return out
}

// labelStart reports whether s may begin a correction label.
func labelStart(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "correction") || strings.HasPrefix(s, "clarification") ||
		strings.HasPrefix(s, "editor")
}
