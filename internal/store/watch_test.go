package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func TestWatchedStoriesOldestCheckFirst(t *testing.T) {
	forEachEngine(t, testWatchedStoriesOldestCheckFirst)
}

func testWatchedStoriesOldestCheckFirst(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	save := func(guid string, at time.Time) int64 {
		r, err := db.SaveArticle(ctx, news.Article{GUID: guid, Title: "Story " + guid, Paragraphs: []string{"Text of " + guid}},
			SaveOptions{FeedID: "hn", Now: at})
		if err != nil {
			t.Fatal(err)
		}
		return r.Story.ID
	}
	old := save("old", t0)
	a := save("a", t0.Add(48*time.Hour))
	b := save("b", t0.Add(49*time.Hour))
	if err := db.MarkCommentsChecked(ctx, a, t0.Add(50*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ws, err := db.WatchedStories(ctx, "hn", t0.Add(24*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Story.ID != b || ws[1].Story.ID != a || !ws[0].Checked.IsZero() || !ws[1].Checked.Equal(t0.Add(50*time.Hour)) {
		t.Errorf("watched = %+v; want b (never checked) then a, and not story %d (past the horizon)", ws, old)
	}
	if err := db.MarkCommentsChecked(ctx, 999, t0); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown story: %v", err)
	}
}

func TestEnqueueCommentCountEditsEachPostOnce(t *testing.T) {
	forEachEngine(t, testEnqueueCommentCountEditsEachPostOnce)
}

func testEnqueueCommentCountEditsEachPostOnce(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	r, err := db.SaveArticle(ctx, news.Article{GUID: "x", Title: "Story x", Paragraphs: []string{"Text"}},
		SaveOptions{FeedID: "hn", Now: now, Post: []string{"1", "2", "3"}})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := db.PendingDeliveries(ctx, now, 10)
	for _, d := range ds[:2] { // channel 3's post never went out
		if err := db.MarkSent(ctx, d.ID, "m"+d.ChannelID, "", now); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2; i++ {
		n, err := db.EnqueueCommentCount(ctx, r.Story.ID, 12+i, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{2, 0}[i]; n != want {
			t.Errorf("call %d queued %d edits, want %d", i+1, n, want)
		}
	}
	// Channel 3's post is being sent now: it may have been drawn with the
	// old count, so an edit waits behind it.
	if err := db.RecordAttempt(ctx, ds[2].ID, now); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		n, err := db.EnqueueCommentCount(ctx, r.Story.ID, 14+i, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 0}[i]; n != want {
			t.Errorf("call %d queued %d edits, want %d", i+1, n, want)
		}
	}
	ws, _ := db.WatchedStories(ctx, "hn", now, 10)
	if ws[0].Shown != 15 {
		t.Errorf("shown = %d, want the last count, 15", ws[0].Shown)
	}
}

func TestStoryByURL(t *testing.T) { forEachEngine(t, testStoryByURL) }

func testStoryByURL(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	r, err := db.SaveArticle(ctx, news.Article{URL: "https://Example.com/a?utm_source=x", Title: "A", Paragraphs: []string{"Text"}},
		SaveOptions{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.StoryByURL(ctx, "https://example.com/a#comments")
	if err != nil || s.ID != r.Story.ID {
		t.Errorf("StoryByURL = %d, %v; want story %d", s.ID, err, r.Story.ID)
	}
	if _, err := db.StoryByURL(ctx, "https://example.com/b"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown URL: %v", err)
	}
	if _, err := db.StoryByURL(ctx, "not a url"); !errors.Is(err, news.ErrInvalid) {
		t.Errorf("bad URL: %v", err)
	}
}
