package page

import (
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// linked is what a page's JSON-LD says about its article.
type linked struct {
	headline, author, image, published, modified, publisher string
}

// linkedData reads the first schema.org Article (NewsArticle, BlogPosting…)
// in the page's application/ld+json scripts, looking inside @graph lists.
func linkedData(doc *goquery.Document) linked {
	var out linked
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) != nil {
			return true
		}
		if obj := findArticle(v, 0); obj != nil {
			out = linked{
				headline:  str(obj["headline"]),
				author:    names(obj["author"]),
				image:     imageURL(obj["image"]),
				published: str(obj["datePublished"]),
				modified:  str(obj["dateModified"]),
				publisher: names(obj["publisher"]),
			}
			return false
		}
		return true
	})
	return out
}

// findArticle returns the first object whose @type names an article.
func findArticle(v any, depth int) map[string]any {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if obj := findArticle(e, depth+1); obj != nil {
				return obj
			}
		}
	case map[string]any:
		if isArticleType(t["@type"]) {
			return t
		}
		return findArticle(t["@graph"], depth+1)
	}
	return nil
}

func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "Report"
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func str(v any) string {
	s, _ := v.(string)
	return strings.Join(strings.Fields(s), " ")
}

// names reads a person or organisation, or a list of them, as "A, B".
func names(v any) string {
	switch t := v.(type) {
	case string:
		return str(t)
	case map[string]any:
		return str(t["name"])
	case []any:
		var ns []string
		for _, e := range t {
			if n := names(e); n != "" {
				ns = append(ns, n)
			}
		}
		return strings.Join(ns, ", ")
	}
	return ""
}

func imageURL(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return str(t["url"])
	case []any:
		for _, e := range t {
			if u := imageURL(e); u != "" {
				return u
			}
		}
	}
	return ""
}
