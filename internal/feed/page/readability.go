package page

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The article body is found the way Mozilla's Readability finds it: drop
// what is never content, score each paragraph by its length and commas,
// credit its parent fully and its further ancestors less, discount link
// lists, take the best-scoring container, widen it where the story is split
// across sibling containers, and read the paragraphs out of it.

// dropTags are elements that never hold the story's text. A <figure>
// holds a picture, video or graphic with its caption and credit.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Canvas: true, atom.Form: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Nav: true, atom.Aside: true,
	atom.Footer: true, atom.Header: true, atom.Figure: true, atom.Figcaption: true, atom.Object: true,
	atom.Embed: true, atom.Link: true, atom.Meta: true, atom.Dialog: true, atom.Menu: true,
}

// prune removes from root the elements that are never the story: by tag,
// hidden ones, and those whose class or id says ad, comments, share,
// related and the like. An element holding half the page's paragraph text
// is kept whatever its class says (a WordPress "tag-related" post class),
// and its children are judged instead.
func prune(root *html.Node) {
	m := measure(root)
	total := m.paras[root]
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.CommentNode || (c.Type == html.ElementNode && junk(c, m.paras[c], total)) {
				n.RemoveChild(c)
			} else {
				walk(c)
			}
			c = next
		}
	}
	walk(root)
}

// junk reports whether n is never the story; paras is the length of its
// paragraph text and total the page's.
func junk(n *html.Node, paras, total int) bool {
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return false
	}
	isJunk, isAside, isContent := classVerdict(n)
	if !dropTags[n.DataAtom] && !hidden(n) && !isJunk && !(isAside && !isContent) {
		return false
	}
	// An ASP.NET <form> or a mislabelled wrapper may hold the whole story.
	return total == 0 || paras*2 < total
}

func hidden(n *html.Node) bool {
	if _, ok := attrOK(n, "hidden"); ok || attr(n, "aria-hidden") == "true" {
		return true
	}
	style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// Scoring, after Readability.
const (
	minScoredText  = 25 // shorter paragraphs are not scored
	scoredLevels   = 5  // ancestors credited with a paragraph's score
	topCandidates  = 5  // best containers compared when widening
	closeScore     = 0.75
	siblingShare   = 0.2 // of the top score, for a sibling to be included
	minSiblingCred = 10.0
)

// scoreNodes credits each container with the paragraphs under it.
func scoreNodes(root *html.Node, m *measures) map[*html.Node]float64 {
	scores := map[*html.Node]float64{}
	elements(root, func(n *html.Node) {
		if !scoredParagraph(n, m) || m.text[n] < minScoredText {
			return
		}
		text := textOf(n)
		s := 1 + float64(strings.Count(text, ",")+strings.Count(text, "，")) + min(float64(len(text)/100), 3)
		level := 0
		for a := n.Parent; a != nil && a != root.Parent && a.Type == html.ElementNode && level < scoredLevels; a = a.Parent {
			if _, ok := scores[a]; !ok {
				scores[a] = initialScore(a)
			}
			divider := 1.0
			switch {
			case level == 1:
				divider = 2
			case level > 1:
				divider = float64(level * 3)
			}
			scores[a] += s / divider
			level++
		}
	})
	for n := range scores {
		scores[n] *= 1 - m.linkDensity(n)
	}
	return scores
}

// scoredParagraph reports whether n is a paragraph Readability scores: <p>,
// <pre>, <td>, or a <div> used as a paragraph (no block elements inside).
func scoredParagraph(n *html.Node, m *measures) bool {
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.Td:
		return true
	case atom.Div, atom.Section:
		return !m.hasBlock(n)
	}
	return false
}

func initialScore(n *html.Node) float64 {
	s := 0.0
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Section, atom.Main:
		s = 5
	case atom.Pre, atom.Td, atom.Blockquote:
		s = 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s = -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s = -5
	}
	isJunk, isAside, isContent := classVerdict(n)
	if isJunk || isAside {
		s -= 25
	}
	if isContent {
		s += 25
	}
	return s
}

// bestContainer picks the container of the story from the scores.
func bestContainer(root *html.Node, scores map[*html.Node]float64) *html.Node {
	if len(scores) == 0 {
		return root
	}
	order := map[*html.Node]int{}
	var ranked []*html.Node
	rank := func(n *html.Node) {
		if _, ok := scores[n]; ok {
			order[n] = len(ranked)
			ranked = append(ranked, n)
		}
	}
	elements(root, rank)
	if len(ranked) == 0 {
		return root
	}
	// Best first; among equals, the first in the document.
	sort.SliceStable(ranked, func(i, j int) bool {
		if scores[ranked[i]] != scores[ranked[j]] {
			return scores[ranked[i]] > scores[ranked[j]]
		}
		return order[ranked[i]] < order[ranked[j]]
	})
	top := ranked[0]
	top = sharedAncestor(top, ranked[1:min(len(ranked), topCandidates)], scores)
	top = climb(top, root, scores)
	for top != root && top.Parent != nil && top.Parent != root && onlyElementChild(top) {
		top = top.Parent
	}
	return top
}

// sharedAncestor widens top to the ancestor it shares with at least three
// other near-best containers: a story split into sections (as the New York
// Times splits its body into companion columns) scores in each section.
func sharedAncestor(top *html.Node, others []*html.Node, scores map[*html.Node]float64) *html.Node {
	var close []*html.Node
	for _, n := range others {
		if scores[n] >= closeScore*scores[top] {
			close = append(close, n)
		}
	}
	if len(close) < 3 {
		return top
	}
	for a := top.Parent; a != nil && a.DataAtom != atom.Body; a = a.Parent {
		holds := 0
		for _, n := range close {
			if contains(a, n) {
				holds++
			}
		}
		if holds >= 3 {
			return a
		}
	}
	return top
}

// climb moves top up while an ancestor scores higher, as when a story's
// paragraphs sit in several small wrappers under one container.
func climb(top, root *html.Node, scores map[*html.Node]float64) *html.Node {
	last := scores[top]
	for p := top.Parent; p != nil && p != root && p.DataAtom != atom.Body; p = p.Parent {
		s, ok := scores[p]
		if !ok {
			continue
		}
		if s < last/3 {
			break
		}
		if s > last {
			return p
		}
		last = s
	}
	return top
}

func onlyElementChild(n *html.Node) bool {
	count := 0
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			count++
		}
	}
	return count == 1
}

func contains(a, n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// withSiblings returns top and those of its siblings that belong to the
// story: well-scored containers and plain paragraphs.
func withSiblings(top *html.Node, scores map[*html.Node]float64, m *measures) []*html.Node {
	if top.Parent == nil {
		return []*html.Node{top}
	}
	threshold := max(minSiblingCred, scores[top]*siblingShare)
	var out []*html.Node
	for s := top.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		if s == top || siblingBelongs(s, top, scores, threshold, m) {
			out = append(out, s)
		}
	}
	return out
}

func siblingBelongs(s, top *html.Node, scores map[*html.Node]float64, threshold float64, m *measures) bool {
	bonus := 0.0
	if c := attr(s, "class"); c != "" && c == attr(top, "class") {
		bonus = scores[top] * siblingShare
	}
	if sc, ok := scores[s]; ok && sc+bonus >= threshold {
		return true
	}
	if s.DataAtom != atom.P {
		return false
	}
	length, density := m.text[s], m.linkDensity(s)
	switch {
	case length > 80:
		return density < 0.25
	case length > 0:
		return density == 0 && strings.HasSuffix(textOf(s), ".")
	}
	return false
}
