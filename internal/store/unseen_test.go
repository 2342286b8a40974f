package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// TestUnseen: the articles a save would file as new stories are the ones
// no stored story matches by GUID, canonical URL or content; asking writes
// nothing.
func TestUnseen(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	byGUID := news.Article{GUID: "g-1", Title: "Council votes on the budget", URL: "https://example.com/budget",
		Paragraphs: []string{"The council voted on the budget on Tuesday evening after a long debate."}}
	byURL := news.Article{Title: "Bridge closes for repairs", URL: "https://example.com/bridge?utm_source=rss",
		Paragraphs: []string{"The old bridge closes for three weeks of repairs starting on Monday morning."}}
	mustSave(t, db, byGUID, SaveOptions{FeedID: "world"})
	mustSave(t, db, byURL, SaveOptions{FeedID: "world"})
	elsewhere := news.Article{GUID: "other-7", Title: "Library opens on Sundays", URL: "https://other.example/library",
		Paragraphs: []string{"The central library will open on Sundays from next month, the city said on Friday, after a petition signed by four thousand readers."}}
	mustSave(t, db, elsewhere, SaveOptions{FeedID: "other"})

	sameGUID := byGUID
	sameGUID.Title = "Council votes on the budget (updated)"
	sameURL := news.Article{Title: "Bridge closes", URL: "https://example.com/bridge"}
	copied := elsewhere // the same story from another site, found by its text
	copied.GUID, copied.URL = "w-99", "https://example.com/library-sundays"
	fresh := news.Article{GUID: "g-2", Title: "Market moves indoors", URL: "https://example.com/market",
		Paragraphs: []string{"The weekly market moves into the old tram depot for the winter."}}
	empty := news.Article{}
	got, err := db.Unseen(ctx, "world", []news.Article{sameGUID, fresh, sameURL, empty, copied, fresh})
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, false, false, false, true}; !slices.Equal(got, want) {
		t.Errorf("Unseen = %v, want %v (known by GUID, new, known by URL, not a story, known by text, new)", got, want)
	}
	if ss, _ := db.LatestStories(ctx, "", 10); len(ss) != 3 {
		t.Errorf("asking stored something: %d stories, want 3", len(ss))
	}
	if got, err := db.Unseen(ctx, "world", nil); err != nil || len(got) != 0 {
		t.Errorf("Unseen of nothing = %v, %v", got, err)
	}
}

// TestCappedStateAndNotice: the cap's episode is part of a feed's state,
// and a capped notice keeps its counts as facts.
func TestCappedStateAndNotice(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	want := news.FeedState{FeedID: "flood", ETag: `"x"`, CappedSince: t0.Add(-time.Hour)}
	if err := db.PutFeedState(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FeedState(ctx, "flood"); err != nil || got != want {
		t.Errorf("FeedState = %+v, %v; want %+v", got, err, want)
	}
	if all, err := db.FeedStates(ctx); err != nil || all["flood"] != want {
		t.Errorf("FeedStates = %+v, %v", all, err)
	}
	n := news.Notice{Kind: news.NoticeCapped, Since: t0, NewItems: 10000, Kept: 100}
	d, err := db.EnqueueNotice(ctx, "flood", "c1", n, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.Notice(ctx, d.ID); err != nil || got != n {
		t.Errorf("Notice = %+v, %v; want %+v", got, err, n)
	}
}
