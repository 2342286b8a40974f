package page

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// Class and id words that say what an element is. Names are split into
// words on punctuation and camelCase ("ResponsiveAd-storyBodyAd--35v2w" is
// responsive, ad, story, body, ad, 35v2w), so "ad" never matches "header".
var (
	// junkWords mark elements that are never the story: ads, comments,
	// share bars, related links, sign-up boxes.
	junkWords = wordSet(`ad ads adslot adunit advert adverts advertisement advertising
		sponsor sponsored sponsorship comment comments disqus share sharing sharebar social
		related recirc recirculation newsletter newsletters promo promotion outbrain taboola
		cookie cookies consent gdpr subscribe subscription signup paywall popup modal survey
		feedback breadcrumb breadcrumbs`)
	// asideWords mark page furniture, unless the element also says it is
	// content ("story-meta-footer" is a footer, "post-header" is not junk).
	asideWords = wordSet(`sidebar widget widgets menu nav navbar navigation footer header
		masthead banner toolbar tools popular trending tags byline dateline caption credit
		hidden hide skip interrupter bio`)
	// contentWords mark likely containers of the story.
	contentWords = wordSet(`article articlebody body content entry hentry main post story
		text blog`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// classWords returns the lower-cased words of n's class and id.
func classWords(n *html.Node) []string {
	var out []string
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		for _, part := range strings.FieldsFunc(a.Val, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			out = append(out, splitCamel(part)...)
		}
	}
	return out
}

// splitCamel splits "storyBodyAd" into "story", "body", "ad".
func splitCamel(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 1; i < len(rs); i++ {
		if unicode.IsUpper(rs[i]) && unicode.IsLower(rs[i-1]) {
			out = append(out, strings.ToLower(string(rs[start:i])))
			start = i
		}
	}
	return append(out, strings.ToLower(string(rs[start:])))
}

// classVerdict sums up n's class words: junk, aside, content.
func classVerdict(n *html.Node) (junk, aside, content bool) {
	for _, w := range classWords(n) {
		junk = junk || junkWords[w]
		aside = aside || asideWords[w]
		content = content || contentWords[w]
	}
	return junk, aside, content
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
