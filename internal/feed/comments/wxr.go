package comments

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Element names without a namespace match any namespace, which covers every
// WXR version (export/1.0 to 1.2).
type wxrItem struct {
	Title    string       `xml:"title"`
	Link     string       `xml:"link"`
	GUID     string       `xml:"guid"`
	Comments []wxrComment `xml:"comment"`
}

type wxrComment struct {
	ID       string `xml:"comment_id"`
	Author   string `xml:"comment_author"`
	Date     string `xml:"comment_date"`
	DateGMT  string `xml:"comment_date_gmt"`
	Content  string `xml:"comment_content"`
	Approved string `xml:"comment_approved"`
	Type     string `xml:"comment_type"`
	Parent   string `xml:"comment_parent"`
}

// ParseWXR reads a WordPress export (WXR) and returns one Thread per post
// with wp:comment elements (even when none is kept, so Stats says why),
// threaded by wp:comment_parent. Only approved reader
// comments are kept: pending, spam and trashed comments, pingbacks and
// trackbacks are counted in Stats.Skipped; a reply to a skipped comment
// becomes top-level.
func ParseWXR(r io.Reader) ([]Thread, error) {
	d := newXMLDecoder(r)
	var threads []Thread
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return threads, nil
		}
		if err != nil {
			return threads, fmt.Errorf("wxr: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "item" {
			continue
		}
		var it wxrItem
		if err := d.DecodeElement(&it, &se); err != nil {
			return threads, fmt.Errorf("wxr: item %d: %w", len(threads)+1, err)
		}
		if len(it.Comments) > 0 {
			threads = append(threads, wxrThread(&it))
		}
	}
}

func wxrThread(it *wxrItem) Thread {
	t := Thread{URL: strings.TrimSpace(it.Link), Title: strings.TrimSpace(it.Title)}
	if t.URL == "" {
		t.URL = strings.TrimSpace(it.GUID)
	}
	cs := make([]news.Comment, 0, len(it.Comments))
	for _, wc := range it.Comments {
		t.Stats.Fetched++
		typ := strings.TrimSpace(wc.Type)
		if strings.TrimSpace(wc.Approved) != "1" || (typ != "" && typ != "comment") {
			t.Stats.Skipped++
			continue
		}
		parent := strings.TrimSpace(wc.Parent)
		if parent == "0" {
			parent = ""
		}
		posted := parseTime(wc.DateGMT)
		if posted.IsZero() { // "0000-00-00 00:00:00" in old exports
			posted = parseTime(wc.Date) // zone unknown; taken as UTC
		}
		cs = append(cs, news.Comment{
			ExternalID: strings.TrimSpace(wc.ID),
			ParentID:   parent,
			Author:     strings.TrimSpace(wc.Author),
			PostedAt:   posted,
			Body:       wordpressText(wc.Content),
		})
	}
	t.Comments = finish(cs, 0, &t.Stats)
	return t
}

// wordpressText reads a stored WordPress comment: text whose blank lines
// separate paragraphs and whose single newlines are line breaks (what
// wpautop shows), with some inline HTML.
func wordpressText(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	var b strings.Builder
	for i, p := range strings.Split(s, "\n\n") {
		if i > 0 {
			b.WriteString("<p>")
		}
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(p), "\n", "<br>"))
	}
	return htmlText(b.String())
}
