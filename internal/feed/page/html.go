package page

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/newsbot-dev/newsbot/internal/dates"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/weburl"
)

// parseHTML parses an HTML page already read and checked by read.
func parseHTML(data []byte, opts Options) (news.Article, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(toUTF8(data)))
	if err != nil {
		// x/net/html refuses documents nested over 512 elements deep.
		return news.Article{}, fmt.Errorf("%s: parse HTML: %w: %w", name(opts), news.ErrInvalid, err)
	}
	m := metas(doc)
	ld := linkedData(doc)
	base := weburl.Absolute(opts.URL)
	a := news.Article{
		URL:       first(weburl.Resolve(base, canonical(doc)), weburl.Resolve(base, m.get("og:url")), opts.URL),
		ImageURL:  weburl.Resolve(base, first(m.get("og:image"), m.get("twitter:image"), ld.image)),
		Author:    author(doc, m, ld),
		Published: firstTime(m.get("article:published_time"), m.get("article:published"), m.get("datepublished"), ld.published, timeTag(doc)),
		Updated:   firstTime(m.get("article:modified_time"), m.get("article:modified"), m.get("datemodified"), m.get("og:updated_time"), ld.modified),
	}
	a.Source = first(m.get("og:site_name"), ld.publisher, weburl.Host(first(a.URL, opts.URL)))
	a.Title = title(doc, m, ld, a.Source)
	a.Paragraphs = body(doc, a.Title)
	if a.Title == "" && len(a.Paragraphs) == 0 {
		return news.Article{}, fmt.Errorf("%s: no title and no paragraphs in the HTML: %w", name(opts), ErrNoTitle)
	}
	return a, nil
}

// toUTF8 decodes a page in the charset it declares (or its bytes suggest).
func toUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		// Valid UTF-8 is almost never another charset by accident, and a
		// charset declaration may sit past the prescan window.
		return data
	}
	enc, encName, _ := charset.DetermineEncoding(data[:min(len(data), 4096)], "text/html")
	if enc == nil || encName == "utf-8" {
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return out
}

// metaMap holds <meta> contents by lower-cased property, name or itemprop.
type metaMap map[string][]string

func (m metaMap) get(key string) string {
	for _, v := range m[key] {
		if v = collapse(v); v != "" {
			return v
		}
	}
	return ""
}

func metas(doc *goquery.Document) metaMap {
	m := metaMap{}
	doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		content, _ := s.Attr("content")
		for _, key := range []string{"property", "name", "itemprop"} {
			if k, ok := s.Attr(key); ok {
				for _, f := range strings.Fields(strings.ToLower(k)) {
					m[f] = append(m[f], content)
				}
			}
		}
	})
	return m
}

func canonical(doc *goquery.Document) string {
	href, _ := doc.Find(`link[rel~="canonical"]`).First().Attr("href")
	return strings.TrimSpace(href)
}

// title takes the headline from the richest source and strips a trailing
// site name (" - The New York Times") where the source is prone to one.
func title(doc *goquery.Document, m metaMap, ld linked, site string) string {
	if t := m.get("og:title"); t != "" {
		return stripSite(t, site, false)
	}
	if t := first(m.get("twitter:title"), ld.headline); t != "" {
		return stripSite(t, site, false)
	}
	if t := collapse(doc.Find("h1").First().Text()); t != "" {
		return t
	}
	return stripSite(collapse(doc.Find("title").First().Text()), site, true)
}

var titleSeparators = []string{" - ", " | ", " — ", " – ", " :: ", " · ", " « ", " » "}

// stripSite removes a site-name suffix from t: the site's own name always,
// and when guess is set any short last part after a separator, as <title>
// usually ends with the site.
func stripSite(t, site string, guess bool) string {
	for _, sep := range titleSeparators {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
		if site != "" && strings.EqualFold(tail, site) {
			return head
		}
		if guess && len(strings.Fields(tail)) <= 4 && len(strings.Fields(head)) >= 3 {
			return head
		}
	}
	return t
}

// author reads the byline from meta tags, linked data or the page.
func author(doc *goquery.Document, m metaMap, ld linked) string {
	for _, v := range []string{m.get("author"), m.get("byl"), ld.author, m.get("article:author"),
		collapse(doc.Find(`[rel~="author"]`).First().Text()),
		collapse(doc.Find(`[itemprop~="author"]`).First().Text())} {
		v = strings.TrimSpace(v)
		if v == "" || strings.Contains(v, "://") {
			continue
		}
		if len(v) > 3 && strings.EqualFold(v[:3], "by ") {
			v = strings.TrimSpace(v[3:])
		}
		return v
	}
	return ""
}

// timeTag is the publication time a <time> element gives, when no meta
// tag does.
func timeTag(doc *goquery.Document) string {
	sel := doc.Find(`time[itemprop~="datePublished"][datetime]`)
	if sel.Length() == 0 {
		sel = doc.Find(`article time[datetime], time[datetime]`)
	}
	v, _ := sel.First().Attr("datetime")
	return v
}

// firstTime is the first of vs that reads as a date.
func firstTime(vs ...string) time.Time {
	for _, v := range vs {
		if t, ok := dates.Parse(v); ok {
			return t
		}
	}
	return time.Time{}
}

// body extracts the article's paragraphs (readability.go), without chrome,
// the title repeated, or a paragraph repeated.
func body(doc *goquery.Document, title string) []string {
	root := doc.Find("body").First()
	if root.Length() == 0 {
		return nil
	}
	n := root.Get(0)
	prune(n)
	m := measure(n)
	scores := scoreNodes(n, m)
	content := withSiblings(bestContainer(n, scores), scores, m)
	raw := append(paragraphs(content), corrections(n, content)...)
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(raw); i++ {
		p := raw[i]
		if correctionLabel.MatchString(p) && i+1 < len(raw) {
			// "<strong>Correction:</strong> <p>…</p>" reads as two runs.
			p = strings.TrimRight(p, ": ") + ": " + raw[i+1]
			i++
		}
		if isChrome(p) || strings.EqualFold(p, title) || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

func first(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
