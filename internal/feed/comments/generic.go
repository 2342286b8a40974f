package comments

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// genericThread is isso's generic import format: a list of threads, each
// with an id (the page's path or URL), a title and flat comments.
type genericThread struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Comments []genericComment `json:"comments"`
}

type genericComment struct {
	ID      any    `json:"id"`
	Parent  any    `json:"parent"`
	Author  string `json:"author"`
	Created string `json:"created"`
	Text    string `json:"text"`
}

// ParseGenericJSON reads the generic JSON comment export (isso's migration
// format): [{"id": "/posts/1/", "title": …, "comments": [{"author",
// "created", "text", …}]}]. Thread.URL is the id as given, often a path.
// The format has no threading beyond an optional "parent" id.
func ParseGenericJSON(r io.Reader) ([]Thread, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("generic json: read: %w", err)
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '[' {
		return nil, fmt.Errorf("generic json: want a list of threads, got %q", t[:min(len(t), 16)])
	}
	var in []genericThread
	if err := decodeJSON(data, &in); err != nil {
		return nil, fmt.Errorf("generic json: %w", err)
	}
	var out []Thread
	for _, gt := range in {
		if len(gt.Comments) == 0 {
			continue
		}
		t := Thread{URL: strings.TrimSpace(gt.ID), Title: genericTitle(gt.Title)}
		cs := make([]news.Comment, 0, len(gt.Comments))
		for _, gc := range gt.Comments {
			t.Stats.Fetched++
			cs = append(cs, news.Comment{
				ExternalID: idString(gc.ID),
				ParentID:   idString(gc.Parent),
				Author:     strings.TrimSpace(gc.Author),
				PostedAt:   parseTime(gc.Created),
				Body:       plainText(gc.Text),
			})
		}
		t.Comments = finish(cs, 0, &t.Stats)
		out = append(out, t)
	}
	return out, nil
}

// idString formats a JSON id; 0 and empty mean "no id", which is how isso
// exports comments that carry none.
func idString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		if x != 0 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
	}
	return ""
}

var plusBetweenWords = regexp.MustCompile(`\w\+\w`)

// genericTitle undoes the form encoding isso's exporters leave in titles
// ("Nat+%26+Miguel"), only when the title clearly has it.
func genericTitle(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, " ") || !plusBetweenWords.MatchString(s) {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return strings.TrimSpace(u)
	}
	return s
}
