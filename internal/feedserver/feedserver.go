// Package feedserver serves RSS feeds built from items held in memory, with
// real conditional GET. The playground serves its example feeds with it and
// tests use it as the news site a bot polls, so both exercise the same
// HTTP behaviour a real site has.
package feedserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Item is one entry of a feed.
type Item struct {
	GUID        string
	Title       string
	Link        string
	Paragraphs  []string
	Published   time.Time
	Image       string // URL of an image enclosure
	Comments    string // RSS <comments> link: the discussion page
	CommentsRSS string // wfw:commentRss link: the discussion's feed
}

// Request is one request the server saw.
type Request struct {
	Path        string
	IfNoneMatch string
	Status      int
}

// Server holds feeds by path ("/world.xml") and serves them.
type Server struct {
	mu       sync.Mutex
	feeds    map[string][]Item
	pages    map[string]page
	fail     map[string]int // path → status to answer instead of the feed
	requests []Request
	onServe  func(Request)
}

// New returns an empty server.
func New() *Server {
	return &Server{feeds: map[string][]Item{}, pages: map[string]page{}, fail: map[string]int{}}
}

type page struct {
	body        []byte
	contentType string
}

// SetPage serves body at path with the given content type: an article
// page, a comment feed, an API answer.
func (s *Server) SetPage(path, contentType string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = page{body: append([]byte(nil), body...), contentType: contentType}
}

// Set replaces the items of the feed at path, newest first.
func (s *Server) Set(path string, items ...Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[path] = append([]Item(nil), items...)
}

// Items returns a copy of the items at path.
func (s *Server) Items(path string) []Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Item(nil), s.feeds[path]...)
}

// Fail makes path answer with status until Fail(path, 0).
func (s *Server) Fail(path string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 0 {
		delete(s.fail, path)
		return
	}
	s.fail[path] = status
}

// Requests returns every request served so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// OnServe registers a function called after each request is answered.
func (s *Server) OnServe(fn func(Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onServe = fn
}

// ServeHTTP answers with the feed at the request's path, 304 when the
// client's If-None-Match matches, 404 for unknown paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items, ok := s.feeds[r.URL.Path]
	pg, isPage := s.pages[r.URL.Path]
	status := s.fail[r.URL.Path]
	hook := s.onServe
	s.mu.Unlock()
	var body []byte
	contentType := "application/rss+xml; charset=utf-8"
	switch {
	case ok:
		body = Render(r.URL.Path, items)
	case isPage:
		body, contentType, ok = pg.body, pg.contentType, true
	}

	req := Request{Path: r.URL.Path, IfNoneMatch: r.Header.Get("If-None-Match")}
	switch {
	case status != 0:
		req.Status = status
		http.Error(w, http.StatusText(status), status)
	case !ok:
		req.Status = http.StatusNotFound
		http.NotFound(w, r)
	default:
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if req.IfNoneMatch == etag {
			req.Status = http.StatusNotModified
			w.WriteHeader(http.StatusNotModified)
			break
		}
		req.Status = http.StatusOK
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	if hook != nil {
		hook(req)
	}
}

// Render writes items as an RSS 2.0 document.
func Render(path string, items []Item) []byte {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/">` + "\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>http://example.com%s</link>\n<description>Example feed</description>\n", esc(strings.TrimSuffix(strings.TrimPrefix(path, "/"), ".xml")), esc(path))
	for _, it := range items {
		b.WriteString("<item>\n")
		fmt.Fprintf(&b, "<guid isPermaLink=\"false\">%s</guid>\n<title>%s</title>\n", esc(it.GUID), esc(it.Title))
		if it.Link != "" {
			fmt.Fprintf(&b, "<link>%s</link>\n", esc(it.Link))
		}
		if !it.Published.IsZero() {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>\n", it.Published.UTC().Format(time.RFC1123Z))
		}
		if it.Image != "" {
			fmt.Fprintf(&b, "<enclosure url=\"%s\" type=\"image/jpeg\" length=\"0\"/>\n", esc(it.Image))
		}
		if it.Comments != "" {
			fmt.Fprintf(&b, "<comments>%s</comments>\n", esc(it.Comments))
		}
		if it.CommentsRSS != "" {
			fmt.Fprintf(&b, "<wfw:commentRss>%s</wfw:commentRss>\n", esc(it.CommentsRSS))
		}
		var html strings.Builder
		for _, p := range it.Paragraphs {
			html.WriteString("<p>" + esc(p) + "</p>")
		}
		fmt.Fprintf(&b, "<content:encoded>%s</content:encoded>\n", esc(html.String()))
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
