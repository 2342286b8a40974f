package main

import (
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/feedserver"
)

// /feeds preview shows the card as it would be posted: with the comment
// count the feed's source gives, and no "story 0".
func TestFeedsPreviewShowsComments(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	it := item(1)
	it.Comments = "https://news.ycombinator.com/item?id=100"
	w.site.Set("/hn.xml", it)
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	w.site.SetHNThread("/hn", feedserver.HNItem{ID: 100, By: "pg", Time: at, Title: it.Title, Kids: []feedserver.HNItem{
		{ID: 101, By: "alice", Time: at, Text: "One."}, {ID: 102, By: "bob", Time: at, Text: "Two."}}})
	w.writeConfig(`  - id: hn
    url: SITE/hn.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
    comments: {source: hackernews, api: algolia, api_url: SITE/hn}
`)
	w.start(appOptions{})
	_, d := w.ask("/feeds preview feed:hn", "")
	if len(d.Embeds) != 1 || d.Embeds[0].Footer == nil || d.Embeds[0].Footer.Text != "new story · 2 comments" || d.Embeds[0].Title != it.Title {
		t.Errorf("preview: %+v", d)
	}
}
