package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
	"github.com/newsbot-dev/newsbot/internal/ingest"
	"github.com/newsbot-dev/newsbot/internal/render"
)

// TestCommentSourcesEndToEnd is issue 6's acceptance: for each comment
// source, a feed whose stories' discussions the bot collects, then
// /quote and /summarize on them through the emulator.
func TestCommentSourcesEndToEnd(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	site := w.site
	hn := item(1)
	hn.Comments = "https://news.ycombinator.com/item?id=100"
	serveHN(site)
	rd := item(2)
	rd.Link = "https://www.reddit.com/r/news/comments/abc12/story_number_2/"
	serveReddit(site)
	rs := item(3)
	rs.CommentsRSS = w.siteURL + "/story/3/comments.xml"
	site.Set("/story/3/comments.xml",
		feedserver.Item{GUID: "c2", Title: "By: Lena", Paragraphs: []string{"Lena's point: the survey was tiny, so I doubt the headline figure."}, Published: item(3).Published.Add(2e9)},
		feedserver.Item{GUID: "c1", Title: "By: Kai", Paragraphs: []string{"Kai says the survey covered every district this year."}, Published: item(3).Published.Add(1e9)})
	pg := item(4)
	pg.Link = w.siteURL + "/story/4"
	site.SetPage("/story/4", "text/plain", []byte("Story number 4\n\nStory 4 happened today.\n\nmarta_k3h ago\n\nThe page's own first comment, about the bridge.\n\nbob772h ago\n\n@marta_k I think the bridge is late again.\n"))
	for path, it := range map[string]feedserver.Item{"/hn.xml": hn, "/reddit.xml": rd, "/rss.xml": rs, "/page.xml": pg} {
		site.Set(path, it)
	}
	var feeds strings.Builder
	for _, src := range []string{"hackernews", "reddit", "rss", "page"} {
		path := map[string]string{"hackernews": "hn", "reddit": "reddit", "rss": "rss", "page": "page"}[src]
		fmt.Fprintf(&feeds, `  - id: %s
    url: SITE/%s.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
    backfill: 1
    comments: {source: %s, refresh: [{until: 1h, every: 1m}]}
`, path, path, src)
	}
	w.writeConfig(feeds.String())
	w.start(appOptions{commentSources: ingest.CommentSources{HackerNews: w.siteURL, Reddit: w.siteURL}})

	want := map[string]struct {
		id      int64
		authors []string
	}{"hn": {authors: []string{"alice", "bob"}}, "reddit": {authors: []string{"rd_one", "rd_two"}},
		"rss": {authors: []string{"Kai", "Lena"}}, "page": {authors: []string{"marta_k", "bob77"}}}
	for feedID, exp := range want {
		w.pollNow(feedID)
		stories, _ := w.app.db.LatestStories(context.Background(), feedID, 1)
		if len(stories) != 1 {
			t.Fatalf("feed %s stored %d stories", feedID, len(stories))
		}
		cs, _ := w.app.db.Comments(context.Background(), stories[0].ID)
		var got []string
		for _, c := range cs {
			got = append(got, c.Author)
		}
		if strings.Join(got, " ") != strings.Join(exp.authors, " ") {
			t.Errorf("%s: comments by %v, want %v", feedID, got, exp.authors)
		}
		exp.id = stories[0].ID
		want[feedID] = exp
	}
	for feedID, exp := range want {
		t.Run(feedID, func(t *testing.T) {
			id := itoa(exp.id)
			_, d := w.ask("/quote story:"+id+" author:"+exp.authors[1], "")
			if !strings.Contains(d.text(), "**"+render.Escape(exp.authors[1])+"**") || !strings.Contains(d.text(), "> ") {
				t.Errorf("/quote on the %s thread:\n%s", feedID, d.text())
			}
			_, d = w.ask("/summarize story:"+id, "")
			if !strings.Contains(d.text(), "**2 comments** from **2 people**") || !strings.Contains(d.text(), "” — **") {
				t.Errorf("/summarize on the %s thread:\n%s", feedID, d.text())
			}
			cs, _ := w.app.db.Comments(context.Background(), exp.id)
			checkAttribution(t, d.text(), cs)
		})
	}
	// The story cards show the comment counts once the threads arrive.
	w.waitFor("comment counts on the posts", func() bool {
		n := 0
		for _, m := range w.emu.Messages(newsChannel) {
			if len(m.Embeds) > 0 && m.Embeds[0].Footer != nil && strings.HasSuffix(m.Embeds[0].Footer.Text, "2 comments") {
				n++
			}
		}
		return n == 4
	})
}

func serveHN(site *feedserver.Server) {
	items := []map[string]any{
		{"id": 100, "type": "story", "by": "pg", "time": 1761998400, "title": "Story number 1", "kids": []int{101, 102}},
		{"id": 101, "type": "comment", "by": "alice", "time": 1761998500, "parent": 100, "text": "The council should publish the traffic counts before deciding."},
		{"id": 102, "type": "comment", "by": "bob", "time": 1761998600, "parent": 100, "text": "Counts were published last year and nobody read them."},
	}
	for _, it := range items {
		body, _ := json.Marshal(it)
		site.SetPage(fmt.Sprintf("/v0/item/%v.json", it["id"]), "application/json", body)
	}
}

func serveReddit(site *feedserver.Server) {
	comment := func(id, author, body string) map[string]any {
		return map[string]any{"kind": "t1", "data": map[string]any{"id": id, "name": "t1_" + id, "author": author, "body": body,
			"parent_id": "t3_abc12", "created_utc": 1761998500.0, "score": 5, "edited": false, "replies": ""}}
	}
	listing := []any{
		map[string]any{"kind": "Listing", "data": map[string]any{"children": []any{
			map[string]any{"kind": "t3", "data": map[string]any{"id": "abc12", "name": "t3_abc12", "title": "Story number 2"}}}}},
		map[string]any{"kind": "Listing", "data": map[string]any{"children": []any{
			comment("c1", "rd_one", "This is the first Reddit comment on the story."),
			comment("c2", "rd_two", "And a second one that disagrees with the first."),
		}}},
	}
	body, _ := json.Marshal(listing)
	site.SetPage("/comments/abc12.json", "application/json", body)
}
