package store

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

func titles(ss []news.Story) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Title)
	}
	return out
}

func TestSearchAndSuggest(t *testing.T) { forEachEngine(t, testSearchAndSuggest) }

func testSearchAndSuggest(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	for i, a := range []news.Article{
		article("North Korea denies attacking Sony", "The FBI blamed North Korea for the Sony Pictures hack."),
		article("Sony ships 4.1 million Move controllers", "Shipped to retailers, not sold."),
		article("Café owners protest rent rises", "Owners in the old town say rents doubled."),
		article("Korean won falls", "Markets reacted to the news from Seoul."),
		article("Deleted story about Sony", "Nobody should find this."),
	} {
		mustSave(t, db, a, SaveOptions{Now: t0.Add(time.Duration(i) * time.Minute)})
	}
	if err := db.DeleteStory(ctx, 5); err != nil {
		t.Fatal(err)
	}

	search := []struct {
		query string
		want  string
	}{
		{"sony", "[North Korea denies attacking Sony Sony ships 4.1 million Move controllers]"}, // sorted
		{"FBI hack", "[North Korea denies attacking Sony]"},
		{"cafe", "[Café owners protest rent rises]"},
		{`"sony`, "[North Korea denies attacking Sony Sony ships 4.1 million Move controllers]"},
		{`sony*`, "[North Korea denies attacking Sony Sony ships 4.1 million Move controllers]"},
		{`NEAR(sony`, "[]"},
		{`-sony`, "[North Korea denies attacking Sony Sony ships 4.1 million Move controllers]"},
		{`title:korea AND OR NOT`, "[]"},
		{`") OR *`, "[]"},
		{"", "[]"},
	}
	for _, tt := range search {
		got, err := db.SearchStories(ctx, tt.query, 10)
		if err != nil {
			t.Fatalf("SearchStories(%q): %v", tt.query, err)
		}
		// Equal-rank order is up to bm25; compare as sets.
		g := titles(got)
		sort.Strings(g)
		if fmt.Sprint(g) != tt.want {
			t.Errorf("SearchStories(%q) = %s, want %s", tt.query, g, tt.want)
		}
	}

	suggest := []struct {
		text  string
		limit int
		want  string
	}{
		{"kor", 10, "[Korean won falls North Korea denies attacking Sony]"},
		{"no ko", 10, "[North Korea denies attacking Sony]"},
		{"so", 10, "[Sony ships 4.1 million Move controllers North Korea denies attacking Sony]"},
		{"so", 1, "[Sony ships 4.1 million Move controllers]"},
		{"4.1 mi", 10, "[Sony ships 4.1 million Move controllers]"},
		{"caf", 10, "[Café owners protest rent rises]"},
		{"fbi", 10, "[]"}, // text words do not count, titles only
		{"", 2, "[Korean won falls Café owners protest rent rises]"},
		{`" *(`, 2, "[Korean won falls Café owners protest rent rises]"},
		{`so" NEAR(`, 10, "[]"},
	}
	for _, tt := range suggest {
		got, err := db.SuggestStories(ctx, tt.text, tt.limit)
		if err != nil {
			t.Fatalf("SuggestStories(%q): %v", tt.text, err)
		}
		if g := fmt.Sprint(titles(got)); g != tt.want {
			t.Errorf("SuggestStories(%q, %d) = %s, want %s", tt.text, tt.limit, g, tt.want)
		}
	}

	latest, err := db.LatestStories(ctx, "", 3)
	if err != nil || fmt.Sprint(titles(latest)) != "[Korean won falls Café owners protest rent rises Sony ships 4.1 million Move controllers]" {
		t.Errorf("LatestStories = %q, %v", titles(latest), err)
	}
	// A marker-only title change is no revision, but the title shown and
	// searched is the latest.
	r := mustSave(t, db, article("UPDATE: Korean won falls", "Markets reacted to the news from Seoul."), SaveOptions{})
	wantStatus(t, r, news.StatusUnchanged, 1)
	if got, _ := db.SuggestStories(ctx, "upd", 5); fmt.Sprint(titles(got)) != "[UPDATE: Korean won falls]" {
		t.Errorf("suggest after a title change = %q", titles(got))
	}
}

// TestRestoreStory: a story hidden by mistake comes back to search and
// listings, and restoring an unknown id names it.
func TestRestoreStory(t *testing.T) { forEachEngine(t, testRestoreStory) }

func testRestoreStory(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	r := mustSave(t, db, article("North Korea denies attacking Sony", "The FBI blamed North Korea."), SaveOptions{})
	if err := db.DeleteStory(ctx, r.Story.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.SearchStories(ctx, "sony", 5); len(got) != 0 {
		t.Fatalf("hidden story found by search: %q", titles(got))
	}
	if err := db.RestoreStory(ctx, r.Story.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"sony", "FBI"} { // its title and its text
		if got, _ := db.SearchStories(ctx, q, 5); fmt.Sprint(titles(got)) != "[North Korea denies attacking Sony]" {
			t.Errorf("search %q after restore = %q", q, titles(got))
		}
	}
	if s, err := db.Story(ctx, r.Story.ID); err != nil || s.Deleted {
		t.Errorf("restored story: deleted=%v, %v", s.Deleted, err)
	}
	wantErrIs(t, db.RestoreStory(ctx, 999), news.ErrNotFound, "restore story 999")
}
