package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

const (
	seedFirst  = "000_fe0adea8449b3ec9.txt"
	seedSecond = "002_d80e6e28c6beaa5f.txt"
)

// The seeds: a story with its thread, then the same story from another
// site, later, with "(updated)" and new paragraphs. One story, two
// revisions, comments kept.
func TestSeedsEndToEnd(t *testing.T) { forEachEngine(t, testSeedsEndToEnd) }

func testSeedsEndToEnd(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openFile(t)
	first, second := seedArticle(t, seedFirst), seedArticle(t, seedSecond)
	first.Source, second.Source = "n4g.com", "engadget.com"
	first.Comments = []news.Comment{
		comment("Devil-X", `Sounds like some of you were expecting them to take responsibility for the hack "Officially".`, t0.Add(-2139*24*time.Hour)),
		comment("ChrisW", "Other news agencies are stating that it seems more like the work of a simple-minded hacktivist.", t0.Add(-2138*24*time.Hour)),
		{Author: "plmkoh", Body: "Funny because the 'news agencies' I've read all point out things very differently to what you said.", PostedAt: t0.Add(-2138 * 24 * time.Hour), ReplyTo: 2},
	}

	r1 := mustSave(t, db, first, SaveOptions{})
	wantStatus(t, r1, news.StatusNew, 1)
	if r1.Comments != 3 {
		t.Fatalf("first save: %d comments, want 3", r1.Comments)
	}

	r2 := mustSave(t, db, second, SaveOptions{Now: t0.Add(time.Hour)})
	wantStatus(t, r2, news.StatusUpdated, 2)
	if r2.Story.ID != r1.Story.ID {
		t.Fatalf("second seed filed as story %d, want %d", r2.Story.ID, r1.Story.ID)
	}
	if len(r2.Revision.Removed) != 0 {
		t.Errorf("removed = %q, want nothing", r2.Revision.Removed)
	}
	if want := second.Paragraphs[1:]; strings.Join(r2.Revision.Added, "\n") != strings.Join(want, "\n") {
		t.Errorf("added = %q\nwant %q", r2.Revision.Added, want)
	}
	if last := r2.Revision.Added[len(r2.Revision.Added)-1]; !strings.HasPrefix(last, "Update: The US isn't exactly buying") {
		t.Errorf("last added paragraph = %.50q, want the Update: paragraph", last)
	}
	if r2.Revision.OldTitle != "" {
		t.Errorf("OldTitle = %q; a (updated) marker is not a title change", r2.Revision.OldTitle)
	}
	if r2.Comments != 3 || r2.Story.Title != second.Title || len(r2.Story.Paragraphs) != 5 {
		t.Errorf("after update: %d comments, title %q, %d paragraphs; want 3, %q, 5",
			r2.Comments, r2.Story.Title, len(r2.Story.Paragraphs), second.Title)
	}

	r3 := mustSave(t, db, second, SaveOptions{Now: t0.Add(2 * time.Hour)})
	wantStatus(t, r3, news.StatusUnchanged, 2)
	// The first site still shows the first version: a stale copy, not a revert.
	r4 := mustSave(t, db, first, SaveOptions{Now: t0.Add(3 * time.Hour)})
	wantStatus(t, r4, news.StatusUnchanged, 2)
	if r4.Comments != 3 {
		t.Errorf("re-saving the first page: %d comments, want 3", r4.Comments)
	}

	revs, err := db.Revisions(ctx, r1.Story.ID)
	if err != nil || len(revs) != 2 || revs[0].Title != first.Title || len(revs[1].Added) != 4 {
		t.Fatalf("revisions = %+v, %v", revs, err)
	}
	cs, err := db.Comments(ctx, r1.Story.ID)
	if err != nil || len(cs) != 3 || cs[2].ReplyTo != 2 || cs[2].Author != "plmkoh" {
		t.Fatalf("comments = %+v, %v", cs, err)
	}
}

func TestStoryIdentity(t *testing.T) { forEachEngine(t, testStoryIdentity) }

func testStoryIdentity(t *testing.T, e testEngine) {
	text := []string{"The council voted on Tuesday to close the old bridge to cars from next spring."}
	other := []string{"A new bakery opened on the high street, selling sourdough and cinnamon buns."}
	tests := []struct {
		name        string
		first, next news.Article
		firstFeed   string
		nextFeed    string
		same        bool
	}{
		{"same GUID, same feed", news.Article{GUID: "g1", Title: "Bridge to close", Paragraphs: text},
			news.Article{GUID: "g1", Title: "Completely new title", Paragraphs: other}, "a", "a", true},
		{"same GUID, other feed", news.Article{GUID: "g1", Title: "Bridge to close", Paragraphs: text},
			news.Article{GUID: "g1", Title: "Bakery opens", Paragraphs: other}, "a", "b", false},
		{"URL with tracking params", news.Article{URL: "https://news.example/bridge", Title: "Bridge to close", Paragraphs: text},
			news.Article{URL: "HTTPS://News.Example/bridge/?utm_source=rss&fbclid=x#top", Title: "Bridge closes", Paragraphs: other}, "a", "b", true},
		{"different stories, similar titles", news.Article{Title: "Apple releases iOS 17.1", Paragraphs: text},
			news.Article{Title: "Apple releases iOS 17.2", Paragraphs: text}, "a", "a", false},
		{"same title, different text", news.Article{Title: "Morning briefing", Paragraphs: text},
			news.Article{Title: "Morning briefing", Paragraphs: other}, "a", "a", false},
		{"same title and text, same feed, different GUIDs", news.Article{GUID: "mon", Title: "Morning briefing", Paragraphs: text},
			news.Article{GUID: "tue", Title: "Morning briefing", Paragraphs: text}, "a", "a", false},
		{"same URL, same feed, different GUIDs", news.Article{GUID: "mon", URL: "https://x.example/briefing", Title: "Morning briefing", Paragraphs: text},
			news.Article{GUID: "tue", URL: "https://x.example/briefing", Title: "Morning briefing", Paragraphs: other}, "a", "a", false},
		{"same title, similar text, other site", news.Article{URL: "https://a.example/1", Title: "Bridge to close", Paragraphs: text},
			news.Article{URL: "https://b.example/2", Title: "BREAKING: Bridge to close", Paragraphs: append(text, "More to follow.")}, "a", "b", true},
		{"title-only entry, same site", news.Article{URL: "https://a.example/1", Title: "Morning briefing", Paragraphs: text},
			news.Article{URL: "https://a.example/2", Title: "Morning briefing"}, "a", "a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := e.openMem(t)
			r1 := mustSave(t, db, tt.first, SaveOptions{FeedID: tt.firstFeed})
			r2 := mustSave(t, db, tt.next, SaveOptions{FeedID: tt.nextFeed, Now: t0.Add(time.Minute)})
			if same := r1.Story.ID == r2.Story.ID; same != tt.same {
				t.Fatalf("stories %d and %d (status %s): same = %v, want %v", r1.Story.ID, r2.Story.ID, r2.Status, same, tt.same)
			}
			if !tt.same && r2.Status != news.StatusNew {
				t.Errorf("status = %s, want new", r2.Status)
			}
		})
	}
}

func TestNonChanges(t *testing.T) { forEachEngine(t, testNonChanges) }

func testNonChanges(t *testing.T, e testEngine) {
	base := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{
		"The council voted on Tuesday to close the bridge. See https://council.example/minutes?id=4.",
		"12 comments",
	}}
	tests := []struct {
		name string
		edit func(a news.Article) news.Article
	}{
		{"whitespace only", func(a news.Article) news.Article {
			a.Paragraphs = []string{"  The council voted on\u00a0Tuesday to close  the bridge.\nSee https://council.example/minutes?id=4. ", "", "12 comments"}
			return a
		}},
		{"tracking params in a link", func(a news.Article) news.Article {
			a.Paragraphs = []string{"The council voted on Tuesday to close the bridge. See https://council.example/minutes?id=4&utm_source=tw&mc_cid=9.", "12 comments"}
			return a
		}},
		{"comment count line", func(a news.Article) news.Article {
			a.Paragraphs = []string{a.Paragraphs[0], "57 comments"}
			return a
		}},
		{"marker-only title change", func(a news.Article) news.Article { a.Title += " (updated)"; return a }},
		{"feed entry without text", func(a news.Article) news.Article { a.Paragraphs = nil; return a }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := e.openMem(t)
			r1 := mustSave(t, db, base, SaveOptions{})
			r2 := mustSave(t, db, tt.edit(base), SaveOptions{Now: t0.Add(time.Minute)})
			wantStatus(t, r2, news.StatusUnchanged, 1)
			if r2.Story.ID != r1.Story.ID || len(r2.Story.Paragraphs) != 2 {
				t.Errorf("story %d with %d paragraphs, want %d with 2", r2.Story.ID, len(r2.Story.Paragraphs), r1.Story.ID)
			}
		})
	}
}

// A feed entry with only a title must not erase the text a page gave; a
// real title change on such an entry is still a revision, text kept.
func TestTitleOnlyEntryKeepsText(t *testing.T) { forEachEngine(t, testTitleOnlyEntryKeepsText) }

func testTitleOnlyEntryKeepsText(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	full := news.Article{GUID: "g", Title: "Bridge to close", Paragraphs: []string{"The council voted.", "Cars will be diverted."}}
	r1 := mustSave(t, db, full, SaveOptions{FeedID: "f"})
	r2 := mustSave(t, db, news.Article{GUID: "g", Title: "Bridge to close in spring"}, SaveOptions{FeedID: "f", Now: t0.Add(time.Hour)})
	wantStatus(t, r2, news.StatusUpdated, 2)
	if r2.Revision.OldTitle != "Bridge to close" || len(r2.Revision.Removed) != 0 || len(r2.Revision.Added) != 0 {
		t.Errorf("title-only revision: old title %q, added %q, removed %q", r2.Revision.OldTitle, r2.Revision.Added, r2.Revision.Removed)
	}
	s, err := db.Story(ctx, r1.Story.ID)
	if err != nil || strings.Join(s.Paragraphs, "|") != "The council voted.|Cars will be diverted." || s.Title != "Bridge to close in spring" {
		t.Fatalf("story after title-only entry = %q %q, %v", s.Title, s.Paragraphs, err)
	}
}

func TestDescriptiveFieldsFillIn(t *testing.T) { forEachEngine(t, testDescriptiveFieldsFillIn) }

func testDescriptiveFieldsFillIn(t *testing.T, e testEngine) {
	db := e.openMem(t)
	pub := t0.Add(-time.Hour)
	mustSave(t, db, news.Article{GUID: "g", Title: "Bridge", Paragraphs: []string{"Text."}}, SaveOptions{FeedID: "f"})
	r := mustSave(t, db, news.Article{GUID: "g", Title: "Bridge", Paragraphs: []string{"Text."}, URL: "https://x.example/b?utm_medium=rss",
		ImageURL: "https://x.example/b.jpg", CommentsURL: "https://x.example/b#c", ExternalID: "hn:1", Author: "Ann", Source: "x.example",
		Published: pub}, SaveOptions{FeedID: "f"})
	s := r.Story
	if s.URL != "https://x.example/b" || s.ImageURL == "" || s.CommentsURL == "" || s.ExternalID != "hn:1" ||
		s.Author != "Ann" || !s.Published.Equal(pub) || s.FeedID != "f" || !s.FirstSeen.Equal(t0) {
		t.Errorf("story fields not filled in: %+v", s)
	}
}

func TestSaveArticleErrors(t *testing.T) { forEachEngine(t, testSaveArticleErrors) }

func testSaveArticleErrors(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	_, err := db.SaveArticle(ctx, news.Article{Paragraphs: []string{"Advertisement"}}, SaveOptions{})
	wantErrIs(t, err, news.ErrInvalid, "store: save article", "no title")

	r := mustSave(t, db, article("North Korea denies attacking Sony", "Original text."), SaveOptions{})
	_, err = db.Story(ctx, r.Story.ID+100)
	wantErrIs(t, err, news.ErrNotFound, "story 101")
	_, err = db.Comments(ctx, 999)
	wantErrIs(t, err, news.ErrNotFound, "999")
	_, err = db.Revisions(ctx, 999)
	wantErrIs(t, err, news.ErrNotFound, "999")
	wantErrIs(t, db.DeleteStory(ctx, 999), news.ErrNotFound, "999")
}

// A failed save leaves everything as it was: the cancelled context and the
// invalid comment both fail after the story would have been revised.
func TestFailedSaveChangesNothing(t *testing.T) { forEachEngine(t, testFailedSaveChangesNothing) }

func testFailedSaveChangesNothing(t *testing.T, e testEngine) {
	db := e.openFile(t)
	ctx := context.Background()
	a := article("North Korea denies attacking Sony", "Original text of the story.")
	a.Comments = []news.Comment{comment("Ann", "First!", t0)}
	r1 := mustSave(t, db, a, SaveOptions{Post: []string{"c1"}})

	upd := article("North Korea denies attacking Sony", "Original text of the story.", "A new paragraph.")
	upd.Comments = []news.Comment{comment("Ann", "First!", t0), comment("Bob", "Second", t0), {Body: "  "}, comment("Cy", "Third", t0)}
	_, err := db.SaveArticle(ctx, upd, SaveOptions{Post: []string{"c1", "c2"}, Now: t0.Add(time.Hour)})
	wantErrIs(t, err, news.ErrInvalid, `save article "North Korea denies attacking Sony"`, "comment 3")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	upd.Comments = upd.Comments[:2]
	_, err = db.SaveArticle(cancelled, upd, SaveOptions{Post: []string{"c1", "c2"}, Now: t0.Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "North Korea") {
		t.Fatalf("save with a cancelled context: %v", err)
	}

	s, err := db.Story(ctx, r1.Story.ID)
	if err != nil || s.Revision != 1 || len(s.Paragraphs) != 1 || s.CommentCount != 1 {
		t.Fatalf("story after failed saves: revision %d, %d paragraphs, %d comments, %v", s.Revision, len(s.Paragraphs), s.CommentCount, err)
	}
	ds, _ := db.Deliveries(ctx, DeliveryFilter{})
	if len(ds) != 1 {
		t.Errorf("deliveries after failed saves: %d, want 1", len(ds))
	}
	r2 := mustSave(t, db, upd, SaveOptions{Now: t0.Add(time.Hour)})
	wantStatus(t, r2, news.StatusUpdated, 2)
}

// Writers from several goroutines share the one writer connection while
// readers keep reading; nothing fails with "database is locked".
func TestConcurrentSaves(t *testing.T) { forEachEngine(t, testConcurrentSaves) }

func testConcurrentSaves(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openFile(t)
	errs := make(chan error, 32)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				a := article(fmt.Sprintf("Story %d from writer %d", i, w), fmt.Sprintf("Text %d of writer %d.", i, w))
				a.GUID = fmt.Sprintf("w%d-%d", w, i)
				if _, err := db.SaveArticle(ctx, a, SaveOptions{FeedID: "f", Post: []string{"c"}}); err != nil {
					errs <- err
				}
				if _, err := db.SuggestStories(ctx, "story", 5); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if ss, _ := db.LatestStories(ctx, "f", 100); len(ss) != 12 {
		t.Errorf("%d stories saved, want 12", len(ss))
	}
	if ds, _ := db.PendingDeliveries(ctx, time.Now(), 100); len(ds) != 12 {
		t.Errorf("%d deliveries pending, want 12", len(ds))
	}
}

func TestSaveArticlesIsAllOrNothing(t *testing.T) { forEachEngine(t, testSaveArticlesIsAllOrNothing) }

func testSaveArticlesIsAllOrNothing(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	good := []news.Article{
		{GUID: "a", Title: "First story", Paragraphs: []string{"One."}},
		{GUID: "b", Title: "Second story", Paragraphs: []string{"Two."}},
		{GUID: "a", Title: "First story", Paragraphs: []string{"One.", "Update: more."}},
	}
	rs, err := db.SaveArticles(ctx, good, SaveOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Status != news.StatusNew || rs[2].Status != news.StatusUpdated || rs[2].Story.ID != rs[0].Story.ID {
		t.Fatalf("results = %+v", rs)
	}
	bad := []news.Article{{GUID: "c", Title: "Third story", Paragraphs: []string{"Three."}}, {}}
	if _, err := db.SaveArticles(ctx, bad, SaveOptions{Now: now}); err == nil || !strings.Contains(err.Error(), "article 2 of 2") {
		t.Fatalf("err = %v, want one naming article 2", err)
	}
	if ss, _ := db.LatestStories(ctx, "", 10); len(ss) != 2 {
		t.Errorf("%d stories after a failed batch, want the 2 saved before", len(ss))
	}
}

func TestRewordedHeadlineFromAnotherSiteIsTheSameStory(t *testing.T) {
	forEachEngine(t, testRewordedHeadlineFromAnotherSiteIsTheSameStory)
}

func testRewordedHeadlineFromAnotherSiteIsTheSameStory(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	text := []string{"The city council voted seven to two on Tuesday night to build a footbridge across the river, ending a long debate."}
	first, err := db.SaveArticle(ctx, news.Article{URL: "https://a.example/bridge", Title: "Council approves footbridge after debate",
		Paragraphs: text}, SaveOptions{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.SaveArticle(ctx, news.Article{URL: "https://b.example/news/bridge", Title: "Council approves footbridge after long debate",
		Paragraphs: append(append([]string{}, text...), "Update: construction starts in spring.")}, SaveOptions{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if second.Story.ID != first.Story.ID || second.Status != news.StatusUpdated {
		t.Errorf("reworded copy: story %d status %s; want story %d updated", second.Story.ID, second.Status, first.Story.ID)
	}
	other, _ := db.SaveArticle(ctx, news.Article{URL: "https://c.example/bridge", Title: "Council rejects footbridge after long debate",
		Paragraphs: []string{"Councillors threw out the plan for a second footbridge on Wednesday, citing its cost."}}, SaveOptions{Now: t0})
	if other.Story.ID == first.Story.ID {
		t.Error("a different story with a similar headline was merged")
	}
}

// TestContentIndexIsRecent: the content index holds the newest revisions
// only, so its memory is bounded on a store of years; an unchanged
// headline is still found however old.
func TestContentIndexIsRecent(t *testing.T) { forEachEngine(t, testContentIndexIsRecent) }

func testContentIndexIsRecent(t *testing.T, e testEngine) {
	defer func(w int64) { sketchWindow = w }(sketchWindow)
	sketchWindow = 2
	ctx := context.Background()
	path := e.where(t)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	text := []string{"The city council voted seven to two on Tuesday night to build a footbridge across the river, ending a long debate that began when the old ferry stopped running three years ago."}
	first := mustSave(t, db, news.Article{URL: "https://a.example/bridge", Title: "Council approves footbridge after debate", Paragraphs: text}, SaveOptions{Now: t0})
	mustSave(t, db, article("Heatwave warning issued", "Temperatures will pass 38C."), SaveOptions{Now: t0})
	mustSave(t, db, article("Library opens on Sundays", "From next month."), SaveOptions{Now: t0})
	db.Close()
	// A process started now reads the newest two revisions into its index.
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reworded := mustSave(t, db, news.Article{URL: "https://b.example/bridge", Title: "Alder river crossing wins the council vote",
		Paragraphs: text}, SaveOptions{Now: t0})
	if reworded.Story.ID == first.Story.ID {
		t.Errorf("a reworded copy matched story %d, older than the %d newest revisions", first.Story.ID, sketchWindow)
	}
	same := mustSave(t, db, news.Article{URL: "https://c.example/bridge", Title: "Council approves footbridge after debate",
		Paragraphs: text}, SaveOptions{Now: t0})
	if same.Story.ID != first.Story.ID {
		t.Errorf("the same headline on another site: story %d, want %d", same.Story.ID, first.Story.ID)
	}
}

func TestImportedGUIDOnlyMatchesItsOwnSite(t *testing.T) {
	forEachEngine(t, testImportedGUIDOnlyMatchesItsOwnSite)
}

func testImportedGUIDOnlyMatchesItsOwnSite(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	a, _ := db.SaveArticle(ctx, news.Article{GUID: "42", URL: "https://a.example/bridge", Title: "Council approves bridge",
		Paragraphs: []string{"The council voted."}}, SaveOptions{Now: t0})
	b, _ := db.SaveArticle(ctx, news.Article{GUID: "42", URL: "https://b.example/soup", Title: "Ten soup recipes",
		Paragraphs: []string{"Soup, ten ways."}}, SaveOptions{Now: t0})
	if a.Story.ID == b.Story.ID {
		t.Fatal("an import from another site with the same GUID overwrote the story")
	}
	again, _ := db.SaveArticle(ctx, news.Article{GUID: "42", URL: "https://a.example/bridge", Title: "Council approves bridge",
		Paragraphs: []string{"The council voted."}}, SaveOptions{Now: t0})
	if again.Story.ID != a.Story.ID || again.Status != news.StatusUnchanged {
		t.Errorf("the same site's GUID again: story %d %s", again.Story.ID, again.Status)
	}
}

func TestStaleCopyLeavesTheTitleAlone(t *testing.T) {
	forEachEngine(t, testStaleCopyLeavesTheTitleAlone)
}

func testStaleCopyLeavesTheTitleAlone(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	v1 := news.Article{GUID: "x", Title: "Council approves bridge", Paragraphs: []string{"The council voted."}}
	v2 := news.Article{GUID: "x", Title: "Council approves bridge; cost doubled", Paragraphs: []string{"The council voted.", "The cost doubled."}}
	for _, a := range []news.Article{v1, v2, v1} {
		if _, err := db.SaveArticle(ctx, a, SaveOptions{FeedID: "f", Now: t0}); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := db.Story(ctx, 1)
	if s.Title != v2.Title || s.Revision != 2 {
		t.Errorf("after a stale copy: title %q revision %d", s.Title, s.Revision)
	}
}
