package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// What a save returns is what the store then holds: the save no longer
// reads the story back, so this guards that it builds the same thing.
func TestSaveResultIsWhatIsStored(t *testing.T) { forEachEngine(t, testSaveResultIsWhatIsStored) }

func testSaveResultIsWhatIsStored(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	pub := time.Date(2024, 2, 29, 8, 30, 15, 123456789, time.FixedZone("x", 3600))
	v1 := news.Article{GUID: "g1", URL: "https://x.example/a?utm_source=rss", Title: " Bridge to close ",
		Paragraphs: []string{"The council voted.", "", "Advertisement", "Cars \u00a0will be diverted."},
		Author:     "Ann", Source: "x.example", Published: pub, Updated: pub,
		Comments: []news.Comment{comment("bob", "First!", t0)}}
	v2 := v1
	v2.Title, v2.Paragraphs, v2.Comments = "Bridge to close in spring (updated)", append(v1.Paragraphs, "Update: from April."), nil
	v3 := v2
	v3.Paragraphs = nil // a title-only entry: text unknown
	v4 := v1            // a stale copy
	v4.Comments = []news.Comment{comment("bob", "First!", t0), comment("cy", "Second", t0)}
	invalid := v1
	invalid.GUID, invalid.URL, invalid.Title = "g2", "https://x.example/b", "Bad \xff bytes"
	invalid.Paragraphs = []string{"Text with \xfe invalid bytes in it."}
	for i, a := range []news.Article{v1, v2, v2, v3, v4, invalid} {
		r, err := db.SaveArticle(ctx, a, SaveOptions{FeedID: "f", Now: t0.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.Story(ctx, r.Story.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.Story, s) {
			t.Errorf("save %d (%s): returned story\n%+v\nstored\n%+v", i+1, r.Status, r.Story, s)
		}
		revs, err := db.Revisions(ctx, r.Story.ID)
		if err != nil {
			t.Fatal(err)
		}
		if latest := revs[len(revs)-1]; !reflect.DeepEqual(r.Revision, latest) {
			t.Errorf("save %d (%s): returned revision\n%+v\nstored\n%+v", i+1, r.Status, r.Revision, latest)
		}
		if r.Comments != s.CommentCount {
			t.Errorf("save %d: %d comments returned, %d stored", i+1, r.Comments, s.CommentCount)
		}
	}
}

// Issue 14's faults: a headline whose longest words include a possessive,
// and a reworded headline that drops a number, are both found by the text
// they share with the story; a different story on the same topic is not.
func TestRewordedCopiesFoundByContent(t *testing.T) {
	forEachEngine(t, testRewordedCopiesFoundByContent)
}

func testRewordedCopiesFoundByContent(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	text := []string{
		"Corvane's harbour authority said on Monday that the north pier will close for 14 months from March while engineers replace its timber supports, which divers found badly rotted last winter.",
		"Fishing boats will move to the south basin, and the ferry to Hollin Island will sail from a temporary pontoon. The authority expects the work to cost about 9 million.",
	}
	first := mustSave(t, db, news.Article{URL: "https://a.example/pier", Title: "Corvane's north pier to close for 14 months of repairs", Paragraphs: text}, SaveOptions{})
	for _, tt := range []struct{ name, title string }{
		{"possessive headline reworded", "Corvane's fishermen face long detour as harbour shuts pier"},
		{"number dropped from the headline", "Corvane north pier to close for repairs"},
	} {
		r, err := db.SaveArticle(ctx, news.Article{URL: "https://b.example/" + tt.name, Title: tt.title,
			Paragraphs: append(append([]string{}, text...), "Update: the authority will hold a public meeting on Thursday.")}, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Story.ID != first.Story.ID {
			t.Errorf("%s: filed as story %d (%s), want story %d", tt.name, r.Story.ID, r.Status, first.Story.ID)
		}
	}
	other := mustSave(t, db, news.Article{URL: "https://c.example/pier-reopens", Title: "Corvane's north pier reopens after repairs",
		Paragraphs: []string{
			"Corvane's north pier reopened on Friday after 14 months of repairs, with new steel supports in place of the rotten timber ones and a wider landing for the Hollin Island ferry.",
			"The harbour authority said the work came in under its 9 million budget. Fishing boats will return from the south basin next week.",
		}}, SaveOptions{})
	if other.Story.ID == first.Story.ID {
		t.Error("a later story about the same pier was filed as the first one")
	}
}

// An unchanged copy writes nothing: re-polling a feed costs reads only.
func TestUnchangedCopyWritesNothing(t *testing.T) { forEachEngine(t, testUnchangedCopyWritesNothing) }

func testUnchangedCopyWritesNothing(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openFile(t)
	a := news.Article{GUID: "g", URL: "https://x.example/a", Title: "Bridge to close", Paragraphs: []string{"The council voted."},
		Comments: []news.Comment{comment("bob", "First!", t0)}}
	mustSave(t, db, a, SaveOptions{FeedID: "f"})
	changes := func() string {
		// SQLite counts the rows it changed; on PostgreSQL every row
		// written gets the writing transaction's id as its xmin.
		q := "SELECT CAST(total_changes() AS TEXT)"
		if e.name == "postgres" {
			q = `SELECT string_agg(t || ':' || n || ':' || x, ' ') FROM (
				SELECT 'stories' t, count(*) n, max(xmin::text::bigint) x FROM stories UNION ALL
				SELECT 'revisions', count(*), max(xmin::text::bigint) FROM revisions UNION ALL
				SELECT 'comments', count(*), max(xmin::text::bigint) FROM comments UNION ALL
				SELECT 'deliveries', count(*), max(xmin::text::bigint) FROM deliveries UNION ALL
				SELECT 'search', count(*), max(xmin::text::bigint) FROM story_search) c`
		}
		var n string
		if err := db.w.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	c0 := changes()
	r := mustSave(t, db, a, SaveOptions{FeedID: "f", Now: t0.Add(time.Hour)})
	wantStatus(t, r, news.StatusUnchanged, 1)
	if c := changes(); c != c0 {
		t.Errorf("an unchanged copy changed rows: %s, then %s", c0, c)
	}
}
