package feedserver

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// HNItem is one item of a Hacker News thread: the story at the root,
// comments below it.
type HNItem struct {
	ID    int64
	By    string
	Time  time.Time
	Title string // the story's
	URL   string // the story's link
	Text  string // HTML, as the API gives it
	Kids  []HNItem
}

// SetHNThread serves root and every item under it the way Hacker News's
// two APIs do, under prefix: the official one at
// prefix/v0/item/<id>.json (kids as ids, one request per item) and
// Algolia's at prefix/api/v1/items/<id> (the whole tree at once). A
// feed's comments.api_url set to the site's URL plus prefix reads them.
func (s *Server) SetHNThread(prefix string, root HNItem) {
	prefix = strings.TrimRight(prefix, "/")
	s.setHN(prefix, root, 0)
	s.SetPage(fmt.Sprintf("%s/api/v1/items/%d", prefix, root.ID), "application/json", mustJSON(algolia(root, 0, root.ID)))
}

func (s *Server) setHN(prefix string, it HNItem, parent int64) {
	item := map[string]any{"id": it.ID, "by": it.By, "time": it.Time.Unix(), "type": "comment"}
	if parent == 0 {
		item["type"], item["title"], item["descendants"] = "story", it.Title, count(it)-1
		if it.URL != "" {
			item["url"] = it.URL
		}
	} else {
		item["parent"] = parent
	}
	if it.Text != "" {
		item["text"] = it.Text
	}
	if len(it.Kids) > 0 {
		kids := make([]int64, len(it.Kids))
		for i, k := range it.Kids {
			kids[i] = k.ID
		}
		item["kids"] = kids
	}
	s.SetPage(fmt.Sprintf("%s/v0/item/%d.json", prefix, it.ID), "application/json", mustJSON(item))
	for _, k := range it.Kids {
		s.setHN(prefix, k, it.ID)
	}
}

// algolia is an item and its replies in the shape of Algolia's items API.
func algolia(it HNItem, parent, story int64) map[string]any {
	out := map[string]any{
		"id": it.ID, "author": it.By, "created_at_i": it.Time.Unix(),
		"created_at": it.Time.UTC().Format("2006-01-02T15:04:05.000Z"), "type": "comment", "text": it.Text,
		"parent_id": parent, "story_id": story, "children": []any{},
	}
	if parent == 0 {
		out["type"], out["title"], out["url"], out["parent_id"] = "story", it.Title, it.URL, nil
	}
	children := make([]any, len(it.Kids))
	for i, k := range it.Kids {
		children[i] = algolia(k, it.ID, story)
	}
	out["children"] = children
	return out
}

func count(it HNItem) int {
	n := 1
	for _, k := range it.Kids {
		n += count(k)
	}
	return n
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of plain values always marshal
	}
	return b
}
